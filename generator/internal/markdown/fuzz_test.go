package markdown

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzConvert runs Qorgau's Markdown extensions (callouts, link
// resolution, heading IDs, raw HTML escaping) on arbitrary input: no panic,
// every problem positioned, headings with unique IDs, and no raw <script>
// or javascript: URL in the output.
func FuzzConvert(f *testing.F) {
	for _, s := range []string{
		"> [!WARNING]\n> Call 112.\n",
		"## Сіздің құқықтарыңыз\n\n## Сіздің құқықтарыңыз\n",
		"[x](../penalties/battery.md#a) [y](missing.md) ![i](diagram.svg)",
		"<script>alert(1)</script>\n\n[a](javascript:alert(1))",
		"> [!note]\n",
		"## A {#id}\n## A\n### a-1\n",
		"| a |\n|---|\n| 1 |\n\n- [x] t\n\n[^1]\n\n[^1]: n",
		"\"Закон\" -- 'важно'...",
		"![a](missing.md) ![b](../penalties/battery.md)",
	} {
		f.Add(s)
	}
	c := New(Options{Lang: "ru", Typographer: true})
	f.Fuzz(func(t *testing.T, src string) {
		if !utf8.ValidString(src) {
			return
		}
		res := c.Convert([]byte(src), Doc{File: "content/ru/s/p.md", Line: 4, Resolver: resolver})
		for _, p := range res.Problems {
			if p.Path != "content/ru/s/p.md" || p.Line < 4 {
				t.Fatalf("problem without position: %v", p)
			}
		}
		ids := map[string]bool{}
		for _, h := range res.Headings {
			if h.ID == "" || ids[h.ID] {
				t.Fatalf("heading ID %q empty or repeated in %q", h.ID, src)
			}
			ids[h.ID] = true
		}
		out := strings.ToLower(string(res.HTML))
		if strings.Contains(out, "<script") || strings.Contains(out, "href=\"javascript:") || strings.Contains(out, "src=\"javascript:") {
			t.Fatalf("unsafe output for %q:\n%s", src, res.HTML)
		}
	})
}
