// Package markdown turns a page's Markdown body into HTML with goldmark and
// Qorgau's own extensions: callouts, links between Markdown files, readable
// heading IDs and language-aware typography.
//
// One Converter serves one language and is safe for concurrent use. Each
// conversion gets its own parser context, which carries the page being
// converted and collects its problems.
package markdown

import (
	"bytes"
	stdhtml "html"
	"html/template"
	"strings"
	"unicode"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"

	"github.com/qorgau/qorgau/generator/internal/diag"
)

// Options configure a Converter.
type Options struct {
	Lang        string                   // language code; chooses quotation marks
	UnsafeHTML  bool                     // pass raw HTML through instead of escaping it
	Typographer bool                     // smart quotes, dashes and ellipses
	Label       func(kind string) string // translated callout label for "note", "tip", "important", "warning", "caution"
}

// Resolver finds the URL of the page a Markdown file link points to.
type Resolver interface {
	// ResolveMarkdownLink returns the URL for dest (a path ending in .md,
	// without fragment) linked from file, or ok=false when no page has it.
	ResolveMarkdownLink(file, dest string) (url string, ok bool)
	// ResolveFile returns the URL of a file that is not a page (an image,
	// a handout) at dest relative to file, or ok=false.
	ResolveFile(file, dest string) (url string, ok bool)
}

// Doc is the page being converted.
type Doc struct {
	File     string   // site-relative source path, for errors and link resolution
	Line     int      // line of the file where the body starts
	Resolver Resolver // may be nil: .md links are then left alone
}

// Ref is a link or an image the Markdown stage wrote, and where its source is.
type Ref struct {
	URL       string // destination as written into the HTML (a .md link resolved)
	Text      string // the link's text, or the image's alt text
	Line, Col int    // in the source file; 0 when unknown (a link without text)
}

// Heading is a heading found in the body.
type Heading struct {
	Level int
	ID    string
	Text  string
}

// Result is one converted body.
type Result struct {
	HTML      template.HTML
	Headings  []Heading
	Links     []Ref // the links it wrote, as resolved, where the Markdown has them
	Images    []Ref // the images it wrote; Text is the alt text
	Pictures  []Ref // the images an ImageResolver processed; URL is the source file
	WordCount int
	Problems  diag.Errors // broken links and the like, positioned in the source file
}

// Converter converts Markdown for one language.
type Converter struct {
	md goldmark.Markdown
	ts *typesetter // nil without the typographer
}

// quotes returns the typographic quotation marks of a language.
func quotes(lang string) map[extension.TypographicPunctuation]string {
	switch strings.SplitN(lang, "-", 2)[0] {
	case "ru", "kk", "uk", "be", "fr":
		return map[extension.TypographicPunctuation]string{
			extension.LeftDoubleQuote: "«", extension.RightDoubleQuote: "»",
			extension.LeftSingleQuote: "„", extension.RightSingleQuote: "“",
		}
	default:
		return map[extension.TypographicPunctuation]string{
			extension.LeftDoubleQuote: "“", extension.RightDoubleQuote: "”",
			extension.LeftSingleQuote: "‘", extension.RightSingleQuote: "’",
		}
	}
}

// New builds a Converter.
func New(opts Options) *Converter {
	if opts.Label == nil {
		opts.Label = func(kind string) string { return strings.ToUpper(kind[:1]) + kind[1:] }
	}
	exts := []goldmark.Extender{
		extension.GFM,
		extension.Footnote,
		extension.DefinitionList,
		&calloutExt{label: opts.Label},
		&linkExt{},
	}
	var ts *typesetter
	if opts.Typographer {
		subs := extension.TypographicSubstitutions{}
		for k, v := range quotes(opts.Lang) {
			subs[k] = []byte(v)
		}
		exts = append(exts, extension.NewTypographer(extension.WithTypographicSubstitutions(subs)))
		ts = newTypesetter(subs)
	}
	rendererOpts := []renderer.Option{renderer.WithNodeRenderers(util.Prioritized(pictureRenderer{unsafe: opts.UnsafeHTML}, 100))}
	if opts.UnsafeHTML {
		rendererOpts = append(rendererOpts, html.WithUnsafe())
	} else {
		rendererOpts = append(rendererOpts, renderer.WithNodeRenderers(util.Prioritized(escapedHTML{}, 100)))
	}
	md := goldmark.New(
		goldmark.WithExtensions(exts...),
		goldmark.WithParserOptions(parser.WithAutoHeadingID(), parser.WithAttribute()),
		goldmark.WithRendererOptions(rendererOpts...),
	)
	return &Converter{md: md, ts: ts}
}

var docKey = parser.NewContextKey()
var problemsKey = parser.NewContextKey()

// Parse parses src as Convert does (callouts, links to .md files
// resolved, the language's typography) and returns the AST, for layouts
// other than HTML such as the PDF handouts. The AST points into src.
func (c *Converter) Parse(src []byte, doc Doc) ast.Node {
	ctx := parser.NewContext(parser.WithIDs(newIDs()))
	var problems diag.Errors
	ctx.Set(docKey, &doc)
	ctx.Set(problemsKey, &problems)
	return c.md.Parser().Parse(text.NewReader(src), parser.WithContext(ctx))
}

// Convert renders src, the Markdown body of doc.
func (c *Converter) Convert(src []byte, doc Doc) Result {
	ids := newIDs()
	ctx := parser.NewContext(parser.WithIDs(ids))
	var problems diag.Errors
	ctx.Set(docKey, &doc)
	ctx.Set(problemsKey, &problems)
	root := c.md.Parser().Parse(text.NewReader(src), parser.WithContext(ctx))
	var res Result
	seen := map[string]bool{}
	_ = ast.Walk(root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		if h, ok := n.(*ast.Heading); ok {
			id, _ := h.AttributeString("id")
			idb, _ := id.([]byte)
			text := plainText(h, src)
			if len(idb) == 0 || seen[string(idb)] {
				// An empty {#} or an explicit ID used twice: give the
				// heading a fresh one, so every anchor leads somewhere.
				idb = ids.Generate([]byte(text), ast.KindHeading)
				h.SetAttributeString("id", idb)
			}
			seen[string(idb)] = true
			res.Headings = append(res.Headings, Heading{Level: h.Level, ID: string(idb), Text: text})
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Link:
			r := Ref{URL: string(n.Destination), Text: plainText(n, src)}
			if r.Text != "" { // without text goldmark keeps no position of it
				r.Line, r.Col = position(n, src, &doc)
				r.Col-- // the opening bracket
			}
			res.Links = append(res.Links, r)
		case *ast.Image:
			r := Ref{URL: string(n.Destination), Text: plainText(n, src)}
			if r.Text != "" {
				r.Line, r.Col = position(n, src, &doc)
				r.Col -= 2 // the "!["
			}
			res.Images = append(res.Images, r)
			if v, ok := n.AttributeString(string(pictureAttr)); ok {
				res.Pictures = append(res.Pictures, Ref{URL: v.(*Picture).File, Text: r.Text, Line: r.Line, Col: r.Col})
			}
		}
		return ast.WalkContinue, nil
	})
	var buf bytes.Buffer
	buf.Grow(len(src) * 3 / 2)
	if err := c.md.Renderer().Render(&buf, src, root); err != nil {
		problems = append(problems, diag.At(doc.File, doc.Line, 0, "", "rendering Markdown: %v", err))
	}
	res.HTML = template.HTML(buf.String())
	res.WordCount = countWords(src)
	res.Problems = problems
	return res
}

// plainText is the text of a node's inline children.
func plainText(n ast.Node, src []byte) string {
	var b strings.Builder
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch t := c.(type) {
		case *ast.Text:
			b.Write(t.Segment.Value(src))
			if t.SoftLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			b.WriteString(stdhtml.UnescapeString(string(t.Value)))
		case *ast.CodeSpan:
			for ch := t.FirstChild(); ch != nil; ch = ch.NextSibling() {
				if tx, ok := ch.(*ast.Text); ok {
					b.Write(tx.Segment.Value(src))
				}
			}
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	return strings.TrimSpace(b.String())
}

// countWords counts runs of letters or digits, for reading-time and TOC decisions.
func countWords(src []byte) int {
	n, in := 0, false
	for _, r := range string(src) {
		w := unicode.IsLetter(r) || unicode.IsDigit(r)
		if w && !in {
			n++
		}
		in = w
	}
	return n
}

// position finds the source line and column of an inline node from the
// first text segment inside it.
func position(n ast.Node, src []byte, doc *Doc) (int, int) {
	off := -1
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if t, ok := c.(*ast.Text); ok && entering {
			off = t.Segment.Start
			return ast.WalkStop, nil
		}
		return ast.WalkContinue, nil
	})
	if off < 0 {
		for p := n.Parent(); p != nil; p = p.Parent() {
			if p.Type() == ast.TypeBlock && p.Lines().Len() > 0 {
				off = p.Lines().At(0).Start
				break
			}
		}
	}
	if off < 0 {
		return doc.Line, 0
	}
	line, col := diag.LineCol(src, off)
	return doc.Line + line - 1, col
}
