package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/qorgau/qorgau/generator/internal/config"
	"github.com/qorgau/qorgau/generator/internal/content"
	"github.com/qorgau/qorgau/generator/internal/i18n"
	"github.com/qorgau/qorgau/generator/internal/output"
	"github.com/qorgau/qorgau/generator/internal/site"
	"github.com/qorgau/qorgau/generator/tools/corpus"
)

// pdfPages extracts the text of a PDF page by page with poppler's
// pdftotext, whitespace made single spaces.
func pdfPages(t *testing.T, pdf []byte) []string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("pdftotext is missing: apt-get install poppler-utils")
		}
		t.Skip("pdftotext is missing: apt-get install poppler-utils")
	}
	file := filepath.Join(t.TempDir(), "x.pdf")
	if err := os.WriteFile(file, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", file, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	pages := strings.Split(strings.TrimSuffix(string(out), "\f"), "\f")
	for i, p := range pages {
		pages[i] = strings.Join(strings.Fields(p), " ")
	}
	return pages
}

// squash is text as pdftotext gives it back: single spaces, no Markdown marks.
func squash(s string) string {
	return strings.Join(strings.Fields(strings.NewReplacer("**", "", "*", "", "`", "").Replace(s)), " ")
}

// TestHandoutsOfTheSite reads every handout and booklet of the repository's
// site: each handout holds its lesson's title, every heading, each quiz
// question, the help numbers and the review date in its language, with no
// missing glyphs; each booklet's contents give the page each lesson starts
// on. Two builds give the same bytes.
func TestHandoutsOfTheSite(t *testing.T) {
	build := func() (*site.Result, map[string][]byte) {
		mem := output.NewMemory()
		res, err := site.Build(context.Background(), site.Options{Source: os.DirFS(".."), Writer: mem})
		if err != nil {
			t.Fatal(err)
		}
		return res, mem.Files()
	}
	res, files := build()
	again := files
	if !raceEnabled { // under -race, one build: the bytes are compared without it
		_, again = build()
	}
	lessons, booklets := 0, 0
	for i, p := range res.Site.Pages {
		if raceEnabled && i%8 != 0 {
			continue // and every eighth page's files are read
		}
		dir := path.Dir(p.OutPath)
		if data, ok := files[dir+"/handout.pdf"]; ok {
			lessons++
			checkHandout(t, res, p, data)
			if !bytes.Equal(data, again[dir+"/handout.pdf"]) {
				t.Errorf("%s: two builds made different handouts", p.File)
			}
		}
		if data, ok := files[dir+"/booklet.pdf"]; ok {
			booklets++
			checkBooklet(t, p, data)
			if !bytes.Equal(data, again[dir+"/booklet.pdf"]) {
				t.Errorf("%s: two builds made different booklets", p.File)
			}
		}
	}
	screenshots(t, files["kk/penalties/what-changed/handout.pdf"], "handout-kk-what-changed")
	screenshots(t, files["ru/penalties/booklet.pdf"], "booklet-ru-penalties")
	if !raceEnabled && (lessons < 60 || booklets < 15) {
		t.Errorf("%d handouts and %d booklets", lessons, booklets)
	}
}

func checkHandout(t *testing.T, res *site.Result, p *content.Page, data []byte) {
	t.Helper()
	if len(data) > 150<<10 {
		t.Errorf("%s: the handout is %d KB", p.File, len(data)>>10)
	}
	pages := pdfPages(t, data)
	all := strings.Join(pages, " ")
	want := []string{squash(p.Title)}
	for _, h := range res.Bodies.Of(p).TOC {
		want = append(want, squash(h.Text))
	}
	for _, q := range p.Quiz {
		want = append(want, squash(q.Question))
	}
	if !p.LastReviewed.IsZero() {
		want = append(want, i18n.FormatDate(p.LastReviewed, p.Lang))
	}
	for _, h := range repoHotlines(t, p.Lang) {
		m, _ := h.(map[string]any)
		want = append(want, m["number"].(string)+" "+squash(m["name"].(string)))
	}
	for _, w := range want {
		if !strings.Contains(all, w) {
			t.Errorf("%s: the handout lacks %q", p.File, w)
		}
	}
	if strings.ContainsRune(all, '\uFFFD') {
		t.Errorf("%s: the handout has replacement characters", p.File)
	}
	// Every page ends with its number.
	for i, text := range pages {
		if !strings.HasSuffix(text, " "+strconv.Itoa(i+1)) {
			t.Errorf("%s: page %d does not end with its number: …%s", p.File, i+1, text[max(0, len(text)-80):])
		}
	}
}

func checkBooklet(t *testing.T, section *content.Page, data []byte) {
	t.Helper()
	pages := pdfPages(t, data)
	if !strings.Contains(pages[0], squash(section.Title)) {
		t.Errorf("%s: the cover lacks the title: %.200s", section.File, pages[0])
	}
	contents := pages[1]
	for _, l := range section.Pages {
		title := squash(l.Title)
		i := strings.Index(contents, title)
		if i < 0 {
			t.Errorf("%s: the contents lack %q", section.File, title)
			continue
		}
		fields := strings.Fields(contents[i+len(title):])
		n, err := strconv.Atoi(fields[0])
		if err != nil || n < 1 || n > len(pages) {
			t.Errorf("%s: %q has no page number in the contents: %v", section.File, title, fields[:1])
			continue
		}
		if !strings.HasPrefix(pages[n-1], title) {
			t.Errorf("%s: the contents put %q on page %d, which begins %.120q", section.File, title, n, pages[n-1])
		}
	}
}

// screenshots renders a PDF's first pages to PNG in testdata/screenshots
// (git-ignored), for people to look at.
func screenshots(t *testing.T, pdf []byte, name string) {
	t.Helper()
	if _, err := exec.LookPath("pdftoppm"); err != nil || pdf == nil {
		return
	}
	dir := filepath.Join("testdata", "screenshots")
	file := filepath.Join(t.TempDir(), name+".pdf")
	if err := errors.Join(os.MkdirAll(dir, 0o755), os.WriteFile(file, pdf, 0o644)); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("pdftoppm", "-png", "-r", "70", "-f", "1", "-l", "3", file, filepath.Join(dir, name)).CombinedOutput(); err != nil {
		t.Errorf("pdftoppm: %v %s", err, out)
	}
}

// TestHandoutsOff: [handouts] enabled = false makes no PDF and no link.
func TestHandoutsOff(t *testing.T) {
	mem := output.NewMemory()
	_, err := site.Build(context.Background(), site.Options{Source: os.DirFS(".."), Writer: mem,
		Config: func(c *config.Config) { c.Handouts.Enabled = false }})
	if err != nil {
		t.Fatal(err)
	}
	for p, data := range mem.Files() {
		if strings.HasSuffix(p, ".pdf") || strings.HasSuffix(p, ".html") && bytes.Contains(data, []byte("handout.pdf")) {
			t.Errorf("%s: a handout with handouts off", p)
		}
	}
}

// BenchmarkRepoSiteHandouts builds the repository's site with and without
// handouts; the difference is what all its handouts and booklets cost.
func BenchmarkRepoSiteHandouts(b *testing.B) {
	for _, on := range []bool{true, false} {
		name := "with-handouts"
		if !on {
			name = "without-handouts"
		}
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				_, err := site.Build(context.Background(), site.Options{Source: os.DirFS(".."), Writer: output.NewMemory(),
					Config: func(c *config.Config) { c.Handouts.Enabled = on }})
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkPreviewBodyEdit is a body edit of one lesson in the preview of
// the repository's site, with handouts on: the lesson's page, its
// handout, its topic's page and booklet are made again.
func BenchmarkPreviewBodyEdit(b *testing.B) {
	b.Run("with-handouts", func(b *testing.B) { previewBodyEdit(b, true) })
	b.Run("without-handouts", func(b *testing.B) { previewBodyEdit(b, false) })
}

func previewBodyEdit(b *testing.B, handouts bool) {
	dir := b.TempDir()
	for _, f := range []string{"config.toml", "content"} {
		if err := corpus.CopyTree(filepath.Join("..", f), filepath.Join(dir, f)); err != nil {
			b.Fatal(err)
		}
	}
	if !handouts {
		f, err := os.OpenFile(filepath.Join(dir, "config.toml"), os.O_APPEND|os.O_WRONLY, 0)
		if err == nil {
			_, err = f.WriteString("\n[handouts]\nenabled = false\n")
			f.Close()
		}
		if err != nil {
			b.Fatal(err)
		}
	}
	s := site.NewSession(site.Options{Source: os.DirFS(dir)})
	ctx := context.Background()
	if _, err := s.Build(ctx); err != nil {
		b.Fatal(err)
	}
	file := "content/ru/penalties/what-changed.md"
	orig, err := os.ReadFile(filepath.Join(dir, file))
	if err != nil {
		b.Fatal(err)
	}
	i := 0
	for b.Loop() {
		i++
		if err := os.WriteFile(filepath.Join(dir, file), append(orig, []byte("\nАбзац "+strconv.Itoa(i)+".\n")...), 0o644); err != nil {
			b.Fatal(err)
		}
		res, err := s.Update(ctx, []string{file})
		if err != nil {
			b.Fatal(err)
		}
		if handouts && (!slices.Contains(res.Changed, "ru/penalties/booklet.pdf") || res.Rendered < 2) {
			b.Fatalf("rendered %d pages, changed %v", res.Rendered, res.Changed)
		}
	}
}

// TestPreviewBookletSize: after a body edit in the preview, the topic's
// page shows its booklet's new size, as a fresh build does.
func TestPreviewBookletSize(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"config.toml", "content"} {
		if err := corpus.CopyTree(filepath.Join("..", f), filepath.Join(dir, f)); err != nil {
			t.Fatal(err)
		}
	}
	s := site.NewSession(site.Options{Source: os.DirFS(dir)})
	ctx := context.Background()
	if _, err := s.Build(ctx); err != nil {
		t.Fatal(err)
	}
	before := string(s.Files()["ru/penalties/index.html"])
	file := filepath.Join(dir, "content", "ru", "penalties", "what-changed.md")
	orig, _ := os.ReadFile(file)
	more := strings.Repeat("\n\nНовый абзац о законе, чтобы брошюра стала длиннее на несколько страниц.", 400)
	if err := os.WriteFile(file, append(orig, more...), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Update(ctx, []string{"content/ru/penalties/what-changed.md"}); err != nil {
		t.Fatal(err)
	}
	served := s.Files()
	mem := output.NewMemory()
	if _, err := site.Build(ctx, site.Options{Source: os.DirFS(dir), Writer: mem}); err != nil {
		t.Fatal(err)
	}
	fresh := mem.Files()
	for _, p := range []string{"ru/penalties/index.html", "ru/penalties/what-changed/index.html", "ru/penalties/booklet.pdf", "ru/penalties/what-changed/handout.pdf"} {
		if !bytes.Equal(served[p], fresh[p]) {
			t.Errorf("%s: the preview differs from a fresh build", p)
		}
	}
	if string(served["ru/penalties/index.html"]) == before {
		t.Error("the topic page did not change with its booklet's size")
	}
}

// TestHandoutGlyphWarning: a lesson with letters the handouts' font lacks
// builds, with a warning that names them and the file.
func TestHandoutGlyphWarning(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"config.toml":               "title = \"T\"\ndefaultLanguage = \"en\"\n\n[languages.en]\nname = \"English\"\n",
		"content/en/_index.md":      "+++\ntitle = \"Home\"\n+++\n",
		"content/en/s/_index.md":    "+++\ntitle = \"Topic\"\n+++\n",
		"content/en/s/greetings.md": "+++\ntitle = \"Greetings\"\n+++\nHello in Georgian: გამარჯობა.\n",
	}
	for rel, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := errors.Join(os.MkdirAll(filepath.Dir(p), 0o755), os.WriteFile(p, []byte(data), 0o644)); err != nil {
			t.Fatal(err)
		}
	}
	code, out, errs := runCLI("build", "--source", dir)
	if code != 0 || !strings.Contains(errs+out, "content/en/s/greetings.md") || !strings.Contains(errs+out, "გ") || !strings.Contains(errs+out, "empty boxes") {
		t.Errorf("build: %d\n%s%s", code, out, errs)
	}
	if _, err := os.Stat(filepath.Join(dir, "public", "en", "s", "greetings", "handout.pdf")); err != nil {
		t.Error(err)
	}
}
