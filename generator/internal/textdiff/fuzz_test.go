package textdiff

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// seeds are pairs that exercise tokens, folding and paragraph alignment.
var seeds = [][2]string{
	{"", ""},
	{"", "a"},
	{"The cat sat.", "The dog sat!"},
	{"Мы изучаем язык.", "Мы изучаем русский язык."},
	{"Бүгін біз қазақ тілін үйренеміз.", "Бүгін қазақ әдебиетін үйренеміз"},
	{"и\u0306 x\u0301", "и x"},
	{"a\xffb\xc3", "a\xfeb\xc3\xa9"},
	{"a b c d e", "e d c b a"},
	{"one\r\n\r\ntwo\n\nthree", "one\n\n2\n\nthree\n\nfour"},
	{"```\na\n\nb\n```\n\nc", "```\na\n\nB\n```\nc"},
	{"  \n\t\n", " x \n"},
}

// FuzzWords checks that any two texts rebuild from their word diff, and
// that Paragraphs rebuilds their paragraphs.
func FuzzWords(f *testing.F) {
	for _, s := range seeds {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, old, new string) {
		checkOps(t, old, new, Words(old, new))
		checkBlocks(t, old, new, Paragraphs(old, new))
	})
}

// FuzzParagraphs checks the paragraph split and alignment on their own.
func FuzzParagraphs(f *testing.F) {
	for _, s := range seeds {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, old, new string) {
		checkSplit(t, normalize(old))
		checkBlocks(t, old, new, Paragraphs(old, new))
	})
}

// pieces are the fragments TestRandomEdits builds texts from: letters of
// the three languages, marks, spaces, line breaks, fences, invalid bytes.
var pieces = []string{"ә", "қ", "і", "я", "a", "B", "7", " ", "  ", "\t", "\n", "\n\n", "\r\n", ",", ".", "—",
	"\u0301", "\u00a0", "```", "~~~", "\xff", "\xd3", "сөз", "слово", "word", "the"}

// TestRandomEdits runs the fuzz checks on many random texts and random
// edits of them, so the properties are exercised on every test run.
func TestRandomEdits(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	text := func(n int) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = pieces[rng.IntN(len(pieces))]
		}
		return out
	}
	for range 20000 {
		a := text(rng.IntN(40))
		b := append([]string(nil), a...)
		for range rng.IntN(6) {
			if i := rng.IntN(len(b) + 1); rng.IntN(2) == 0 || i == len(b) {
				b = append(b[:i], append(text(1+rng.IntN(3)), b[i:]...)...)
			} else {
				b = append(b[:i], b[i+1:]...)
			}
		}
		old, new := strings.Join(a, ""), strings.Join(b, "")
		checkOps(t, old, new, Words(old, new))
		checkBlocks(t, old, new, Paragraphs(old, new))
		checkSplit(t, normalize(old))
	}
}
