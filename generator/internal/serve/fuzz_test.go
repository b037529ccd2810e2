package serve

import (
	"net/url"
	"path"
	"strings"
	"testing"
)

type rawPath string

func (r rawPath) EscapedPath() string { return string(r) }

// FuzzCleanPath checks that no request path is mapped outside the site.
func FuzzCleanPath(f *testing.F) {
	for _, s := range []string{"/", "/en/", "/../x", "/%2e%2e/x", "/en%2f..%2fx", "/..%5cx", "/a/./b", "//etc/passwd", "/en/%00", "/кк/"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		rel, ok := cleanPath(rawPath(raw))
		if !ok {
			return
		}
		if strings.HasPrefix(rel, "/") || strings.ContainsAny(rel, "\\\x00") {
			t.Fatalf("%q -> %q", raw, rel)
		}
		if c := path.Join("/site", rel); c != "/site" && !strings.HasPrefix(c, "/site/") {
			t.Fatalf("%q -> %q escapes (%s)", raw, rel, c)
		}
		if u, err := url.PathUnescape(raw); err == nil && strings.Contains(u, "..") && strings.Contains(rel, "..") {
			for _, seg := range strings.Split(rel, "/") {
				if seg == ".." {
					t.Fatalf("%q -> %q keeps ..", raw, rel)
				}
			}
		}
	})
}
