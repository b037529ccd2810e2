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
	// Warning is reported but does not fail a build.
	Warning
)

func (s Severity) String() string {
	if s == Warning {
		return "warning"
	}
	return "error"
}

// Diagnostic is one problem at one place in the sources.
type Diagnostic struct {
	Path     string // slash-separated path relative to the site root
	Line     int    // 1-based; 0 when the problem concerns the whole file
	Col      int    // 1-based; 0 when unknown
	Severity Severity
	Message  string // what is wrong
	Hint     string // what to do about it; may be empty
}

// Error formats the diagnostic as path:line:col: message (hint).
func (d Diagnostic) Error() string {
	var b strings.Builder
	b.WriteString(d.Pos())
	b.WriteString(": ")
	if d.Severity == Warning {
		b.WriteString("warning: ")
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
	l.Add(&Diagnostic{Path: path, Message: err.Error()})
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
		if i > 0 && *d == *all[i-1] {
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
