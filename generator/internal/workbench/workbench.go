// Package workbench is the editors' workbench of the preview server, at
// /_edit/: an overview of every lesson in every language, a form for a
// lesson's fields and body, new lessons, translation side by side with
// what changed in the original since the last sync, and the buttons that
// mark a translation synced or reviewed.
//
// It writes only Markdown files under content/ (and the sync copies in
// content/.synced/), through content.SetFields, atomically, after
// checking that the file did not change since it was opened. Every write
// needs the session's token, a same-origin request and the server's own
// Host; its pages run under a strict Content-Security-Policy.
package workbench

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/qorgau/qorgau/generator/internal/check"
	"github.com/qorgau/qorgau/generator/internal/config"
	"github.com/qorgau/qorgau/generator/internal/content"
)

// Prefix is where the workbench is served.
const Prefix = "/_edit/"

// MaxBody is the largest request a write may send.
const MaxBody = 2 << 20

// Options are what the workbench needs from the preview server.
type Options struct {
	Root     string // the site's folder on disk
	Addr     string // host:port the server listens on
	Password string // when not empty, every request needs it (HTTP basic auth, user "editor")
	// State returns the last good build's site and config, and the check
	// report of it; it may be slow the first time after a build.
	State func(r *http.Request) (*content.Site, *config.Config, *check.Report)
	Now   func() time.Time // "today"; nil: time.Now
}

// Workbench serves /_edit/. It is safe for concurrent use.
type Workbench struct {
	opts  Options
	token string // the session's secret for writes

	mu      sync.Mutex
	undo    map[string][]byte // per file, its bytes before the last save (nil: it did not exist)
	deleted map[string][]byte // files deleted in this session, for restoring
}

// New returns a workbench with a fresh token.
func New(opts Options) *Workbench {
	b := make([]byte, 24)
	_, _ = rand.Read(b) // crypto/rand never fails on supported systems
	if opts.Now == nil {
		opts.Now = time.Now
	}
	return &Workbench{opts: opts, token: hex.EncodeToString(b), undo: map[string][]byte{}, deleted: map[string][]byte{}}
}

// Allowed reports whether editing may be switched on for a server bound to
// bind: on a loopback address, or on another with a password.
func Allowed(bind, password string) bool {
	if password != "" {
		return true
	}
	if bind == "localhost" {
		return true
	}
	ip := net.ParseIP(strings.Trim(bind, "[]"))
	return ip != nil && ip.IsLoopback()
}

// ServeHTTP answers every request under Prefix.
func (wb *Workbench) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'self'; base-uri 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "SAMEORIGIN")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("Cache-Control", "no-store")
	if !wb.ownHost(r.Host) {
		http.Error(w, "this address is not the preview server's own (Host header)", http.StatusMisdirectedRequest)
		return
	}
	if wb.opts.Password != "" {
		_, pass, ok := r.BasicAuth()
		if !ok || subtle.ConstantTimeCompare([]byte(pass), []byte(wb.opts.Password)) != 1 {
			h.Set("WWW-Authenticate", `Basic realm="Qorgau workbench", charset="UTF-8"`)
			http.Error(w, "the workbench needs the password given to serve", http.StatusUnauthorized)
			return
		}
	}
	rest := strings.TrimPrefix(r.URL.Path, Prefix)
	if r.Method == http.MethodPost {
		r.Body = http.MaxBytesReader(w, r.Body, MaxBody)
		if err := r.ParseForm(); err != nil {
			http.Error(w, "the request is too large or malformed", http.StatusRequestEntityTooLarge)
			return
		}
		if reason := wb.refuseWrite(r); reason != "" {
			http.Error(w, reason, http.StatusForbidden)
			return
		}
		wb.post(w, r, rest)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		h.Set("Allow", "GET, HEAD, POST")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	wb.get(w, r, rest)
}

// ownHost reports whether a Host header names this server, so a page of
// another site whose name resolves here (DNS rebinding) is refused.
func (wb *Workbench) ownHost(host string) bool {
	_, port, err := net.SplitHostPort(wb.opts.Addr)
	if err != nil {
		return false
	}
	if host == wb.opts.Addr {
		return true
	}
	for _, name := range []string{"localhost", "127.0.0.1", "[::1]"} {
		if host == name+":"+port {
			return true
		}
	}
	// On another address (with a password), the machine's own names and
	// addresses, as a school's network reaches it.
	name, hport, err := net.SplitHostPort(host)
	if wb.opts.Password == "" || err != nil || hport != port {
		return false
	}
	if h, err := os.Hostname(); err == nil && (strings.EqualFold(name, h) || strings.EqualFold(name, h+".local")) {
		return true
	}
	ip := net.ParseIP(strings.Trim(name, "[]"))
	if ip == nil {
		return false
	}
	addrs, _ := net.InterfaceAddrs()
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok && n.IP.Equal(ip) {
			return true
		}
	}
	return false
}

// refuseWrite says why a write is refused, or "": it needs the token in
// the form (never the URL), and a request from the workbench's own pages.
func (wb *Workbench) refuseWrite(r *http.Request) string {
	if r.URL.Query().Has("token") {
		return "the token must not be in the address"
	}
	if subtle.ConstantTimeCompare([]byte(r.PostForm.Get("token")), []byte(wb.token)) != 1 {
		return "this form is out of date or not the workbench's: open the page again"
	}
	origin := r.Header.Get("Origin")
	switch {
	case origin != "":
		u, err := url.Parse(origin)
		if err != nil || u.Scheme != "http" || u.Host != r.Host {
			return "the request comes from another site (Origin)"
		}
	case r.Header.Get("Sec-Fetch-Site") != "same-origin":
		return "the request does not say it comes from the workbench (Origin)"
	}
	if site := r.Header.Get("Sec-Fetch-Site"); site != "" && site != "same-origin" {
		return "the request comes from another site (Sec-Fetch-Site)"
	}
	return ""
}
