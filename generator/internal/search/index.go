package search

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"html"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"
)

//go:embed search.js
var engineSource []byte

// EngineJS is the search engine and form behaviour, written to
// js/qorgau-search.js: search.js with the Kazakh suffix and vowel tables
// of StemKazakh put in, so the browser and the index builder strip the
// same suffixes.
var EngineJS = engine(engineSource)

// engine fills search.js's placeholders with the Go tables.
func engine(src []byte) []byte {
	suffixes, _ := json.Marshal(kazakhSuffixes)
	vowels, _ := json.Marshal(kazakhVowels)
	out := bytes.Replace(src, []byte("/*kazakhSuffixes*/[]"), suffixes, 1)
	out = bytes.Replace(out, []byte(`/*kazakhVowels*/""`), vowels, 1)
	if bytes.Equal(out, src) || bytes.Contains(out, []byte("/*kazakh")) {
		panic("search.js lost its table placeholders")
	}
	return out
}

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
	title, description, html string // the inputs it was made from
	excerpt                  string
	terms                    map[string]int
}

// Builder makes indexes and remembers each document's terms, so rebuilding
// the index after one page changed only tokenizes that page.
type Builder struct {
	mu    sync.Mutex
	cache map[string]*entry // by language and URL; nil: remember nothing
}

// NewBuilder returns a Builder that remembers documents between indexes,
// for a site rebuilt again and again.
func NewBuilder() *Builder { return &Builder{cache: map[string]*entry{}} }

// NewOnceBuilder returns a Builder for one build: it keeps nothing.
func NewOnceBuilder() *Builder { return &Builder{} }

// Text turns rendered HTML into plain text: tags become spaces, entities
// are decoded and runs of white space become one space.
func Text(h string) string {
	var b strings.Builder
	b.Grow(len(h))
	in, space := false, true
	for i := 0; i < len(h); i++ {
		c := h[i]
		switch {
		case c == '<':
			in = true
		case c == '>' && in:
			in = false
			if !space {
				b.WriteByte(' ')
				space = true
			}
		case in:
		case c == ' ' || c == '\n' || c == '\t' || c == '\r':
			if !space {
				b.WriteByte(' ')
				space = true
			}
		default:
			b.WriteByte(c)
			space = false
		}
	}
	out := strings.TrimSpace(b.String())
	if strings.IndexByte(out, '&') >= 0 {
		out = html.UnescapeString(out)
	}
	return out
}

// entry tokenizes a document, stemming through stems (one worker's memo
// of word -> stem).
func (b *Builder) entry(lang string, d Doc, stems map[string]string) *entry {
	ck := lang + "\x00" + d.URL
	if b.cache != nil {
		b.mu.Lock()
		e, ok := b.cache[ck]
		b.mu.Unlock()
		if ok && e.title == d.Title && e.description == d.Description && e.html == d.HTML {
			return e
		}
	}
	e := &entry{title: d.Title, description: d.Description, html: d.HTML, terms: make(map[string]int, 128)}
	counts := make(map[string]int, 128)
	add := func(text string, w, cap int) {
		clear(counts)
		eachWord(text, func(word string) {
			st, ok := stems[word]
			if !ok {
				st = strings.Clone(Stem(lang, word)) // not a slice of the page's text
				stems[strings.Clone(word)] = st
			}
			counts[st] += w
		})
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
	e.excerpt = strings.Clone(excerpt(text))
	if b.cache != nil {
		b.mu.Lock()
		b.cache[ck] = e
		b.mu.Unlock()
	}
	return e
}

// excerpt is the start of text, at most excerptRunes runes, cut at a space
// when one is in its second half.
func excerpt(text string) string {
	i, n := 0, 0
	for i < len(text) && n < excerptRunes {
		_, size := utf8.DecodeRuneInString(text[i:])
		i += size
		n++
	}
	if i == len(text) {
		return text
	}
	text = text[:i]
	if j := strings.LastIndexByte(text, ' '); j > len(text)/2 {
		text = text[:j]
	}
	return text
}

// Index returns the index script of one language.
func (b *Builder) Index(lang string, docs []Doc) []byte {
	type out struct {
		D [][4]string      `json:"d"`
		T map[string][]int `json:"t"`
	}
	o := out{D: make([][4]string, len(docs)), T: map[string][]int{}}
	entries := make([]*entry, len(docs))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(docs)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			stems := map[string]string{}
			for i := int(next.Add(1)) - 1; i < len(docs); i = int(next.Add(1)) - 1 {
				entries[i] = b.entry(lang, docs[i], stems)
			}
		}()
	}
	wg.Wait()
	for i, d := range docs {
		e := entries[i]
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
