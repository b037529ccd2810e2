package workbench

import (
	"context"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/qorgau/qorgau/generator/internal/output"
	"github.com/qorgau/qorgau/generator/internal/site"
)

// TestWritesRefused: every write endpoint refuses a request without the
// token, from another origin, for another host, for a path outside
// content/, or larger than the limit, and content/ stays byte for byte.
func TestWritesRefused(t *testing.T) {
	dir, wb, _ := testSite(t)
	if err := os.Symlink(filepath.Join(dir, "config.toml"), filepath.Join(dir, "content", "en", "link.md")); err != nil {
		t.Fatal(err)
	}
	before := treeSum(t, dir)
	good := "content/en/rights/shape-dotted.md"
	endpoints := []string{"save", "undo", "delete", "restore", "translation", "sync", "review", "new"}
	cases := []struct {
		name string
		file string
		mod  func(*http.Request)
		form func(url.Values)
	}{
		{"no token", good, nil, func(v url.Values) { v.Del("token") }},
		{"wrong token", good, nil, func(v url.Values) { v.Set("token", strings.Repeat("0", 48)) }},
		{"token in the URL", good, func(r *http.Request) { r.URL.RawQuery = "token=" + wb.token }, nil},
		{"foreign Origin", good, func(r *http.Request) { r.Header.Set("Origin", "http://evil.example") }, nil},
		{"null Origin", good, func(r *http.Request) { r.Header.Set("Origin", "null") }, nil},
		{"no Origin, cross-site fetch", good, func(r *http.Request) { r.Header.Del("Origin"); r.Header.Set("Sec-Fetch-Site", "cross-site") }, nil},
		{"no Origin, no fetch metadata", good, func(r *http.Request) { r.Header.Del("Origin"); r.Header.Del("Sec-Fetch-Site") }, nil},
		{"foreign Host (DNS rebinding)", good, func(r *http.Request) {
			r.Host = "evil.example:1313"
			r.Header.Set("Origin", "http://evil.example:1313")
		}, nil},
		{"config.toml", "config.toml", nil, nil},
		{"dot-dot", "content/../config.toml", nil, nil},
		{"dot-dot inside", "content/en/../../config.md", nil, nil},
		{"encoded dot-dot", "content/en/%2e%2e/x.md", nil, nil},
		{"backslash", `content\en\x.md`, nil, nil},
		{"absolute", "/etc/passwd.md", nil, nil},
		{"NUL", "content/en/x\x00.md", nil, nil},
		{"hidden folder", "content/.synced/x.md", nil, nil},
		{"symbolic link", "content/en/link.md", nil, nil},
		{"theme file", "themes/qorgau/layouts/x.md", nil, nil},
		{"over the size limit", good, nil, func(v url.Values) { v.Set("body", strings.Repeat("a", MaxBody+1)) }},
	}
	for _, c := range cases {
		for _, ep := range endpoints {
			form := url.Values{"token": {wb.token}, "file": {c.file}, "version": {"x"}, "title": {"Hacked"}, "body": {"Hacked"},
				"confirm": {"yes"}, "lang": {"kk"}, "reviewer": {"x"}, "section": {"rights"}, "name": {"hacked"}}
			if c.form != nil {
				c.form(form)
			}
			if ep == "new" && c.file != good {
				form.Set("section", c.file) // new takes a section and a name, not a file
			}
			w := post(wb, Prefix+ep, form, c.mod)
			if w.Code < 400 || w.Code >= 500 {
				t.Errorf("%s, %s: status %d, want a refusal", c.name, ep, w.Code)
			}
		}
	}
	if treeSum(t, dir) != before {
		t.Fatal("content/ changed")
	}
	// And a page of another host is not served at all.
	r, _ := http.NewRequest("GET", "http://evil.example:1313/_edit/", nil)
	w := newRecorder()
	wb.ServeHTTP(w, r)
	if w.Code != http.StatusMisdirectedRequest {
		t.Errorf("foreign Host: %d", w.Code)
	}
}

// TestPagesHeaders: the workbench's pages come with a CSP that allows no
// inline script and nothing from other origins, and no CORS header.
func TestPagesHeaders(t *testing.T) {
	_, wb, _ := testSite(t)
	for _, target := range []string{"/_edit/", "/_edit/lesson?file=content/en/rights/shape-dotted.md", "/_edit/new", "/_edit/wb.js"} {
		r, _ := http.NewRequest("GET", "http://"+addr+target, nil)
		w := newRecorder()
		wb.ServeHTTP(w, r)
		csp := w.Header().Get("Content-Security-Policy")
		if w.Code != 200 || !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe") || !strings.Contains(csp, "default-src 'none'") {
			t.Errorf("%s: %d, CSP %q", target, w.Code, csp)
		}
		if w.Header().Get("Access-Control-Allow-Origin") != "" {
			t.Errorf("%s sends a CORS header", target)
		}
		if strings.Contains(w.Body.String(), "<script>") || strings.Contains(w.Body.String(), " onclick=") {
			t.Errorf("%s has inline script", target)
		}
	}
}

// TestAllowed: editing is on for loopback binds only, unless a password is given.
func TestAllowed(t *testing.T) {
	for bind, want := range map[string]bool{"127.0.0.1": true, "::1": true, "[::1]": true, "localhost": true, "0.0.0.0": false, "192.168.1.5": false, "": false} {
		if got := Allowed(bind, ""); got != want {
			t.Errorf("Allowed(%q) = %v", bind, got)
		}
	}
	if !Allowed("0.0.0.0", "secret") {
		t.Error("a password should allow another address")
	}
	_, wb, _ := testSite(t)
	wb.opts.Password = "secret"
	if code, _ := get(t, wb, "/_edit/"); code != http.StatusUnauthorized {
		t.Errorf("no password: %d", code)
	}
	r, _ := http.NewRequest("GET", "http://"+addr+"/_edit/", nil)
	r.SetBasicAuth("editor", "secret")
	w := newRecorder()
	wb.ServeHTTP(w, r)
	if w.Code != 200 {
		t.Errorf("with the password: %d", w.Code)
	}
}

// TestNotInBuild: neither the workbench nor the sync copies reach a
// build's output.
func TestNotInBuild(t *testing.T) {
	dir, _, _ := testSite(t)
	if entries, _ := os.ReadDir(filepath.Join(dir, "content", ".synced")); len(entries) == 0 {
		t.Fatal("the repository's site should come with its sync copies")
	}
	mem := output.NewMemory()
	if _, err := site.Build(context.Background(), site.Options{Source: os.DirFS(dir), Writer: mem}); err != nil {
		t.Fatal(err)
	}
	for rel, b := range mem.Files() {
		if strings.Contains(rel, ".synced") || strings.Contains(rel, "_edit") || strings.Contains(string(b), "/_edit/") {
			t.Errorf("%s is in the build", rel)
		}
	}
}

// TestNewLessonThroughSymlink: a section folder that is a symbolic link
// out of content/ is refused, and nothing is written through it.
func TestNewLessonThroughSymlink(t *testing.T) {
	dir, wb, _ := testSite(t)
	outside := t.TempDir()
	if err := os.Symlink(outside, filepath.Join(dir, "content", "en", "linked")); err != nil {
		t.Fatal(err)
	}
	form := url.Values{"token": {wb.token}, "section": {"linked"}, "name": {"x"}, "lang": {"en"}}
	if w := post(wb, "/_edit/new", form, nil); w.Code < 400 {
		t.Fatalf("status %d", w.Code)
	}
	if entries, _ := os.ReadDir(outside); len(entries) > 0 {
		t.Fatal("a file was written outside content/")
	}
}

// TestHostWithPassword: on another address, the machine's own address is
// its Host; another name still is not.
func TestHostWithPassword(t *testing.T) {
	wb := New(Options{Root: t.TempDir(), Addr: "0.0.0.0:1313", Password: "p"})
	addrs, _ := net.InterfaceAddrs()
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok && n.IP.To4() != nil {
			if !wb.ownHost(n.IP.String() + ":1313") {
				t.Errorf("%s is the machine's own address", n.IP)
			}
		}
	}
	if wb.ownHost("evil.example:1313") || wb.ownHost("8.8.8.8:1313") {
		t.Error("a foreign Host was taken as the server's")
	}
	if New(Options{Addr: "127.0.0.1:1313"}).ownHost("192.0.2.1:1313") {
		t.Error("without a password only loopback names are the server's")
	}
}
