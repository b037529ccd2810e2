// Package handout lays out lessons and topics as PDF files for printing:
// a handout for each lesson and a booklet for each topic, with a cover, a
// table of contents with page numbers and bookmarks. It lays out from the
// Markdown AST and the lesson's fields, with Noto Sans embedded (it covers
// Kazakh and Russian Cyrillic), so it needs no browser, network or other
// program. The same input gives the same bytes.
//
// Each file ends with pages for the teacher (quiz answers, teacher notes),
// which start on a new page and say so, so a class copy leaves them out.
package handout

import (
	"bytes"
	"embed"
	"fmt"
	"time"

	"codeberg.org/go-pdf/fpdf"
	"github.com/yuin/goldmark/ast"
)

//go:embed fonts/NotoSans-Regular.ttf fonts/NotoSans-Bold.ttf fonts/NotoSans-Italic.ttf
var fonts embed.FS

// FontLicense is the embedded font's license, to ship with the program.
//
//go:embed fonts/OFL.txt
var FontLicense []byte

// Lesson is what a handout shows of one lesson.
type Lesson struct {
	Title, Description string
	URL                string // where the lesson is online, printed under the title ("" for none)
	Audience           []string
	Duration           int // minutes
	Objectives         []Text
	KeyFacts           []Text
	Discussion         []Text
	TeacherNotes       []Text
	Quiz               []QA
	Sources            []Source
	LastReviewed       time.Time
	Body               Text
}

// Text is Markdown parsed into its AST, with the source it points into.
type Text struct {
	Node   ast.Node
	Source []byte
}

// QA is a quiz question and its answer.
type QA struct{ Question, Answer Text }

// Source is one of a lesson's sources.
type Source struct{ Title, URL string }

// Topic is what a booklet shows: a section and its lessons in order.
type Topic struct {
	Title, Description string
	URL                string
	Lessons            []*Lesson
}

// Hotline is a help number printed at the foot of every page.
type Hotline struct{ Number, Name string }

// Options say how to lay out a file in one language.
type Options struct {
	Lang      string // BCP 47 code, written into the file
	SiteTitle string // the file's author, and a line on the first page
	// Label returns a UI string of the language; Count one with a number.
	Label func(key string) string
	Count func(key string, n int) string
	Date  func(time.Time) string // a date as the language writes it
	// Callout names a callout kind (note, tip, warning...) in the language.
	Callout  func(kind string) string
	Hotlines []Hotline
	Paper    string    // "A4" (default) or "Letter"
	Modified time.Time // the file's date in its metadata; zero: a fixed date
	// Image returns the bytes and type ("png", "jpg") of an image the
	// Markdown links to, or ok false to print its description instead.
	Image func(dest string) (data []byte, kind string, ok bool)
	// Link makes a link's destination printable: an absolute URL.
	Link func(dest string) string
}

// English are the labels a file uses, for a theme whose UI strings lack
// them.
var English = map[string]string{
	"audience": "For", "duration": "Time", "lastReviewed": "Last reviewed", "objectives": "After this lesson you can",
	"keyFacts": "Key facts", "discussion": "Questions to discuss", "quiz": "Check yourself", "sources": "Sources",
	"notLegalAdvice": "This page is for education. It is not legal advice.", "helpTitle": "Get help now",
	"forTeacher": "For the teacher", "forTeacherNote": "These pages are for the teacher: leave them out when you copy the handout for the class.",
	"answers": "Answers", "teacherNotes": "Notes for teachers", "tableOfContents": "Contents",
	"callout_note": "Note", "callout_tip": "Tip", "callout_important": "Important", "callout_warning": "Warning", "callout_caution": "Caution",
}

// fixedDate is the date in a file's metadata when it has none: files must
// not change with the day they were made.
var fixedDate = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

// File is a laid out PDF.
type File struct {
	PDF []byte
	// Missing are the characters of the text the embedded font lacks, in
	// order: they print as empty boxes.
	Missing []rune
}

// LessonPDF lays out one lesson's handout.
func LessonPDF(l *Lesson, o Options) (*File, error) {
	d := newDoc(o, l.Title, l.Description)
	d.pdf.AddPage()
	d.smallLine(o.SiteTitle)
	d.lesson(l)
	d.teacherPages([]*Lesson{l}, false)
	return d.output()
}

// BookletPDF lays out a topic's booklet: a cover, the contents with page
// numbers, each lesson from a new page, then the teacher's pages.
func BookletPDF(t *Topic, o Options) (*File, error) {
	d := newDoc(o, t.Title, t.Description)
	d.cover(t)
	entries := make([]tocEntry, 0, len(t.Lessons)+1)
	tocFirst := d.pdf.PageNo() + 1
	tocPages := (len(t.Lessons) + 1 + tocPerPage - 1) / tocPerPage
	for range tocPages {
		d.pdf.AddPage()
	}
	for _, l := range t.Lessons {
		d.pdf.AddPage()
		entries = append(entries, tocEntry{title: l.Title, page: d.pdf.PageNo(), link: d.anchor()})
		d.pdf.Bookmark(l.Title, 0, -1)
		d.lesson(l)
	}
	if teacher := d.teacherPages(t.Lessons, true); teacher > 0 {
		entries = append(entries, tocEntry{title: d.label("forTeacher"), page: teacher, link: d.teacherLink})
	}
	last := d.pdf.PageNo()
	d.contents(tocFirst, entries)
	d.pdf.SetPage(last)
	return d.output()
}

// output writes the file.
func (d *doc) output() (*File, error) {
	var b bytes.Buffer
	if err := d.pdf.Output(&b); err != nil {
		return nil, fmt.Errorf("writing the PDF: %w", err)
	}
	return &File{PDF: b.Bytes(), Missing: d.missingRunes()}, nil
}

// newDoc starts a file with its metadata, fonts and page footer.
func newDoc(o Options, title, subject string) *doc {
	size := "A4"
	if o.Paper == "Letter" {
		size = "Letter"
	}
	pdf := fpdf.New("P", "mm", size, "")
	d := &doc{pdf: pdf, o: o, loaded: map[string]bool{}}
	pdf.SetMargins(marginX, marginTop, marginX)
	pdf.SetAutoPageBreak(true, marginBottom)
	pdf.SetCellMargin(0)
	pdf.SetCompression(true)
	pdf.SetCatalogSort(true)
	date := o.Modified
	if date.IsZero() {
		date = fixedDate
	}
	pdf.SetCreationDate(date)
	pdf.SetModificationDate(date)
	pdf.SetTitle(title, true)
	pdf.SetSubject(subject, true)
	pdf.SetAuthor(o.SiteTitle, true)
	pdf.SetCreator("Qorgau", true)
	pdf.SetProducer("Qorgau", true)
	pdf.SetLang(o.Lang)
	pdf.SetDisplayMode("fullpage", "OneColumn")
	pdf.SetFooterFunc(d.footer)
	pdf.SetTextColor(0, 0, 0)
	return d
}
