package output

import (
	"path"
)

// Links says where a format writes links to the site's own pages and
// assets, for builds whose links are made relative (--relative, export).
type Links int

const (
	NoLinks   Links = iota // nothing to rewrite
	HTMLLinks              // href, src, action, poster, data-index and data-root attributes, and meta refresh
	CSSLinks               // url(...)
)

// Reload says what an open preview page does when a file of a format changes.
type Reload int

const (
	ReloadAll    Reload = iota // a file some page uses (a script, an image): reload every open page
	ReloadPage                 // a page: reload the pages showing it
	ReloadStyles               // a stylesheet: swap it without reloading
	ReloadNone                 // data no open page displays (a sitemap, a feed, a search index)
)

// Format is a kind of output file, known by its name's suffix: its media
// type, whether it is minified, where its links are, and what a preview does
// when it changes. Every other part of the program asks this table instead
// of looking at file extensions.
type Format struct {
	Name      string // HTML, CSS…
	Suffix    string // .html
	MediaType string // as served, and as the minifier knows it
	Minify    bool   // minified when config's minify is on
	IsHTML    bool   // a page: the preview adds live reload to it
	Links     Links
	Reload    Reload
}

// Formats are the formats the site writes; a file of another suffix is
// copied and served as it is (Other).
var Formats = []Format{
	{Name: "HTML", Suffix: ".html", MediaType: "text/html", Minify: true, IsHTML: true, Links: HTMLLinks, Reload: ReloadPage},
	{Name: "CSS", Suffix: ".css", MediaType: "text/css", Minify: true, Links: CSSLinks, Reload: ReloadStyles},
	{Name: "JavaScript", Suffix: ".js", MediaType: "application/javascript", Minify: true},
	{Name: "SVG", Suffix: ".svg", MediaType: "image/svg+xml", Minify: true},
	{Name: "JSON", Suffix: ".json", MediaType: "application/json", Minify: true},
	{Name: "Web manifest", Suffix: ".webmanifest", MediaType: "application/json", Minify: true},
	{Name: "XML", Suffix: ".xml", MediaType: "text/xml", Minify: true},
	{Name: "Text", Suffix: ".txt", MediaType: "text/plain"},
	{Name: "PDF", Suffix: ".pdf", MediaType: "application/pdf", Reload: ReloadNone}, // handouts: no open page shows one
}

// Other is the format of files whose suffix is not in Formats.
var Other = Format{Name: "other"}

// FormatOf returns the format of an output path.
func FormatOf(rel string) Format {
	ext := path.Ext(rel)
	for _, f := range Formats {
		if f.Suffix == ext {
			return f
		}
	}
	return Other
}
