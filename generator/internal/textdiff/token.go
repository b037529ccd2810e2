package textdiff

import (
	"unicode"
	"unicode/utf8"
)

// tokens returns the end offset of every token of s, in order.
func tokens(s string) []int {
	ends := make([]int, 0, len(s)/4+1)
	for i := 0; i < len(s); {
		i = tokenEnd(s, i)
		ends = append(ends, i)
	}
	return ends
}

// tokenEnd returns where the token that starts at i ends.
func tokenEnd(s string, i int) int {
	r, n := utf8.DecodeRuneInString(s[i:])
	if r == utf8.RuneError && n == 1 {
		return i + 1 // each invalid byte is a token, so bytes survive the round trip
	}
	j := i + n
	switch {
	case inWord(r):
		for j < len(s) {
			r, n = utf8.DecodeRuneInString(s[j:])
			if (r == utf8.RuneError && n == 1) || !inWord(r) {
				break
			}
			j += n
		}
		return j
	case isSpace(r):
		for j < len(s) {
			r, n = utf8.DecodeRuneInString(s[j:])
			if !isSpace(r) {
				break
			}
			j += n
		}
	}
	return skipMarks(s, j)
}

// skipMarks keeps combining marks with the character before them.
func skipMarks(s string, j int) int {
	for j < len(s) {
		r, n := utf8.DecodeRuneInString(s[j:])
		if !isMark(r) {
			break
		}
		j += n
	}
	return j
}

// inWord reports whether r belongs in a word token. Marks keep decomposed
// letters (и + U+0306) whole; joiners and the soft hyphen sit inside words.
func inWord(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
	}
	switch {
	case 0x400 <= r && r <= 0x4ff:
		return r != 0x482 // Cyrillic: all letters and marks but the thousands sign
	case r == '\u00ad', r == '\u200c', r == '\u200d':
		return true
	}
	return unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.IsMark(r)
}

// isSpace is unicode.IsSpace with Cyrillic, the common case, answered
// without a table search.
func isSpace(r rune) bool {
	if 0x400 <= r && r <= 0x4ff {
		return false
	}
	return unicode.IsSpace(r)
}

// isMark is unicode.IsMark, quick for the common scripts: no mark lies
// below U+0300, and Cyrillic has only U+0483-U+0489.
func isMark(r rune) bool {
	switch {
	case r < 0x300:
		return false
	case 0x400 <= r && r <= 0x4ff:
		return 0x483 <= r && r <= 0x489
	}
	return unicode.IsMark(r)
}

// isWord reports whether the token tok is a word rather than space or
// punctuation.
func isWord(tok string) bool {
	r, n := utf8.DecodeRuneInString(tok)
	return !(r == utf8.RuneError && n <= 1) && inWord(r)
}

// onlySpace reports whether s is all whitespace.
func onlySpace(s string) bool {
	for _, r := range s {
		if !unicode.IsSpace(r) {
			return false
		}
	}
	return true
}

// interner gives equal strings equal small ids, so the diff compares ints.
type interner map[string]int32

func (in interner) id(s string) int32 {
	if v, ok := in[s]; ok {
		return v
	}
	v := int32(len(in))
	in[s] = v
	return v
}

// ids returns the ids of the tokens of s numbered from first to last-1.
func (in interner) ids(s string, ends []int, first, last int) []int32 {
	out := make([]int32, 0, last-first)
	for t := first; t < last; t++ {
		out = append(out, in.id(s[start(ends, t):ends[t]]))
	}
	return out
}

// start returns the offset where token t begins.
func start(ends []int, t int) int {
	if t == 0 {
		return 0
	}
	return ends[t-1]
}
