package main

import (
	"context"
	"fmt"
	"html"
	"io/fs"
	neturl "net/url"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/qorgau/qorgau/generator/internal/check"
	"github.com/qorgau/qorgau/generator/internal/config"
	"github.com/qorgau/qorgau/generator/internal/content"
	"github.com/qorgau/qorgau/generator/internal/output"
	"github.com/qorgau/qorgau/generator/internal/site"
)

// legalHosts publish legal texts: the official database, zakon's copies of
// normative acts, and egov's pages on legal aid. News and NGO articles are
// sources, but not legal ones.
var legalHosts = map[string]bool{"adilet.zan.kz": true, "online.zakon.kz": true, "egov.kz": true, "www.egov.kz": true}

// buildRepoSite builds the repository's site for the content tests, which
// read pages, not handouts: those are off, and tested in handouts_test.go.
func buildRepoSite(t *testing.T) (*content.Site, map[string][]byte) {
	t.Helper()
	mem := output.NewMemory()
	res, err := site.Build(context.Background(), site.Options{Source: os.DirFS(".."), Writer: mem, Config: noHandouts})
	if err != nil {
		t.Fatal(err)
	}
	return res.Site, mem.Files()
}

// noHandouts turns the PDF handouts off, for tests that do not look at them.
func noHandouts(c *config.Config) { c.Handouts.Enabled = false }

// TestLessonSources: legal = true only on legal texts, and a summary is
// titled as one.
func TestLessonSources(t *testing.T) {
	s, _ := buildRepoSite(t)
	for _, p := range s.Pages {
		for _, src := range p.Sources {
			u, err := neturl.Parse(src.URL)
			if err != nil {
				t.Errorf("%s: source %q has a bad URL", p.File, src.Title)
				continue
			}
			if src.Legal && !legalHosts[u.Host] {
				t.Errorf("%s: %q (%s) is marked legal = true, but %s publishes no legal texts", p.File, src.Title, src.URL, u.Host)
			}
			if strings.HasSuffix(u.Host, "loc.gov") && !regexp.MustCompile(`(?i)summary|обзор|шолу`).MatchString(src.Title) {
				t.Errorf("%s: the Library of Congress page is a summary; its title %q must say so", p.File, src.Title)
			}
		}
	}
}

// TestSectionsReviewed: every section page and home says when it was last reviewed.
func TestSectionsReviewed(t *testing.T) {
	s, _ := buildRepoSite(t)
	n := 0
	for _, p := range s.Pages {
		if (p.Kind == content.KindSection || p.Kind == content.KindHome) && p.File != "" {
			n++
			if p.LastReviewed.IsZero() {
				t.Errorf("%s: a section page needs lastReviewed", p.File)
			}
		}
	}
	if n < 3*7 {
		t.Errorf("%d section and home pages; want at least 7 per language", n)
	}
}

// numberRe finds numbers and dates as digits. "24/7" is a way of saying
// "round the clock", which ru and kk say in words.
var (
	numberRe  = regexp.MustCompile(`\d+`)
	linkURLRe = regexp.MustCompile(`\]\([^)]*\)|<https?://[^>]*>|https?://\S+`)
)

// numbers is the sorted list of digit sequences in a page's texts,
// ignoring link addresses.
func numbers(s *content.Site, p *content.Page) []string {
	texts := []string{p.Title, p.Description, string(s.Body(p))}
	texts = append(texts, p.Objectives...)
	texts = append(texts, p.KeyFacts...)
	texts = append(texts, p.Discussion...)
	texts = append(texts, p.TeacherNotes...)
	for _, q := range p.Quiz {
		texts = append(texts, q.Question, q.Answer)
	}
	for _, s := range p.Sources {
		texts = append(texts, s.Title)
	}
	var out []string
	for _, t := range texts {
		t = linkURLRe.ReplaceAllString(t, "]")
		t = strings.ReplaceAll(t, "24/7", "")
		out = append(out, numberRe.FindAllString(t, -1)...)
	}
	slices.Sort(out)
	return out
}

// TestTranslationsKeepFacts: a translation has its original's quiz count
// and exactly its numbers and dates.
func TestTranslationsKeepFacts(t *testing.T) {
	s, _ := buildRepoSite(t)
	checked := 0
	for _, p := range s.Pages {
		o := p.Original()
		if o == nil {
			continue
		}
		checked++
		if len(p.Quiz) != len(o.Quiz) {
			t.Errorf("%s has %d quiz items; its original %s has %d", p.File, len(p.Quiz), o.File, len(o.Quiz))
		}
		if got, want := numbers(s, p), numbers(s, o); !slices.Equal(got, want) {
			t.Errorf("%s: numbers %v differ from its original's %v (%s)", p.File, diffCounts(got, want), diffCounts(want, got), o.File)
		}
	}
	if checked < 2*30 {
		t.Errorf("only %d translations name their original", checked)
	}
}

// diffCounts lists what a has more often than b.
func diffCounts(a, b []string) []string {
	count := map[string]int{}
	for _, x := range b {
		count[x]++
	}
	var out []string
	for _, x := range a {
		if count[x] > 0 {
			count[x]--
		} else {
			out = append(out, x)
		}
	}
	return out
}

var (
	mainRe   = regexp.MustCompile(`(?s)<main[^>]*>(.*)</main>`)
	scriptRe = regexp.MustCompile(`(?s)<script.*?</script>`)
	tagRe    = regexp.MustCompile(`<[^>]*>`)
)

// TestTypographyInFrontMatter: what ru and kk readers see of a page has the
// language's quotation marks, front matter texts included.
func TestTypographyInFrontMatter(t *testing.T) {
	s, files := buildRepoSite(t)
	quoted := 0
	for _, p := range s.Pages {
		if p.Lang == "en" || p.File == "" {
			continue
		}
		src, _ := fs.ReadFile(os.DirFS(".."), p.File)
		fm := string(src)
		if i := strings.Index(fm[3:], "+++"); strings.HasPrefix(fm, "+++") && i >= 0 {
			fm = fm[:i]
		}
		if strings.Contains(fm, `\"`) {
			quoted++ // written with straight quotes: the generator must set them
		}
		m := mainRe.FindSubmatch(files[p.OutPath])
		if m == nil {
			t.Errorf("%s: no <main>", p.OutPath)
			continue
		}
		text := html.UnescapeString(tagRe.ReplaceAllString(scriptRe.ReplaceAllString(string(m[1]), ""), " "))
		if i := strings.IndexByte(text, '"'); i >= 0 {
			t.Errorf("%s shows a straight double quote: …%s…", p.OutPath, text[max(0, i-40):min(len(text), i+40)])
		}
	}
	if quoted == 0 {
		t.Log("no ru or kk front matter is written with straight quotes; the typesetting of front matter is tested in generator/markdown and generator/content")
	}
}

// TestSiteTermLists plants a variant, in an inflected form, into one page
// of each language and expects the repository's own term lists to find it
// at its line.
func TestSiteTermLists(t *testing.T) {
	fsys := fstest.MapFS{}
	root := os.DirFS("..")
	for _, dir := range []string{"content", "themes"} {
		_ = fs.WalkDir(root, dir, func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				b, _ := fs.ReadFile(root, p)
				fsys[p] = &fstest.MapFile{Data: b}
			}
			return err
		})
	}
	cfg, _ := fs.ReadFile(root, "config.toml")
	fsys["config.toml"] = &fstest.MapFile{Data: cfg}
	planted := map[string]string{
		"content/ru/help/numbers-and-services.md": "Если вы столкнулись с домашним насилием, звоните 111.",
		"content/kk/help/numbers-and-services.md": "Полицияға шағымыңызды жазуға болады.",
		"content/en/help/numbers-and-services.md": "A court could set something like a restraining order.",
	}
	lines := map[string]int{}
	for file, sentence := range planted {
		b := fsys[file].Data
		lines[file] = strings.Count(string(b), "\n") + 2
		fsys[file] = &fstest.MapFile{Data: append(append([]byte(nil), b...), []byte("\n"+sentence+"\n")...)}
	}
	rep, err := check.Run(context.Background(), check.Options{Source: fsys})
	if err != nil {
		t.Fatal(err)
	}
	for file, line := range lines {
		var found []string
		for _, f := range rep.Findings {
			if f.Kind == "terminology" && f.Path == file {
				found = append(found, fmt.Sprintf("%d:%d %s", f.Line, f.Col, f.Message))
				if f.Line == line && f.Col > 1 {
					found = nil
					break
				}
			}
		}
		if found != nil || !slices.ContainsFunc(rep.Findings, func(f check.Finding) bool { return f.Kind == "terminology" && f.Path == file && f.Line == line }) {
			t.Errorf("%s: the planted variant on line %d was not found (terminology findings: %v)", file, line, found)
		}
	}
}
