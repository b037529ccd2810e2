package markdown

import (
	"strconv"
	"unicode"

	"github.com/yuin/goldmark/ast"
)

// ids makes heading IDs that keep letters of every script, so a Kazakh or
// Russian heading gets a readable anchor (#құқықтарыңыз), and keeps them
// unique within a page.
type ids struct {
	used map[string]bool
}

func newIDs() *ids { return &ids{used: map[string]bool{}} }

// Slug turns heading text into an anchor: lower-case letters and digits of
// any script, words joined by '-'.
func Slug(text string) string {
	out := make([]rune, 0, len(text))
	dash := false
	for _, r := range text {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r):
			if dash && len(out) > 0 {
				out = append(out, '-')
			}
			dash = false
			out = append(out, unicode.ToLower(r))
		case r == '-' || r == '_' || unicode.IsSpace(r) || r == '—' || r == '–':
			dash = true
		}
	}
	return string(out)
}

// Generate implements parser.IDs.
func (s *ids) Generate(value []byte, kind ast.NodeKind) []byte {
	base := Slug(string(value))
	if base == "" {
		base = "section"
	}
	id := base
	for i := 1; s.used[id]; i++ {
		id = base + "-" + strconv.Itoa(i)
	}
	s.used[id] = true
	return []byte(id)
}

// Put implements parser.IDs: it records an explicit {#id}.
func (s *ids) Put(value []byte) { s.used[string(value)] = true }
