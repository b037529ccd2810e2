package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBadInput feeds the build one bad input per case, on a site that built
// before: each must fail with a clear message naming the file (and line
// where there is one), exit 1, and leave the previous output exactly as it
// was. CRLF and BOM files must simply work.
func TestBadInput(t *testing.T) {
	write := func(dir, rel string, data []byte) {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	page := "content/en/rights/b-second.md"
	for _, tc := range []struct {
		name   string
		break_ func(dir string)
		want   []string // empty: the build must succeed
	}{
		{"invalid TOML", func(d string) { write(d, page, []byte("+++\ntitle = \"unclosed\nweight = 1\n+++\nBody.\n")) },
			[]string{page + ":2:"}},
		{"invalid YAML", func(d string) { write(d, page, []byte("---\ntitle: [unclosed\n---\nBody.\n")) },
			[]string{page + ":2"}},
		{"unclosed front matter", func(d string) { write(d, page, []byte("+++\ntitle = \"x\"\nBody.\n")) },
			[]string{page + ":1:1: front matter opened with +++ is never closed"}},
		{"invalid UTF-8", func(d string) { write(d, page, []byte("+++\ntitle = \"x\"\n+++\nBad \xff byte.\n")) },
			[]string{page + ":4:5: invalid UTF-8"}},
		{"binary file named .md", func(d string) { write(d, page, []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")) },
			[]string{page + ":", "NUL byte: it looks binary"}},
		{"50 MB Markdown file", func(d string) {
			write(d, page, append([]byte("+++\ntitle = \"Huge\"\n+++\n"), bytes.Repeat([]byte("Сөз сөз сөз.\n"), 50<<20/len("Сөз сөз сөз.\n"))...))
		}, []string{page + ": file is 50 MB; the limit is 10 MB"}},
		{"two pages with one URL", func(d string) {
			write(d, "content/en/rights/b-copy.md", []byte("+++\ntitle = \"Copy\"\nslug = \"b-second\"\n+++\n"))
		},
			[]string{"content/en/rights/b-copy.md:3: page writes /en/rights/b-second/index.html"}},
		{"slug with ..", func(d string) { write(d, page, []byte("+++\ntitle = \"x\"\nslug = \"../../../outside\"\n+++\n")) },
			[]string{page + ":3:1: slug \"../../../outside\" is not allowed"}},
		{"slug with an absolute path", func(d string) { write(d, page, []byte("+++\ntitle = \"x\"\nslug = \"/etc/passwd\"\n+++\n")) },
			[]string{page + ":3:1: slug \"/etc/passwd\" is not allowed"}},
		{"alias with .. and NUL", func(d string) {
			write(d, page, []byte("+++\ntitle = \"x\"\naliases = [\"/../../outside/\", \"/a\\u0000b/\", \"https://evil.example/\"]\n+++\n"))
		}, []string{page + ":3: alias \"/../../outside/\"", page + ":3: alias \"/a\\x00b/\"", page + ":3: alias \"https://evil.example/\""}},
		{"symlink loop under content", func(d string) {
			if err := os.Symlink(".", filepath.Join(d, "content", "en", "loop")); err != nil {
				t.Skip(err)
			}
		}, []string{"content/en/loop: symbolic link to a folder (or a broken link) is not followed"}},
		{"language folder not in config", func(d string) { write(d, "content/de/_index.md", []byte("+++\ntitle = \"Start\"\n+++\n")) },
			[]string{"content/de: content folder \"de\" is not a configured language"}},
		{"template that fails", func(d string) {
			write(d, "layouts/page.html", []byte("{{define \"main\"}}\n{{.Page.NoSuchField}}{{end}}"))
		}, []string{"layouts/page.html:2:"}},
		{"template that recurses without end", func(d string) {
			write(d, "layouts/partials/nav.html", []byte("{{template \"partials/nav.html\" .}}"))
		}, []string{"layouts/partials/nav.html:1:", "calls itself"}},
		{"invalid config", func(d string) { write(d, "config.toml", []byte("title = \"x\"\ntheme = \"test\"\nlanguages = 3\n")) },
			[]string{"config.toml:3:"}},
		{"CRLF and BOM work", func(d string) {
			write(d, page, []byte("\xef\xbb\xbf+++\r\ntitle = \"CRLF\"\r\nweight = 20\r\n+++\r\nBody.\r\n"))
		}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := testSite(t, "basic")
			if code, _, stderr := runCLI("build", "--source", dir, "--quiet"); code != 0 {
				t.Fatal(stderr)
			}
			public := filepath.Join(dir, "public")
			before := snapshot(t, public)
			tc.break_(dir)
			code, _, stderr := runCLI("build", "--source", dir, "--quiet")
			if tc.want == nil {
				if code != 0 {
					t.Fatalf("exit %d: %s", code, stderr)
				}
				return
			}
			if code != 1 {
				t.Fatalf("exit %d, want 1\n%s", code, stderr)
			}
			for _, w := range tc.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr lacks %q:\n%s", w, stderr)
				}
			}
			if snapshot(t, public) != before {
				t.Error("the previous output changed")
			}
			if leftovers, _ := filepath.Glob(filepath.Join(dir, ".public.*")); len(leftovers) > 0 {
				t.Errorf("leftovers: %v", leftovers)
			}
		})
	}
}

// TestOutputNotWritable: when the output folder cannot be written, the build
// fails clearly and the previous output survives.
func TestOutputNotWritable(t *testing.T) {
	dir := testSite(t, "basic")
	// The output's parent is a file: nothing can be created there.
	blocker := filepath.Join(dir, "blocker")
	if err := os.WriteFile(blocker, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := runCLI("build", "--source", dir, "--dest", filepath.Join(blocker, "public"))
	if code != 1 || !strings.Contains(stderr, "cannot create the folder") || !strings.Contains(stderr, "choose another --dest") {
		t.Errorf("exit %d: %s", code, stderr)
	}
}
