package serve

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"sync"
)

// liveJS reloads the open page when the server says it changed, swaps
// stylesheets when only CSS changed, and reloads after the server restarts
// (the version it was served with is then unknown). It is a same-origin
// file, so it works under the theme's Content-Security-Policy.
const liveJS = `(function () {
  "use strict";
  var me = document.currentScript, version = me && me.getAttribute("data-version");
  function here() { return decodeURI(location.pathname).replace(/index\.html$/, ""); }
  function swapCSS() {
    document.querySelectorAll('link[rel="stylesheet"]').forEach(function (l) {
      var u = new URL(l.href); u.searchParams.set("v", Date.now()); l.href = u.toString();
    });
  }
  function connect() {
    var es = new EventSource("/_qorgau/events");
    es.addEventListener("hello", function (e) { if (e.data !== version) location.reload(); });
    es.addEventListener("css", function (e) { version = JSON.parse(e.data).version; swapCSS(); });
    es.addEventListener("reload", function (e) {
      var d = JSON.parse(e.data), paths = d.paths || [];
      version = d.version;
      if (paths.indexOf("*") >= 0 || paths.indexOf(here()) >= 0) { location.reload(); return; }
      if (d.css && d.css.length) swapCSS();
    });
    es.onerror = function () { if (es.readyState === 2) setTimeout(connect, 1000); };
  }
  connect();
})();
`

const overlayCSS = `.qorgau-overlay{position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;z-index:2147483647;background:#fff3f2;color:#5c0b06;border-top:4px solid #b3261e;padding:1rem 1.5rem;font:14px/1.5 system-ui,sans-serif}
.qorgau-overlay h2{margin:0 0 .5rem;font-size:16px}.qorgau-overlay ul{margin:0;padding-left:1.2rem}.qorgau-overlay code{font-weight:700}`

// event is one message to open pages.
type event struct {
	Name    string   `json:"-"`       // css or reload
	Version string   `json:"version"` // the snapshot's version
	Paths   []string `json:"paths"`   // URL paths of changed pages; "*" for all
	CSS     []string `json:"css,omitempty"`
}

// broker fans events out to the connected pages.
type broker struct {
	mu      sync.Mutex
	clients map[chan event]bool
	closed  bool
}

func newBroker() *broker { return &broker{clients: map[chan event]bool{}} }

func (b *broker) send(e event) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for c := range b.clients {
		select {
		case c <- e:
		default: // a slow client misses an event; it reloads on reconnect
		}
	}
}

func (b *broker) close() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.closed = true
	for c := range b.clients {
		close(c)
		delete(b.clients, c)
	}
}

// serve streams events to one page.
func (b *broker) serve(w http.ResponseWriter, r *http.Request, version string) {
	fl, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	c := make(chan event, 16)
	b.mu.Lock()
	if b.closed {
		b.mu.Unlock()
		http.Error(w, "shutting down", http.StatusServiceUnavailable)
		return
	}
	b.clients[c] = true
	b.mu.Unlock()
	defer func() {
		b.mu.Lock()
		if b.clients[c] {
			delete(b.clients, c)
		}
		b.mu.Unlock()
	}()
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	fmt.Fprintf(w, "retry: 1000\nevent: hello\ndata: %s\n\n", version)
	fl.Flush()
	for {
		select {
		case <-r.Context().Done():
			return
		case e, ok := <-c:
			if !ok {
				return
			}
			data, _ := json.Marshal(e)
			fmt.Fprintf(w, "event: %s\ndata: %s\n\n", e.Name, data)
			fl.Flush()
		}
	}
}

func urlUnescape(s string) (string, error) { return url.PathUnescape(s) }
