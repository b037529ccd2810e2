package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/qorgau/qorgau/generator/internal/output"
	"github.com/qorgau/qorgau/generator/internal/site"
)

// The harness runs the floor as a child process of itself; in tests the
// child is this test binary, told so by the environment.
const childEnv = "QORGAU_PERF_CHILD"

func TestMain(m *testing.M) {
	if os.Getenv(childEnv) == "floor" {
		os.Exit(floorMain(os.Args[1:], os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

func smallOptions(t *testing.T, log *bytes.Buffer) Options {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	return Options{
		Pages: []int{50}, Runs: 1, Warmup: 0, Edits: 1, Pause: 300 * time.Millisecond, Small: true, NoInstall: true,
		Work: t.TempDir(), Keep: true, Log: log,
		Self: []string{exe}, SelfEnv: []string{childEnv + "=floor"},
		Command: "go run ./generator/tools/perf --small",
	}
}

// TestSmall runs the harness as CI's smoke test: 3 × 50 pages, one run of
// the build and the floor, the preview server's cold start and one edit.
func TestSmall(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("go not on PATH")
	}
	var log bytes.Buffer
	o := smallOptions(t, &log)
	o.SkipHugo = true
	rep, err := Run(context.Background(), o)
	if err != nil {
		t.Fatalf("%v\n%s", err, log.String())
	}
	if len(rep.Results) != 1 {
		t.Fatalf("%d results, want 1", len(rep.Results))
	}
	res := rep.Results[0]
	if res.Qorgau.Wall <= 0 || res.Qorgau.CPU <= 0 || res.Qorgau.RSS <= 0 {
		t.Errorf("qorgau build not measured: %+v", res.Qorgau)
	}
	// 3 × (50 lessons + 4 sections + home + 404), the root and the root 404.
	if res.Qorgau.HTMLFiles != 3*56+2 {
		t.Errorf("qorgau wrote %d HTML files, want %d", res.Qorgau.HTMLFiles, 3*56+2)
	}
	if res.Floor.Wall <= 0 || res.Floor.Files != 3*55 {
		t.Errorf("floor: %+v, want %d files", res.Floor, 3*55)
	}
	if res.Hugo != nil {
		t.Error("Hugo measured with SkipHugo")
	}
	if res.Serve == nil || res.Serve.ColdStart <= 0 || len(res.Serve.Edits) != 1 || res.Serve.Edits[0] <= 0 {
		t.Fatalf("serve not measured: %+v", res.Serve)
	}
	if len(res.Serve.Logged) != 1 {
		t.Errorf("serve's rebuild line not found in its log")
	}
	md := rep.Markdown()
	for _, want := range []string{"### Full build, N = 50", "Qorgau `build`", "goldmark floor", "Qorgau `serve`", "| machine |"} {
		if !strings.Contains(md, want) {
			t.Errorf("report lacks %q:\n%s", want, md)
		}
	}
	// The edited lesson is restored.
	b, err := os.ReadFile(filepath.Join(o.Work, "n50", "qorgau", "content", filepath.FromSlash(lessonPath(50))))
	if err != nil || bytes.Contains(b, []byte("perfedit")) {
		t.Errorf("the edited lesson was not restored (err %v)", err)
	}
}

// TestSmallHugo runs the same against Hugo when it is installed.
func TestSmallHugo(t *testing.T) {
	if testing.Short() {
		t.Skip("short")
	}
	if _, err := exec.LookPath("hugo"); err != nil {
		t.Skip("hugo not installed")
	}
	var log bytes.Buffer
	o := smallOptions(t, &log)
	start := time.Now()
	rep, err := Run(context.Background(), o)
	if err != nil {
		t.Fatalf("%v\n%s", err, log.String())
	}
	res := rep.Results[0]
	if res.Hugo == nil || res.Hugo.Wall <= 0 || res.Hugo.HTMLFiles < 3*55 {
		t.Fatalf("hugo build not measured: %+v\n%s", res.Hugo, log.String())
	}
	if res.HServe == nil || len(res.HServe.Edits) != 1 {
		t.Fatalf("hugo server not measured: %+v", res.HServe)
	}
	// The Hugo copy renders the same lesson with the section list, the
	// language switcher and hreflang alternates.
	t.Logf("%s in %s", strings.TrimSpace(rep.Markdown()), time.Since(start).Round(time.Millisecond))
}

func TestHugoSite(t *testing.T) {
	repo, err := findRepo()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	q, h := filepath.Join(dir, "q"), filepath.Join(dir, "h")
	if err := writeQorgauSite(repo, q, 8); err != nil {
		t.Fatal(err)
	}
	layout, err := os.ReadFile(filepath.Join(q, "layouts", "page.html"))
	if err != nil || !strings.Contains(string(layout), `{{cached "partials/section-pages.html" . .Page.Section}}`) {
		t.Fatalf("layouts/page.html lacks the section list (err %v)", err)
	}
	list, err := os.ReadFile(filepath.Join(q, "layouts", "partials", "section-pages.html"))
	if err != nil || !strings.Contains(string(list), "{{range .}}<li><a href=\"{{relURL .URL}}\">{{.Title}}</a></li>{{end}}") {
		t.Fatalf("partials/section-pages.html lacks the section list (err %v)", err)
	}
	if err := writeHugoSite(repo, q, h); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"hugo.toml", "layouts/_default/baseof.html", "layouts/_default/single.html", "i18n/ru.toml", "assets/css/qorgau.css", "content/kk/_index.md"} {
		if _, err := os.Stat(filepath.Join(h, f)); err != nil {
			t.Error(err)
		}
	}
	b, _ := os.ReadFile(filepath.Join(h, "content", "kk", "rights", "lesson-00004.md"))
	if bytes.Contains(b, []byte(".md)")) || !bytes.Contains(b, []byte("](../lesson-00000/)")) {
		t.Errorf("links not rewritten:\n%s", b)
	}
	i18n, _ := os.ReadFile(filepath.Join(h, "i18n", "ru.toml"))
	if !strings.Contains(string(i18n), "{{ .Count }} урока") {
		t.Errorf("plural forms not converted:\n%s", i18n)
	}
}

func TestHugoLinks(t *testing.T) {
	for in, want := range map[string]string{
		"[a](lesson-00004.md)":          "[a](../lesson-00004/)",
		"[a](lesson-00004.md#x)":        "[a](../lesson-00004/#x)",
		"[a](../help/x.md)":             "[a](../../help/x/)",
		"[a](../help/_index.md)":        "[a](../../help/)",
		"[a](https://example.org/x.md)": "[a](https://example.org/x.md)",
		"[a](x.txt)":                    "[a](x.txt)",
	} {
		if got := string(hugoLinks([]byte(in), false)); got != want {
			t.Errorf("%s → %s, want %s", in, got, want)
		}
	}
	if got := string(hugoLinks([]byte("[a](lesson-00004.md)"), true)); got != "[a](lesson-00004/)" {
		t.Errorf("from a section: %s", got)
	}
}

func TestSplitFrontMatter(t *testing.T) {
	for in, want := range map[string]string{
		"+++\ntitle = \"x\"\n+++\nbody\n": "body\n",
		"---\ntitle: x\n---\nbody\n":      "body\n",
		"no front matter\n":               "no front matter\n",
		"+++\nunterminated\n":             "+++\nunterminated\n",
	} {
		if got := string(splitFrontMatter([]byte(in))); got != want {
			t.Errorf("%q → %q, want %q", in, got, want)
		}
	}
}

func TestPagesFlag(t *testing.T) {
	var p pagesFlag
	p.vals = []int{1000}
	if err := p.Set("1000,5000"); err != nil {
		t.Fatal(err)
	}
	if err := p.Set("200"); err != nil {
		t.Fatal(err)
	}
	if p.String() != "1000,5000,200" {
		t.Errorf("got %s", p.String())
	}
	if p.Set("x") == nil || p.Set("-1") == nil {
		t.Error("bad values accepted")
	}
}

// BenchmarkBuildHarnessCorpus builds the harness's Qorgau site (the corpus
// plus the section list on every page) into memory, for profiling what the
// harness measures:
//
//	go test ./generator/tools/perf -run XXX -bench HarnessCorpus -benchtime 3x -cpuprofile /tmp/cpu.prof
func BenchmarkBuildHarnessCorpus(b *testing.B) {
	repo, err := findRepo()
	if err != nil {
		b.Fatal(err)
	}
	for _, n := range []int{1000} {
		b.Run(fmt.Sprintf("pages=3x%d", n), func(b *testing.B) {
			dir := b.TempDir()
			if err := writeQorgauSite(repo, dir, n); err != nil {
				b.Fatal(err)
			}
			fsys := os.DirFS(dir)
			b.ResetTimer()
			for b.Loop() {
				if _, err := site.Build(context.Background(), site.Options{Source: fsys, Writer: output.NewMemory()}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestPhotos runs the images benchmark on three photos: the first build
// processes them (the cache is deleted before it), the second reads the
// cache, and the report holds the table and the image targets.
func TestPhotos(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("go not on PATH")
	}
	var log bytes.Buffer
	o := smallOptions(t, &log)
	o.Pages, o.Photos, o.SkipHugo, o.Runs = nil, 3, true, 2
	rep, err := Run(context.Background(), o)
	if err != nil {
		t.Fatalf("%v\n%s", err, log.String())
	}
	p := rep.Photos
	if p == nil || p.First.N != 2 || p.Warm.N != 2 || p.Plain.N != 2 {
		t.Fatalf("photos not measured: %+v\n%s", p, log.String())
	}
	// Three 12-megapixel photos take a CPU second or more to make; read
	// from the cache, a build of the site takes a small part of that.
	if p.First.CPU < 2*p.Warm.CPU {
		t.Errorf("first build %s of CPU, warm build %s: the first did not process the photos", p.First.CPU, p.Warm.CPU)
	}
	md := rep.Markdown()
	for _, want := range []string{"### Images: 3 photos of 4000 × 3000", "| first build (no cache) |", "first build of 3 photos of 4000 × 3000 | ≤ 10 s |", "second build, cache warm | ≤ 100 ms added |", "peak memory while processing | ≤ 300 MB |"} {
		if !strings.Contains(md, want) {
			t.Errorf("the report lacks %q:\n%s", want, md)
		}
	}
	if len(rep.Results) != 0 {
		t.Errorf("--photos alone measured %d page corpora", len(rep.Results))
	}
}
