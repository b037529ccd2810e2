package check

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

var update = flag.Bool("update", false, "rewrite expected findings")

var today = time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)

// siteFS loads testdata/sites/<name> with the test theme at themes/test.
func siteFS(t *testing.T, name string) fstest.MapFS {
	t.Helper()
	m := fstest.MapFS{}
	add := func(root, prefix string) {
		_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			b, _ := os.ReadFile(p)
			rel, _ := filepath.Rel(root, p)
			m[prefix+filepath.ToSlash(rel)] = &fstest.MapFile{Data: b}
			return nil
		})
	}
	add(filepath.Join("testdata", "sites", name), "")
	add(filepath.Join("..", "site", "testdata", "theme"), "themes/test/") // the theme the site tests use
	return m
}

func summary(rep *Report) string {
	var b strings.Builder
	for _, f := range rep.Findings {
		fmt.Fprintf(&b, "%s %s %s: %s\n", f.Pos(), f.Severity, f.Kind, f.Message)
	}
	return b.String()
}

// TestFindings checks each test site for exactly its expected findings.
func TestFindings(t *testing.T) {
	entries, _ := os.ReadDir(filepath.Join("testdata", "sites"))
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		name := e.Name()
		t.Run(name, func(t *testing.T) {
			rep, err := Run(context.Background(), Options{Source: siteFS(t, name), Now: today})
			if err != nil {
				t.Fatal(err)
			}
			got := summary(rep)
			golden := filepath.Join("testdata", "sites", name+".expected")
			if *update {
				_ = os.WriteFile(golden, []byte(got), 0o644)
				return
			}
			want, _ := os.ReadFile(golden)
			if got != string(want) {
				t.Errorf("findings differ\n--- got\n%s--- want\n%s", got, want)
			}
			if name == "clean" && len(rep.Findings) != 0 {
				t.Errorf("a clean site has findings:\n%s", got)
			}
		})
	}
}

func TestMarkSynced(t *testing.T) {
	dir := t.TempDir()
	for rel, f := range siteFS(t, "translations") {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		_ = os.MkdirAll(filepath.Dir(p), 0o755)
		_ = os.WriteFile(p, f.Data, 0o644)
	}
	// A CRLF file with a BOM and no sync record yet.
	crlf := filepath.Join(dir, "content", "ru", "s", "only-en.md")
	if err := os.WriteFile(crlf, []byte("\xef\xbb\xbf+++\r\ntitle = \"Только\"\r\n+++\r\nТекст.\r\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"content/ru/s/both.md", "content/ru/s/only-en.md"} {
		orig, err := MarkSynced(context.Background(), dir, f)
		if err != nil {
			t.Fatal(err)
		}
		if orig != strings.Replace(f, "/ru/", "/en/", 1) {
			t.Errorf("original %s", orig)
		}
	}
	b, _ := os.ReadFile(crlf)
	if !strings.HasPrefix(string(b), "\xef\xbb\xbf+++\r\ntitle") || !strings.Contains(string(b), "[translation]\r\noriginal = \"en\"\r\nsourceHash = \"") {
		t.Errorf("CRLF/BOM file not kept as it was:\n%q", b)
	}
	rep, err := Run(context.Background(), Options{Source: os.DirFS(dir), Now: today})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range rep.Findings {
		if f.Kind == "outdated-translation" || f.Kind == "untracked-translation" || f.Kind == "missing-translation" {
			t.Errorf("after --mark-synced: %s %s", f.Pos(), f.Message)
		}
	}
	// Marking again keeps one record.
	if _, err := MarkSynced(context.Background(), dir, "content/ru/s/both.md"); err != nil {
		t.Fatal(err)
	}
	b, _ = os.ReadFile(filepath.Join(dir, "content", "ru", "s", "both.md"))
	if strings.Count(string(b), "[translation]") != 1 {
		t.Errorf("record duplicated:\n%s", b)
	}
	if _, err := MarkSynced(context.Background(), dir, "content/en/s/both.md"); err == nil {
		t.Error("an original cannot be marked synced")
	}
	if _, err := MarkSynced(context.Background(), dir, "content/ru/s/nope.md"); err == nil {
		t.Error("a missing file is an error")
	}
}

func TestJSONFindings(t *testing.T) {
	rep, err := Run(context.Background(), Options{Source: siteFS(t, "links"), Now: today})
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(rep.Findings)
	if err != nil {
		t.Fatal(err)
	}
	var back []map[string]any
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if len(back) == 0 || back[0]["file"] == nil || back[0]["severity"] == nil || back[0]["kind"] == nil || back[0]["message"] == nil {
		t.Errorf("JSON findings lack fields: %s", b)
	}
}

func TestDashboard(t *testing.T) {
	rep, err := Run(context.Background(), Options{Source: siteFS(t, "translations"), Now: today})
	if err != nil {
		t.Fatal(err)
	}
	page := string(Dashboard(rep))
	for _, want := range []string{"<progress", "outdated-translation", "content/ru/s/both.md", `<th scope="row" lang="ru">ru</th><td>0 / 2</td><td>1</td><td>1</td>`} {
		if !strings.Contains(page, want) {
			t.Errorf("dashboard lacks %q", want)
		}
	}
	if strings.Contains(page, "https://") {
		t.Error("dashboard loads something from another origin")
	}
}

func TestExternal(t *testing.T) {
	var checked []string
	rep, err := Run(context.Background(), Options{Source: siteFS(t, "privacy"), Now: today, External: func(u string) error {
		checked = append(checked, u)
		if strings.Contains(u, "example.com") {
			return fmt.Errorf("status 404")
		}
		return nil
	}})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, f := range rep.Findings {
		if f.Kind == "external-link" && f.Severity == Warning && strings.Contains(f.Message, "status 404") {
			found = true
		}
	}
	if !found || len(checked) == 0 {
		t.Errorf("external link not checked: %v\n%s", checked, summary(rep))
	}
}

func TestDashboardEscapes(t *testing.T) {
	page := string(Dashboard(&Report{Findings: []Finding{{Path: "content/<x>.md", Severity: Error, Kind: "link", Message: "link to <script>alert(1)</script>", Hint: "<b>"}}}))
	if strings.Contains(page, "<script>alert") || strings.Contains(page, "<x>") || strings.Contains(page, "<b>") {
		t.Errorf("dashboard does not escape findings:\n%s", page)
	}
}
