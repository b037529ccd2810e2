package search

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzTokens checks that tokenizing and stemming never panic, give valid
// UTF-8, never an empty token, and that stems do not grow.
func FuzzTokens(f *testing.F) {
	for _, s := range []string{"Зорлық-зомбылық: ЁЛКА, 112", "балаларымызға құқығы", "насилием защиты", "policies helping", "\xff\xfe", "ә ғ қ ң ө ұ ү һ і"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		if got, want := Fold(text), strings.ReplaceAll(strings.ToLower(text), "ё", "е"); got != want {
			t.Fatalf("Fold(%q) = %q, want %q", text, got, want) // the fast path must agree
		}
		for _, tok := range Tokens(text) {
			if tok == "" || !utf8.ValidString(tok) && utf8.ValidString(text) {
				t.Fatalf("bad token %q from %q", tok, text)
			}
			if tok != Fold(tok) {
				t.Fatalf("token %q not folded", tok)
			}
			for _, lang := range []string{"kk", "ru", "en"} {
				s := Stem(lang, tok)
				if s == "" || utf8.RuneCountInString(s) > utf8.RuneCountInString(tok) {
					t.Fatalf("Stem(%s, %q) = %q", lang, tok, s)
				}
			}
		}
	})
}
