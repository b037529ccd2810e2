package serve

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/qorgau/qorgau/generator/internal/config"
	"github.com/qorgau/qorgau/generator/internal/diag"
	"github.com/qorgau/qorgau/generator/internal/images/imagetest"
	"github.com/qorgau/qorgau/generator/internal/output"
	"github.com/qorgau/qorgau/generator/internal/site"
	"github.com/qorgau/qorgau/generator/tools/corpus"
)

// copyTree copies a folder.
func copyTree(t testing.TB, from, to string) {
	t.Helper()
	if err := corpus.CopyTree(from, to); err != nil {
		t.Fatal(err)
	}
}

// testServer serves a temporary copy of the "basic" test site.
type testServer struct {
	t      *testing.T
	dir    string
	srv    *Server
	cancel context.CancelFunc
	events chan event
	log    *syncBuffer
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func start(t *testing.T, prepare ...func(dir string)) *testServer {
	t.Helper()
	dir := t.TempDir()
	copyTree(t, filepath.Join("..", "site", "testdata", "sites", "basic"), dir)
	copyTree(t, filepath.Join("..", "site", "testdata", "theme"), filepath.Join(dir, "themes", "test"))
	for _, f := range prepare {
		f(dir)
	}
	ctx, cancel := context.WithCancel(context.Background())
	ts := &testServer{t: t, dir: dir, cancel: cancel, events: make(chan event, 64), log: &syncBuffer{}}
	ts.srv = New(Options{Source: dir, Port: 0, Log: ts.log})
	if err := ts.srv.Start(ctx); err != nil {
		t.Fatal(err)
	}
	ts.srv.Built()
	t.Cleanup(func() {
		cancel()
		ts.srv.Wait()
	})
	ts.subscribe(ctx)
	return ts
}

// subscribe reads the event stream like a browser's EventSource.
func (ts *testServer) subscribe(ctx context.Context) {
	req, _ := http.NewRequestWithContext(ctx, "GET", ts.srv.URL()+"_qorgau/events", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		ts.t.Fatal(err)
	}
	hello := make(chan bool)
	go func() {
		defer resp.Body.Close()
		sc := bufio.NewScanner(resp.Body)
		var name string
		for sc.Scan() {
			line := sc.Text()
			switch {
			case strings.HasPrefix(line, "event: "):
				name = strings.TrimPrefix(line, "event: ")
			case strings.HasPrefix(line, "data: "):
				if name == "hello" {
					close(hello)
					continue
				}
				var e event
				_ = json.Unmarshal([]byte(strings.TrimPrefix(line, "data: ")), &e)
				e.Name = name
				ts.events <- e
			}
		}
	}()
	select {
	case <-hello:
	case <-time.After(5 * time.Second):
		ts.t.Fatal("no hello on the event stream")
	}
}

// next waits for the next event.
func (ts *testServer) next() event {
	ts.t.Helper()
	select {
	case e := <-ts.events:
		return e
	case <-time.After(10 * time.Second):
		ts.t.Fatalf("no event; log:\n%s", ts.log.String())
	}
	return event{}
}

func (ts *testServer) write(rel, text string) {
	ts.t.Helper()
	p := filepath.Join(ts.dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		ts.t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		ts.t.Fatal(err)
	}
}

func (ts *testServer) get(path string) (int, string, http.Header) {
	ts.t.Helper()
	resp, err := http.Get(ts.srv.URL() + strings.TrimPrefix(path, "/"))
	if err != nil {
		ts.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header
}

// rawGet sends a request line exactly as given, as an attacker would.
func (ts *testServer) rawGet(target string) int {
	ts.t.Helper()
	c, err := net.Dial("tcp", ts.srv.Addr())
	if err != nil {
		ts.t.Fatal(err)
	}
	defer c.Close()
	fmt.Fprintf(c, "GET %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", target)
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		ts.t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestServeLikeAHost(t *testing.T) {
	ts := start(t)
	for _, tc := range []struct {
		path, ctype, want string
		status            int
	}{
		{"/", "text/html; charset=utf-8", "Русский", 200},
		{"/en/", "text/html; charset=utf-8", "<h1>Home</h1>", 200},
		{"/en/index.html", "text/html; charset=utf-8", "<h1>Home</h1>", 200},
		{"/en/rights/a-first/", "text/html; charset=utf-8", "First by weight", 200},
		{"/style.css", "text/css; charset=utf-8", "color:red", 200},
		{"/sitemap.xml", "text/xml; charset=utf-8", "hreflang", 200},
		{"/en/nope/", "text/html; charset=utf-8", "404 en", 404},
		{"/ru/nope/", "text/html; charset=utf-8", "404 ru", 404},
		{"/nope", "text/html; charset=utf-8", "404 en", 404},
	} {
		status, body, h := ts.get(tc.path)
		if status != tc.status || h.Get("Content-Type") != tc.ctype || !strings.Contains(body, tc.want) || h.Get("Cache-Control") != "no-store" {
			t.Errorf("GET %s: %d %q %q; want %d %q containing %q", tc.path, status, h.Get("Content-Type"), h.Get("Cache-Control"), tc.status, tc.ctype, tc.want)
		}
		if strings.HasSuffix(tc.ctype, "charset=utf-8") && strings.HasPrefix(tc.ctype, "text/html") && !strings.Contains(body, "/_qorgau/live.js") {
			t.Errorf("GET %s: no live-reload script", tc.path)
		}
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Get(ts.srv.URL() + "en/rights")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 301 || resp.Header.Get("Location") != "/en/rights/" {
		t.Errorf("folder without slash: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	for _, target := range []string{"/../config.toml", "/en/../../config.toml", "/%2e%2e/config.toml", "/en%2f..%2f..%2fconfig.toml",
		"/..%5cconfig.toml", "/en/%00", "//etc/passwd", "/./en/", "/en/..", "/C:%5cWindows"} {
		if code := ts.rawGet(target); code != 400 && code != 404 {
			t.Errorf("GET %s: status %d, want 400 or 404", target, code)
		}
	}
	if code := ts.rawGet("/config.toml"); code != 404 {
		t.Errorf("sources must not be served: %d", code)
	}
	req, _ := http.NewRequest("POST", ts.srv.URL(), nil)
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != 405 {
		t.Errorf("POST: %v %v", resp, err)
	}
}

func TestEditReloads(t *testing.T) {
	ts := start(t)
	ts.write("content/en/rights/b-second.md", "+++\ntitle = \"Second by weight\"\nweight = 20\n+++\nFreshly edited text.\n")
	e := ts.next()
	if e.Name != "reload" || !contains(e.Paths, "/en/rights/b-second/") {
		t.Fatalf("event %+v", e)
	}
	if len(e.Paths) != 1 {
		t.Errorf("a body edit should reload one page, got %v", e.Paths)
	}
	if _, body, _ := ts.get("/en/rights/b-second/"); !strings.Contains(body, "Freshly edited text.") {
		t.Error("new content not served")
	}
	if _, body, _ := ts.get("/"); !strings.Contains(body, e.Version) {
		t.Error("served pages do not carry the new version")
	}
}

func TestDeleteRenameAndAtomicSave(t *testing.T) {
	ts := start(t)
	// Delete: the old URL is gone and the section list no longer shows it.
	if err := os.Remove(filepath.Join(ts.dir, "content/en/rights/d-unweighted-old.md")); err != nil {
		t.Fatal(err)
	}
	e := ts.next()
	if !contains(e.Paths, "/en/rights/") {
		t.Errorf("section not reloaded after delete: %v", e.Paths)
	}
	if status, _, _ := ts.get("/en/rights/d-unweighted-old/"); status != 404 {
		t.Errorf("deleted page: %d", status)
	}
	if _, body, _ := ts.get("/en/rights/"); strings.Contains(body, "Alpha unweighted") {
		t.Error("section still lists the deleted page")
	}
	// Rename.
	if err := os.Rename(filepath.Join(ts.dir, "content/en/rights/c-unweighted-new.md"), filepath.Join(ts.dir, "content/en/rights/c-renamed.md")); err != nil {
		t.Fatal(err)
	}
	ts.next()
	if status, _, _ := ts.get("/en/rights/c-unweighted-new/"); status != 404 {
		t.Errorf("old URL after rename: %d", status)
	}
	if status, _, _ := ts.get("/en/rights/c-renamed/"); status != 200 {
		t.Errorf("new URL after rename: %d", status)
	}
	// Atomic save: write a temporary file, then rename it over the page;
	// vim-style swap and backup files around it are ignored.
	ts.write("content/en/rights/.b-second.md.swp", "swap")
	ts.write("content/en/rights/b-second.md~", "backup")
	ts.write("content/en/rights/.b-second.md.tmp", "+++\ntitle = \"Atomically saved\"\nweight = 20\n+++\nBody.\n")
	if err := os.Rename(filepath.Join(ts.dir, "content/en/rights/.b-second.md.tmp"), filepath.Join(ts.dir, "content/en/rights/b-second.md")); err != nil {
		t.Fatal(err)
	}
	ts.next()
	if _, body, _ := ts.get("/en/rights/b-second/"); !strings.Contains(body, "Atomically saved") {
		t.Error("atomic save not picked up")
	}
	if status, _, _ := ts.get("/en/rights/b-second.md~/"); status != 404 {
		t.Error("backup file became a page")
	}
}

func TestBurstCoalesces(t *testing.T) {
	// Without handouts: a booklet of 200 lessons and 200 handouts would
	// make one rebuild take longer than the burst (most under -race).
	ts := start(t, func(dir string) { handoutsOff(t, dir) })
	for i := 0; i < 200; i++ {
		ts.write(fmt.Sprintf("content/en/rights/burst-%03d.md", i), fmt.Sprintf("+++\ntitle = \"Burst %03d\"\n+++\nBody %d.\n", i, i))
	}
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		if status, _, _ := ts.get("/en/rights/burst-199/"); status == 200 {
			if _, body, _ := ts.get("/en/rights/"); strings.Contains(body, "Burst 000") {
				break
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	time.Sleep(2 * MaxDelay)
	t.Logf("%d rebuilds for a burst of 200 files", ts.srv.Rebuilds())
	// A quiet machine makes 1–3; a loaded one (every package's tests at
	// once on 2 cores) has seen 11, when writes come more than Quiet apart.
	if n := ts.srv.Rebuilds(); n < 1 || n > 25 {
		t.Errorf("%d rebuilds for a burst of 200 files; want a few (at most 25)", n)
	}
	mem := output.NewMemory()
	if _, err := site.Build(context.Background(), site.Options{Source: os.DirFS(ts.dir), Writer: mem,
		Overrides: config.Overrides{BaseURL: ts.srv.URL()}}); err != nil {
		t.Fatal(err)
	}
	snap := ts.srv.current.Load()
	served := snap.files.Map()
	for p, make := range snap.later { // search indexes, made when first asked
		served[p] = make()
	}
	if len(served) != len(mem.Files()) {
		t.Fatalf("served %d files, fresh build %d", len(served), len(mem.Files()))
	}
	for p, b := range mem.Files() {
		if !bytes.Equal(served[p], b) {
			t.Errorf("%s differs from a fresh build", p)
		}
	}
}

func TestBrokenThenFixed(t *testing.T) {
	ts := start(t)
	good := "+++\ntitle = \"Second by weight\"\nweight = 20\n+++\nBack to [first](a-first.md).\n"
	ts.write("content/en/rights/b-second.md", "+++\ntitle = \"<b>Broken\"\nweight = \n+++\n")
	ts.next()
	status, body, _ := ts.get("/en/rights/a-first/")
	if status != 200 || !strings.Contains(body, "qorgau-overlay") || !strings.Contains(body, "content/en/rights/b-second.md:3:") {
		t.Fatalf("no overlay with file:line on another page: %d\n%s", status, body)
	}
	if !strings.Contains(ts.log.String(), "content/en/rights/b-second.md:3:") {
		t.Error("error not printed in the terminal")
	}
	if _, body, _ := ts.get("/en/rights/b-second/"); !strings.Contains(body, "Second by weight") {
		t.Error("the last good build is not served")
	}
	ts.write("content/en/rights/b-second.md", good)
	e := ts.next()
	if !contains(e.Paths, "*") {
		t.Errorf("fix should reload every page: %v", e.Paths)
	}
	if _, body, _ := ts.get("/en/rights/a-first/"); strings.Contains(body, "qorgau-overlay") {
		t.Error("overlay not cleared after the fix")
	}

	// A template error, with markup in the message escaped.
	tmpl := filepath.Join(ts.dir, "themes/test/layouts/page.html")
	orig, _ := os.ReadFile(tmpl)
	ts.write("themes/test/layouts/page.html", "{{define \"main\"}}<h1>{{.Page.Title}</h1>{{end}}")
	ts.next()
	_, body, _ = ts.get("/en/")
	if !strings.Contains(body, "themes/test/layouts/page.html:1") {
		t.Errorf("template error overlay missing or unescaped:\n%s", body)
	}
	ts.write("themes/test/layouts/page.html", string(orig))
	ts.next()
	if _, body, _ := ts.get("/en/"); strings.Contains(body, "qorgau-overlay") {
		t.Error("template overlay not cleared")
	}
}

func TestCSSOnlyAndNewLanguage(t *testing.T) {
	ts := start(t)
	ts.write("themes/test/static/style.css", "body{color:green}")
	e := ts.next()
	if e.Name != "css" || !contains(e.CSS, "/style.css") || len(e.Paths) != 0 {
		t.Errorf("css change: %+v", e)
	}
	// A new language: content first (an error until configured), then config.
	ts.write("content/kk/_index.md", "+++\ntitle = \"Басты бет\"\n+++\nСәлем.\n")
	ts.waitFor("/en/", func(_ int, body string) bool { return strings.Contains(body, "not a configured language") }, "an unconfigured language folder shows an error")
	cfg, _ := os.ReadFile(filepath.Join(ts.dir, "config.toml"))
	ts.write("config.toml", string(cfg)+"\n[languages.kk]\nname = \"Қазақша\"\nweight = 3\n")
	ts.waitFor("/kk/", func(status int, body string) bool {
		return status == 200 && strings.Contains(body, "Басты бет")
	}, "the new language is served")
	ts.write("content/kk/newsection/_index.md", "+++\ntitle = \"Жаңа бөлім\"\n+++\n")
	ts.waitFor("/kk/newsection/", func(status int, body string) bool { return status == 200 }, "a new folder is watched")
}

func TestPortInUseAndShutdown(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	port := ln.Addr().(*net.TCPAddr).Port
	dir := t.TempDir()
	copyTree(t, filepath.Join("..", "site", "testdata", "sites", "basic"), dir)
	copyTree(t, filepath.Join("..", "site", "testdata", "theme"), filepath.Join(dir, "themes", "test"))
	var log syncBuffer
	ctx, cancel := context.WithCancel(context.Background())
	srv := New(Options{Source: dir, Port: port, Log: &log})
	if err := srv.Start(ctx); err != nil {
		t.Fatal(err)
	}
	// The next port may be taken too, by another test or program.
	if !regexp.MustCompile(fmt.Sprintf(`Port %d is in use; using port \d+ instead\.`, port)).MatchString(log.String()) {
		t.Errorf("port change not said plainly: %q", log.String())
	}
	cancel()
	done := make(chan struct{})
	go func() { srv.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("server did not stop")
	}
	if _, err := http.Get(srv.URL()); err == nil {
		t.Error("server still answers after shutdown")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 3 {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("serve left files in the site: %v", names)
	}
}

func TestOverlayEscapes(t *testing.T) {
	snap := &snapshot{version: "v1", errors: []*diag.Diagnostic{{Path: "content/<x>.md", Line: 3, Col: 1, Message: "bad <script>alert(1)</script>", Hint: "use \"quotes\" & <b>"}}}
	got := string(inject([]byte("<html><head></head><body><p>page</p></body></html>"), snap))
	if strings.Contains(got, "<script>alert") || strings.Contains(got, "<x>") || strings.Contains(got, "<b>") {
		t.Errorf("overlay not escaped: %s", got)
	}
	for _, want := range []string{"content/&lt;x&gt;.md:3:1", "bad &lt;script&gt;", `<script src="/_qorgau/live.js" data-version="v1" defer></script><link rel="stylesheet" href="/_qorgau/overlay.css"></head>`, `<p>page</p><div class="qorgau-overlay"`} {
		if !strings.Contains(got, want) {
			t.Errorf("overlay lacks %q: %s", want, got)
		}
	}
}

func TestStatusDashboard(t *testing.T) {
	ts := start(t)
	status, body, h := ts.get("/_status/")
	if status != 200 || !strings.Contains(h.Get("Content-Type"), "text/html") || !strings.Contains(body, "<progress") || !strings.Contains(body, "Translation status") {
		t.Fatalf("dashboard: %d %s", status, body)
	}
	if !strings.Contains(body, "/_qorgau/live.js") {
		t.Error("the dashboard should reload with the site")
	}
}

// TestStatusChecksTheServedBuild: the dashboard checks the build being
// served, not the sources built again: a page written after the last build
// (the watcher is off here) is not in it.
func TestStatusChecksTheServedBuild(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ts := startUnwatched(ctx, t)
	dir := ts.dir
	if err := os.WriteFile(filepath.Join(dir, "content", "en", "rights", "later.md"), []byte("# Later\n\n[gone](nowhere.md)\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	status, body, _ := ts.get("/_status/")
	if status != 200 || strings.Contains(body, "later.md") || strings.Contains(body, "nowhere.md") {
		t.Errorf("the dashboard (%d) checked the sources again instead of the served build:\n%s", status, body)
	}
}

func TestRenderToDisk(t *testing.T) {
	dir := t.TempDir()
	copyTree(t, filepath.Join("..", "site", "testdata", "sites", "basic"), dir)
	copyTree(t, filepath.Join("..", "site", "testdata", "theme"), filepath.Join(dir, "themes", "test"))
	out := filepath.Join(t.TempDir(), "preview")
	ctx, cancel := context.WithCancel(context.Background())
	srv := New(Options{Source: dir, Port: 0, RenderToDisk: out})
	if err := srv.Start(ctx); err != nil {
		t.Fatal(err)
	}
	srv.Built()
	defer func() { cancel(); srv.Wait() }()
	if _, err := os.Stat(filepath.Join(out, "en", "rights", "a-first", "index.html")); err != nil {
		t.Fatalf("not rendered to disk: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "public")); err == nil {
		t.Error("serve wrote public/")
	}
	p := filepath.Join(dir, "content", "en", "rights", "b-second.md")
	if err := os.WriteFile(p, []byte("+++\ntitle = \"On disk\"\nweight = 20\n+++\nDisk edit.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		b, _ := os.ReadFile(filepath.Join(out, "en", "rights", "b-second", "index.html"))
		if strings.Contains(string(b), "Disk edit.") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the edit did not reach the disk copy")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestFirstPagesWhileBuilding requests pages and files as soon as the
// server starts, while its first build may still be rendering: each answer
// must be exactly what the finished build serves.
func TestFirstPagesWhileBuilding(t *testing.T) {
	dir := t.TempDir()
	if err := corpus.Write(dir, corpus.Options{Pages: 300, Seed: 3}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	srv := New(Options{Source: dir, Port: 0, noWatch: true})
	if err := srv.Start(ctx); err != nil {
		t.Fatal(err)
	}
	ts := &testServer{t: t, dir: dir, srv: srv}
	paths := []string{"/ru/warning-signs/lesson-00101/", "/kk/", "/css/qorgau.css", "/en/rights/lesson-00000/", "/", "/404.html", "/en/no-such-page/"}
	type answer struct {
		status int
		body   string
	}
	first := map[string]answer{}
	for _, p := range paths {
		status, body, _ := ts.get(p)
		first[p] = answer{status, body}
	}
	srv.Built()
	for _, p := range paths {
		status, body, _ := ts.get(p)
		if got := first[p]; got.status != status || got.body != body {
			t.Errorf("%s: %d, %d bytes while building; %d, %d bytes after", p, got.status, len(got.body), status, len(body))
		}
	}
	t.Logf("%d of %d requests answered while the first build rendered", srv.earlyHits.Load(), len(paths))
}

// TestInjectContent checks that live reload goes into a page in pieces
// exactly as into the same page in one piece, with and without errors.
func TestInjectContent(t *testing.T) {
	page := site.Content{[]byte("<html><he"), []byte("ad><title>x</title></head><body>"), []byte("<nav>shared</nav>"), []byte("</body></html>")}
	for _, snap := range []*snapshot{{version: "v2"}, {version: "v3", errors: []*diag.Diagnostic{{Path: "a.md", Line: 1, Message: "bad"}}}} {
		got := injectContent(page, snap).Bytes()
		want := inject(page.Bytes(), snap)
		if !bytes.Equal(got, want) {
			t.Errorf("in pieces:\n%s\nin one:\n%s", got, want)
		}
	}
	if string(page.Bytes()) != "<html><head><title>x</title></head><body><nav>shared</nav></body></html>" {
		t.Error("the page's pieces were changed")
	}
}

// startUnwatched serves a copy of the basic test site with the watcher off:
// the test decides when the server rebuilds.
func startUnwatched(ctx context.Context, t *testing.T, prepare ...func(dir string)) *testServer {
	t.Helper()
	dir := t.TempDir()
	copyTree(t, filepath.Join("..", "site", "testdata", "sites", "basic"), dir)
	copyTree(t, filepath.Join("..", "site", "testdata", "theme"), filepath.Join(dir, "themes", "test"))
	for _, f := range prepare {
		f(dir)
	}
	srv := New(Options{Source: dir, Port: 0, noWatch: true})
	if err := srv.Start(ctx); err != nil {
		t.Fatal(err)
	}
	srv.Built()
	return &testServer{t: t, dir: dir, srv: srv}
}

// TestImagesOnFirstRequest checks that the preview serves a page's photo
// files, made when first asked for and not before, and that a photo
// replaced on disk reloads the page with its new size.
func TestImagesOnFirstRequest(t *testing.T) {
	ts := start(t, func(dir string) {
		bundle := filepath.Join(dir, "content", "en", "rights", "photo")
		if err := os.MkdirAll(bundle, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(bundle, "p.jpg"), imagetest.Photo(800, 600, 1, 1), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(bundle, "index.md"), []byte("+++\ntitle = \"Photo\"\n+++\n![A photo](p.jpg)\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	})
	_, page, _ := ts.get("/en/rights/photo/")
	// WebP up to its own 800 px; the JPEG for browsers without WebP at 720.
	if !strings.Contains(page, `/en/rights/photo/p.800w.webp 800w"`) || !strings.Contains(page, `src="/en/rights/photo/p.720w.jpg"`) || !strings.Contains(page, `width="720" height="540"`) {
		t.Fatalf("the page does not show the photo at its own 800 px:\n%s", page)
	}
	if files := ts.srv.session.Last(); files == nil {
		t.Fatal("no build")
	}
	code, body, h := ts.get("/en/rights/photo/p.360w.webp")
	if code != http.StatusOK || !strings.HasPrefix(body, "RIFF") || h.Get("Content-Type") != "image/webp" {
		t.Fatalf("the 360 px WebP: %d %s %.12q", code, h.Get("Content-Type"), body)
	}
	if code, _, _ := ts.get("/en/rights/photo/p.jpg"); code != http.StatusNotFound {
		t.Errorf("the original, which no page links to, is served: %d", code)
	}
	if _, err := os.Stat(filepath.Join(ts.dir, ".qorgau-cache", "images", "files.json")); err != nil {
		t.Errorf("the preview keeps no cache: %v", err)
	}
	// The photo is replaced by a portrait one.
	if err := os.WriteFile(filepath.Join(ts.dir, "content", "en", "rights", "photo", "p.jpg"), imagetest.Photo(600, 800, 2, 1), 0o644); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		if _, page, _ = ts.get("/en/rights/photo/"); strings.Contains(page, `width="600" height="800"`) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the page does not show the new photo's size:\n%s", page)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
