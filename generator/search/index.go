package search

import (
	_ "embed"
	"encoding/json"
	"html"
	"regexp"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"
)

// EngineJS is the search engine and form behaviour, written to js/qorgau-search.js.
//
//go:embed search.js
var EngineJS []byte

// Doc is one page as the index sees it.
type Doc struct {
	URL         string // site-relative, without the leading slash: "ru/rights/x/"
	Title       string
	Section     string // title of the page's section
	Description string
	HTML        string // rendered body
}

// Weights of where a word appears.
const (
	titleWeight       = 10
	descriptionWeight = 3
	bodyWeight        = 1
	maxBodyScore      = 5
	excerptRunes      = 280 // text kept per page for snippets
)

// entry is a document's contribution to the index.
type entry struct {
	key     string // the inputs it was made from
	excerpt string
	terms   map[string]int
}

// Builder makes indexes and remembers each document's terms, so rebuilding
// the index after one page changed only tokenizes that page.
type Builder struct {
	mu    sync.Mutex
	cache map[string]*entry // by language and URL
}

// NewBuilder returns an empty Builder.
func NewBuilder() *Builder { return &Builder{cache: map[string]*entry{}} }

var tagRe = regexp.MustCompile(`<[^>]*>`)
var spaceRe = regexp.MustCompile(`\s+`)

// Text turns rendered HTML into plain text.
func Text(h string) string {
	return strings.TrimSpace(spaceRe.ReplaceAllString(html.UnescapeString(tagRe.ReplaceAllString(h, " ")), " "))
}

func (b *Builder) entry(lang string, d Doc) *entry {
	key := d.Title + "\x00" + d.Description + "\x00" + d.HTML
	ck := lang + "\x00" + d.URL
	if b != nil {
		b.mu.Lock()
		e, ok := b.cache[ck]
		b.mu.Unlock()
		if ok && e.key == key {
			return e
		}
	}
	e := &entry{key: key, terms: map[string]int{}}
	add := func(text string, w, cap int) {
		counts := map[string]int{}
		for _, t := range Tokens(text) {
			counts[Stem(lang, t)] += w
		}
		for t, c := range counts {
			e.terms[t] += min(c, cap)
		}
	}
	body := Text(d.HTML)
	add(d.Title, titleWeight, titleWeight)
	add(d.Description, descriptionWeight, descriptionWeight)
	add(body, bodyWeight, maxBodyScore)
	text := body
	if d.Description != "" {
		text = d.Description + " " + body
	}
	if utf8.RuneCountInString(text) > excerptRunes {
		r := []rune(text)[:excerptRunes]
		text = string(r)
		if i := strings.LastIndexByte(text, ' '); i > len(text)/2 {
			text = text[:i]
		}
	}
	e.excerpt = text
	if b != nil {
		b.mu.Lock()
		b.cache[ck] = e
		b.mu.Unlock()
	}
	return e
}

// Index returns the index script of one language.
func (b *Builder) Index(lang string, docs []Doc) []byte {
	type out struct {
		D [][4]string      `json:"d"`
		T map[string][]int `json:"t"`
	}
	o := out{D: make([][4]string, len(docs)), T: map[string][]int{}}
	for i, d := range docs {
		e := b.entry(lang, d)
		o.D[i] = [4]string{d.URL, d.Title, d.Section, e.excerpt}
		terms := make([]string, 0, len(e.terms))
		for t := range e.terms {
			terms = append(terms, t)
		}
		sort.Strings(terms)
		for _, t := range terms {
			o.T[t] = append(o.T[t], i, e.terms[t])
		}
	}
	data, _ := json.Marshal(o) // escapes <, > and &: safe inside a script
	langJSON, _ := json.Marshal(lang)
	var s strings.Builder
	s.Grow(len(data) + 80)
	s.WriteString("(window.QorgauSearch=window.QorgauSearch||{})[")
	s.Write(langJSON)
	s.WriteString("]=")
	s.Write(data)
	s.WriteString(";\n")
	return []byte(s.String())
}
