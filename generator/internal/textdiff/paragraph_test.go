package textdiff

import (
	"strings"
	"testing"
)

// describe writes a block as "= text" (same), "- text" (deleted), "+ text"
// (inserted) or "~ markup" (edited).
func describe(b Block) string {
	switch {
	case b.Old == "":
		return "+ " + b.New
	case b.New == "":
		return "- " + b.Old
	case !Changed(b.Ops):
		return "= " + b.Old
	}
	return "~ " + markup(b.Ops)
}

// checkBlocks checks that the blocks rebuild the paragraphs of both texts
// and that each block's ops diff its Old against its New.
func checkBlocks(t *testing.T, old, new string, blocks []Block) {
	t.Helper()
	var po, pn []string
	for _, b := range blocks {
		if b.Old == "" && b.New == "" {
			t.Fatalf("Paragraphs(%q, %q): empty block", old, new)
		}
		if b.Old != "" {
			po = append(po, b.Old)
		}
		if b.New != "" {
			pn = append(pn, b.New)
		}
		checkOps(t, b.Old, b.New, b.Ops)
	}
	if want := split(normalize(old)); !equalStrings(po, want) {
		t.Fatalf("Paragraphs(%q, %q): old paragraphs %q, want %q", old, new, po, want)
	}
	if want := split(normalize(new)); !equalStrings(pn, want) {
		t.Fatalf("Paragraphs(%q, %q): new paragraphs %q, want %q", old, new, pn, want)
	}
}

func equalStrings(a, b []string) bool {
	return strings.Join(a, "\x00") == strings.Join(b, "\x00") && len(a) == len(b)
}

func TestParagraphs(t *testing.T) {
	const (
		kk1 = "Қазақ тілі — түркі тілдерінің бірі."
		kk2 = "Бұл сабақта біз етістіктерді қарастырамыз."
		ru1 = "Русский язык — один из славянских языков."
		ru2 = "В этом уроке мы разберём глаголы."
		en1 = "English is a West Germanic language."
		en2 = "In this lesson we look at verbs."
	)
	for _, c := range []struct {
		name, old, new string
		want           []string
	}{
		{"nothing changed", kk1 + "\n\n" + kk2, kk1 + "\n\n" + kk2, []string{"= " + kk1, "= " + kk2}},
		{"kk word in one paragraph", kk1 + "\n\n" + kk2, kk1 + "\n\n" + strings.Replace(kk2, "етістіктерді", "зат есімдерді", 1),
			[]string{"= " + kk1, "~ Бұл сабақта біз [-етістіктерді-]{+зат есімдерді+} қарастырамыз."}},
		{"ru paragraph added", ru1 + "\n\n" + ru2, ru1 + "\n\nНовый абзац.\n\n" + ru2,
			[]string{"= " + ru1, "+ Новый абзац.", "= " + ru2}},
		{"en paragraph removed", en1 + "\n\nOld note.\n\n" + en2, en1 + "\n\n" + en2,
			[]string{"= " + en1, "- Old note.", "= " + en2}},
		{"paragraph moved", en1 + "\n\n" + en2 + "\n\n" + ru1, en2 + "\n\n" + ru1 + "\n\n" + en1,
			[]string{"- " + en1, "= " + en2, "= " + ru1, "+ " + en1}},
		{"unrelated replacement", en1, ru1, []string{"- " + en1, "+ " + ru1}},
		{"edited among inserted", "Intro.\n\nThe verb is a word of action.\n\nEnd.",
			"Intro.\n\nA new paragraph before.\n\nThe verb is the word of action.\n\nEnd.",
			[]string{"= Intro.", "+ A new paragraph before.", "~ The verb is [-a-]{+the+} word of action.", "= End."}},
		{"crlf is lf", "One line\r\nsecond line\r\n\r\nTwo.", "One line\nsecond line\n\nTwo!",
			[]string{"= One line\nsecond line", "~ Two[-.-]{+!+}"}},
		{"blank lines and spaces", "\n\n  A.\n \t \n\n\nB.\n\n", "  A.\n\nB.", []string{"=   A.", "= B."}},
		{"code fence keeps blank lines", "Text.\n\n```go\nx := 1\n\ny := 2\n```\n\nAfter.", "Text.\n\n```go\nx := 1\n\ny := 3\n```\n\nAfter.",
			[]string{"= Text.", "~ ```go\nx := 1\n\ny := [-2-]{+3+}\n```", "= After."}},
		{"inline triple backticks", "```a```\n\nb", "```a```\n\nc", []string{"= ```a```", "- b", "+ c"}},
		{"empty old", "", kk1 + "\n\n" + kk2, []string{"+ " + kk1, "+ " + kk2}},
		{"empty new", ru1 + "\n\n" + ru2, "", []string{"- " + ru1, "- " + ru2}},
		{"both empty", "", "\n\n", nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			blocks := Paragraphs(c.old, c.new)
			checkBlocks(t, c.old, c.new, blocks)
			var got []string
			for _, b := range blocks {
				got = append(got, describe(b))
			}
			if !equalStrings(got, c.want) {
				t.Errorf("Paragraphs\n got %q\nwant %q", got, c.want)
			}
		})
	}
}

// checkSplit checks that split drops only blank lines: the paragraphs are
// found in order, and what lies between them is whitespace holding a blank
// line.
func checkSplit(t *testing.T, s string) {
	t.Helper()
	paras := split(s)
	pos := 0
	for i, p := range paras {
		if strings.TrimSpace(p) == "" {
			t.Fatalf("split(%q): blank paragraph %d", s, i)
		}
		at := strings.Index(s[pos:], p)
		if at < 0 {
			t.Fatalf("split(%q): paragraph %q not found after %d", s, p, pos)
		}
		gap := s[pos : pos+at]
		if !onlySpace(gap) || i > 0 && strings.Count(gap, "\n") < 2 {
			t.Fatalf("split(%q): gap %q before paragraph %d", s, gap, i)
		}
		pos += at + len(p)
	}
	if !onlySpace(s[pos:]) {
		t.Fatalf("split(%q): lost tail %q", s, s[pos:])
	}
}

func TestSplit(t *testing.T) {
	for _, s := range []string{"", "a", "a\nb\n\nc", "\n\na\n \nb\n", "~~~\n\n~~\n\n~~~~\nx\n\ny", "````\n```\n\n````\n\nz", "   ```\n\n   ```\n\nq"} {
		checkSplit(t, s)
	}
	if got := split("~~~\na\n\n~~\n\nb\n~~~\n\nc"); len(got) != 2 || got[1] != "c" {
		t.Errorf("a short closing fence closed the block: %q", got)
	}
}
