package main

import (
	"archive/zip"
	"bytes"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

var linkAttrRe = regexp.MustCompile(`\s(?:href|src|action|data-index)="?([^" >]+)`)

func readZip(t *testing.T, file string) map[string][]byte {
	t.Helper()
	zr, err := zip.OpenReader(file)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	files := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(rc)
		rc.Close()
		files[f.Name] = b
	}
	return files
}

// TestExport checks the offline copy: one folder with index.html and
// README.txt at its top, every link relative and pointing at a file that is
// in the zip, nothing naming the site's origin, the search index of every
// language inside.
func TestExport(t *testing.T) {
	out := filepath.Join(t.TempDir(), "site.zip")
	code, stdout, stderr := runCLI("export", "--source", "..", "--out", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "open index.html") {
		t.Errorf("stdout %q", stdout)
	}
	files := readZip(t, out)
	for name := range files {
		if !strings.HasPrefix(name, "qorgau/") {
			t.Fatalf("%s is outside the zip's one folder", name)
		}
	}
	for _, want := range []string{"qorgau/index.html", "qorgau/README.txt", "qorgau/kk/search-index.js", "qorgau/ru/search-index.js", "qorgau/en/search-index.js", "qorgau/js/qorgau-search.js",
		"qorgau/ru/penalties/what-changed/handout.pdf", "qorgau/kk/penalties/booklet.pdf"} {
		if _, ok := files[want]; !ok {
			t.Errorf("zip lacks %s", want)
		}
	}
	for _, gone := range []string{"qorgau/sitemap.xml", "qorgau/robots.txt", "qorgau/en/atom.xml"} {
		if _, ok := files[gone]; ok {
			t.Errorf("offline copy should not have %s", gone)
		}
	}
	checked := 0
	for name, b := range files {
		if !strings.HasSuffix(name, ".html") {
			continue
		}
		if bytes.Contains(b, []byte("qorgau.example.org")) {
			t.Errorf("%s names the site's origin", name)
		}
		for _, m := range linkAttrRe.FindAllSubmatch(b, -1) {
			u := string(m[1])
			if strings.HasPrefix(u, "https://") || strings.HasPrefix(u, "tel:") || strings.HasPrefix(u, "mailto:") || strings.HasPrefix(u, "#") {
				continue
			}
			if strings.HasPrefix(u, "/") || strings.HasPrefix(u, "http:") {
				t.Errorf("%s has a non-relative link %s", name, u)
				continue
			}
			target := path.Join(path.Dir(name), strings.SplitN(u, "#", 2)[0])
			if p, err := url.PathUnescape(target); err == nil {
				target = p // as a browser opens it: Cyrillic file names are written percent-encoded
			}
			if _, ok := files[target]; !ok {
				t.Errorf("%s links to %s, which is not in the zip (%s)", name, u, target)
			}
			checked++
		}
	}
	if checked < 1000 {
		t.Errorf("only %d links checked", checked)
	}

	// One language only.
	out2 := filepath.Join(t.TempDir(), "ru.zip")
	if code, _, stderr := runCLI("export", "--source", "..", "--out", out2, "--lang", "ru"); code != 0 {
		t.Fatal(stderr)
	}
	ru := readZip(t, out2)
	for name := range ru {
		if strings.HasPrefix(name, "qorgau/kk/") || strings.HasPrefix(name, "qorgau/en/") {
			t.Fatalf("--lang ru exported %s", name)
		}
	}
	if !bytes.Contains(ru["qorgau/index.html"], []byte("Русский")) || bytes.Contains(ru["qorgau/index.html"], []byte("Қазақша")) {
		t.Error("the root of a Russian-only copy should offer Russian only")
	}
	if code, _, stderr := runCLI("export", "--source", "..", "--out", filepath.Join(t.TempDir(), "x.zip"), "--lang", "de"); code != 2 ||
		!strings.Contains(stderr, `language "de" is not configured`) || strings.Contains(stderr, "content/") {
		t.Errorf("unknown language: exit %d (want 2), and only the language named, before anything is built:\n%s", code, stderr)
	}
	if code, _, _ := runCLI("export", "--source", ".."); code != 2 {
		t.Error("missing --out: want exit 2")
	}
}

// TestRelativeBuildUnderSubPath serves a --relative build under
// /lessons/ and follows every internal link.
func TestRelativeBuildUnderSubPath(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	if code, _, stderr := runCLI("build", "--source", "..", "--dest", dest, "--relative", "--quiet"); code != 0 {
		t.Fatal(stderr)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: http.StripPrefix("/lessons", http.FileServer(http.Dir(dest)))}
	go srv.Serve(ln)
	defer srv.Close()
	start := "http://" + ln.Addr().String() + "/lessons/"
	seen := map[string]bool{start: true}
	queue := []string{start}
	for len(queue) > 0 {
		u := queue[0]
		queue = queue[1:]
		resp, err := http.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Errorf("%s: %d", u, resp.StatusCode)
			continue
		}
		if !strings.Contains(resp.Header.Get("Content-Type"), "html") {
			continue
		}
		base, _ := url.Parse(u)
		for _, m := range linkAttrRe.FindAllSubmatch(body, -1) {
			ref, err := url.Parse(string(m[1]))
			if err != nil || ref.Scheme == "tel" || ref.Scheme == "mailto" {
				continue
			}
			abs := base.ResolveReference(ref)
			abs.Fragment = ""
			if abs.Host != base.Host {
				continue
			}
			if !strings.HasPrefix(abs.Path, "/lessons/") {
				t.Errorf("%s links outside the sub-path: %s", u, abs)
				continue
			}
			if !seen[abs.String()] {
				seen[abs.String()] = true
				queue = append(queue, abs.String())
			}
		}
	}
	if len(seen) < 90 {
		t.Errorf("crawled only %d URLs", len(seen))
	}
	_ = os.Remove
}

func TestBuildReport(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	code, stdout, stderr := runCLI("build", "--source", "..", "--dest", dest, "--report")
	if code != 0 {
		t.Fatal(stderr)
	}
	b, err := os.ReadFile(filepath.Join(dest, "_status", "index.html"))
	if err != nil || !bytes.Contains(b, []byte("<progress")) || !strings.Contains(stdout, "Report: 0 error(s)") {
		t.Errorf("report: %v %q", err, stdout)
	}
}
