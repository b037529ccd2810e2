package output

import (
	"bytes"
	"html"
	"strings"

	"github.com/tdewolff/parse/v2"
	"github.com/tdewolff/parse/v2/css"
	phtml "github.com/tdewolff/parse/v2/html"
)

// Use says what a browser does with a URL in a page.
type Use int

const (
	Load     Use = iota // fetched by itself when the page is shown: images, scripts, styles, frames, fonts
	Navigate            // followed when the reader acts: links; or shown as metadata (canonical, alternate)
	Submit              // where a form sends what the reader typed
	Redirect            // where a meta refresh sends the reader by itself
)

// Ref is one URL in a page or stylesheet and where it is written.
type Ref struct {
	Tag  string // element, lower case ("img"); "style" for CSS in a <style> element; "" in a stylesheet file
	Attr string // attribute ("srcset", "xlink:href", "style" for CSS in the attribute); "" in CSS text
	Rel  string // a <link>'s rel
	URL  string // the URL, entities decoded
	Use  Use
	// Start and End are the byte offsets of the URL as written in the
	// document (entities not decoded), for rewriting it in place.
	Start, End int
}

// Heading is one h1–h6 of a page.
type Heading struct {
	Level int
	Text  string
}

// Image is one <img>.
type Image struct {
	Src    string
	Alt    string
	HasAlt bool
}

// Link is one <a href> and what a reader hears for it.
type Link struct {
	Href     string
	Text     string // its text, tags removed
	Label    bool   // it has an aria-label
	ImageAlt bool   // it holds an image with alt text
	Footnote bool   // a footnote reference or back-link
}

// Scanned is what one pass of the HTML tokenizer found in a page: every
// URL with its tag and attribute, ids, headings, images, links and tables.
// The link, anchor, privacy and accessibility checks and relative-link
// rewriting all read it instead of matching patterns against HTML.
type Scanned struct {
	Refs     []Ref
	IDs      []string
	Headings []Heading
	Images   []Image
	Links    []Link
	Tables   []bool // per table, whether it has a header cell
	// Unknown are URLs in attributes the scanner does not know as URL
	// attributes; checks report them rather than let them pass.
	Unknown []Ref
}

// urlAttrs says how each element uses its URL attributes; "*" is any element.
var urlAttrs = map[string]map[string]Use{
	"a":          {"href": Navigate, "ping": Load},
	"area":       {"href": Navigate, "ping": Load},
	"img":        {"src": Load, "srcset": Load, "longdesc": Navigate},
	"source":     {"src": Load, "srcset": Load},
	"video":      {"src": Load, "poster": Load},
	"audio":      {"src": Load},
	"track":      {"src": Load},
	"script":     {"src": Load},
	"iframe":     {"src": Load},
	"frame":      {"src": Load},
	"embed":      {"src": Load},
	"object":     {"data": Load},
	"input":      {"src": Load, "formaction": Submit},
	"button":     {"formaction": Submit},
	"form":       {"action": Submit, "data-index": Load, "data-root": Navigate},
	"body":       {"background": Load},
	"table":      {"background": Load},
	"td":         {"background": Load},
	"base":       {"href": Navigate},
	"image":      {"href": Load, "xlink:href": Load}, // SVG
	"use":        {"href": Load, "xlink:href": Load}, // SVG
	"feimage":    {"href": Load, "xlink:href": Load},
	"blockquote": {"cite": Navigate},
	"q":          {"cite": Navigate},
	"del":        {"cite": Navigate},
	"ins":        {"cite": Navigate},
}

// loadRels are the <link> rels whose href the browser fetches by itself.
var loadRels = map[string]bool{"stylesheet": true, "icon": true, "preload": true, "prefetch": true, "modulepreload": true,
	"manifest": true, "apple-touch-icon": true, "mask-icon": true, "dns-prefetch": true, "preconnect": true, "prerender": true}

// ScanHTML tokenizes a page once and returns what it found.
func ScanHTML(doc []byte) *Scanned {
	s := &Scanned{}
	sc := scanner{s: s, doc: doc}
	sc.run(doc, 0)
	return s
}

// scanner is the state of one ScanHTML.
type scanner struct {
	s     *Scanned
	doc   []byte
	link  *Link // the <a> being read
	head  *Heading
	inTbl int // depth of open tables
	style bool
}

// attr is one attribute of the tag being read.
type attr struct {
	key, val   string
	start, end int // offsets of the raw value, without quotes
}

func (sc *scanner) run(doc []byte, base int) {
	in := readOnly(doc)
	l := phtml.NewLexer(in)
	var tag string
	var attrs []attr
	for {
		tt, data := l.Next()
		end := base + in.Offset()
		switch tt {
		case phtml.ErrorToken:
			return
		case phtml.StartTagToken:
			tag, attrs = strings.ToLower(string(l.Text())), attrs[:0]
		case phtml.AttributeToken:
			raw := l.AttrVal()
			vs, ve := end-len(raw), end
			if len(raw) >= 2 && (raw[0] == '"' || raw[0] == '\'') && raw[len(raw)-1] == raw[0] {
				vs, ve = vs+1, ve-1
			}
			attrs = append(attrs, attr{key: strings.ToLower(string(l.AttrKey())), val: string(sc.doc[vs:ve]), start: vs, end: ve})
		case phtml.StartTagCloseToken, phtml.StartTagVoidToken:
			sc.startTag(tag, attrs)
			if tag == "style" && tt == phtml.StartTagCloseToken {
				sc.style = true
			}
		case phtml.EndTagToken:
			sc.endTag(strings.ToLower(string(l.Text())))
		case phtml.TextToken:
			if sc.style {
				sc.s.Refs = append(sc.s.Refs, ScanCSS(data, end-len(data), "style", "")...)
				continue
			}
			text := html.UnescapeString(string(data))
			if sc.link != nil {
				sc.link.Text += text
			}
			if sc.head != nil {
				sc.head.Text += text
			}
		case phtml.SVGToken, phtml.MathToken:
			// One token for the whole element: read its inside as tags too.
			start := end - len(data)
			if i := bytes.IndexByte(data, '>'); i >= 0 {
				sc.run(data[i+1:], start+i+1)
			}
		}
	}
}

func (sc *scanner) startTag(tag string, attrs []attr) {
	rel := ""
	for _, a := range attrs {
		if a.key == "rel" {
			rel = strings.ToLower(a.val)
		}
	}
	for _, a := range attrs {
		sc.attribute(tag, rel, attrs, a)
	}
	switch tag {
	case "a":
		sc.link = &Link{}
		for _, a := range attrs {
			switch {
			case a.key == "href":
				sc.link.Href = html.UnescapeString(a.val)
			case a.key == "aria-label" && strings.TrimSpace(a.val) != "":
				sc.link.Label = true
			case strings.Contains(a.val, "footnote") && (a.key == "class" || a.key == "role" || a.key == "id"):
				sc.link.Footnote = true
			}
		}
	case "img":
		img := Image{}
		for _, a := range attrs {
			switch a.key {
			case "src":
				img.Src = html.UnescapeString(a.val)
			case "alt":
				img.Alt, img.HasAlt = html.UnescapeString(a.val), true
			}
		}
		sc.s.Images = append(sc.s.Images, img)
		if sc.link != nil && strings.TrimSpace(img.Alt) != "" {
			sc.link.ImageAlt = true
		}
	case "h1", "h2", "h3", "h4", "h5", "h6":
		sc.head = &Heading{Level: int(tag[1] - '0')}
	case "table":
		sc.s.Tables = append(sc.s.Tables, false)
		sc.inTbl++
	case "th":
		if sc.inTbl > 0 {
			sc.s.Tables[len(sc.s.Tables)-1] = true
		}
	}
}

func (sc *scanner) endTag(tag string) {
	switch tag {
	case "a":
		if sc.link != nil && sc.link.Href != "" {
			sc.s.Links = append(sc.s.Links, *sc.link)
		}
		sc.link = nil
	case "h1", "h2", "h3", "h4", "h5", "h6":
		if sc.head != nil {
			sc.head.Text = strings.TrimSpace(sc.head.Text)
			sc.s.Headings = append(sc.s.Headings, *sc.head)
		}
		sc.head = nil
	case "table":
		if sc.inTbl > 0 {
			sc.inTbl--
		}
	case "style":
		sc.style = false
	}
}

// attribute records what one attribute of a tag holds: an id, URLs, or CSS.
func (sc *scanner) attribute(tag, rel string, attrs []attr, a attr) {
	switch {
	case a.key == "id" || a.key == "name" && tag == "a":
		sc.s.IDs = append(sc.s.IDs, html.UnescapeString(a.val))
		return
	case a.key == "style":
		sc.s.Refs = append(sc.s.Refs, ScanCSS([]byte(a.val), a.start, tag, "style")...)
		return
	case tag == "link" && a.key == "href":
		use := Navigate
		for _, r := range strings.Fields(rel) {
			if loadRels[r] {
				use = Load
			}
		}
		sc.ref(tag, a, use, rel)
		return
	case tag == "meta" && a.key == "content":
		for _, b := range attrs {
			if b.key == "http-equiv" && strings.EqualFold(b.val, "refresh") {
				sc.refresh(a)
			}
		}
		return
	}
	if use, ok := urlAttrs[tag][a.key]; ok {
		if a.key == "srcset" {
			sc.srcset(tag, a)
			return
		}
		sc.ref(tag, a, use, "")
		return
	}
	if a.key == "href" || a.key == "xlink:href" || a.key == "src" {
		sc.ref(tag, a, Navigate, "") // an SVG <a>, or a link on an element the table does not name
		if tag != "a" {
			sc.s.Unknown = append(sc.s.Unknown, sc.s.Refs[len(sc.s.Refs)-1])
		}
		return
	}
	v := strings.TrimSpace(strings.ToLower(a.val))
	if strings.HasPrefix(v, "http://") || strings.HasPrefix(v, "https://") || strings.HasPrefix(v, "//") {
		sc.s.Unknown = append(sc.s.Unknown, Ref{Tag: tag, Attr: a.key, URL: html.UnescapeString(a.val), Start: a.start, End: a.end})
	}
}

// ref records an attribute that is one URL, trimmed of spaces.
func (sc *scanner) ref(tag string, a attr, use Use, rel string) {
	start, end := a.start, a.end
	for start < end && isSpace(sc.doc[start]) {
		start++
	}
	for end > start && isSpace(sc.doc[end-1]) {
		end--
	}
	sc.s.Refs = append(sc.s.Refs, Ref{Tag: tag, Attr: a.key, Rel: rel, URL: html.UnescapeString(string(sc.doc[start:end])), Use: use, Start: start, End: end})
}

// srcset records every candidate of a srcset: "a.png 1x, b.png 2x".
func (sc *scanner) srcset(tag string, a attr) {
	v := sc.doc[a.start:a.end]
	i := 0
	for i < len(v) {
		for i < len(v) && (isSpace(v[i]) || v[i] == ',') {
			i++
		}
		j := i
		for j < len(v) && !isSpace(v[j]) {
			j++
		}
		u := v[i:j]
		// A URL may end in commas that belong to the list, not to it.
		trimmed := bytes.TrimRight(u, ",")
		if len(trimmed) > 0 {
			sc.s.Refs = append(sc.s.Refs, Ref{Tag: tag, Attr: a.key, URL: html.UnescapeString(string(trimmed)), Use: Load,
				Start: a.start + i, End: a.start + i + len(trimmed)})
		}
		// Skip the descriptor up to the next comma.
		for j < len(v) && v[j] != ',' {
			j++
		}
		i = j
	}
}

// refresh records the URL of <meta http-equiv="refresh" content="0; url=…">.
func (sc *scanner) refresh(a attr) {
	v := sc.doc[a.start:a.end]
	i := bytes.Index(bytes.ToLower(v), []byte("url="))
	if i < 0 {
		return
	}
	start := a.start + i + len("url=")
	end := a.end
	for start < end && (sc.doc[start] == '\'' || sc.doc[start] == '"') {
		start++
	}
	for end > start && (sc.doc[end-1] == '\'' || sc.doc[end-1] == '"' || isSpace(sc.doc[end-1])) {
		end--
	}
	sc.s.Refs = append(sc.s.Refs, Ref{Tag: "meta", Attr: "content", URL: html.UnescapeString(string(sc.doc[start:end])), Use: Redirect, Start: start, End: end})
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' }

// readOnly gives the tokenizers an input they read without writing to b.
// parse.NewInputBytes marks the end with a NUL written after the slice when
// its array has room: into the page's next byte, or into a file of the build
// that a server, a check and an export may scan at the same time. With no
// room it copies the bytes and writes to the copy.
func readOnly(b []byte) *parse.Input {
	return parse.NewInputBytes(b[:len(b):len(b)])
}

// ScanCSS returns the URLs of url() and @import in CSS that starts at
// offset base of its document. tag and attr say where the CSS is written.
func ScanCSS(src []byte, base int, tag, attrName string) []Ref {
	var refs []Ref
	in := readOnly(src)
	l := css.NewLexer(in)
	importNext := false
	for {
		tt, data := l.Next()
		end := in.Offset()
		start := end - len(data)
		switch tt {
		case css.ErrorToken:
			return refs
		case css.URLToken:
			// url(x), url("x"), url( 'x' )
			i, j := bytes.IndexByte(data, '(')+1, len(data)-1
			for i < j && isSpace(data[i]) {
				i++
			}
			for j > i && isSpace(data[j-1]) {
				j--
			}
			if j-i >= 2 && (data[i] == '"' || data[i] == '\'') && data[j-1] == data[i] {
				i, j = i+1, j-1
			}
			refs = append(refs, Ref{Tag: tag, Attr: attrName, URL: string(data[i:j]), Use: Load, Start: base + start + i, End: base + start + j})
			importNext = false
		case css.AtKeywordToken:
			importNext = bytes.EqualFold(data, []byte("@import"))
		case css.StringToken:
			if importNext && len(data) >= 2 {
				refs = append(refs, Ref{Tag: tag, Attr: attrName, URL: string(data[1 : len(data)-1]), Use: Load, Start: base + start + 1, End: base + end - 1})
			}
			importNext = false
		case css.WhitespaceToken, css.CommentToken:
		default:
			importNext = false
		}
	}
}
