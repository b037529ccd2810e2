package content

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/qorgau/qorgau/generator/internal/config"
	"github.com/qorgau/qorgau/generator/internal/diag"
)

// FrontMatter is what a page's front matter may say. Unknown fields are
// errors; free-form values go under params.
type FrontMatter struct {
	Title          string         `toml:"title" yaml:"title"`                   // page title, the h1
	Description    string         `toml:"description" yaml:"description"`       // one sentence for lists, search and meta
	Date           time.Time      `toml:"date" yaml:"date"`                     // publication date
	Lastmod        time.Time      `toml:"lastmod" yaml:"lastmod"`               // last change
	Weight         int            `toml:"weight" yaml:"weight"`                 // order in the section (lower first; 0 last)
	Draft          bool           `toml:"draft" yaml:"draft"`                   // left out unless building with --drafts
	Slug           string         `toml:"slug" yaml:"slug"`                     // last URL segment instead of the file name
	Aliases        []string       `toml:"aliases" yaml:"aliases"`               // old URLs that redirect here
	Tags           []string       `toml:"tags" yaml:"tags"`                     // free tags
	Layout         string         `toml:"layout" yaml:"layout"`                 // layout file to use instead of the default
	TranslationKey string         `toml:"translationKey" yaml:"translationKey"` // links translations whose paths differ
	Params         map[string]any `toml:"params" yaml:"params"`                 // free-form values for templates
	Cover          string         `toml:"cover" yaml:"cover"`                   // an image shown at the top: a file beside the page, or a path under static/
	CoverAlt       string         `toml:"coverAlt" yaml:"coverAlt"`             // what the cover shows, for readers who cannot see it ("" if it only decorates)

	// Lesson fields.
	Audience     []string   `toml:"audience" yaml:"audience"`         // who the lesson is for, in the page's language
	Duration     int        `toml:"duration" yaml:"duration"`         // minutes a class needs
	Objectives   []string   `toml:"objectives" yaml:"objectives"`     // learning objectives
	LastReviewed time.Time  `toml:"lastReviewed" yaml:"lastReviewed"` // when the content was last checked
	NeedsReview  bool       `toml:"needsReview" yaml:"needsReview"`   // a translation still needing a native speaker's review
	KeyFacts     []string   `toml:"keyFacts" yaml:"keyFacts"`         // short statements to remember
	Discussion   []string   `toml:"discussion" yaml:"discussion"`     // questions for a class
	TeacherNotes []string   `toml:"teacherNotes" yaml:"teacherNotes"` // notes for the educator
	Sources      []Source   `toml:"sources" yaml:"sources"`           // where the facts come from
	Quiz         []QuizItem `toml:"quiz" yaml:"quiz"`                 // self-check questions
	Sync         SyncInfo   `toml:"translation" yaml:"translation"`   // what this translation was made from ([translation] table)
}

// Source is one reference of a lesson.
type Source struct {
	Title string `toml:"title" yaml:"title"`
	URL   string `toml:"url" yaml:"url"`
	Legal bool   `toml:"legal" yaml:"legal"` // the law or a legal text
}

// QuizItem is one self-check question with its answer.
type QuizItem struct {
	Question string `toml:"question" yaml:"question"`
	Answer   string `toml:"answer" yaml:"answer"`
}

// SyncInfo records which version of the original a translation follows.
type SyncInfo struct {
	Original   string `toml:"original" yaml:"original"`     // language code of the original
	SourceHash string `toml:"sourceHash" yaml:"sourceHash"` // hash of the original's text when last synced
	ReviewedBy string `toml:"reviewedBy" yaml:"reviewedBy"` // the native speaker who last checked the translation
	Reviewed   string `toml:"reviewed" yaml:"reviewed"`     // when they checked it: 2006-01-02
}

// Format is the syntax of a front matter block.
type Format int

const (
	NoFrontMatter Format = iota
	TOML
	YAML
)

// Split separates front matter from the body. src must already be
// normalised (see Normalize). It returns the front matter text, its format,
// the body, and the 1-based line at which the front matter text starts and
// the body starts.
func Split(path string, src []byte) (fm []byte, format Format, body []byte, fmLine, bodyLine int, err error) {
	var delim string
	switch {
	case bytes.HasPrefix(src, []byte("+++\n")) || bytes.Equal(src, []byte("+++")):
		delim, format = "+++", TOML
	case bytes.HasPrefix(src, []byte("---\n")) || bytes.Equal(src, []byte("---")):
		delim, format = "---", YAML
	default:
		return nil, NoFrontMatter, src, 0, 1, nil
	}
	rest := src[min(len(src), len(delim)+1):]
	off := 0
	line := 2
	for off <= len(rest) {
		end := bytes.IndexByte(rest[off:], '\n')
		var l []byte
		if end < 0 {
			l = rest[off:]
		} else {
			l = rest[off : off+end]
		}
		t := string(bytes.TrimRight(l, " \t"))
		if t == delim || (format == YAML && t == "...") {
			bodyStart := off + len(l) + 1
			if bodyStart > len(rest) {
				bodyStart = len(rest)
			}
			return rest[:off], format, rest[bodyStart:], 2, line + 1, nil
		}
		if end < 0 {
			break
		}
		off += end + 1
		line++
	}
	return nil, format, nil, 0, 0, diag.At(path, 1, 1,
		fmt.Sprintf("add a line containing only %s after the front matter", delim),
		"front matter opened with %s is never closed", delim)
}

// Normalize strips a UTF-8 byte order mark and turns CRLF and lone CR line
// endings into LF. It rejects binary files and invalid UTF-8.
func Normalize(path string, src []byte) ([]byte, error) {
	src = bytes.TrimPrefix(src, []byte("\xef\xbb\xbf"))
	if i := bytes.IndexByte(src, 0); i >= 0 {
		line, col := diag.LineCol(src, i)
		return nil, diag.At(path, line, col, "is this really a Markdown file? rename or remove it", "file contains a NUL byte: it looks binary")
	}
	if bytes.IndexByte(src, '\r') >= 0 {
		src = bytes.ReplaceAll(src, []byte("\r\n"), []byte("\n"))
		src = bytes.ReplaceAll(src, []byte("\r"), []byte("\n"))
	}
	if !utf8.Valid(src) {
		i := 0
		for i < len(src) {
			r, size := utf8.DecodeRune(src[i:])
			if r == utf8.RuneError && size == 1 {
				break
			}
			i += size
		}
		line, col := diag.LineCol(src, i)
		return nil, diag.At(path, line, col, "save the file as UTF-8", "invalid UTF-8")
	}
	return src, nil
}

// ParseFrontMatter decodes a front matter block.
func ParseFrontMatter(path string, fm []byte, format Format, fmLine int) (FrontMatter, error) {
	var m FrontMatter
	switch format {
	case TOML:
		if err := config.DecodeTOML(path, fm, fmLine-1, &m); err != nil {
			if errs, ok := err.(diag.Errors); ok {
				for _, d := range errs {
					if strings.HasPrefix(d.Message, "unknown key") {
						d.Message = "unknown front matter field" + strings.TrimPrefix(d.Message, "unknown key")
						d.Hint = "check the spelling, or put free-form values in a [params] table"
					}
				}
			}
			return m, err
		}
	case YAML:
		if len(bytes.TrimSpace(fm)) == 0 {
			return m, nil
		}
		dec := yaml.NewDecoder(bytes.NewReader(fm))
		dec.KnownFields(true)
		if err := dec.Decode(&m); err != nil {
			return m, yamlError(path, err, fmLine-1)
		}
	}
	return m, nil
}

var yamlLineRe = regexp.MustCompile(`line (\d+): `)
var yamlUnknownRe = regexp.MustCompile(`field (\S+) not found in type`)

// YAMLError turns a YAML decoder's error into diagnostics at path, with
// the line the decoder gives, offset lines down.
func YAMLError(path string, err error, offset int) error { return yamlError(path, err, offset) }

func yamlError(path string, err error, offset int) error {
	var msgs []string
	if te, ok := err.(*yaml.TypeError); ok {
		msgs = te.Errors
	} else {
		msgs = []string{strings.TrimPrefix(err.Error(), "yaml: ")}
	}
	var errs diag.Errors
	for _, msg := range msgs {
		line := 1
		if m := yamlLineRe.FindStringSubmatch(msg); m != nil {
			line, _ = strconv.Atoi(m[1])
			msg = strings.Replace(msg, m[0], "", 1)
		}
		hint := "check the YAML syntax and the value's type"
		if m := yamlUnknownRe.FindStringSubmatch(msg); m != nil {
			msg = fmt.Sprintf("unknown front matter field %q", m[1])
			hint = "check the spelling, or put free-form values under params:"
		}
		errs = append(errs, diag.At(path, line+offset, 0, hint, "%s", msg))
	}
	return errs
}
