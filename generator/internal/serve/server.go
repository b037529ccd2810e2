// Package serve is the preview server: it builds a site into memory, serves
// every language at once, watches the sources and rebuilds incrementally,
// and tells open pages to reload through Server-Sent Events.
//
// Requests always see one whole build: each rebuild makes a new immutable
// snapshot that replaces the old one atomically. A build that fails keeps
// the last good snapshot and shows its errors in an overlay on every page.
package serve

import (
	"bytes"
	"context"
	"fmt"
	"html"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/qorgau/qorgau/generator/internal/check"
	"github.com/qorgau/qorgau/generator/internal/config"
	"github.com/qorgau/qorgau/generator/internal/diag"
	"github.com/qorgau/qorgau/generator/internal/output"
	"github.com/qorgau/qorgau/generator/internal/paths"
	"github.com/qorgau/qorgau/generator/internal/site"
	"github.com/qorgau/qorgau/generator/internal/workbench"
)

// Options configure the preview server.
type Options struct {
	Source       string    // the site's folder
	Bind         string    // address to listen on; default 127.0.0.1
	Port         int       // first port to try; 0 picks a free one
	Drafts       bool      // include drafts
	RenderToDisk string    // also write each good build to this folder
	Log          io.Writer // where progress and errors are printed
	// NoEdit turns the editors' workbench (/_edit/) off. It is on only
	// when the server is bound to a loopback address, or with EditPassword.
	NoEdit       bool
	EditPassword string // the password the workbench asks for on another address

	noWatch bool // tests drive rebuilds themselves
}

// snapshot is one whole build as served.
type snapshot struct {
	files   *site.FileSet
	later   map[string]func() []byte // files made on first request (search indexes after an edit)
	version string
	errors  []*diag.Diagnostic // errors of the latest build, shown in an overlay
}

// Server is a running preview server.
type Server struct {
	opts    Options
	session *site.Session
	current atomic.Pointer[snapshot]
	events  *broker
	addr    string
	start   int64 // start time, part of every version so a restart reloads pages
	builds  atomic.Int64
	httpSrv *http.Server
	done    chan struct{}

	// While the first build renders, requests are answered by rendering
	// the page asked for at once (early); other requests wait for built.
	early     atomic.Pointer[func(rel string) ([]byte, bool)]
	built     chan struct{}
	earlyHits atomic.Int64 // requests answered by early, for tests

	mu       sync.Mutex
	rebuilds int // rebuilds done, for tests

	edit      *workbench.Workbench // nil when editing is off
	reportMu  sync.Mutex
	report    *check.Report // the check of the build with version reportOf
	reportOf  string
	reporting string // the version whose report is being made
}

// New prepares a server; Start builds and listens.
func New(opts Options) *Server {
	if opts.Bind == "" {
		opts.Bind = "127.0.0.1"
	}
	if opts.Log == nil {
		opts.Log = io.Discard
	}
	return &Server{opts: opts, events: newBroker(), start: time.Now().UnixNano(), done: make(chan struct{}), built: make(chan struct{})}
}

// Addr is the address the server listens on (host:port).
func (s *Server) Addr() string { return s.addr }

// URL is the server's root URL.
func (s *Server) URL() string { return "http://" + s.addr + "/" }

// Rebuilds counts the rebuilds done since start.
func (s *Server) Rebuilds() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.rebuilds
}

// listen binds the port, or the next free one when it is taken.
func (s *Server) listen() (net.Listener, error) {
	port := s.opts.Port
	for try := 0; try < 20; try++ {
		ln, err := net.Listen("tcp", net.JoinHostPort(s.opts.Bind, strconv.Itoa(port)))
		if err == nil {
			if try > 0 {
				fmt.Fprintf(s.opts.Log, "Port %d is in use; using port %d instead.\n", s.opts.Port, port)
			}
			return ln, nil
		}
		if !addrInUse(err) || port == 0 {
			return nil, fmt.Errorf("cannot listen on %s:%d: %w", s.opts.Bind, port, err)
		}
		port++
	}
	return nil, fmt.Errorf("ports %d to %d are all in use; pass --port", s.opts.Port, port)
}

// Start listens, builds the site and starts watching. It returns once the
// first page can be served; the server runs until ctx ends.
func (s *Server) Start(ctx context.Context) error {
	ln, err := s.listen()
	if err != nil {
		return err
	}
	s.addr = ln.Addr().String()
	root, err := filepath.Abs(s.opts.Source)
	if err != nil {
		ln.Close()
		return err
	}
	ready := make(chan struct{})
	var readyOnce sync.Once
	s.session = site.NewSession(site.Options{
		Source: os.DirFS(root), Drafts: s.opts.Drafts, CacheDir: filepath.Join(root, paths.Cache),
		Overrides: config.Overrides{BaseURL: s.URL(), Absolute: true},
		Early: func(peek func(rel string) ([]byte, bool)) {
			if s.current.Load() == nil {
				s.early.Store(&peek)
				readyOnce.Do(func() { close(ready) })
			}
		},
	})
	w, err := newWatcher(root)
	if err != nil {
		ln.Close()
		return fmt.Errorf("cannot watch %s: %w", root, err)
	}
	// The first build runs on while the first pages are served, each
	// rendered when asked.
	start := time.Now()
	go func() {
		res, err := s.session.Build(ctx)
		s.publish(res, err)
		s.early.Store(nil)
		close(s.built)
		if err == nil {
			fmt.Fprintf(s.opts.Log, "Built %s in %s.\n", pagesLine(res), time.Since(start).Round(time.Millisecond))
		}
	}()
	select {
	case <-ready:
	case <-s.built:
	case <-ctx.Done():
		ln.Close()
		return ctx.Err()
	}
	if !s.opts.NoEdit && workbench.Allowed(s.opts.Bind, s.opts.EditPassword) {
		s.edit = workbench.New(workbench.Options{Root: root, Addr: s.addr, Password: s.opts.EditPassword, State: s.state})
	}
	s.httpSrv = &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = s.httpSrv.Serve(ln) }()
	if s.opts.noWatch {
		w.fw.Close()
	} else {
		go w.run(ctx)
		go s.loop(ctx, w)
	}
	go func() {
		<-ctx.Done()
		s.events.close()
		sctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_ = s.httpSrv.Shutdown(sctx)
		close(s.done)
	}()
	return nil
}

// Editing reports whether the workbench is on.
func (s *Server) Editing() bool { return s.edit != nil }

// Built blocks until the first build has been published.
func (s *Server) Built() { <-s.built }

// firstVersion is the version of the first build, which pages served
// while it renders carry too: they reload only if it turns out different.
func (s *Server) firstVersion() string { return fmt.Sprintf("%d-%d", s.start, 1) }

// snapshotFor returns the current snapshot, waiting for the first build;
// nil if the request ended first.
func (s *Server) snapshotFor(r *http.Request) *snapshot {
	if snap := s.current.Load(); snap != nil {
		return snap
	}
	select {
	case <-s.built:
		return s.current.Load()
	case <-r.Context().Done():
		return nil
	}
}

// Wait blocks until the server has shut down.
func (s *Server) Wait() { <-s.done }

func pagesLine(res *site.Result) string {
	if res == nil || res.Config == nil {
		return "the site"
	}
	var parts []string
	for _, code := range res.Config.LanguageOrder {
		parts = append(parts, fmt.Sprintf("%s %d", code, res.Pages[code]))
	}
	return "pages " + strings.Join(parts, ", ")
}

// loop rebuilds for each batch of changes.
func (s *Server) loop(ctx context.Context, w *watcher) {
	for {
		select {
		case <-ctx.Done():
			return
		case err := <-w.errs:
			fmt.Fprintf(s.opts.Log, "watch: %v\n", err)
		case batch := <-w.batches:
			s.rebuild(ctx, batch)
		}
	}
}

// rebuild updates the site after the changed paths and publishes it.
func (s *Server) rebuild(ctx context.Context, batch []string) {
	start := time.Now()
	res, err := s.session.Update(ctx, batch)
	if ctx.Err() != nil {
		return
	}
	s.mu.Lock()
	s.rebuilds++
	s.mu.Unlock()
	s.publish(res, err)
	if err == nil {
		what := fmt.Sprintf("%d page(s) rendered", res.Rendered)
		if res.Full {
			what = "full rebuild, " + what
		}
		fmt.Fprintf(s.opts.Log, "%s: %s, %d file(s) changed in %s.\n", time.Now().Format("15:04:05"), what, len(res.Changed), time.Since(start).Round(100*time.Microsecond))
	}
}

// publish makes a build's result the served snapshot and tells pages.
func (s *Server) publish(res *site.Result, err error) {
	version := fmt.Sprintf("%d-%d", s.start, s.builds.Add(1))
	prev := s.current.Load()
	if err != nil && version == s.firstVersion() {
		// Pages served early carry the first version: make them reload
		// to show the errors.
		version = fmt.Sprintf("%d-%d", s.start, s.builds.Add(1))
	}
	if err != nil {
		var errs []*diag.Diagnostic
		if res != nil {
			for _, d := range res.Diagnostics {
				if d.Severity == diag.Error {
					errs = append(errs, d)
				}
			}
		}
		if len(errs) == 0 {
			errs = []*diag.Diagnostic{{Path: ".", Message: err.Error()}}
		}
		for _, d := range errs {
			fmt.Fprintln(s.opts.Log, d.Error())
		}
		var files *site.FileSet
		if prev != nil {
			files = prev.files
		}
		s.current.Store(&snapshot{files: files, version: version, errors: errs})
		s.events.send(event{Name: "reload", Version: version, Paths: []string{"*"}})
		return
	}
	files, later := s.session.Snapshot()
	snap := &snapshot{files: files, later: later, version: version}
	s.current.Store(snap)
	if s.opts.RenderToDisk != "" {
		if err := writeDisk(s.opts.RenderToDisk, s.session.Files()); err != nil {
			fmt.Fprintf(s.opts.Log, "render-to-disk: %v\n", err)
		}
	}
	ev := event{Name: "reload", Version: version}
	if prev != nil && len(prev.errors) > 0 {
		ev.Paths = []string{"*"} // clear the overlay everywhere
	} else {
		cssOnly := false
		for _, p := range res.Changed {
			switch s.session.Reload(p) {
			case output.ReloadStyles:
				ev.CSS = append(ev.CSS, "/"+p)
				cssOnly = len(ev.Paths) == 0
			case output.ReloadPage:
				ev.Paths = append(ev.Paths, "/"+strings.TrimSuffix(p, "index.html"))
				cssOnly = false
			case output.ReloadNone:
			default:
				// a file some page uses (a script, an image): reload them all
				ev.Paths = append(ev.Paths, "*")
				cssOnly = false
			}
		}
		if cssOnly {
			ev.Name = "css"
		}
	}
	s.events.send(ev)
}

// writeDisk writes a snapshot to a folder through a staging folder.
func writeDisk(dest string, files map[string][]byte) error {
	st, err := output.Stage(dest)
	if err != nil {
		return err
	}
	for p, b := range files {
		if err := st.WriteFile(p, b); err != nil {
			st.Abort()
			return err
		}
	}
	return st.Commit()
}

// ServeHTTP serves the current snapshot like a static host.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	if strings.HasPrefix(r.URL.Path, workbench.Prefix) || r.URL.Path == strings.TrimSuffix(workbench.Prefix, "/") {
		if s.edit == nil {
			http.Error(w, "editing is off: serve on 127.0.0.1, or give --edit-password", http.StatusNotFound)
			return
		}
		if r.URL.Path != workbench.Prefix && !strings.HasPrefix(r.URL.Path, workbench.Prefix) {
			http.Redirect(w, r, workbench.Prefix, http.StatusMovedPermanently)
			return
		}
		s.edit.ServeHTTP(w, r)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		h.Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	rel, ok := cleanPath(r.URL)
	if !ok {
		http.Error(w, "bad request path", http.StatusBadRequest)
		return
	}
	if s.current.Load() == nil && !strings.HasPrefix(rel, "_") {
		if peek := s.early.Load(); peek != nil {
			file := rel
			if file == "" || strings.HasSuffix(file, "/") {
				file += "index.html"
			}
			if body, ok := (*peek)(file); ok {
				s.earlyHits.Add(1)
				snap := &snapshot{version: s.firstVersion()}
				serveFile(w, r, http.StatusOK, file, snapshotFS{snap}.file(file, site.Content{body}))
				return
			}
		}
	}
	switch rel {
	case "_qorgau/events":
		if snap := s.snapshotFor(r); snap != nil {
			s.events.serve(w, r, snap.version)
		}
		return
	case "_qorgau/live.js":
		h.Set("Content-Type", "text/javascript; charset=utf-8")
		_, _ = io.WriteString(w, liveJS)
		return
	case "_status", "_status/":
		s.serveStatus(w, r)
		return
	case "_qorgau/overlay.css":
		h.Set("Content-Type", "text/css; charset=utf-8")
		_, _ = io.WriteString(w, overlayCSS)
		return
	}
	snap := s.snapshotFor(r)
	if snap == nil {
		return
	}
	Static{FS: snapshotFS{snap}}.serve(w, r, rel)
}

// snapshotFS is a snapshot's files as the preview serves them: pages with
// the live-reload script (and the error overlay) in, and files made on
// first request (search indexes after an edit) made when opened.
type snapshotFS struct{ snap *snapshot }

func (f snapshotFS) Open(name string) (fs.File, error) {
	c, ok := f.snap.files.Get(name)
	if make, later := f.snap.later[name]; later && !ok {
		if b := make(); b != nil { // nil: it cannot be made (a damaged image the build reports)
			c, ok = site.Content{b}, true
		}
	}
	if !ok {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return f.file(name, c), nil
}

// file opens a file of the snapshot, injecting into a page.
func (f snapshotFS) file(name string, c site.Content) fs.File {
	if output.FormatOf(name).IsHTML {
		c = injectContent(c, f.snap)
	}
	return c.File(name)
}

// injectContent is inject for a page in pieces: the script goes into the
// piece that holds </head>, and the other pieces are left as they are.
func injectContent(page site.Content, snap *snapshot) site.Content {
	if len(snap.errors) == 0 {
		for i, p := range page {
			if j := bytes.Index(p, []byte("</head>")); j >= 0 {
				out := make(site.Content, 0, len(page)+2)
				out = append(out, page[:i]...)
				out = append(out, p[:j], liveScript(snap), p[j:])
				return append(out, page[i+1:]...)
			}
		}
	}
	return site.Content{inject(page.Bytes(), snap)}
}

// liveScript is the tag that loads live reload.
func liveScript(snap *snapshot) []byte {
	return []byte(`<script src="/_qorgau/live.js" data-version="` + html.EscapeString(snap.version) + `" defer></script>`)
}

// cleanPath turns a request path into a path inside the snapshot, refusing
// any that tries to leave it: "..", backslashes, NUL bytes, encoded slashes.
func cleanPath(u interface{ EscapedPath() string }) (string, bool) {
	raw := u.EscapedPath()
	lower := strings.ToLower(raw)
	if strings.Contains(lower, "%2f") || strings.Contains(lower, "%5c") || strings.Contains(lower, "%00") {
		return "", false
	}
	p, err := urlUnescape(raw)
	if err != nil || !strings.HasPrefix(p, "/") || strings.ContainsAny(p, "\\\x00") {
		return "", false
	}
	for _, seg := range strings.Split(p, "/") {
		if seg == ".." || seg == "." {
			return "", false
		}
	}
	rel := strings.TrimPrefix(p, "/")
	if strings.Contains(p, "//") {
		return "", false
	}
	return rel, true
}

// inject adds the live-reload script, and the error overlay when the last
// build failed, to a served HTML page. Build output never contains them.
func inject(page []byte, snap *snapshot) []byte {
	var add bytes.Buffer
	add.Write(liveScript(snap))
	if len(snap.errors) > 0 {
		add.WriteString(`<link rel="stylesheet" href="/_qorgau/overlay.css">`)
	}
	out := make([]byte, 0, len(page)+add.Len()+1024)
	if i := bytes.Index(page, []byte("</head>")); i >= 0 {
		out = append(out, page[:i]...)
		out = append(out, add.Bytes()...)
		page = page[i:]
	} else {
		out = append(out, add.Bytes()...)
	}
	if len(snap.errors) == 0 {
		return append(out, page...)
	}
	var ov bytes.Buffer
	ov.WriteString(`<div class="qorgau-overlay" role="alert"><h2>Build failed — the page shows the last good build</h2><ul>`)
	for _, d := range snap.errors {
		ov.WriteString(`<li><code>`)
		ov.WriteString(html.EscapeString(d.Pos()))
		ov.WriteString(`</code> `)
		ov.WriteString(html.EscapeString(d.Message))
		if d.Hint != "" {
			ov.WriteString(`<br><small>`)
			ov.WriteString(html.EscapeString(d.Hint))
			ov.WriteString(`</small>`)
		}
		ov.WriteString(`</li>`)
	}
	ov.WriteString(`</ul></div>`)
	if i := bytes.LastIndex(page, []byte("</body>")); i >= 0 {
		out = append(out, page[:i]...)
		out = append(out, ov.Bytes()...)
		return append(out, page[i:]...)
	}
	out = append(out, page...)
	return append(out, ov.Bytes()...)
}
