package output

import (
	"path"
	"regexp"

	"github.com/tdewolff/minify/v2"
	"github.com/tdewolff/minify/v2/css"
	"github.com/tdewolff/minify/v2/html"
	"github.com/tdewolff/minify/v2/js"
	"github.com/tdewolff/minify/v2/json"
	"github.com/tdewolff/minify/v2/svg"
	"github.com/tdewolff/minify/v2/xml"
)

// Minifier shrinks HTML, CSS, JS, SVG, JSON and XML by file extension.
// A nil *Minifier passes files through.
type Minifier struct {
	m *minify.M
}

var mediaTypes = map[string]string{
	".html": "text/html", ".css": "text/css", ".js": "application/javascript",
	".svg": "image/svg+xml", ".json": "application/json", ".xml": "text/xml",
	".webmanifest": "application/json",
}

// NewMinifier returns a Minifier.
func NewMinifier() *Minifier {
	m := minify.New()
	m.Add("text/html", &html.Minifier{KeepDocumentTags: true, KeepEndTags: true, KeepQuotes: true, KeepDefaultAttrVals: true})
	m.AddFunc("text/css", css.Minify)
	m.AddFunc("image/svg+xml", svg.Minify)
	m.AddFuncRegexp(regexp.MustCompile("^(application|text)/(x-)?(java|ecma)script$"), js.Minify)
	m.AddFuncRegexp(regexp.MustCompile("[/+]json$"), json.Minify)
	m.AddFuncRegexp(regexp.MustCompile("[/+]xml$"), xml.Minify)
	return &Minifier{m: m}
}

// Minify returns data minified by the type its path's extension names, or
// data unchanged for other files or when minification fails. It reads data
// in place and may overwrite it (the HTML minifier decodes attribute values
// where they stand): pass a buffer nothing else uses.
func (mf *Minifier) Minify(rel string, data []byte) []byte {
	if mf == nil {
		return data
	}
	mt, ok := mediaTypes[path.Ext(rel)]
	if !ok {
		return data
	}
	out, err := mf.m.Bytes(mt, data) // reads data in place, without copying it first
	if err != nil {
		return data
	}
	return out
}
