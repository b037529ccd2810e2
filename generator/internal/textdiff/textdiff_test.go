package textdiff

import (
	"strings"
	"testing"
)

// markup writes ops as text with [-deleted-] and {+inserted+} parts, so
// expected diffs read at a glance.
func markup(ops []Op) string {
	var sb strings.Builder
	for _, op := range ops {
		switch op.Kind {
		case Delete:
			sb.WriteString("[-" + op.Text + "-]")
		case Insert:
			sb.WriteString("{+" + op.Text + "+}")
		default:
			sb.WriteString(op.Text)
		}
	}
	return sb.String()
}

// checkOps checks what every diff must satisfy: old and new rebuild byte
// for byte, no op is empty, neighbours differ in kind, and a change puts
// its deletion first.
func checkOps(t *testing.T, old, new string, ops []Op) {
	t.Helper()
	var o, n strings.Builder
	for i, op := range ops {
		if op.Text == "" {
			t.Fatalf("Words(%q, %q): empty op %d in %q", old, new, i, ops)
		}
		if i > 0 && (ops[i-1].Kind == op.Kind || ops[i-1].Kind == Insert && op.Kind == Delete) {
			t.Fatalf("Words(%q, %q): ops %d and %d are %v, %v", old, new, i-1, i, ops[i-1].Kind, op.Kind)
		}
		if op.Kind != Insert {
			o.WriteString(op.Text)
		}
		if op.Kind != Delete {
			n.WriteString(op.Text)
		}
	}
	if o.String() != old || n.String() != new {
		t.Fatalf("Words(%q, %q) rebuilds %q, %q", old, new, o.String(), n.String())
	}
	if Changed(ops) != (old != new) {
		t.Fatalf("Words(%q, %q): Changed = %v", old, new, Changed(ops))
	}
}

func TestWords(t *testing.T) {
	for _, c := range []struct{ name, old, new, want string }{
		{"en word replaced", "The cat sat on the mat.", "The dog sat on the mat.", "The [-cat-]{+dog+} sat on the mat."},
		{"en word inserted", "Read the text.", "Read the whole text.", "Read the {+whole +}text."},
		{"en word removed", "Read the whole text.", "Read the text.", "Read the [-whole -]text."},
		{"en punctuation", "Yes, really.", "Yes; really!", "Yes[-,-]{+;+} really[-.-]{+!+}"},
		{"en phrase rewritten", "I saw a big red car today", "I saw a small blue bus today", "I saw a [-big red car-]{+small blue bus+} today"},
		{"en case is a change", "the end", "The end", "[-the-]{+The+} end"},
		{"ru word replaced", "Мы изучаем русский язык.", "Мы изучаем казахский язык.", "Мы изучаем [-русский-]{+казахский+} язык."},
		{"ru words inserted", "Мы изучаем русский язык.", "Мы изучаем русский и казахский язык.", "Мы изучаем русский {+и казахский +}язык."},
		{"ru punctuation", "Привет, мир.", "Привет — мир!", "Привет[-,-]{+ —+} мир[-.-]{+!+}"},
		{"kk word replaced", "Бүгін біз қазақ тілін үйренеміз.", "Бүгін біз қазақ әдебиетін үйренеміз.", "Бүгін біз қазақ [-тілін-]{+әдебиетін+} үйренеміз."},
		{"kk letters ә ғ қ ң ө ұ ү һ і", "әғқ ңөұ үһі", "әғқ ңөұ үhі", "әғқ ңөұ [-үһі-]{+үhі+}"},
		{"kk word removed", "Ол өте жақсы оқиды.", "Ол жақсы оқиды.", "Ол [-өте -]жақсы оқиды."},
		{"combining mark stays", "и\u0306ә", "и\u0306a", "[-и\u0306ә-]{+и\u0306a+}"},
		{"mark after punctuation", "a-\u0301b", "a-b", "a[--\u0301-]{+-+}b"},
		{"digits are words", "Page 12 of 30", "Page 13 of 30", "Page [-12-]{+13+} of 30"},
		{"whitespace changed", "one two", "one  two", "one[- -]{+  +}two"},
		{"newline inserted", "one two", "one\ntwo", "one[- -]{+\n+}two"},
		{"nothing changed", "Сәлем, әлем!", "Сәлем, әлем!", "Сәлем, әлем!"},
		{"empty old", "", "Жаңа мәтін.", "{+Жаңа мәтін.+}"},
		{"empty new", "Ескі мәтін.", "", "[-Ескі мәтін.-]"},
		{"both empty", "", "", ""},
		{"invalid bytes", "a\xffb", "a\xfeb", "a[-\xff-]{+\xfe+}b"},
		{"split utf-8", "ә", "\xd3", "[-ә-]{+\xd3+}"},
	} {
		t.Run(c.name, func(t *testing.T) {
			ops := Words(c.old, c.new)
			checkOps(t, c.old, c.new, ops)
			if got := markup(ops); got != c.want {
				t.Errorf("Words(%q, %q)\n got %q\nwant %q", c.old, c.new, got, c.want)
			}
		})
	}
}

func TestTokens(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []string
	}{
		{"Сәлем, әлем!", []string{"Сәлем", ",", " ", "әлем", "!"}},
		{"a  \t\nb", []string{"a", "  \t\n", "b"}},
		{"и\u0306ә x\u0301", []string{"и\u0306ә", " ", "x\u0301"}},
		{"\u0301a", []string{"\u0301a"}},
		{"ab\xff\xfecd", []string{"ab", "\xff", "\xfe", "cd"}},
		{"co\u00adop", []string{"co\u00adop"}},
		{"5½%", []string{"5½", "%"}},
	} {
		ends := tokens(c.in)
		var got []string
		for i := range ends {
			got = append(got, c.in[start(ends, i):ends[i]])
		}
		if strings.Join(got, "|") != strings.Join(c.want, "|") {
			t.Errorf("tokens(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestHTML(t *testing.T) {
	ops := Words(`<script>alert("x")</script> & more`, `<script>alert('y')</script> & less`)
	got := HTML(ops)
	want := `&lt;script&gt;alert(<del>&#34;x&#34;</del><ins>&#39;y&#39;</ins>)&lt;/script&gt; &amp; <del>more</del><ins>less</ins>`
	if got != want {
		t.Errorf("HTML\n got %s\nwant %s", got, want)
	}
	if strings.Contains(got, "<script") {
		t.Errorf("HTML left a tag unescaped: %s", got)
	}
	if got := HTML([]Op{{Equal, "a\xffb"}}); got != "a\uFFFDb" {
		t.Errorf("HTML of invalid UTF-8 = %q", got)
	}
	if got := HTML(nil); got != "" {
		t.Errorf("HTML(nil) = %q", got)
	}
}

func TestChanged(t *testing.T) {
	if Changed(nil) || Changed([]Op{{Equal, "x"}}) {
		t.Error("Changed reports a change in equal ops")
	}
	if !Changed([]Op{{Equal, "x"}, {Insert, "y"}}) || !Changed([]Op{{Delete, "y"}}) {
		t.Error("Changed misses a change")
	}
}

func TestKindString(t *testing.T) {
	if Equal.String() != "Equal" || Insert.String() != "Insert" || Delete.String() != "Delete" || Kind(9).String() != "Kind(?)" {
		t.Error("Kind.String")
	}
}
