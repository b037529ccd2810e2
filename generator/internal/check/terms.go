package check

import (
	"fmt"
	"strings"

	"github.com/qorgau/qorgau/generator/internal/config"
	"github.com/qorgau/qorgau/generator/internal/content"
	"github.com/qorgau/qorgau/generator/internal/diag"
	"github.com/qorgau/qorgau/generator/internal/markdown"
	"github.com/qorgau/qorgau/generator/internal/search"
)

// proseFields are the front matter fields readers read as text. Source
// titles quote someone else's wording, and the rest are settings.
var proseFields = map[string]bool{
	"title": true, "description": true, "audience": true, "objectives": true,
	"keyFacts": true, "discussion": true, "teacherNotes": true, "quiz": true,
}

// word is one word of a text: its stem and where it is written.
type word struct {
	stem       string
	start, end int // byte offsets in the text
}

// variant is a phrase a term list says to avoid, as stems.
type variant struct {
	text  string
	stems []string
	use   []string // the preferred term's stems: a variant inside it is no variant
	term  config.Term
}

// termList finds a language's variants in any word form its stemmer knows.
type termList struct {
	lang    string
	byFirst map[string][]variant // first stem -> variants starting with it
}

func newTermList(lang string, terms []config.Term) *termList {
	l := &termList{lang: lang, byFirst: map[string][]variant{}}
	for _, t := range terms {
		use := l.stems(t.Use)
		for _, v := range t.Avoid {
			stems := l.stems(v)
			if len(stems) == 0 {
				continue
			}
			l.byFirst[stems[0]] = append(l.byFirst[stems[0]], variant{text: v, stems: stems, use: use, term: t})
		}
	}
	return l
}

func (l *termList) stems(text string) []string {
	var out []string
	for _, w := range l.words(text) {
		out = append(out, w.stem)
	}
	return out
}

// at reports whether stems are written at ws[i:].
func at(ws []word, i int, stems []string) bool {
	if i < 0 || i+len(stems) > len(ws) || len(stems) == 0 {
		return false
	}
	for k, s := range stems {
		if ws[i+k].stem != s {
			return false
		}
	}
	return true
}

// inPreferred reports whether the words ws[i:i+n] are part of the preferred
// term written in full (the variant «интернетте қауіпсіз» inside «құрылғыда
// және интернетте қауіпсіз»).
func inPreferred(ws []word, i, n int, use []string) bool {
	for j := i - len(use) + 1; j <= i+n-1; j++ {
		if at(ws, j, use) {
			return true
		}
	}
	return false
}

func (l *termList) words(text string) []word {
	var out []word
	search.Words(text, func(w string, start, end int) {
		out = append(out, word{stem: search.Stem(l.lang, w), start: start, end: end})
	})
	return out
}

// match is a variant found in a text, at byte offsets start..end.
type match struct {
	v       variant
	start   int    // byte offset of the first word
	written string // the words as written, one space apart
}

// find returns the variants written in a sequence of words of text.
func (l *termList) find(ws []word, text string) []match {
	var out []match
	for i := 0; i < len(ws); i++ {
		for _, v := range l.byFirst[ws[i].stem] {
			n := len(v.stems)
			if at(ws, i, v.stems) && !inPreferred(ws, i, n, v.use) {
				out = append(out, match{v: v, start: ws[i].start, written: plain(text[ws[i].start:ws[i+n-1].end])})
			}
		}
	}
	return out
}

// terms warns wherever content uses a variant its language's term list
// ([[languages.<code>.terms]]) says to avoid: in the body's prose (not in
// code) and in the front matter's texts (not in source titles).
func (c *checker) terms() {
	for _, lang := range c.site.Languages {
		if len(lang.Terms) == 0 {
			continue
		}
		list := newTermList(lang.Code, lang.Terms)
		for _, p := range lang.Pages {
			if p.File == "" {
				continue
			}
			fields, err := p.FieldTexts()
			if err != nil {
				continue // the build reported it
			}
			for _, f := range fields {
				if !proseFields[strings.SplitN(f.Path, ".", 2)[0]] {
					continue
				}
				for _, m := range list.find(list.words(f.Value), f.Value) {
					line, col := f.Pos(m.start)
					c.termFinding(p, line, col, m.written, m.v)
				}
			}
			c.bodyTerms(p, list)
		}
	}
}

// bodyTerms looks for variants in the prose of a page's body, block by
// block, so a phrase can run across a line break or emphasis but not from
// one paragraph into the next.
func (c *checker) bodyTerms(p *content.Page, list *termList) {
	var ws []word
	block := -1
	body := c.site.Body(p)
	flush := func() {
		for _, m := range list.find(ws, string(body)) {
			line, col := diag.LineCol(body, m.start)
			c.termFinding(p, p.BodyLine+line-1, col, m.written, m.v)
		}
		ws = ws[:0]
	}
	for _, r := range markdown.Prose(body) {
		if r.Block != block {
			flush()
			block = r.Block
		}
		for _, w := range list.words(r.Text) {
			w.start += r.Offset
			w.end += r.Offset
			ws = append(ws, w)
		}
	}
	flush()
}

func (c *checker) termFinding(p *content.Page, line, col int, written string, v variant) {
	hint := fmt.Sprintf("write «%s» in the form the sentence needs; the term list is [[languages.%s.terms]] in config.toml", v.term.Use, p.Lang)
	if v.term.Note != "" {
		hint += " (" + v.term.Note + ")"
	}
	c.rep.add(Finding{Path: p.File, Line: line, Col: col, Severity: Warning, Kind: "terminology", URL: p.URL,
		Message: fmt.Sprintf("«%s» is a variant of «%s», the term this site uses", written, v.term.Use), Hint: hint})
}

// plain is a phrase as a reader sees it: emphasis marks dropped, line
// breaks and runs of spaces as one space.
func plain(s string) string {
	s = strings.NewReplacer("*", "", "_", "").Replace(s)
	return strings.Join(strings.Fields(s), " ")
}
