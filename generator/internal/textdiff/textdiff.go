// Package textdiff computes word-level differences between two versions of a
// text, for the editors' workbench that shows a translator what changed in an
// original lesson since the translation was last synced.
//
// Words diffs one field or paragraph token by token (words, runs of
// whitespace, single punctuation marks); Paragraphs first aligns the
// paragraphs of two Markdown texts and then diffs each changed pair; HTML
// renders the result with <ins> and <del>. Both diffs are bounded: when two
// texts differ too much for the budget, the rest is shown as one deletion
// followed by one insertion instead of taking unbounded time.
package textdiff

import (
	"html"
	"strings"
)

// Kind says what an Op does to the old text.
type Kind int

const (
	// Equal text is in both the old and the new text.
	Equal Kind = iota
	// Insert text is only in the new text.
	Insert
	// Delete text is only in the old text.
	Delete
)

// String returns the name of the kind, for test output and logs.
func (k Kind) String() string {
	switch k {
	case Equal:
		return "Equal"
	case Insert:
		return "Insert"
	case Delete:
		return "Delete"
	}
	return "Kind(?)"
}

// Op is one piece of a diff. Its Text is never empty.
type Op struct {
	Kind Kind
	Text string
}

// Words diffs old and new by tokens: a run of letters, digits and combining
// marks, a run of whitespace, or any other single character (an invalid
// UTF-8 byte counts as one character). Adjacent ops never share a kind, and
// within a change Delete comes before Insert. The Equal and Delete texts
// concatenate to old, the Equal and Insert texts to new, byte for byte.
// Equal text that is only whitespace, or short next to the changes on both
// its sides, is folded into those changes so a rewritten phrase reads as one
// change rather than as scattered words. Words of two equal texts is a
// single Equal op, or nil when both are empty.
func Words(old, new string) []Op {
	b := newBudget()
	return words(old, new, &b)
}

// Changed reports whether ops contain an insertion or a deletion.
func Changed(ops []Op) bool {
	for _, op := range ops {
		if op.Kind != Equal {
			return true
		}
	}
	return false
}

// HTML renders ops as HTML: Equal text as is, Insert inside <ins> and Delete
// inside <del>. All text is escaped, and invalid UTF-8 becomes U+FFFD so the
// page stays well-formed; whitespace and newlines are kept, for a container
// styled with white-space: pre-wrap.
func HTML(ops []Op) string {
	var sb strings.Builder
	for _, op := range ops {
		text := html.EscapeString(strings.ToValidUTF8(op.Text, "\uFFFD"))
		switch op.Kind {
		case Insert:
			sb.WriteString("<ins>")
			sb.WriteString(text)
			sb.WriteString("</ins>")
		case Delete:
			sb.WriteString("<del>")
			sb.WriteString(text)
			sb.WriteString("</del>")
		default:
			sb.WriteString(text)
		}
	}
	return sb.String()
}
