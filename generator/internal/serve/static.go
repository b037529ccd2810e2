package serve

import (
	"bytes"
	"io"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"
	"time"
)

// Static serves the files of a built site from an fs.FS as a static host
// does: dir/ serves dir/index.html, dir redirects to dir/, and a missing
// file gets its language's 404.html (else the root 404.html) with status
// 404. Files go through http.ServeContent (HEAD, ranges, content types).
// The preview server serves its snapshots with it, and so do the browser
// tests their builds.
type Static struct {
	FS fs.FS
}

// notFoundPage is sent when a site has no 404.html at all.
const notFoundPage = "<!DOCTYPE html><title>404</title><h1>404</h1>"

// ServeHTTP answers GET and HEAD for a cleaned request path.
func (h Static) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	rel, ok := cleanPath(r.URL)
	if !ok {
		http.Error(w, "bad request path", http.StatusBadRequest)
		return
	}
	h.serve(w, r, rel)
}

// serve answers for rel, a path inside the site ("" for its root).
func (h Static) serve(w http.ResponseWriter, r *http.Request, rel string) {
	if rel == "" || strings.HasSuffix(rel, "/") {
		rel += "index.html"
	}
	if f, err := h.FS.Open(rel); err == nil {
		defer f.Close()
		serveFile(w, r, http.StatusOK, rel, f)
		return
	}
	if f, err := h.FS.Open(rel + "/index.html"); err == nil {
		f.Close()
		http.Redirect(w, r, "/"+rel+"/", http.StatusMovedPermanently)
		return
	}
	lang, _, _ := strings.Cut(rel, "/")
	for _, page := range []string{lang + "/404.html", "404.html"} {
		if f, err := h.FS.Open(page); err == nil {
			defer f.Close()
			serveFile(w, r, http.StatusNotFound, page, f)
			return
		}
	}
	serveFile(w, r, http.StatusNotFound, "404.html", io.NopCloser(strings.NewReader(notFoundPage)))
}

// serveFile sends an open file. A 200 goes through http.ServeContent; any
// other status is written as it is, with the same headers.
func serveFile(w http.ResponseWriter, r *http.Request, status int, name string, f io.Reader) {
	rs, ok := f.(io.ReadSeeker)
	if !ok {
		b, _ := io.ReadAll(f)
		rs = bytes.NewReader(b)
	}
	if status == http.StatusOK {
		http.ServeContent(w, r, name, time.Time{}, rs)
		return
	}
	size, err := rs.Seek(0, io.SeekEnd)
	if err == nil {
		_, err = rs.Seek(0, io.SeekStart)
	}
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	ctype := mime.TypeByExtension(path.Ext(name))
	if ctype == "" {
		ctype = "text/html; charset=utf-8"
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Length", strconv.FormatInt(size, 10))
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		_, _ = io.Copy(w, rs)
	}
}
