// Package search builds the offline search index of a language: one
// JavaScript file per language, loaded with a script tag so it works from
// file:// as well as over HTTP, and the engine script that queries it.
//
// Words are folded the same way at build time (here, in Go) and at query
// time (search.js, in the browser): lower case, ё as е, Kazakh letters kept
// distinct. Russian words are stemmed with the Snowball Russian stemmer
// (kljensen/snowball here, a port of the same algorithm in search.js);
// Kazakh words with the light suffix stripping described in StemKazakh;
// English words with a light plural and -ing/-ed stripping. Tests run both
// implementations on real word forms and require the same stems.
package search

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/kljensen/snowball/russian"
)

// Fold lower-cases a word and writes ё as е.
func Fold(s string) string {
	if folded(s) {
		return s
	}
	s = strings.ToLower(s)
	return strings.ReplaceAll(s, "ё", "е")
}

// folded reports whether Fold would leave s as it is, for the usual
// case of a word in lower-case Latin, Cyrillic or Kazakh letters, without
// looking up Unicode case tables.
func folded(s string) bool {
	for _, r := range s {
		switch {
		case 'a' <= r && r <= 'z', '0' <= r && r <= '9', 0x430 <= r && r <= 0x44F: // а–я
		case r == 'ә' || r == 'ғ' || r == 'қ' || r == 'ң' || r == 'ө' || r == 'ұ' || r == 'ү' || r == 'һ' || r == 'і':
		default:
			return false
		}
	}
	return true
}

// Tokens splits text into folded words: runs of letters and digits.
func Tokens(text string) []string {
	var out []string
	eachWord(text, func(w string) { out = append(out, w) })
	return out
}

// eachWord calls fn with each folded word of text, in order.
func eachWord(text string, fn func(string)) {
	Words(text, func(w string, _, _ int) { fn(w) })
}

// Words calls fn with each folded word of text (a run of letters and
// digits) and the byte offsets of the word as written, in order.
func Words(text string, fn func(word string, start, end int)) {
	start := -1
	for i, r := range text {
		var word bool
		if r < utf8.RuneSelf {
			word = 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
		} else {
			word = unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
		}
		if word && start < 0 {
			start = i
		}
		if !word && start >= 0 {
			fn(Fold(text[start:i]), start, i)
			start = -1
		}
	}
	if start >= 0 {
		fn(Fold(text[start:]), start, len(text))
	}
}

// Stem reduces a folded word to the form the index stores.
func Stem(lang, word string) string {
	switch lang {
	case "ru":
		if utf8.RuneCountInString(word) <= 2 {
			return word
		}
		return russian.Stem(word, true)
	case "kk":
		return StemKazakh(word)
	case "en":
		return StemEnglish(word)
	}
	return word
}

// Kazakh is agglutinative: a word is a root followed by suffixes in a
// fixed order — plural, possessive, case (балалар-ымыз-ға "to our
// children"). StemKazakh strips up to three suffixes from the end, longest
// first, keeping a stem of at least two letters (four before a one-letter
// suffix) that still has a vowel. When a vowel-initial suffix was removed, a
// final voiced ғ, г or б goes back to қ, к or п (құқығы → құқық, мектебі →
// мектеп), undoing the voicing the suffix caused. It over-stems sometimes
// and never changes the letters ә ғ қ ң ө ұ ү һ і otherwise; both index
// and query use it, so forms of one word meet.
func StemKazakh(word string) string {
	w := []rune(word)
	for round := 0; round < 3; round++ {
		var cut []rune
		for _, sr := range kazakhSuffixRunes {
			if len(w) <= len(sr) || !hasSuffix(w, sr) {
				continue
			}
			min := 2
			if len(sr) == 1 {
				min = 4
			}
			stem := w[:len(w)-len(sr)]
			if len(stem) < min || !hasVowel(stem) {
				continue
			}
			cut = sr
			w = stem
			break
		}
		if cut == nil {
			break
		}
		if strings.ContainsRune(kazakhVowels, cut[0]) {
			switch w[len(w)-1] {
			case 'ғ':
				w[len(w)-1] = 'қ'
			case 'г':
				w[len(w)-1] = 'к'
			case 'б':
				w[len(w)-1] = 'п'
			}
		}
	}
	return string(w)
}

const kazakhVowels = "аәеиоөуұүыіэюя"

func hasSuffix(w, s []rune) bool {
	for i := range s {
		if w[len(w)-len(s)+i] != s[i] {
			return false
		}
	}
	return true
}

// kazakhSuffixRunes is kazakhSuffixes as runes, made once.
var kazakhSuffixRunes = func() [][]rune {
	out := make([][]rune, len(kazakhSuffixes))
	for i, s := range kazakhSuffixes {
		out[i] = []rune(s)
	}
	return out
}()

func hasVowel(w []rune) bool {
	for _, r := range w {
		if strings.ContainsRune(kazakhVowels, r) {
			return true
		}
	}
	return false
}

// kazakhSuffixes, longest first so that -лары is tried before -ы.
var kazakhSuffixes = []string{
	"ларымыз", "леріміз", "ларыңыз", "леріңіз",
	"лардың", "лердің", "дардың", "дердің", "тардың", "тердің",
	"лары", "лері", "дары", "дері", "тары", "тері",
	"ымыз", "іміз", "ыңыз", "іңіз",
	"ларға", "лерге", "ларда", "лерде", "лардан", "лерден", "ларды", "лерді", "лармен", "лермен",
	"ның", "нің", "дың", "дің", "тың", "тің",
	"нда", "нде", "нан", "нен", "дан", "ден", "тан", "тен",
	"мен", "бен", "пен",
	"лар", "лер", "дар", "дер", "тар", "тер",
	"мыз", "міз", "ңыз", "ңіз",
	"ға", "ге", "қа", "ке", "на", "не",
	"ны", "ні", "ды", "ді", "ты", "ті",
	"да", "де", "та", "те",
	"сы", "сі", "ым", "ім", "ың", "ің",
	"а", "е", "ы", "і", "н",
}

// StemEnglish strips common English inflections: plural -s/-es/-ies,
// -ing and -ed, keeping at least three letters.
func StemEnglish(w string) string {
	n := len(w)
	switch {
	case n > 4 && strings.HasSuffix(w, "ies"):
		return w[:n-3] + "y"
	case n > 5 && strings.HasSuffix(w, "ing"):
		return w[:n-3]
	case n > 4 && strings.HasSuffix(w, "ed"):
		return w[:n-2]
	case n > 4 && (strings.HasSuffix(w, "sses") || strings.HasSuffix(w, "shes") || strings.HasSuffix(w, "ches") || strings.HasSuffix(w, "xes")):
		return w[:n-2]
	case n > 3 && strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") && !strings.HasSuffix(w, "us") && !strings.HasSuffix(w, "is"):
		return w[:n-1]
	}
	return w
}
