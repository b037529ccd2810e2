// Package diag holds the positioned problems a run finds in a site's sources.
//
// Every stage reports what is wrong with content, config or templates as a
// Diagnostic carrying the file, line and column, a message and a hint that
// says what to do. Stages collect them in a List so one run shows every
// problem instead of stopping at the first.
package diag

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
)

// Severity says whether a finding stops the build.
type Severity int

const (
	// Error makes the command fail.
	Error Severity = iota
	// Warning is reported but does not fail a build (check --strict fails on it).
	Warning
	// Info is reported for the editor's information (external links listed).
	Info
)

func (s Severity) String() string {
	switch s {
	case Warning:
		return "warning"
	case Info:
		return "info"
	}
	return "error"
}

// MarshalText writes the severity as its name, for check --format json.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// Kinds of problems, set where the problem is found. Checks of the editors'
// gate add their own (see package check).
const (
	KindBuild    = "build"     // content, config or templates that cannot be built
	KindLink     = "link"      // an internal link that leads nowhere
	KindUIString = "ui-string" // a UI string missing in a language
)

// Diagnostic is one problem at one place in the sources.
type Diagnostic struct {
	Path     string   `json:"file"`           // slash-separated path relative to the site root
	Line     int      `json:"line,omitempty"` // 1-based; 0 when the problem concerns the whole file
	Col      int      `json:"col,omitempty"`  // 1-based; 0 when unknown
	Severity Severity `json:"severity"`
	Kind     string   `json:"kind"`           // what sort of problem: KindBuild when not set where it was found
	Message  string   `json:"message"`        // what is wrong
	Hint     string   `json:"hint,omitempty"` // what to do about it; may be empty
	URL      string   `json:"url,omitempty"`  // the page it concerns, when there is one
	Cause    error    `json:"-"`              // the error it was made from, for callers that must decide (errors.As)
}

// Unwrap returns the error the diagnostic was made from, if any.
func (d *Diagnostic) Unwrap() error { return d.Cause }

// Same reports whether two diagnostics say the same thing at the same place.
func Same(a, b *Diagnostic) bool {
	return a.Path == b.Path && a.Line == b.Line && a.Col == b.Col && a.Severity == b.Severity &&
		a.Kind == b.Kind && a.Message == b.Message && a.Hint == b.Hint && a.URL == b.URL
}

// WithKind sets the diagnostic's kind and returns it.
func (d *Diagnostic) WithKind(kind string) *Diagnostic {
	d.Kind = kind
	return d
}

// KindOrBuild is the diagnostic's kind, KindBuild when none was set.
func (d Diagnostic) KindOrBuild() string {
	if d.Kind == "" {
		return KindBuild
	}
	return d.Kind
}

// Error formats the diagnostic as path:line:col: message (hint).
func (d Diagnostic) Error() string {
	var b strings.Builder
	b.WriteString(d.Pos())
	b.WriteString(": ")
	if d.Severity != Error {
		b.WriteString(d.Severity.String() + ": ")
	}
	b.WriteString(d.Message)
	if d.Hint != "" {
		b.WriteString("\n\thint: ")
		b.WriteString(d.Hint)
	}
	return b.String()
}

// Pos is path:line:col with the parts that are known.
func (d Diagnostic) Pos() string {
	switch {
	case d.Line > 0 && d.Col > 0:
		return fmt.Sprintf("%s:%d:%d", d.Path, d.Line, d.Col)
	case d.Line > 0:
		return fmt.Sprintf("%s:%d", d.Path, d.Line)
	default:
		return d.Path
	}
}

// At builds an error-severity diagnostic.
func At(path string, line, col int, hint, format string, args ...any) *Diagnostic {
	return &Diagnostic{Path: path, Line: line, Col: col, Message: fmt.Sprintf(format, args...), Hint: hint}
}

// List collects diagnostics from concurrent stages. The zero value is ready.
type List struct {
	mu    sync.Mutex
	items []*Diagnostic
}

// Add records d. A nil d is ignored.
func (l *List) Add(d *Diagnostic) {
	if d == nil {
		return
	}
	l.mu.Lock()
	l.items = append(l.items, d)
	l.mu.Unlock()
}

// AddErr records err: a *Diagnostic (or an error wrapping one, or an
// Errors value) keeps its position; anything else is attributed to path.
func (l *List) AddErr(path string, err error) {
	if err == nil {
		return
	}
	var many Errors
	if errors.As(err, &many) {
		for _, d := range many {
			l.Add(d)
		}
		return
	}
	var d *Diagnostic
	if errors.As(err, &d) {
		l.Add(d)
		return
	}
	l.Add(&Diagnostic{Path: path, Message: err.Error(), Cause: err})
}

// Items returns the diagnostics sorted by path, line and column. A problem
// reported several times (a template error hit by every page) appears once.
func (l *List) Items() []*Diagnostic {
	l.mu.Lock()
	all := append([]*Diagnostic(nil), l.items...)
	l.mu.Unlock()
	Sort(all)
	out := all[:0]
	for i, d := range all {
		if i > 0 && Same(d, all[i-1]) {
			continue
		}
		out = append(out, d)
	}
	return out
}

// HasErrors reports whether any diagnostic is an error.
func (l *List) HasErrors() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, d := range l.items {
		if d.Severity == Error {
			return true
		}
	}
	return false
}

// Err returns the errors (not warnings) as an Errors value, or nil.
func (l *List) Err() error {
	var errs Errors
	for _, d := range l.Items() {
		if d.Severity == Error {
			errs = append(errs, d)
		}
	}
	if len(errs) == 0 {
		return nil
	}
	return errs
}

// Sort orders diagnostics by path, line and column, then message.
func Sort(ds []*Diagnostic) {
	sort.SliceStable(ds, func(i, j int) bool {
		a, b := ds[i], ds[j]
		if a.Path != b.Path {
			return a.Path < b.Path
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Col != b.Col {
			return a.Col < b.Col
		}
		return a.Message < b.Message
	})
}

// Errors is a set of diagnostics returned as one error.
type Errors []*Diagnostic

// Unwrap returns the diagnostics, so errors.As finds the cause of any of them.
func (e Errors) Unwrap() []error {
	out := make([]error, len(e))
	for i, d := range e {
		out[i] = d
	}
	return out
}

func (e Errors) Error() string {
	parts := make([]string, len(e))
	for i, d := range e {
		parts[i] = d.Error()
	}
	return strings.Join(parts, "\n")
}

// LineCol converts a byte offset in src to a 1-based line and column
// (columns count runes, as editors do).
func LineCol(src []byte, off int) (line, col int) {
	if off > len(src) {
		off = len(src)
	}
	line = 1
	start := 0
	for i := 0; i < off; i++ {
		if src[i] == '\n' {
			line++
			start = i + 1
		}
	}
	return line, len([]rune(string(src[start:off]))) + 1
}
