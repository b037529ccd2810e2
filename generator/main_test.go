package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/qorgau/qorgau/generator/internal/cli"
	"github.com/qorgau/qorgau/generator/internal/output"
	"github.com/qorgau/qorgau/generator/tools/corpus"
)

// copyDir copies a folder tree.
func copyDir(t *testing.T, from, to string) {
	t.Helper()
	if err := corpus.CopyTree(from, to); err != nil {
		t.Fatal(err)
	}
}

// testSite makes a temporary site from a golden test site and the test theme.
func testSite(t *testing.T, name string) string {
	dir := t.TempDir()
	copyDir(t, filepath.Join("internal", "site", "testdata", "sites", name), dir)
	copyDir(t, filepath.Join("internal", "site", "testdata", "theme"), filepath.Join(dir, "themes", "test"))
	return dir
}

// runCLI runs the command line in-process.
func runCLI(args ...string) (code int, stdout, stderr string) {
	var o, e bytes.Buffer
	code = cli.Run(context.Background(), args, &o, &e)
	return code, o.String(), e.String()
}

// snapshot hashes every file under dir, to show it did not change.
func snapshot(t *testing.T, dir string) string {
	t.Helper()
	var lines []string
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, _ := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		lines = append(lines, fmt.Sprintf("%s %x", rel, sha256.Sum256(b)))
		return nil
	})
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

var summaryRe = regexp.MustCompile(`^Built pages: kk \d+, ru \d+, en \d+ · \d+ files \([\d.]+ MB\) written to .* · [\d.]+m?s\n$`)

// TestBuildRepositorySite builds the repository's own site.
func TestBuildRepositorySite(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	code, stdout, stderr := runCLI("build", "--source", "..", "--dest", dest)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	if !summaryRe.MatchString(stdout) {
		t.Errorf("summary line %q does not match %s", stdout, summaryRe)
	}
	for _, f := range []string{"index.html", "404.html", "sitemap.xml", "robots.txt", "kk/index.html", "ru/index.html", "en/index.html",
		"kk/404.html", "en/atom.xml", "en/help/stay-safe-online/index.html", "css/qorgau.css", "js/qorgau.js"} {
		if _, err := os.Stat(filepath.Join(dest, f)); err != nil {
			t.Errorf("missing %s: %v", f, err)
		}
	}
	root, _ := os.ReadFile(filepath.Join(dest, "index.html"))
	for _, name := range []string{`lang="kk"`, "Қазақша", "Русский", "English"} {
		if !bytes.Contains(root, []byte(name)) {
			t.Errorf("root language chooser lacks %s", name)
		}
	}
	page, _ := os.ReadFile(filepath.Join(dest, "ru", "penalties", "what-changed", "index.html"))
	for _, want := range []string{`<html lang="ru"`, `hreflang="kk"`, `hreflang="en"`, `hreflang="x-default"`, `rel="canonical"`} {
		if !bytes.Contains(page, []byte(want)) {
			t.Errorf("ru/penalties/what-changed lacks %s", want)
		}
	}
}

// TestBuildErrorsKeepOutput breaks a site that built before and checks
// that every error is reported with its position, the exit code is 1 and
// the earlier output is untouched.
func TestBuildErrorsKeepOutput(t *testing.T) {
	dir := testSite(t, "basic")
	if code, _, stderr := runCLI("build", "--source", dir, "--quiet"); code != 0 {
		t.Fatalf("first build: exit %d\n%s", code, stderr)
	}
	public := filepath.Join(dir, "public")
	before := snapshot(t, public)
	if before == "" {
		t.Fatal("first build wrote nothing")
	}
	write := func(rel, text string) {
		if err := os.WriteFile(filepath.Join(dir, rel), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("content/en/rights/a-first.md", "+++\ntitle = \"x\"\ncolour = \"red\"\n+++\nSee [gone](gone.md).\n")
	write("content/en/rights/b-second.md", "+++\ntitle = \"never closed\"\n")
	write("content/ru/rights/a-first.md", "+++\ntitle = \"x\"\nslug = \"../../../escape\"\n+++\n")
	code, stdout, stderr := runCLI("build", "--source", dir)
	if code != 1 {
		t.Fatalf("exit %d, want 1\n%s", code, stderr)
	}
	if stdout != "" {
		t.Errorf("stdout should be empty on failure, got %q", stdout)
	}
	for _, want := range []string{
		`content/en/rights/a-first.md:3:1: unknown front matter field "colour"`,
		`content/en/rights/a-first.md:5:5: link to "gone.md": no page is made from that file`,
		`content/en/rights/b-second.md:1:1: front matter opened with +++ is never closed`,
		`content/ru/rights/a-first.md:3:1: slug "../../../escape" is not allowed`,
		"build failed with 4 error(s)",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q\n%s", want, stderr)
		}
	}
	if after := snapshot(t, public); after != before {
		t.Error("the previous output changed after a failed build")
	}
	if _, err := os.Stat(filepath.Join(dir, "escape")); err == nil {
		t.Error("a file was written outside the output folder")
	}
	leftovers, _ := filepath.Glob(filepath.Join(dir, ".public.*"))
	if len(leftovers) > 0 {
		t.Errorf("staging folders left behind: %v", leftovers)
	}
}

// TestBuildRemovesStaleFiles checks that a good build leaves no file of a
// page that no longer exists.
func TestBuildRemovesStaleFiles(t *testing.T) {
	dir := testSite(t, "basic")
	if err := os.WriteFile(filepath.Join(dir, "public-marker"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, e := runCLI("build", "--source", dir, "--quiet"); code != 0 {
		t.Fatal(e)
	}
	if err := os.WriteFile(filepath.Join(dir, "public", ".gitkeep"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(dir, "content", "en", "rights", "d-unweighted-old.md")); err != nil {
		t.Fatal(err)
	}
	if code, _, e := runCLI("build", "--source", dir, "--quiet"); code != 0 {
		t.Fatal(e)
	}
	if _, err := os.Stat(filepath.Join(dir, "public", "en", "rights", "d-unweighted-old", "index.html")); err == nil {
		t.Error("stale page survived the rebuild")
	}
	if _, err := os.Stat(filepath.Join(dir, "public", ".gitkeep")); err != nil {
		t.Error("the placeholder .gitkeep was not kept")
	}
	// The old output went aside and a background process deletes it.
	deadline := time.Now().Add(20 * time.Second)
	for {
		old, _ := filepath.Glob(filepath.Join(dir, ".public.*"))
		if len(old) == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the old output was not removed: %v", old)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestRemoveOldRefusesOtherFolders checks that the hidden command behind
// the background removal deletes nothing but an old output folder.
func TestRemoveOldRefusesOtherFolders(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"public", ".public", "content", ".public.tmp-1", ".public.old-1", ".del-1", ".public.del-"} {
		p := filepath.Join(dir, name)
		if err := os.Mkdir(p, 0o755); err != nil {
			t.Fatal(err)
		}
		if code, _, _ := runCLI(output.RemoveOldCommand, p); code != cli.ExitUsage {
			t.Errorf("%s: exit %d, want %d", name, code, cli.ExitUsage)
		}
		if _, err := os.Stat(p); err != nil {
			t.Errorf("%s was removed", name)
		}
	}
	old := filepath.Join(dir, ".public.del-123")
	if err := os.MkdirAll(filepath.Join(old, "en"), 0o755); err != nil {
		t.Fatal(err)
	}
	if code, _, e := runCLI(output.RemoveOldCommand, old); code != 0 {
		t.Fatal(e)
	}
	if _, err := os.Stat(old); err == nil {
		t.Error("the old output folder is still there")
	}
}

func TestUsage(t *testing.T) {
	dir := testSite(t, "basic")
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{nil, 2, "Commands:"},
		{[]string{"--help"}, 0, "Commands:"},
		{[]string{"frobnicate"}, 2, `unknown command "frobnicate"`},
		{[]string{"build", "--help"}, 0, "--source"},
		{[]string{"build", "--no-such-flag"}, 2, "flag provided but not defined"},
		{[]string{"build", "extra-arg"}, 2, `unexpected argument "extra-arg"`},
		{[]string{"build", "--source", dir, "--dest", "."}, 2, "would replace the site's own folder"},
		{[]string{"build", "--source", dir, "--dest", ".."}, 2, "would replace the site's own folder"},
		{[]string{"build", "--source", dir, "--dest", "content/x"}, 2, "inside the site's content/ folder"},
		{[]string{"build", "--source", filepath.Join(dir, "content")}, 1, "has no config.toml"},
	} {
		code, stdout, stderr := runCLI(tc.args...)
		if code != tc.code || !strings.Contains(stdout+stderr, tc.want) {
			t.Errorf("%v: exit %d, output %q; want exit %d and %q", tc.args, code, stdout+stderr, tc.code, tc.want)
		}
	}
}

// TestVersion: `version` names the program and the Go it was built with.
func TestVersion(t *testing.T) {
	code, out, _ := runCLI("version")
	if code != 0 || !strings.HasPrefix(out, "qorgau ") || !strings.Contains(out, runtime.Version()) {
		t.Fatalf("version: %d %q", code, out)
	}
}
