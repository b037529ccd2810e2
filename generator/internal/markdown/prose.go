package markdown

import (
	"sync"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/text"
)

// Run is a stretch of a body's prose: text a reader reads, outside code,
// raw HTML and link destinations.
type Run struct {
	Text   string // the text as written in the source
	Offset int    // byte offset of Text in the body
	Block  int    // index of the block (paragraph, heading, list item, cell) it belongs to: words of different blocks never join into a phrase
}

// proseParser is goldmark's CommonMark parser with GitHub's tables,
// autolinks and strikethrough: enough to tell prose from code. It is built
// once and never changed; goldmark parsers are safe for concurrent use.
var proseParser = sync.OnceValue(func() goldmark.Markdown {
	return goldmark.New(goldmark.WithExtensions(extension.GFM))
})

// Prose returns the prose runs of a Markdown body, in order, so checks can
// look at words with their positions in the source.
func Prose(src []byte) []Run {
	root := proseParser().Parser().Parse(text.NewReader(src))
	var runs []Run
	block := -1
	var last ast.Node
	_ = ast.Walk(root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.CodeSpan, *ast.CodeBlock, *ast.FencedCodeBlock, *ast.HTMLBlock, *ast.RawHTML, *ast.AutoLink:
			return ast.WalkSkipChildren, nil
		case *ast.Text:
			b := n.Parent()
			for b != nil && b.Type() != ast.TypeBlock {
				b = b.Parent()
			}
			if b != last {
				block++
				last = b
			}
			seg := n.Segment
			runs = append(runs, Run{Text: string(seg.Value(src)), Offset: seg.Start, Block: block})
		}
		return ast.WalkContinue, nil
	})
	return runs
}
