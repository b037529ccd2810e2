package handout

import (
	"bytes"
	"html"
	"strings"

	"codeberg.org/go-pdf/fpdf"

	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"

	"github.com/qorgau/qorgau/generator/internal/markdown"
)

// markdown lays out a parsed Markdown text: its blocks in order.
func (d *doc) markdown(t Text) {
	if t.Node == nil {
		return
	}
	for c := t.Node.FirstChild(); c != nil; c = c.NextSibling() {
		d.blockNode(c, t.Source)
	}
}

// inline lays out a short text (a quiz question, a key fact) from the
// current position: the inline content of its blocks.
func (d *doc) inline(t Text) {
	if t.Node == nil {
		return
	}
	for c := t.Node.FirstChild(); c != nil; c = c.NextSibling() {
		d.inlines(c, t.Source, "")
	}
}

// blockNode lays out one block.
func (d *doc) blockNode(n ast.Node, src []byte) {
	switch n := n.(type) {
	case *ast.Heading:
		pt := 15.0
		if n.Level >= 3 {
			pt = 12.5
		}
		d.heading(plain(n, src), pt)
	case *ast.Paragraph, *ast.TextBlock:
		d.font("", bodyPt)
		d.room(d.lineH())
		d.pdf.SetX(d.left())
		d.inlines(n, src, "")
		d.pdf.Ln(d.lineH())
		if _, ok := n.(*ast.Paragraph); ok {
			d.pdf.Ln(1.8)
		}
	case *ast.List:
		i := 0
		for it := n.FirstChild(); it != nil; it = it.NextSibling() {
			d.item(i, n.IsOrdered(), func() { d.children(it, src) })
			i++
		}
		d.pdf.Ln(1.5)
	case *markdown.Callout:
		d.boxed(d.o.Callout(n.Alert), func() { d.children(n, src) })
	case *ast.Blockquote:
		d.boxed("", func() { d.children(n, src) })
	case *ast.FencedCodeBlock, *ast.CodeBlock:
		d.font("", bodyPt-1.5)
		var b bytes.Buffer
		lines := n.Lines()
		for i := 0; i < lines.Len(); i++ {
			seg := lines.At(i)
			b.Write(seg.Value(src))
		}
		d.indent(4, func() {
			for _, line := range strings.Split(strings.TrimRight(b.String(), "\n"), "\n") {
				d.room(d.lineH())
				d.pdf.SetX(d.left())
				d.words(line, "")
				d.pdf.Ln(d.lineH())
			}
		})
		d.pdf.Ln(2)
		d.font("", bodyPt)
	case *ast.ThematicBreak:
		d.pdf.Ln(2)
		y := d.pdf.GetY()
		d.pdf.SetDrawColor(120, 120, 120)
		d.pdf.Line(d.left(), y, d.right(), y)
		d.pdf.Ln(3)
	case *east.Table:
		d.table(n, src)
	case *east.DefinitionList:
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			switch c.(type) {
			case *east.DefinitionTerm:
				d.font("B", bodyPt)
				d.room(d.lineH() * 2)
				d.pdf.SetX(d.left())
				d.inlines(c, src, "")
				d.pdf.Ln(d.lineH())
				d.font("", bodyPt)
			default:
				d.indent(6, func() { d.children(c, src) })
			}
		}
	case *east.FootnoteList:
		d.pdf.Ln(2)
		d.font("", bodyPt-1.5)
		i := 0
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			d.item(i, true, func() { d.children(c, src) })
			i++
		}
		d.font("", bodyPt)
	case *ast.HTMLBlock:
		// Raw HTML is not printed: it is off by default, and on paper
		// it would be markup.
	default:
		d.children(n, src)
	}
}

// children lays out the blocks inside a node.
func (d *doc) children(n ast.Node, src []byte) {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		d.blockNode(c, src)
	}
}

// boxed lays out blocks indented beside a bar, under a bold label.
func (d *doc) boxed(label string, fn func()) {
	d.pdf.Ln(1)
	d.room(d.lineH() * 2)
	page, y := d.pdf.PageNo(), d.pdf.GetY()
	d.indent(5, func() {
		if label != "" {
			d.font("B", bodyPt)
			d.block(label)
		}
		fn()
	})
	if d.pdf.PageNo() == page {
		d.pdf.SetDrawColor(60, 60, 60)
		d.pdf.SetLineWidth(1.2)
		d.pdf.Line(d.left()+1, y, d.left()+1, d.pdf.GetY()-2)
		d.pdf.SetLineWidth(0.2)
	}
	d.pdf.Ln(1)
	d.font("", bodyPt)
}

// inlines writes the inline content of n from the current position, in
// the style the emphasis around it gives; links print their address.
func (d *doc) inlines(n ast.Node, src []byte, style string) {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		switch c := c.(type) {
		case *ast.Text:
			d.styled(style)
			d.words(string(c.Value(src)), "")
			if c.HardLineBreak() {
				d.pdf.Ln(d.lineH())
				d.pdf.SetX(d.left())
			} else if c.SoftLineBreak() {
				d.words(" ", "")
			}
		case *ast.String:
			d.styled(style)
			d.words(stringValue(c), "")
		case *ast.CodeSpan:
			d.styled(style)
			d.words(plain(c, src), "")
		case *ast.Emphasis:
			s := style
			if c.Level >= 2 {
				s = addStyle(s, "B")
			} else {
				s = addStyle(s, "I")
			}
			d.inlines(c, src, s)
		case *ast.Link:
			dest := string(c.Destination)
			text := plain(c, src)
			url := d.printable(dest)
			d.styled(style)
			d.words(text, url)
			if url != "" && !strings.EqualFold(strings.TrimSpace(text), url) && !strings.HasPrefix(dest, "tel:") {
				d.styled("")
				d.words(" ("+url+")", url)
			}
		case *ast.AutoLink:
			u := string(c.URL(src))
			d.styled(style)
			d.words(u, u)
		case *ast.Image:
			d.image(c, src)
		case *ast.RawHTML:
			d.styled(style)
			var b strings.Builder
			for i := 0; i < c.Segments.Len(); i++ {
				seg := c.Segments.At(i)
				b.Write(seg.Value(src))
			}
			d.words(b.String(), "")
		case *east.Strikethrough:
			d.inlines(c, src, style)
		case *east.FootnoteLink:
			d.styled(style)
			d.words("["+itoa(c.Index)+"]", "")
		case *east.TaskCheckBox:
			d.styled(style)
			mark := "[ ] "
			if c.IsChecked {
				mark = "[x] "
			}
			d.words(mark, "")
		default:
			d.inlines(c, src, style)
		}
	}
}

func (d *doc) styled(style string) {
	if style != d.style {
		d.font(style, d.pt)
	}
}

func addStyle(s, add string) string {
	if strings.Contains(s, add) {
		return s
	}
	return s + add
}

// printable is a link's address as a reader types it, or "" for a link
// inside the page.
func (d *doc) printable(dest string) string {
	if dest == "" || strings.HasPrefix(dest, "#") {
		return ""
	}
	if d.o.Link != nil {
		return d.o.Link(dest)
	}
	return dest
}

// image places an image the site has, scaled to the text width, or its
// description when the file is not at hand.
func (d *doc) image(n *ast.Image, src []byte) {
	alt := plain(n, src)
	if d.o.Image != nil {
		if data, kind, ok := d.o.Image(string(n.Destination)); ok {
			name := string(n.Destination)
			if !d.images[name] { // a name fpdf has not seen: it keeps the first image of a name
				data, ok = d.distinctWidth(data, kind)
			}
			var info *fpdf.ImageInfoType
			if ok {
				info = d.pdf.RegisterImageOptionsReader(name, imageOptions(kind), bytes.NewReader(data))
			}
			if info != nil && d.pdf.Ok() {
				if d.images == nil {
					d.images = map[string]bool{}
				}
				d.images[name] = true
				w, h := info.Extent()
				maxW, maxH := d.width(), 90.0
				scale := min(1, maxW/w, maxH/h)
				w, h = w*scale, h*scale
				d.pdf.Ln(d.lineH())
				d.room(h)
				d.pdf.ImageOptions(name, d.left(), d.pdf.GetY(), w, h, true, imageOptions(kind), 0, "")
				if alt != "" {
					d.font("", bodyPt-1.5)
					d.block(alt)
					d.font("", bodyPt)
				}
				return
			}
			d.pdf.ClearError()
		}
	}
	if alt != "" {
		d.styled("")
		d.words("["+alt+"]", "")
		d.styled("")
	}
}

// table lays out a table with wrapped cells, the header row in bold.
func (d *doc) table(t *east.Table, src []byte) {
	var rows [][]string
	header := 0
	for r := t.FirstChild(); r != nil; r = r.NextSibling() {
		var row []string
		for c := r.FirstChild(); c != nil; c = c.NextSibling() {
			row = append(row, plain(c, src))
		}
		if _, ok := r.(*east.TableHeader); ok {
			header++
		}
		rows = append(rows, row)
	}
	cols := 0
	for _, r := range rows {
		cols = max(cols, len(r))
	}
	if cols == 0 {
		return
	}
	// Columns share the width by the length of their longest cell, within
	// limits, so a column of numbers stays narrow.
	longest := make([]float64, cols)
	total := 0.0
	for c := range cols {
		for _, r := range rows {
			if c < len(r) {
				longest[c] = max(longest[c], float64(len([]rune(r[c]))))
			}
		}
		longest[c] = min(max(longest[c], 6), 60)
		total += longest[c]
	}
	widths := make([]float64, cols)
	for c := range cols {
		widths[c] = d.width() * longest[c] / total
	}
	d.pdf.Ln(1)
	d.pdf.SetDrawColor(90, 90, 90)
	d.pdf.SetLineWidth(0.2)
	for i, r := range rows {
		style := ""
		if i < header {
			style = "B"
		}
		d.font(style, bodyPt-1)
		h := 0.0
		lines := make([][]string, cols)
		for c := range cols {
			text := ""
			if c < len(r) {
				text = r[c]
			}
			d.lacks(text)
			lines[c] = d.pdf.SplitText(text, widths[c]-3)
			h = max(h, float64(len(lines[c]))*d.lineH()+2)
		}
		d.room(h)
		x, y := d.left(), d.pdf.GetY()
		for c := range cols {
			d.pdf.Rect(x, y, widths[c], h, "D")
			for k, line := range lines[c] {
				d.pdf.SetXY(x+1.5, y+1+float64(k)*d.lineH())
				d.pdf.CellFormat(widths[c]-3, d.lineH(), line, "", 0, "L", false, 0, "")
			}
			x += widths[c]
		}
		d.pdf.SetXY(d.left(), y+h)
	}
	d.pdf.Ln(3)
	d.font("", bodyPt)
}

// stringValue is the text of a String node: the typographer writes some
// of its replacements as HTML entities (&rsquo;), which paper needs as
// the characters.
func stringValue(n *ast.String) string {
	if bytes.IndexByte(n.Value, '&') < 0 {
		return string(n.Value)
	}
	return html.UnescapeString(string(n.Value))
}

// plain is the text of a node's inline children.
func plain(n ast.Node, src []byte) string {
	var b strings.Builder
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch c := c.(type) {
		case *ast.Text:
			b.Write(c.Value(src))
			if c.SoftLineBreak() || c.HardLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			b.WriteString(stringValue(c))
		case *ast.AutoLink:
			b.Write(c.URL(src))
		}
		return ast.WalkContinue, nil
	})
	return strings.TrimSpace(b.String())
}

func imageOptions(kind string) fpdf.ImageOptions {
	return fpdf.ImageOptions{ImageType: kind}
}
