package markdown

import (
	stdhtml "html"
	"regexp"
	"strings"
	"testing"
)

func TestTypeset(t *testing.T) {
	cases := []struct{ lang, in, want string }{
		{"ru", `Что такое "буллинг"?`, "Что такое «буллинг»?"},
		{"kk", `"Беттен шығу" батырмасы`, "«Беттен шығу» батырмасы"},
		{"en", `The "Exit this page" button`, "The “Exit this page” button"},
		{"en", `Don't wait -- call 112...`, "Don’t wait – call 112…"},
		{"en", "A --- B", "A — B"},
		{"ru", "нет кавычек", "нет кавычек"},
		{"ru", `*не* [разметка](x) "да"`, "*не* [разметка](x) «да»"},
		{"en", `  "lead" and trail  `, "  “lead” and trail  "},
		{"ru", "строка \"один\"\nи \"два\"", "строка «один»\nи «два»"},
		{"en", `a < b > c & "d"`, "a < b > c & “d”"},
		{"en", "", ""},
	}
	for _, c := range cases {
		conv := New(Options{Lang: c.lang, Typographer: true})
		if got := conv.Typeset(c.in); got != c.want {
			t.Errorf("%s Typeset(%q) = %q, want %q", c.lang, c.in, got, c.want)
		}
	}
	off := New(Options{Lang: "ru"})
	if got := off.Typeset(`"x"`); got != `"x"` {
		t.Errorf("without the typographer Typeset changed %q to %q", `"x"`, got)
	}
}

// A front matter text gets the marks its body would get.
func TestTypesetMatchesBody(t *testing.T) {
	tags := regexp.MustCompile(`<[^>]+>`)
	for _, lang := range []string{"kk", "ru", "en"} {
		conv := New(Options{Lang: lang, Typographer: true})
		for _, s := range []string{
			`Он сказал: "Хватит" -- и ушёл...`,
			`"Quoted" at the start, and 'single' ones, it's fine`,
			`Numbers like 5'10" and "nested 'quotes'" end.`,
			`(«already» and "new")`,
		} {
			body := strings.TrimSpace(string(conv.Convert([]byte(s), Doc{}).HTML))
			body = stdhtml.UnescapeString(tags.ReplaceAllString(body, ""))
			if got := conv.Typeset(s); got != body {
				t.Errorf("%s: Typeset(%q) = %q; the body gets %q", lang, s, got, body)
			}
		}
	}
}

func TestProse(t *testing.T) {
	src := "# Заголовок\n\nТекст `код` и [ссылка](http://x/домашнее) тут.\n\n```\nдомашнее насилие\n```\n\n- пункт\n  продолжение\n\n<div>html</div>\n"
	var got []string
	blocks := map[string]int{}
	for _, r := range Prose([]byte(src)) {
		if src[r.Offset:r.Offset+len(r.Text)] != r.Text {
			t.Errorf("run %q is not at offset %d", r.Text, r.Offset)
		}
		got = append(got, r.Text)
		blocks[r.Text] = r.Block
	}
	want := "Заголовок|Текст | и |ссылка| тут.|пункт|продолжение"
	if strings.Join(got, "|") != want {
		t.Errorf("Prose = %q, want %q", strings.Join(got, "|"), want)
	}
	if blocks["Заголовок"] == blocks["Текст "] || blocks["Текст "] != blocks[" тут."] || blocks["пункт"] != blocks["продолжение"] {
		t.Errorf("blocks: %v", blocks)
	}
}

// TestRefs: the Markdown stage reports the links and images it wrote, with
// their text and where they are.
func TestRefs(t *testing.T) {
	conv := New(Options{Lang: "en"})
	src := "Intro.\n\nSee [the help](https://example.org/help) and ![a map](map.png).\n\n## A [heading link](https://example.org/h)\n"
	res := conv.Convert([]byte(src), Doc{File: "x.md", Line: 3})
	if len(res.Links) != 2 || len(res.Images) != 1 {
		t.Fatalf("links %+v, images %+v", res.Links, res.Images)
	}
	if l := res.Links[0]; l.URL != "https://example.org/help" || l.Text != "the help" || l.Line != 5 || l.Col != 5 {
		t.Errorf("link %+v; want the help at 5:5", l)
	}
	if i := res.Images[0]; i.URL != "map.png" || i.Text != "a map" || i.Line != 5 || i.Col != 46 {
		t.Errorf("image %+v; want a map at 5:46", i)
	}
	if l := res.Links[1]; l.Text != "heading link" || l.Line != 7 {
		t.Errorf("link in a heading %+v", l)
	}
}
