package output

import (
	"bytes"
	"encoding/xml"
	"html/template"
	"time"
)

// Alternate is a translation of a URL.
type Alternate struct {
	Lang string // hreflang: a language code or x-default
	Href string // absolute URL
}

// SitemapEntry is one URL of sitemap.xml.
type SitemapEntry struct {
	Loc        string
	Lastmod    time.Time
	Alternates []Alternate
}

// Sitemap renders sitemap.xml with hreflang alternates. It is written
// compact and directly (not through encoding/xml): it lists every page and
// is made again on each rebuild.
func Sitemap(entries []SitemapEntry) []byte {
	var b bytes.Buffer
	b.Grow(len(entries) * 400)
	b.WriteString(xml.Header)
	b.WriteString(`<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">`)
	for _, e := range entries {
		b.WriteString("<url><loc>")
		_ = xml.EscapeText(&b, []byte(e.Loc))
		b.WriteString("</loc>")
		if !e.Lastmod.IsZero() {
			b.WriteString("<lastmod>")
			b.WriteString(e.Lastmod.Format("2006-01-02"))
			b.WriteString("</lastmod>")
		}
		for _, a := range e.Alternates {
			b.WriteString(`<xhtml:link rel="alternate" hreflang="`)
			_ = xml.EscapeText(&b, []byte(a.Lang))
			b.WriteString(`" href="`)
			_ = xml.EscapeText(&b, []byte(a.Href))
			b.WriteString(`"/>`)
		}
		b.WriteString("</url>")
	}
	b.WriteString("</urlset>\n")
	return b.Bytes()
}

// Feed is an Atom feed of one language.
type Feed struct {
	Title   string
	Lang    string
	ID      string // the language home's absolute URL
	Self    string // the feed's absolute URL
	Updated time.Time
	Entries []FeedEntry
}

// FeedEntry is one page in a feed.
type FeedEntry struct {
	Title   string
	URL     string
	Updated time.Time
	Summary string
}

type atomLink struct {
	Rel  string `xml:"rel,attr,omitempty"`
	Href string `xml:"href,attr"`
}

type atomEntry struct {
	Title   string   `xml:"title"`
	Link    atomLink `xml:"link"`
	ID      string   `xml:"id"`
	Updated string   `xml:"updated"`
	Summary string   `xml:"summary,omitempty"`
}

type atomFeed struct {
	XMLName xml.Name    `xml:"feed"`
	XMLNS   string      `xml:"xmlns,attr"`
	Lang    string      `xml:"xml:lang,attr"`
	Title   string      `xml:"title"`
	ID      string      `xml:"id"`
	Updated string      `xml:"updated"`
	Links   []atomLink  `xml:"link"`
	Author  string      `xml:"author>name"`
	Entries []atomEntry `xml:"entry"`
}

// Atom renders a feed.
func Atom(f Feed) []byte {
	a := atomFeed{XMLNS: "http://www.w3.org/2005/Atom", Lang: f.Lang, Title: f.Title, ID: f.ID,
		Updated: f.Updated.UTC().Format(time.RFC3339), Author: f.Title,
		Links: []atomLink{{Rel: "self", Href: f.Self}, {Href: f.ID}}}
	for _, e := range f.Entries {
		a.Entries = append(a.Entries, atomEntry{Title: e.Title, Link: atomLink{Href: e.URL}, ID: e.URL,
			Updated: e.Updated.UTC().Format(time.RFC3339), Summary: e.Summary})
	}
	return marshal(a)
}

func marshal(v any) []byte {
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", " ")
	_ = enc.Encode(v)
	buf.WriteByte('\n')
	return buf.Bytes()
}

// Robots renders robots.txt pointing at the sitemap.
func Robots(sitemapURL string) []byte {
	return []byte("User-agent: *\nAllow: /\n\nSitemap: " + sitemapURL + "\n")
}

var aliasTmpl = template.Must(template.New("alias").Parse(`<!DOCTYPE html>
<html lang="{{.Lang}}"><head><meta charset="utf-8"><title>{{.URL}}</title>
<link rel="canonical" href="{{.Canonical}}"><meta name="robots" content="noindex">
<meta http-equiv="refresh" content="0; url={{.URL}}"></head>
<body><p><a href="{{.URL}}">{{.URL}}</a></p></body></html>
`))

// AliasPage renders a redirect page from an old URL to url.
func AliasPage(lang, url, canonical string) []byte {
	var buf bytes.Buffer
	_ = aliasTmpl.Execute(&buf, map[string]string{"Lang": lang, "URL": url, "Canonical": canonical})
	return buf.Bytes()
}
