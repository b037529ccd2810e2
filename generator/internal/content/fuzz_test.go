package content

import (
	"strings"
	"testing"
)

// FuzzAliasPath checks that no alias, whatever it says, makes an output
// path that leaves the output folder.
func FuzzAliasPath(f *testing.F) {
	for _, s := range []string{"/en/old/", "old", "/../x", "/a/../../b/", "//evil", "/a\x00b/", "\\..\\x", "/legacy.html", "/%2e%2e/x/"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, alias string) {
		out, _, err := aliasPath(&Page{Lang: "en"}, alias)
		if err != nil {
			return
		}
		if out == "" || strings.HasPrefix(out, "/") || strings.ContainsAny(out, "\\\x00") {
			t.Fatalf("alias %q gives output path %q", alias, out)
		}
		for _, seg := range strings.Split(out, "/") {
			if seg == ".." || seg == "." || seg == "" {
				t.Fatalf("alias %q gives output path %q", alias, out)
			}
		}
	})
}

// FuzzSlug checks that every accepted slug is one safe URL segment.
func FuzzSlug(f *testing.F) {
	for _, s := range []string{"ok", "құқық", "..", "a/b", "a\\b", "\x00", "a?b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !validSegment(s) {
			return
		}
		if s == "." || s == ".." || strings.ContainsAny(s, "/\\\x00?#%") {
			t.Fatalf("segment %q accepted", s)
		}
	})
}
