package output

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCheckPath(t *testing.T) {
	for p, ok := range map[string]bool{
		"index.html": true, "en/rights/x/index.html": true, "kk/құқық/index.html": true,
		"": false, "/etc/passwd": false, "../x": false, "a/../../x": false, "a/./b": false, "a//b": false,
		"a\\..\\b": false, "a\x00b": false, ".": false, "a/": false,
	} {
		if err := CheckPath(p); (err == nil) != ok {
			t.Errorf("CheckPath(%q) = %v", p, err)
		}
	}
}

func TestStagingCommitAndAbort(t *testing.T) {
	dir := t.TempDir()
	dest := filepath.Join(dir, "public")
	write := func(files map[string]string) *Staging {
		s, err := Stage(dest)
		if err != nil {
			t.Fatal(err)
		}
		for k, v := range files {
			if err := s.WriteFile(k, []byte(v)); err != nil {
				t.Fatal(err)
			}
		}
		return s
	}
	s := write(map[string]string{"a/index.html": "one", "old.html": "stale"})
	if err := s.Commit(); err != nil {
		t.Fatal(err)
	}
	s = write(map[string]string{"a/index.html": "two"})
	if err := s.WriteFile("../escape", nil); err == nil {
		t.Error("writing outside the staging folder must fail")
	}
	s.Abort()
	if b, _ := os.ReadFile(filepath.Join(dest, "a", "index.html")); string(b) != "one" {
		t.Errorf("abort changed the output: %q", b)
	}
	s = write(map[string]string{"a/index.html": "two"})
	if err := s.Commit(); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(filepath.Join(dest, "a", "index.html")); string(b) != "two" {
		t.Errorf("commit did not replace: %q", b)
	}
	if _, err := os.Stat(filepath.Join(dest, "old.html")); err == nil {
		t.Error("stale file survived")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("leftovers beside the output: %v", entries)
	}
}

// TestStageRecovers simulates builds killed at each point of a swap.
func TestStageRecovers(t *testing.T) {
	dir := t.TempDir()
	dest := filepath.Join(dir, "public")
	// Killed while writing: a staging folder is left; the output is intact.
	mk := func(p, content string) {
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	mk(filepath.Join(dest, "index.html"), "good")
	mk(filepath.Join(dir, ".public.tmp-123", "index.html"), "half")
	s, err := Stage(dest)
	if err != nil {
		t.Fatal(err)
	}
	s.Abort()
	if _, err := os.Stat(filepath.Join(dir, ".public.tmp-123")); err == nil {
		t.Error("old staging folder not cleaned")
	}
	// Killed between the two renames: the output is missing, the old copy is beside it.
	if err := os.Rename(dest, filepath.Join(dir, ".public.old-456")); err != nil {
		t.Fatal(err)
	}
	mk(filepath.Join(dir, ".public.tmp-789", "index.html"), "new but unconfirmed")
	// An older output half deleted in the background must never come back.
	mk(filepath.Join(dir, ".public.del-001", "index.html"), "older, half deleted")
	s, err = Stage(dest)
	if err != nil {
		t.Fatal(err)
	}
	s.Abort()
	if b, _ := os.ReadFile(filepath.Join(dest, "index.html")); string(b) != "good" {
		t.Errorf("output not restored: %q", b)
	}
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if strings.Join(names, ",") != "public" {
		t.Errorf("leftovers: %v", names)
	}
}

func TestMinify(t *testing.T) {
	m := NewMinifier()
	got := string(m.Minify("a/index.html", []byte("<!DOCTYPE html>\n<html lang=\"kk\">\n  <body>\n    <p>  Сәлем  </p>\n  </body>\n</html>\n")))
	if strings.Contains(got, "\n  ") || !strings.Contains(got, "Сәлем") || !strings.Contains(got, `lang="kk"`) {
		t.Errorf("html not minified well: %q", got)
	}
	if got := string(m.Minify("x.css", []byte("body {\n  color : red ;\n}\n"))); got != "body{color:red}" {
		t.Errorf("css: %q", got)
	}
	if got := string(m.Minify("x.txt", []byte("  keep  "))); got != "  keep  " {
		t.Errorf("txt changed: %q", got)
	}
	var none *Minifier
	if got := string(none.Minify("x.css", []byte("a { }"))); got != "a { }" {
		t.Errorf("nil minifier changed data")
	}
}

func TestIsOldOutput(t *testing.T) {
	for dir, want := range map[string]bool{
		"/x/.public.del-123": true, ".site.del-9": true,
		"/x/public": false, "/x/.public.old-123": false, "/x/.public.tmp-1": false,
		"/x/.del-1": false, "/x/.public.del-": false, "/x/public.del-1": false,
	} {
		if got := IsOldOutput(dir); got != want {
			t.Errorf("IsOldOutput(%q) = %v, want %v", dir, got, want)
		}
	}
}

// TestWriteParts writes files from pieces (more than one writev takes) and
// reads them back whole.
func TestWriteParts(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	s, err := Stage(dest)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []int{1, 3, 1500} {
		var parts [][]byte
		var want []byte
		for i := range n {
			p := []byte(strings.Repeat(string(rune('a'+i%26)), i%7))
			parts = append(parts, p)
			want = append(want, p...)
		}
		kept := append([][]byte(nil), parts...)
		rel := fmt.Sprintf("d%d/index.html", n)
		if err := s.WriteParts(rel, parts); err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(filepath.Join(s.Dir(), rel))
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%d pieces: read back %d bytes, want %d (%v)", n, len(got), len(want), err)
		}
		for i := range parts {
			if len(parts[i]) != len(kept[i]) {
				t.Fatalf("%d pieces: the caller's piece %d was changed", n, i)
			}
		}
	}
	if err := s.WriteParts("../x", [][]byte{[]byte("x")}); err == nil {
		t.Error("a path leaving the output was written")
	}
	s.Abort()
}

// TestLinkFile checks that a file kept elsewhere on the disk is linked into
// the output, not copied, and written from its bytes when it cannot be.
func TestLinkFile(t *testing.T) {
	dir := t.TempDir()
	kept := filepath.Join(dir, "cache", "photo.360w.webp")
	if err := os.MkdirAll(filepath.Dir(kept), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(kept, []byte("RIFF"), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := Stage(filepath.Join(dir, "public"))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.LinkFile("en/photo.360w.webp", kept, []byte("RIFF")); err != nil {
		t.Fatal(err)
	}
	if err := s.LinkFile("en/gone.360w.webp", filepath.Join(dir, "cache", "gone"), []byte("data")); err != nil {
		t.Fatal(err)
	}
	if err := s.LinkFile("../outside", kept, nil); err == nil {
		t.Error("LinkFile wrote outside the output")
	}
	if err := s.Commit(); err != nil {
		t.Fatal(err)
	}
	a, _ := os.Stat(kept)
	b, err := os.Stat(filepath.Join(dir, "public", "en", "photo.360w.webp"))
	if err != nil || !os.SameFile(a, b) {
		t.Errorf("the kept file was not linked: %v", err)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "public", "en", "gone.360w.webp")); string(got) != "data" {
		t.Errorf("without a file to link, the bytes were not written: %q", got)
	}
}
