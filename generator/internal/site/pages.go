package site

import (
	"context"
	"sync"
	"sync/atomic"

	"github.com/qorgau/qorgau/generator/internal/config"
	"github.com/qorgau/qorgau/generator/internal/content"
	"github.com/qorgau/qorgau/generator/internal/diag"
	"github.com/qorgau/qorgau/generator/internal/i18n"
	"github.com/qorgau/qorgau/generator/internal/render"
)

// syntheticPages makes the root language chooser and a 404 page per language.
func syntheticPages(s *content.Site, cfg *config.Config, catalogs map[string]*i18n.Catalog) []*content.Page {
	root := &content.Page{Kind: content.KindRoot, Lang: cfg.DefaultLanguage, URL: "/", OutPath: "index.html"}
	root.Title = cfg.Title
	for _, l := range s.Languages {
		root.Translations = append(root.Translations, l.Home)
	}
	out := []*content.Page{root}
	for _, l := range s.Languages {
		p := &content.Page{Kind: content.Kind404, Lang: l.Code, URL: "/" + l.Code + "/404.html", OutPath: l.Code + "/404.html", Section: l.Home}
		p.Title = "404"
		if t, err := catalogs[l.Code].T("notFoundTitle"); err == nil {
			p.Title = t
		}
		out = append(out, p)
	}
	return out
}

// early returns a function that renders the page behind an output path,
// or returns a file already written, as the build will write it.
func early(cfg *config.Config, pages []*content.Page, r *render.Renderer, k *sink) func(rel string) ([]byte, bool) {
	byOut := make(map[string]*content.Page, len(pages)+1)
	for _, p := range pages {
		byOut[p.OutPath] = p
		if p.Kind == content.Kind404 && p.Lang == cfg.DefaultLanguage {
			byOut["404.html"] = p
		}
	}
	return func(rel string) ([]byte, bool) {
		if p := byOut[rel]; p != nil {
			parts, _, err := k.render(r, p)
			if err != nil {
				return nil, false
			}
			return render.Join(parts), true
		}
		k.mu.Lock()
		defer k.mu.Unlock()
		b, ok := k.files[rel]
		return b.Bytes(), ok
	}
}

// maxRenderFailures stops rendering after this many pages failed.
const maxRenderFailures = 20

// renderAll executes the layouts of pages on all cores and writes them. It
// returns how many pages it rendered.
//
// What each render read of other pages goes into reads, by page key, when
// reads is not nil.
func renderAll(ctx context.Context, defaultLang string, pages []*content.Page, r *render.Renderer, k *sink, res *Result, progress func(int, int), diags *diag.List, reads *readSets) int {
	var done, failed atomic.Int64
	var mu sync.Mutex
	parallel(ctx, len(pages), func(i int) {
		if failed.Load() >= maxRenderFailures {
			return // the same template error on every page says nothing new
		}
		p := pages[i]
		parts, rec, err := k.render(r, p)
		reads.put(render.PageKey(p), rec)
		if err == nil {
			err = k.writeParts(p.OutPath, parts, where(p))
		}
		if err == nil && p.Kind == content.Kind404 && p.Lang == defaultLang {
			// Hosts serve /404.html for every missing path.
			if k.links != nil { // relative links differ one folder up
				var html []byte
				if html, _, err = r.Render(p); err == nil {
					err = k.write("404.html", html, where(p))
				}
			} else {
				err = k.writeParts("404.html", parts, where(p))
			}
		}
		if err != nil {
			failed.Add(1)
			diags.AddErr(where(p), err)
			return
		}
		if p.Kind != content.KindRoot {
			mu.Lock()
			res.Pages[p.Lang]++
			mu.Unlock()
		}
		n := done.Add(1)
		if progress != nil {
			progress(int(n), len(pages))
		}
	})
	if err := ctx.Err(); err != nil {
		diags.Add(diag.At(".", 0, 0, "", "build stopped: %v", err))
	}
	return int(done.Load())
}

func where(p *content.Page) string {
	if p.File != "" {
		return p.File
	}
	return p.URL
}
