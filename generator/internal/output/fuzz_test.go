package output

import (
	"path"
	"strings"
	"testing"
)

// FuzzCheckPath checks that every accepted output path stays inside the
// output folder.
func FuzzCheckPath(f *testing.F) {
	for _, s := range []string{"index.html", "en/x/index.html", "../x", "/etc", "a/../../b", "a\\b", "a\x00", "./a"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, p string) {
		if CheckPath(p) != nil {
			return
		}
		if c := path.Join("/out", p); !strings.HasPrefix(c, "/out/") {
			t.Fatalf("%q escapes: %s", p, c)
		}
		if strings.ContainsAny(p, "\\\x00") {
			t.Fatalf("%q accepted", p)
		}
	})
}

// FuzzLinker checks that relative links never climb above the output root.
func FuzzLinker(f *testing.F) {
	f.Add("en/rights/x/index.html", "/en/help/#a")
	f.Add("index.html", "/")
	f.Add("a/b/index.html", "/../../x")
	l := &Linker{BasePath: "/", Explicit: true}
	f.Fuzz(func(t *testing.T, from, u string) {
		if CheckPath(from) != nil || strings.ContainsAny(u, "\"<>") {
			return
		}
		r, ok := l.relative(from, u, false)
		if !ok || strings.Contains(u, "..") {
			return
		}
		joined := path.Join(path.Dir("/root/"+from), strings.SplitN(strings.SplitN(r, "#", 2)[0], "?", 2)[0])
		if !strings.HasPrefix(joined+"/", "/root/") {
			t.Fatalf("from %q, %q became %q, which leaves the root (%s)", from, u, r, joined)
		}
	})
}
