package handout

import (
	"strconv"
	"strings"

	"codeberg.org/go-pdf/fpdf"
)

// Sizes in millimetres and points.
const (
	marginX      = 20.0
	marginTop    = 18.0
	marginBottom = 26.0 // room for the footer
	bodyPt       = 11.5
	smallPt      = 8.5
	leading      = 1.45 // line height as a multiple of the font size
	ptToMM       = 0.352778
	tocPerPage   = 16
)

// doc is one file being laid out.
type doc struct {
	pdf         *fpdf.Fpdf
	o           Options
	loaded      map[string]bool // font styles added to the file
	style       string
	pt          float64
	teacherLink int
	missing     map[rune]bool // characters the font lacks
	widths      map[int]bool  // pixel widths of the file's images (distinctWidth)
	images      map[string]bool
}

// font sets the style ("", "B", "I") and size in points, adding the
// style's font to the file when it is first used, so a file carries only
// the styles it shows.
func (d *doc) font(style string, pt float64) {
	if style == "BI" || style == "IB" {
		style = "B"
	}
	if !d.loaded[style] {
		name := map[string]string{"": "fonts/NotoSans-Regular.ttf", "B": "fonts/NotoSans-Bold.ttf", "I": "fonts/NotoSans-Italic.ttf"}[style]
		data, _ := fonts.ReadFile(name) // embedded: cannot fail
		d.pdf.AddUTF8FontFromBytes("noto", style, data)
		d.loaded[style] = true
	}
	d.style, d.pt = style, pt
	d.pdf.SetFont("noto", style, pt)
}

// lineH is the height of a line in the current size.
func (d *doc) lineH() float64 { return d.pt * ptToMM * leading }

func (d *doc) label(key string) string { return d.o.Label(key) }

// width is the text width between the margins.
func (d *doc) width() float64 {
	w, _ := d.pdf.GetPageSize()
	l, _, r, _ := d.pdf.GetMargins()
	return w - l - r
}

// room makes sure h millimetres fit above the footer, else starts a page.
func (d *doc) room(h float64) {
	_, ph := d.pdf.GetPageSize()
	if d.pdf.GetY()+h > ph-marginBottom {
		d.pdf.AddPage()
	}
}

// gap adds vertical space, unless at the top of a page.
func (d *doc) gap(h float64) {
	if d.pdf.GetY() > marginTop+0.1 {
		d.pdf.Ln(h)
	}
}

// words writes text from the current position, breaking lines at spaces
// (a word longer than a line is broken where it must be). It writes a
// line's words at once: fewer, longer text runs make smaller page
// streams, and fpdf's own line breaking is quadratic in a run's length.
func (d *doc) words(text, link string) {
	h := d.lineH()
	l, r := d.left(), d.right()-0.3 // a little slack for rounding
	x := d.pdf.GetX()
	space := d.pdf.GetStringWidth(" ")
	var line strings.Builder
	width := 0.0
	flush := func() {
		if line.Len() > 0 {
			// A cell the width of the text: fpdf's Write would measure it
			// again rune by rune, quadratically.
			text := line.String()
			d.pdf.CellFormat(d.pdf.GetStringWidth(text), h, text, "", 0, "L", false, 0, link)
			line.Reset()
		}
		width = 0
	}
	atStart := func() bool { return line.Len() == 0 && x <= l+0.01 }
	d.lacks(text)
	for i, w := range strings.FieldsFunc(text, breakable) {
		sep := (i > 0 || startsWithSpace(text)) && !atStart()
		ww := d.pdf.GetStringWidth(w)
		need := ww
		if sep {
			need += space
		}
		if x+width+need > r && !atStart() {
			flush()
			d.pdf.Ln(h)
			x, sep, need = d.pdf.GetX(), false, ww
		}
		if ww > r-l {
			// Longer than a line: fpdf's Write breaks it.
			if sep {
				line.WriteByte(' ')
			}
			flush()
			d.write(h, w, link)
			x = d.pdf.GetX()
			continue
		}
		if sep {
			line.WriteByte(' ')
		}
		line.WriteString(w)
		width += need
	}
	if endsWithSpace(text) && !atStart() && strings.TrimSpace(text) != "" {
		line.WriteByte(' ')
	} else if strings.TrimSpace(text) == "" && text != "" && !atStart() {
		line.WriteByte(' ')
	}
	flush()
}

func (d *doc) write(h float64, s, link string) {
	if link != "" {
		d.pdf.WriteLinkString(h, s, link)
		return
	}
	d.pdf.Write(h, s)
}

// right is the x of the right margin.
func (d *doc) right() float64 {
	w, _ := d.pdf.GetPageSize()
	_, _, r, _ := d.pdf.GetMargins()
	return w - r
}

// breakable says where a line may break: spaces, not no-break spaces.
func breakable(r rune) bool { return r == ' ' || r == '\t' || r == '\n' || r == '\r' }

func startsWithSpace(s string) bool { return s != "" && strings.ContainsRune(" \t\n", rune(s[0])) }
func endsWithSpace(s string) bool   { return s != "" && strings.ContainsRune(" \t\n", rune(s[len(s)-1])) }

// block writes a paragraph of plain text at the current size and style.
func (d *doc) block(text string) {
	d.pdf.SetX(d.left())
	d.words(text, "")
	d.pdf.Ln(d.lineH())
}

func (d *doc) left() float64 {
	l, _, _, _ := d.pdf.GetMargins()
	return l
}

// indent runs fn with the left margin moved right by mm.
func (d *doc) indent(mm float64, fn func()) {
	l := d.left()
	d.pdf.SetLeftMargin(l + mm)
	d.pdf.SetX(l + mm)
	fn()
	d.pdf.SetLeftMargin(l)
	d.pdf.SetX(l)
}

// heading writes a heading that stays with the two lines after it.
func (d *doc) heading(text string, pt float64) {
	d.gap(pt * ptToMM * 0.9)
	d.font("B", pt)
	d.room(d.lineH()*2 + 12)
	d.pdf.SetX(d.left())
	d.words(text, "")
	d.pdf.Ln(d.lineH() + 1)
	d.font("", bodyPt)
}

// smallLine writes one line of small grey text.
func (d *doc) smallLine(text string) {
	if text == "" {
		return
	}
	d.font("", smallPt+0.5)
	d.pdf.SetTextColor(70, 70, 70)
	d.block(text)
	d.pdf.SetTextColor(0, 0, 0)
	d.font("", bodyPt)
}

// list writes items with a bullet or a number before each.
func (d *doc) list(items []Text, numbered bool) {
	for i, it := range items {
		d.item(i, numbered, func() { d.inline(it); d.pdf.Ln(d.lineH()) })
	}
	d.pdf.Ln(1.5)
}

// item writes one list item's marker and runs fn for its content, indented.
func (d *doc) item(i int, numbered bool, fn func()) {
	d.font("", bodyPt)
	d.room(d.lineH())
	marker := "•"
	if numbered {
		marker = itoa(i+1) + "."
	}
	x := d.left()
	d.pdf.SetX(x)
	d.pdf.CellFormat(6, d.lineH(), marker, "", 0, "L", false, 0, "")
	d.indent(6.5, func() {
		d.pdf.SetX(d.left())
		fn()
	})
}

// footer writes the help numbers and the page number at the foot of every
// page; it is paper, so there is no quick exit.
func (d *doc) footer() {
	pw, ph := d.pdf.GetPageSize()
	l, _, _, _ := d.pdf.GetMargins()
	lm := marginX
	d.pdf.SetLeftMargin(lm)
	saveStyle, savePt := d.style, d.pt
	d.pdf.SetDrawColor(120, 120, 120)
	d.pdf.SetLineWidth(0.2)
	y := ph - marginBottom + 6
	d.pdf.Line(lm, y, pw-marginX, y)
	d.font("B", smallPt)
	d.pdf.SetXY(lm, y+1.5)
	text := make([]string, 0, len(d.o.Hotlines))
	for _, h := range d.o.Hotlines {
		text = append(text, h.Number+" "+h.Name)
	}
	help := d.label("helpTitle") + ": "
	d.pdf.Write(smallPt*ptToMM*1.35, help)
	d.font("", smallPt)
	d.pdf.SetRightMargin(marginX + 12)
	d.words(strings.Join(text, " · "), "")
	d.pdf.SetRightMargin(marginX)
	d.font("B", smallPt+1)
	d.pdf.SetXY(pw-marginX-10, y+1.5)
	d.pdf.CellFormat(10, smallPt*ptToMM*1.35, itoa(d.pdf.PageNo()), "", 0, "R", false, 0, "")
	d.pdf.SetLeftMargin(l)
	d.font(saveStyle, savePt)
}

// anchor is an internal link to the current position.
func (d *doc) anchor() int {
	link := d.pdf.AddLink()
	d.pdf.SetLink(link, -1, -1)
	return link
}

func itoa(n int) string { return strconv.Itoa(n) }
