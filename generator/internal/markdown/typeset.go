package markdown

import (
	stdhtml "html"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// typesetter applies the body's typography to plain text: the same
// goldmark typographer, in a parser that knows nothing else of Markdown,
// so a front matter text gets exactly the quotation marks, dashes and
// ellipses its body would, and no asterisk or bracket is read as markup.
type typesetter struct {
	p parser.Parser
}

func newTypesetter(subs extension.TypographicSubstitutions) *typesetter {
	return &typesetter{p: parser.NewParser(
		parser.WithBlockParsers(util.Prioritized(parser.NewParagraphParser(), 100)),
		parser.WithInlineParsers(util.Prioritized(extension.NewTypographerParser(extension.WithTypographicSubstitutions(subs)), 100)),
	)}
}

// mayChange reports whether the typographer could change s.
func mayChange(s string) bool {
	return strings.ContainsAny(s, `"'`) || strings.Contains(s, "--") || strings.Contains(s, "...") ||
		strings.Contains(s, "<<") || strings.Contains(s, ">>")
}

// Typeset returns s with the language's quotation marks, dashes and
// ellipses, as the typographer sets them in a body; s is plain text, not
// Markdown. Without the typographer it returns s unchanged.
func (c *Converter) Typeset(s string) string {
	if c.ts == nil || !mayChange(s) {
		return s
	}
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = c.ts.line(l)
	}
	return strings.Join(lines, "\n")
}

// line typesets one line, keeping its leading and trailing spaces (the
// paragraph parser would trim them).
func (t *typesetter) line(l string) string {
	core := strings.TrimSpace(l)
	if !mayChange(core) {
		return l
	}
	lead := l[:strings.Index(l, core)]
	trail := l[len(lead)+len(core):]
	src := []byte(core)
	root := t.p.Parse(text.NewReader(src))
	var b strings.Builder
	b.Grow(len(l) + 8)
	b.WriteString(lead)
	_ = ast.Walk(root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Text:
			b.Write(n.Segment.Value(src))
			if n.HardLineBreak() || n.SoftLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			// The typographer's own substitutions are entities (&ndash;).
			b.WriteString(stdhtml.UnescapeString(string(n.Value)))
		}
		return ast.WalkContinue, nil
	})
	out := strings.TrimRight(b.String(), " ")
	if len(out) < len(lead) {
		out = lead
	}
	return out + trail
}
