package markdown

import (
	"regexp"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// KindCallout is the AST kind of a callout block.
var KindCallout = ast.NewNodeKind("Callout")

// Callout is a note, tip or warning written as a GitHub-style alert:
//
//	> [!WARNING]
//	> Text.
type Callout struct {
	ast.BaseBlock
	Alert string // note, tip, important, warning or caution
}

// Kind implements ast.Node.
func (n *Callout) Kind() ast.NodeKind { return KindCallout }

// Dump implements ast.Node.
func (n *Callout) Dump(src []byte, level int) {
	ast.DumpHelper(n, src, level, map[string]string{"Alert": n.Alert}, nil)
}

var calloutRe = regexp.MustCompile(`^\s*\[!(?i:(NOTE|TIP|IMPORTANT|WARNING|CAUTION))\]\s*$`)

// calloutExt registers the callout transformer and renderer.
type calloutExt struct {
	label func(kind string) string
}

func (e *calloutExt) Extend(m goldmark.Markdown) {
	m.Parser().AddOptions(parser.WithASTTransformers(util.Prioritized(calloutTransformer{}, 500)))
	m.Renderer().AddOptions(renderer.WithNodeRenderers(util.Prioritized(&calloutRenderer{label: e.label}, 500)))
}

type calloutTransformer struct{}

// Transform replaces blockquotes that open with [!KIND] by Callout nodes.
func (calloutTransformer) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	src := reader.Source()
	var quotes []*ast.Blockquote
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if bq, ok := n.(*ast.Blockquote); ok && entering {
			quotes = append(quotes, bq)
		}
		return ast.WalkContinue, nil
	})
	for _, bq := range quotes {
		para, ok := bq.FirstChild().(*ast.Paragraph)
		if !ok || para.Lines().Len() == 0 {
			continue
		}
		first := para.Lines().At(0)
		m := calloutRe.FindSubmatch(first.Value(src))
		if m == nil {
			continue
		}
		for c := para.FirstChild(); c != nil; {
			next := c.NextSibling()
			t, ok := c.(*ast.Text)
			if !ok || t.Segment.Start >= first.Stop {
				break
			}
			para.RemoveChild(para, c)
			c = next
		}
		if para.FirstChild() == nil {
			bq.RemoveChild(bq, para)
		} else {
			lines := para.Lines()
			rest := text.NewSegments()
			for i := 1; i < lines.Len(); i++ {
				rest.Append(lines.At(i))
			}
			para.SetLines(rest)
		}
		co := &Callout{Alert: strings.ToLower(string(m[1]))}
		for c := bq.FirstChild(); c != nil; {
			next := c.NextSibling()
			co.AppendChild(co, c)
			c = next
		}
		bq.Parent().ReplaceChild(bq.Parent(), bq, co)
	}
}

type calloutRenderer struct {
	label func(kind string) string
}

func (r *calloutRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(KindCallout, r.render)
}

func (r *calloutRenderer) render(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	c := n.(*Callout)
	if entering {
		label := util.EscapeHTML([]byte(r.label(c.Alert)))
		_, _ = w.WriteString(`<aside class="callout callout-` + c.Alert + `" role="note" aria-label="`)
		_, _ = w.Write(label)
		_, _ = w.WriteString(`"><p class="callout-title">`)
		_, _ = w.Write(label)
		_, _ = w.WriteString("</p>\n")
	} else {
		_, _ = w.WriteString("</aside>\n")
	}
	return ast.WalkContinue, nil
}
