package site

import (
	"fmt"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/qorgau/qorgau/generator/internal/config"
	"github.com/qorgau/qorgau/generator/internal/content"
	"github.com/qorgau/qorgau/generator/internal/output"
	"github.com/qorgau/qorgau/generator/internal/paths"
	"github.com/qorgau/qorgau/generator/internal/render"
)

// sink minifies, counts and stores output files, refusing to write a path twice.
type sink struct {
	w     output.Writer
	min   *output.Minifier
	links *output.Linker // makes links relative; nil keeps them as they are
	mu    sync.Mutex
	files map[string]Content
	from  map[string]string
	fresh []string // paths claimed: every file not kept from the last output as a page the build did not render
	count atomic.Int64
	bytes atomic.Int64
}

// newSink returns a sink that writes to w and, with keep, stores the
// files; expect is about how many files it will get (0 for unknown).
func newSink(w output.Writer, cfg *config.Config, keep bool, expect int) *sink {
	k := &sink{w: w, from: make(map[string]string, expect)}
	if cfg.Minify {
		k.min = output.NewMinifier()
	}
	if cfg.RelativeURLs || cfg.Offline {
		k.links = &output.Linker{BasePath: basePath(cfg.BaseURL), Explicit: cfg.Offline}
		if cfg.Offline {
			k.links.Origin = cfg.BaseURL
		}
	}
	if keep {
		k.files = make(map[string]Content, expect)
	}
	return k
}

func (k *sink) write(rel string, data []byte, from string) error {
	return k.writeMin(rel, data, from, true)
}

// writeMin writes a file, minifying it when asked.
func (k *sink) writeMin(rel string, data []byte, from string, minify bool) error {
	if err := k.claim(rel, from); err != nil {
		return err
	}
	if minify {
		data = k.min.Minify(rel, k.links.Rewrite(rel, data))
	}
	return k.put(rel, data)
}

// render renders a page and finishes it as write would: links made
// relative, minified. Without link rewriting it comes in pieces, and the
// minifier sees only the page's own HTML and each cached partial once.
func (k *sink) render(r *render.Renderer, p *content.Page) ([][]byte, *render.Reads, error) {
	if k.links == nil {
		var min func([]byte) []byte
		if k.min != nil {
			min = func(b []byte) []byte { return k.min.Minify(".html", b) }
		}
		return r.RenderParts(p, min)
	}
	html, reads, err := r.Render(p)
	if err != nil {
		return nil, reads, err
	}
	return [][]byte{k.min.Minify(p.OutPath, k.links.Rewrite(p.OutPath, html))}, reads, nil
}

// writeParts writes a finished file given in pieces.
func (k *sink) writeParts(rel string, parts [][]byte, from string) error {
	if err := k.claim(rel, from); err != nil {
		return err
	}
	return k.putContent(rel, Content(parts))
}

// claim checks an output path and records who writes it, refusing a
// path written twice.
func (k *sink) claim(rel, from string) error {
	if err := output.CheckPath(rel); err != nil {
		return err
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if prev, dup := k.from[rel]; dup {
		return fmt.Errorf("%s is written twice: also by %s", rel, prev)
	}
	k.from[rel] = from
	k.fresh = append(k.fresh, rel)
	return nil
}

// put stores already minified bytes.
func (k *sink) put(rel string, data []byte) error {
	return k.putContent(rel, Content{data})
}

// putFile stores a file that is also kept at src outside the output (a
// cached image): a writer that can link to it does, instead of copying.
func (k *sink) putFile(rel string, data []byte, src string) error {
	l, ok := k.w.(output.FileLinker)
	if !ok || src == "" {
		return k.put(rel, data)
	}
	if err := l.LinkFile(rel, src, data); err != nil {
		return err
	}
	if k.files != nil {
		k.mu.Lock()
		k.files[rel] = Content{data}
		k.mu.Unlock()
	}
	k.count.Add(1)
	k.bytes.Add(int64(len(data)))
	return nil
}

// putContent stores a finished file, writing its pieces one after the
// other and keeping them as they are.
func (k *sink) putContent(rel string, c Content) error {
	if k.w != nil {
		var err error
		if pw, ok := k.w.(output.PartsWriter); ok && len(c) > 1 {
			err = pw.WriteParts(rel, c)
		} else {
			err = k.w.WriteFile(rel, c.Bytes())
		}
		if err != nil {
			return err
		}
	}
	if k.files != nil {
		k.mu.Lock()
		k.files[rel] = c
		k.mu.Unlock()
	}
	k.count.Add(1)
	k.bytes.Add(int64(c.Len()))
	return nil
}

// copied reports whether a static file (of the site or its theme) was
// written at rel.
func (k *sink) copied(rel string) bool {
	k.mu.Lock()
	defer k.mu.Unlock()
	from, ok := k.from[rel]
	return ok && (strings.HasPrefix(from, paths.Static+"/") || strings.HasPrefix(from, paths.Themes+"/"))
}

// claimed reports whether a file was written at rel.
func (k *sink) claimed(rel string) bool {
	k.mu.Lock()
	defer k.mu.Unlock()
	_, ok := k.from[rel]
	return ok
}
