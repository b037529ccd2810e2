package output

import (
	"fmt"
	"strings"
	"sync"
	"testing"
)

// TestScanURLs: every URL a browser may load or follow, with its tag,
// attribute and place — one case per way a page can make a reader's
// browser contact another origin.
func TestScanURLs(t *testing.T) {
	cases := []struct {
		name, doc string
		want      []string // tag attr use URL
	}{
		{"img src and every srcset candidate", `<img src="a.png" srcset="b.png 1x, https://cdn.example/c.png 2x">`,
			[]string{"img src load a.png", "img srcset load b.png", "img srcset load https://cdn.example/c.png"}},
		{"picture source srcset", `<picture><source srcset="https://x.example/a.webp 480w,https://x.example/b.webp 960w" type="image/webp"><img src="a.jpg" alt="A"></picture>`,
			[]string{"source srcset load https://x.example/a.webp", "source srcset load https://x.example/b.webp", "img src load a.jpg"}},
		{"srcset URL with commas", `<img srcset="a,b.png 1x,c.png">`, []string{"img srcset load a,b.png", "img srcset load c.png"}},
		{"video poster", `<video poster="https://x.example/p.jpg" src="v.mp4"></video>`,
			[]string{"video poster load https://x.example/p.jpg", "video src load v.mp4"}},
		{"svg image href and xlink:href", `<svg><image href="https://x.example/a.png"/><image xlink:href="https://x.example/b.png"/><a xlink:href="/en/"><text>t</text></a></svg>`,
			[]string{"image href load https://x.example/a.png", "image xlink:href load https://x.example/b.png", "a xlink:href navigate /en/"}},
		{"object data, embed, iframe", `<object data="https://x.example/o"></object><embed src="e.swf"><iframe src="https://x.example/f"></iframe>`,
			[]string{"object data load https://x.example/o", "embed src load e.swf", "iframe src load https://x.example/f"}},
		{"form action and formaction", `<form action="https://x.example/send"><button formaction="https://y.example/b">b</button><input type="image" src="i.png" formaction="/x"></form>`,
			[]string{"form action submit https://x.example/send", "button formaction submit https://y.example/b", "input src load i.png", "input formaction submit /x"}},
		{"link rels", `<link rel="stylesheet" href="/css/a.css"><link rel="preload" href="https://f.example/font.woff2" as="font"><link rel="alternate" hreflang="ru" href="https://site.example/ru/"><link rel="icon" href="//x.example/i.ico">`,
			[]string{"link href load /css/a.css", "link href load https://f.example/font.woff2", "link href navigate https://site.example/ru/", "link href load //x.example/i.ico"}},
		{"meta refresh", `<meta http-equiv="refresh" content="0; url=https://x.example/next">`, []string{"meta content redirect https://x.example/next"}},
		{"CSS in style attributes and elements", `<div style="background: url('https://x.example/bg.png')"></div><style>@import "https://x.example/a.css"; p{background:url(b.png)}</style>`,
			[]string{"div style load https://x.example/bg.png", "style  load https://x.example/a.css", "style  load b.png"}},
		{"a href, ping, entities", `<a href="/en/a/?x=1&amp;y=2#top" ping="https://t.example/p">t</a>`,
			[]string{"a href navigate /en/a/?x=1&y=2#top", "a ping load https://t.example/p"}},
		{"unquoted and spaced values", `<img src = a.png ><a href=' /b/ '>b</a>`, []string{"img src load a.png", "a href navigate /b/"}},
	}
	for _, c := range cases {
		s := ScanHTML([]byte(c.doc))
		var got []string
		for _, r := range s.Refs {
			got = append(got, strings.Join(strings.Fields(fmt.Sprintf("%s %s %s %s", r.Tag, r.Attr, useName(r.Use), r.URL)), " "))
			if raw := c.doc[r.Start:r.End]; !strings.Contains(strings.ReplaceAll(r.URL, "&", "&amp;"), raw) && raw != r.URL {
				t.Errorf("%s: %q is written at %d:%d as %q", c.name, r.URL, r.Start, r.End, raw)
			}
		}
		if strings.Join(got, "\n") != strings.Join(want(c.want), "\n") {
			t.Errorf("%s:\n got %q\nwant %q", c.name, got, c.want)
		}
	}
}

func want(w []string) []string {
	out := make([]string, len(w))
	for i, s := range w {
		out[i] = strings.Join(strings.Fields(s), " ")
	}
	return out
}

func useName(u Use) string {
	return [...]string{"load", "navigate", "submit", "redirect"}[u]
}

// TestScanPage: ids, headings, images, links and tables, and the URLs the
// scanner does not know, which it reports instead of ignoring.
func TestScanPage(t *testing.T) {
	s := ScanHTML([]byte(`<h1 id="t">Title</h1><h3>Deep <em>one</em></h3><a name="old"></a>
<img src="a.png"><img src="b.png" alt=""><img src="c.png" alt="C">
<a href="/x/"> <img src="d.png" alt="D"> </a><a href="#fn:1" class="footnote-ref">1</a><a href="/y/" aria-label="Y"></a><a href="/z/">here</a>
<table><tr><td>a</td></tr></table><table><thead><tr><th>h</th></tr></thead></table>
<div data-src="https://x.example/lazy.png" cite="https://x.example/c"></div>`))
	if strings.Join(s.IDs, ",") != "t,old" {
		t.Errorf("IDs %v", s.IDs)
	}
	if len(s.Headings) != 2 || s.Headings[1] != (Heading{3, "Deep one"}) {
		t.Errorf("Headings %v", s.Headings)
	}
	if len(s.Images) != 4 || s.Images[0].HasAlt || !s.Images[1].HasAlt || s.Images[1].Alt != "" || s.Images[2].Alt != "C" {
		t.Errorf("Images %+v", s.Images)
	}
	if len(s.Links) != 4 || !s.Links[0].ImageAlt || !s.Links[1].Footnote || !s.Links[2].Label || s.Links[3].Text != "here" {
		t.Errorf("Links %+v", s.Links)
	}
	if len(s.Tables) != 2 || s.Tables[0] || !s.Tables[1] {
		t.Errorf("Tables %v", s.Tables)
	}
	if len(s.Unknown) != 2 || s.Unknown[0].Attr != "data-src" || s.Unknown[1].Attr != "cite" {
		t.Errorf("Unknown %+v", s.Unknown)
	}
}

// TestScanLeavesDocument: the tokenizer marks the end of its input with
// a NUL written after the slice it is given when there is room. A scan of
// a page must not change the page: the build's files are shared by the
// server, the check report and export, which may scan one page at once.
func TestScanLeavesDocument(t *testing.T) {
	const page = `<p>a<svg viewBox="0 0 1 1"><a href="/x/">x</a></svg>b</p>` +
		`<style>p{background:url(/i.png)}</style><div style="color:red">c</div>`
	for _, spare := range []int{0, 1, 64} {
		doc := make([]byte, len(page), len(page)+spare)
		copy(doc, page)
		full := doc[:cap(doc)]
		for i := len(page); i < len(full); i++ {
			full[i] = '#'
		}
		want := string(full)
		s := ScanHTML(doc)
		if got := string(full); got != want {
			t.Errorf("spare %d: the scan changed the page:\n got %q\nwant %q", spare, got, want)
		}
		if len(s.Refs) == 0 {
			t.Errorf("spare %d: no references found", spare)
		}
		ScanCSS(doc[:len(doc)-1], 0, "", "")
		if got := string(full); got != want {
			t.Errorf("spare %d: ScanCSS changed its input's backing array", spare)
		}
	}
	// Under -race: many scans of one page at once.
	doc := make([]byte, len(page), 2*len(page))
	copy(doc, page)
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() { ScanHTML(doc[:len(page)-10]) })
	}
	wg.Wait()
}
