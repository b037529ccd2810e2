package content

import (
	"path"
	"sort"
	"strings"
	"unicode"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
)

// Kinds of the pages a taxonomy makes.
const (
	KindTaxonomy Kind = "taxonomy" // /<lang>/<taxonomy>/: its terms, with how many lessons each has
	KindTerm     Kind = "term"     // /<lang>/<taxonomy>/<term>/: the lessons with the term
)

// Terms returns a page's terms of a taxonomy: tags and audience are front
// matter fields, any other taxonomy a list in params.
func (p *Page) Terms(taxonomy string) []string {
	switch taxonomy {
	case "tags":
		return p.Tags
	case "audience":
		return p.Audience
	}
	switch v := p.Params[taxonomy].(type) {
	case []string:
		return v
	case []any:
		out := make([]string, 0, len(v))
		for _, x := range v {
			if s, ok := x.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// TermPage returns the page of a term of a taxonomy in a language, or nil.
func (s *Site) TermPage(lang, taxonomy, term string) *Page {
	return s.terms[lang+"\x00"+taxonomy+"\x00"+term]
}

// TaxonomyPage returns the index page of a taxonomy in a language, or nil.
func (s *Site) TaxonomyPage(lang, taxonomy string) *Page {
	return s.terms[lang+"\x00"+taxonomy+"\x00"]
}

// TermSlug is a term's URL segment: lower case, letters and digits of any
// script, other runs made one '-'.
func TermSlug(term string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(term) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
			continue
		}
		dash = true
	}
	return b.String()
}

// taxonomies makes each language's taxonomy pages from its regular pages:
// an index of terms, and a page per term. A term's pages in two languages
// are translations when a lesson and its translation have them at the
// same place in their lists (audience = ["teens 14+"] and ["подростки
// 14+"]); the original language's term names the group.
func (l *loader) taxonomies(site *Site) {
	names := l.cfg.Taxonomies
	if len(names) == 0 {
		return
	}
	site.terms = map[string]*Page{}
	original := l.cfg.OriginalLanguage()
	byKey := map[string]*Page{}
	for _, lang := range site.Languages {
		if lang.Code == original {
			for _, p := range lang.RegularPages() {
				byKey[p.Key] = p
			}
		}
	}
	for _, lang := range site.Languages {
		tag, err := language.Parse(lang.Locale)
		if err != nil {
			tag = language.Und
		}
		coll := collate.New(tag)
		regular := lang.RegularPages()
		for _, name := range names {
			tax := &Page{Kind: KindTaxonomy, Lang: lang.Code, Dir: name, Section: lang.Home, Key: "taxonomy:" + name}
			tax.Title = l.label(lang.Code, "taxonomy_"+name, humanize(name))
			tax.URL = "/" + lang.Code + "/" + name + "/"
			tax.OutPath = strings.TrimPrefix(tax.URL, "/") + "index.html"
			terms := map[string]*Page{}
			keys := map[string]bool{} // a key names one term of the language
			var order []*Page
			for _, p := range regular {
				for i, term := range p.Terms(name) {
					term = strings.TrimSpace(term)
					slug := TermSlug(term)
					if slug == "" {
						continue
					}
					t := terms[slug]
					if t == nil {
						t = &Page{Kind: KindTerm, Lang: lang.Code, Dir: path.Join(name, slug), Section: tax}
						t.Title = term
						t.URL = tax.URL + slug + "/"
						t.OutPath = strings.TrimPrefix(t.URL, "/") + "index.html"
						key := l.termKey(lang.Code, original, name, p, i, slug, byKey)
						if keys[key] {
							key = lang.Code + ":" + slug
						}
						keys[key] = true
						t.Key = "term:" + name + ":" + key
						terms[slug] = t
						order = append(order, t)
						site.terms[lang.Code+"\x00"+name+"\x00"+term] = t
					}
					if len(t.Pages) == 0 || t.Pages[len(t.Pages)-1] != p {
						t.Pages = append(t.Pages, p)
					}
				}
			}
			if len(order) == 0 {
				continue
			}
			for _, t := range order {
				sortPages(lang.Locale, t.Pages)
			}
			// Terms by how many lessons have them, then alphabetically.
			sort.SliceStable(order, func(i, j int) bool {
				a, b := order[i], order[j]
				if len(a.Pages) != len(b.Pages) {
					return len(a.Pages) > len(b.Pages)
				}
				return coll.CompareString(a.Title, b.Title) < 0
			})
			tax.Pages = order
			site.terms[lang.Code+"\x00"+name+"\x00"] = tax
			lang.Pages = append(lang.Pages, tax)
			lang.Pages = append(lang.Pages, order...)
		}
	}
}

// termKey names a term across languages: its slug in the original
// language, found through the same lesson's original at the same place.
func (l *loader) termKey(lang, original, taxonomy string, p *Page, i int, slug string, byKey map[string]*Page) string {
	if lang == original {
		return slug
	}
	if o := byKey[p.Key]; o != nil {
		if ts := o.Terms(taxonomy); i < len(ts) {
			if s := TermSlug(ts[i]); s != "" {
				return s
			}
		}
	}
	return lang + ":" + slug
}

// label is a UI string for a language, or def.
func (l *loader) label(lang, key, def string) string {
	if l.opts.Label != nil {
		if s := l.opts.Label(lang, key); s != "" {
			return s
		}
	}
	return def
}
