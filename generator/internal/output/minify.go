package output

import (
	"regexp"

	"github.com/tdewolff/minify/v2"
	"github.com/tdewolff/minify/v2/css"
	"github.com/tdewolff/minify/v2/html"
	"github.com/tdewolff/minify/v2/js"
	"github.com/tdewolff/minify/v2/json"
	"github.com/tdewolff/minify/v2/svg"
	"github.com/tdewolff/minify/v2/xml"
)

// Minifier shrinks the files whose Format says so (HTML, CSS, JS, SVG, JSON, XML).
// A nil *Minifier passes files through.
type Minifier struct {
	m *minify.M
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
	f := FormatOf(rel)
	if !f.Minify {
		return data
	}
	out, err := mf.m.Bytes(f.MediaType, data) // reads data in place, without copying it first
	if err != nil {
		return data
	}
	return out
}
