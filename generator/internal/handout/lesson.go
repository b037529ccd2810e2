package handout

import (
	"strings"
	"time"
)

// lesson lays out one lesson from the current page: title, who it is for,
// objectives, the body, key facts, discussion, the quiz questions, sources
// and the review date. Answers and teacher notes go to the teacher pages.
func (d *doc) lesson(l *Lesson) {
	d.font("B", 20)
	d.pdf.SetX(d.left())
	d.words(l.Title, "")
	d.pdf.Ln(d.lineH() + 1)
	var meta []string
	if len(l.Audience) > 0 {
		meta = append(meta, d.label("audience")+": "+strings.Join(l.Audience, ", "))
	}
	if l.Duration > 0 {
		meta = append(meta, d.label("duration")+": "+d.o.Count("minutes", l.Duration))
	}
	if !l.LastReviewed.IsZero() {
		meta = append(meta, d.label("lastReviewed")+": "+d.o.Date(l.LastReviewed))
	}
	if len(meta) > 0 {
		d.font("", bodyPt-1)
		d.pdf.SetTextColor(50, 50, 50)
		d.block(strings.Join(meta, " · "))
		d.pdf.SetTextColor(0, 0, 0)
	}
	if l.URL != "" {
		d.smallLine(l.URL)
	}
	if l.Description != "" {
		d.pdf.Ln(1.5)
		d.font("", bodyPt+1.5)
		d.block(l.Description)
	}
	d.notice(d.label("notLegalAdvice"))
	if len(l.Objectives) > 0 {
		d.heading(d.label("objectives"), 13)
		d.list(l.Objectives, false)
	}
	d.markdown(l.Body)
	if len(l.KeyFacts) > 0 {
		d.heading(d.label("keyFacts"), 13)
		d.list(l.KeyFacts, false)
	}
	if len(l.Discussion) > 0 {
		d.heading(d.label("discussion"), 13)
		d.list(l.Discussion, true)
	}
	if len(l.Quiz) > 0 {
		d.heading(d.label("quiz"), 13)
		qs := make([]Text, len(l.Quiz))
		for i, q := range l.Quiz {
			qs[i] = q.Question
		}
		d.list(qs, true)
	}
	if len(l.Sources) > 0 {
		d.heading(d.label("sources"), 13)
		d.font("", bodyPt-1)
		for i, s := range l.Sources {
			d.item(i, true, func() {
				d.words(s.Title, "")
				if s.URL != "" {
					d.pdf.Ln(d.lineH())
					d.pdf.SetX(d.left())
					d.pdf.SetTextColor(40, 40, 40)
					d.words(s.URL, s.URL)
					d.pdf.SetTextColor(0, 0, 0)
				}
				d.pdf.Ln(d.lineH())
			})
		}
	}
	d.pdf.Ln(2)
	var end []string
	if !l.LastReviewed.IsZero() {
		end = append(end, d.label("lastReviewed")+": "+d.o.Date(l.LastReviewed)+".")
	}
	end = append(end, d.label("notLegalAdvice"))
	d.font("", bodyPt-1)
	d.block(strings.Join(end, " "))
	d.font("", bodyPt)
}

// notice writes a framed line, such as "education, not legal advice".
func (d *doc) notice(text string) {
	if text == "" {
		return
	}
	d.pdf.Ln(2)
	d.font("B", bodyPt-0.5)
	d.lacks(text)
	lines := d.pdf.SplitText(text, d.width()-8)
	h := float64(len(lines))*d.lineH() + 4
	d.room(h)
	x, y := d.left(), d.pdf.GetY()
	d.pdf.SetDrawColor(0, 0, 0)
	d.pdf.SetLineWidth(0.4)
	d.pdf.Rect(x, y, d.width(), h, "D")
	d.pdf.SetXY(x+4, y+2)
	d.pdf.MultiCell(d.width()-8, d.lineH(), text, "", "L", false)
	d.pdf.SetXY(x, y+h+1)
	d.font("", bodyPt)
}

// teacherPages writes the pages for the teacher, from a new page: each
// lesson's quiz answers and teacher notes. It returns the first of those
// pages, or 0 when no lesson has any.
func (d *doc) teacherPages(lessons []*Lesson, titled bool) int {
	any := false
	for _, l := range lessons {
		any = any || len(l.Quiz) > 0 || len(l.TeacherNotes) > 0
	}
	if !any {
		return 0
	}
	d.pdf.AddPage()
	first := d.pdf.PageNo()
	d.teacherLink = d.anchor()
	d.pdf.Bookmark(d.label("forTeacher"), 0, -1)
	d.font("B", 17)
	d.block(d.label("forTeacher"))
	d.font("", bodyPt)
	d.block(d.label("forTeacherNote"))
	for _, l := range lessons {
		if len(l.Quiz) == 0 && len(l.TeacherNotes) == 0 {
			continue
		}
		if titled {
			d.heading(l.Title, 14)
		}
		if len(l.Quiz) > 0 {
			d.heading(d.label("answers"), 12.5)
			for i, q := range l.Quiz {
				d.item(i, true, func() {
					d.font("B", bodyPt)
					d.inline(q.Question)
					d.pdf.Ln(d.lineH())
					d.pdf.SetX(d.left())
					d.font("", bodyPt)
					d.inline(q.Answer)
					d.pdf.Ln(d.lineH() + 1)
				})
			}
		}
		if len(l.TeacherNotes) > 0 {
			d.heading(d.label("teacherNotes"), 12.5)
			d.list(l.TeacherNotes, false)
		}
	}
	return first
}

// cover is a booklet's first page.
func (d *doc) cover(t *Topic) {
	d.pdf.AddPage()
	d.smallLine(d.o.SiteTitle)
	d.pdf.Ln(40)
	d.font("B", 28)
	d.block(t.Title)
	if t.Description != "" {
		d.pdf.Ln(4)
		d.font("", 14)
		d.block(t.Description)
	}
	d.pdf.Ln(6)
	d.font("", bodyPt+1)
	d.block(d.o.Count("lessons", len(t.Lessons)))
	var reviewed time.Time
	for _, l := range t.Lessons {
		if l.LastReviewed.After(reviewed) {
			reviewed = l.LastReviewed
		}
	}
	if !reviewed.IsZero() {
		d.block(d.label("lastReviewed") + ": " + d.o.Date(reviewed))
	}
	if t.URL != "" {
		d.smallLine(t.URL)
	}
	d.pdf.Ln(8)
	d.notice(d.label("notLegalAdvice"))
}

// tocEntry is a line of a booklet's contents.
type tocEntry struct {
	title string
	page  int
	link  int
}

// contents writes the table of contents on the pages kept for it, each
// entry with its page number and a link to it.
func (d *doc) contents(first int, entries []tocEntry) {
	// The pages are there already: nothing may add one.
	d.pdf.SetAutoPageBreak(false, marginBottom)
	defer d.pdf.SetAutoPageBreak(true, marginBottom)
	d.pdf.SetPage(first)
	d.pdf.SetXY(d.left(), marginTop)
	d.pdf.Bookmark(d.label("tableOfContents"), 0, -1)
	d.font("B", 17)
	d.block(d.label("tableOfContents"))
	d.pdf.Ln(3)
	for i, e := range entries {
		if i > 0 && i%tocPerPage == 0 {
			d.pdf.SetPage(first + i/tocPerPage)
			d.pdf.SetXY(d.left(), marginTop)
		}
		d.font("", bodyPt+0.5)
		y := d.pdf.GetY()
		num := itoa(e.page)
		d.pdf.SetX(d.left())
		d.pdf.SetRightMargin(marginX + 14)
		d.words(e.title, "")
		d.pdf.SetRightMargin(marginX)
		d.pdf.SetXY(d.right()-12, d.pdf.GetY())
		d.pdf.CellFormat(12, d.lineH(), num, "", 1, "R", false, 0, "")
		d.pdf.Link(d.left(), y, d.width(), d.pdf.GetY()-y, e.link)
		d.pdf.Ln(1.2)
	}
}
