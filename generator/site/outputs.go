package site

import (
	"bytes"
	"sort"
	"strings"
	"time"

	"github.com/qorgau/qorgau/generator/config"
	"github.com/qorgau/qorgau/generator/content"
	"github.com/qorgau/qorgau/generator/diag"
	"github.com/qorgau/qorgau/generator/output"
	"github.com/qorgau/qorgau/generator/render"
	"github.com/qorgau/qorgau/generator/search"
)

// writeExtras writes redirects, the sitemap, robots.txt and feeds.
func writeExtras(s *content.Site, cfg *config.Config, r *render.Renderer, k *sink, extra []*content.Page, diags *diag.List) {
	write := func(rel string, data []byte) {
		if err := k.write(rel, data, "(generated)"); err != nil {
			diags.AddErr(rel, err)
		}
	}
	for _, a := range s.Aliases {
		write(a.OutPath, output.AliasPage(a.Target.Lang, r.RelURL(a.Target.URL), r.AbsURL(a.Target.URL)))
	}

	if cfg.Offline {
		return // a copy on a USB stick has no origin to give search engines or feed readers
	}
	var entries []output.SitemapEntry
	pages := append([]*content.Page{extra[0]}, s.Pages...)
	for _, p := range pages {
		e := output.SitemapEntry{Loc: r.AbsURL(p.URL), Lastmod: latest(p)}
		if len(p.Translations) > 0 {
			def := p
			if p.Lang != cfg.DefaultLanguage {
				if t := p.Translation(cfg.DefaultLanguage); t != nil {
					def = t
				}
			}
			if p.Kind == content.KindRoot {
				def = p
			} else {
				e.Alternates = append(e.Alternates, output.Alternate{Lang: p.Lang, Href: r.AbsURL(p.URL)})
			}
			for _, t := range p.Translations {
				e.Alternates = append(e.Alternates, output.Alternate{Lang: t.Lang, Href: r.AbsURL(t.URL)})
			}
			e.Alternates = append(e.Alternates, output.Alternate{Lang: "x-default", Href: r.AbsURL(def.URL)})
		}
		entries = append(entries, e)
	}
	if err := k.writeMin("sitemap.xml", output.Sitemap(entries), "(generated)", false); err != nil {
		diags.AddErr("sitemap.xml", err) // written compact already
	}
	write("robots.txt", output.Robots(r.AbsURL("/sitemap.xml")))

	for _, l := range s.Languages {
		regular := l.RegularPages()
		sort.SliceStable(regular, func(i, j int) bool { return latest(regular[i]).After(latest(regular[j])) })
		if len(regular) > 50 {
			regular = regular[:50]
		}
		f := output.Feed{Title: l.Title, Lang: l.Code, ID: r.AbsURL(l.Home.URL), Self: r.AbsURL(l.Home.URL + "atom.xml")}
		for _, p := range regular {
			if u := latest(p); u.After(f.Updated) {
				f.Updated = u
			}
		}
		if f.Updated.IsZero() {
			f.Updated = time.Unix(0, 0) // no page has a date; keep builds reproducible
		}
		for _, p := range regular {
			u := latest(p)
			if u.IsZero() {
				u = f.Updated
			}
			f.Entries = append(f.Entries, output.FeedEntry{Title: p.Title, URL: r.AbsURL(p.URL), Updated: u, Summary: p.Description})
		}
		write(strings.TrimPrefix(l.Home.URL, "/")+"atom.xml", output.Atom(f))
	}
}

// writeSearchIndex writes a language's search index script.
func writeSearchIndex(l *content.Language, b *search.Builder, k *sink, diags *diag.List) {
	docs := make([]search.Doc, 0, len(l.Pages))
	for _, p := range l.Pages {
		d := search.Doc{URL: strings.TrimPrefix(p.URL, "/"), Title: p.Title, Description: p.Description, HTML: string(p.Content)}
		if p.Section != nil {
			d.Section = p.Section.Title
		}
		docs = append(docs, d)
	}
	if err := k.writeMin(l.Code+"/"+indexFile, b.Index(l.Code, docs), "(search index)", false); err != nil {
		diags.AddErr(l.Code+"/"+indexFile, err)
	}
}

// writeSearchEngine writes the search engine script that every language's index uses.
func writeSearchEngine(k *sink, diags *diag.List) {
	if err := k.write("js/qorgau-search.js", bytes.Clone(search.EngineJS), "(search engine)"); err != nil {
		diags.AddErr("js/qorgau-search.js", err)
	}
}

// latest is the newest of a page's lastmod, date and lastReviewed.
func latest(p *content.Page) time.Time {
	t := p.Modified()
	if p.LastReviewed.After(t) {
		t = p.LastReviewed
	}
	return t
}
