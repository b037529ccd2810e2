package content

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/pelletier/go-toml/v2/unstable"
	"go.yaml.in/yaml/v3"

	"github.com/qorgau/qorgau/generator/internal/config"
	"github.com/qorgau/qorgau/generator/internal/diag"
)

// FieldText is one string value of a page's front matter and where it is
// written, found by the TOML or YAML parser: checks that read front matter
// texts report file:line:col inside them.
type FieldText struct {
	Path  string // dotted path of the value: "title", "keyFacts.1", "quiz.2.answer", "sources.0.title"
	Value string // the decoded string

	src   []byte // the front matter text
	start int    // offset in src of the value's first character
	exact bool   // the value is written as is (no escapes), so offsets in it are offsets in src
	line  int    // line of the file where src starts
}

// Pos returns the file's line and column of byte off of the value: exact
// when the value is written without escapes, else the value's start.
func (f FieldText) Pos(off int) (line, col int) {
	if !f.exact || off < 0 || off > len(f.Value) {
		off = 0
	}
	l, c := diag.LineCol(f.src, f.start+off)
	return f.line + l - 1, c
}

// FieldTexts lists every string value of the page's front matter, in the
// order written. It returns nil for a page without front matter, and an
// error when the front matter does not parse.
func (p *Page) FieldTexts() ([]FieldText, error) {
	switch p.fmFormat {
	case TOML:
		return tomlTexts(p.fmSrc, p.fmLine)
	case YAML:
		return yamlTexts(p.fmSrc, p.fmLine)
	}
	return nil, nil
}

func tomlTexts(src []byte, line int) ([]FieldText, error) {
	var out []FieldText
	var prefix []string
	tables := map[string]int{} // array-of-tables name -> entries seen
	var p unstable.Parser
	p.Reset(src)
	var value func(path []string, n *unstable.Node)
	value = func(path []string, n *unstable.Node) {
		switch n.Kind {
		case unstable.String:
			raw := p.Raw(n.Raw)
			q := 1
			if bytes.HasPrefix(raw, []byte(`"""`)) || bytes.HasPrefix(raw, []byte(`'''`)) {
				q = 3
				if len(raw) > 3 && raw[3] == '\n' {
					q = 4 // a newline right after the opening quotes is not part of the value
				}
			}
			exact := bytes.HasPrefix(raw[min(q, len(raw)):], n.Data)
			out = append(out, FieldText{Path: strings.Join(path, "."), Value: string(n.Data), src: src,
				start: int(n.Raw.Offset) + q, exact: exact, line: line})
		case unstable.Array:
			it := n.Children()
			for i := 0; it.Next(); i++ {
				value(append(path, strconv.Itoa(i)), it.Node())
			}
		case unstable.InlineTable:
			it := n.Children()
			for it.Next() {
				kv := it.Node()
				value(append(path, parts(kv)...), kv.Value())
			}
		}
	}
	for p.NextExpression() {
		e := p.Expression()
		switch e.Kind {
		case unstable.Table:
			prefix = parts(e)
		case unstable.ArrayTable:
			name := strings.Join(parts(e), ".")
			prefix = append(parts(e), strconv.Itoa(tables[name]))
			tables[name]++
		case unstable.KeyValue:
			path := append(append([]string(nil), prefix...), parts(e)...)
			value(path, e.Value())
		}
	}
	if err := p.Error(); err != nil {
		return out, fmt.Errorf("front matter: %w", err)
	}
	return out, nil
}

func yamlTexts(src []byte, line int) ([]FieldText, error) {
	if len(bytes.TrimSpace(src)) == 0 {
		return nil, nil
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		return nil, fmt.Errorf("front matter: %w", err)
	}
	starts := lineStarts(src)
	var out []FieldText
	var walk func(path []string, n *yaml.Node)
	walk = func(path []string, n *yaml.Node) {
		switch n.Kind {
		case yaml.DocumentNode:
			for _, c := range n.Content {
				walk(path, c)
			}
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				walk(append(path, n.Content[i].Value), n.Content[i+1])
			}
		case yaml.SequenceNode:
			for i, c := range n.Content {
				walk(append(path, strconv.Itoa(i)), c)
			}
		case yaml.ScalarNode:
			if n.Tag != "!!str" || n.Line < 1 || n.Line > len(starts) {
				return
			}
			start := starts[n.Line-1] + runeOffset(src[starts[n.Line-1]:], n.Column-1)
			if n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0 {
				start++
			}
			exact := n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) == 0 && bytes.HasPrefix(src[start:], []byte(n.Value))
			out = append(out, FieldText{Path: strings.Join(path, "."), Value: n.Value, src: src, start: start, exact: exact, line: line})
		}
	}
	walk(nil, &doc)
	return out, nil
}

// lineStarts lists the offset at which each line of src starts.
func lineStarts(src []byte) []int {
	starts := []int{0}
	for i, b := range src {
		if b == '\n' {
			starts = append(starts, i+1)
		}
	}
	return starts
}

// runeOffset is the byte offset of the n-th rune of b (yaml columns count runes).
func runeOffset(b []byte, n int) int {
	off := 0
	for i := 0; i < n && off < len(b); i++ {
		_, size := utf8.DecodeRune(b[off:])
		off += size
	}
	return off
}

// keyLine is the file's line of a top-level front matter field, from the
// TOML or YAML parser, or the front matter's first line when the field is
// not written.
func keyLine(fm []byte, format Format, fmLine int, key string) int {
	switch format {
	case TOML:
		if p, ok := config.KeyPositions(fm)[key]; ok {
			return fmLine + p.Line - 1
		}
	case YAML:
		var doc yaml.Node
		if yaml.Unmarshal(fm, &doc) == nil && len(doc.Content) > 0 && doc.Content[0].Kind == yaml.MappingNode {
			m := doc.Content[0]
			for i := 0; i+1 < len(m.Content); i += 2 {
				if m.Content[i].Value == key {
					return fmLine + m.Content[i].Line - 1
				}
			}
		}
	}
	return fmLine
}

// parts are the parts of a table header's or key-value's key.
func parts(n *unstable.Node) []string {
	p, _ := config.KeyOf(n)
	return p
}
