package check

import (
	"fmt"
	"path"
	"strings"

	"github.com/qorgau/qorgau/generator/internal/content"
	"github.com/qorgau/qorgau/generator/internal/output"
)

// vagueLinkText is link text that says nothing out of context, as screen
// reader users often hear links in a list.
var vagueLinkText = map[string]bool{
	"here": true, "click here": true, "this": true, "link": true, "more": true, "read more": true, "this page": true,
	"тут": true, "здесь": true, "сюда": true, "ссылка": true, "по ссылке": true, "подробнее": true, "нажмите здесь": true, "читать далее": true,
	"мұнда": true, "осында": true, "осы жерде": true, "сілтеме": true, "толығырақ": true, "мына жерде": true, "басыңыз": true,
}

// accessibility checks the Markdown content of every page, as the HTML
// scanner reads what the Markdown stage made of it.
func (c *checker) accessibility() {
	for _, p := range c.site.Pages {
		md := c.bodies.Of(p)
		if p.File == "" || md.Content == "" {
			continue
		}
		scan := output.ScanHTML([]byte(md.Content))
		c.altTexts(p, scan)
		c.headingOrder(p, scan)
		c.linkTexts(p, scan)
		for _, header := range scan.Tables {
			if header {
				continue
			}
			line, col := c.locateBody(p, "<table")
			c.rep.add(Finding{Path: p.File, Line: line, Col: col, Severity: Warning, Kind: "table-header", URL: p.URL,
				Message: "table has no header row", Hint: "give the table a header row so screen readers can name each column"})
		}
	}
}

// altTexts reports images without alt text.
func (c *checker) altTexts(p *content.Page, scan *output.Scanned) {
	for _, img := range scan.Images {
		if strings.TrimSpace(img.Alt) != "" {
			continue
		}
		line, col, ok := refAt(c.bodies.Of(p).Images, img.Src, "")
		if !ok {
			line, col = c.locateBody(p, path.Base(img.Src)+")")
		}
		c.rep.add(Finding{Path: p.File, Line: line, Col: col, Severity: Error, Kind: "alt-text", URL: p.URL,
			Message: fmt.Sprintf("image %s has no alt text", img.Src),
			Hint:    "describe the image in the brackets: ![what it shows](file.png); leave no image undescribed"})
	}
}

// headingOrder reports a second h1 and skipped heading levels.
func (c *checker) headingOrder(p *content.Page, scan *output.Scanned) {
	prev := 1 // the page title is the h1
	for _, h := range scan.Headings {
		line, col := c.locateBody(p, h.Text)
		switch {
		case h.Level == 1:
			c.rep.add(Finding{Path: p.File, Line: line, Col: col, Severity: Warning, Kind: "heading-order", URL: p.URL,
				Message: fmt.Sprintf("heading %q is a level-1 heading; the title is the page's only h1", h.Text),
				Hint:    "start sections with ## (level 2)"})
		case h.Level > prev+1:
			c.rep.add(Finding{Path: p.File, Line: line, Col: col, Severity: Warning, Kind: "heading-order", URL: p.URL,
				Message: fmt.Sprintf("heading %q skips from level %d to level %d", h.Text, prev, h.Level),
				Hint:    fmt.Sprintf("use %s here, or add the missing level above it", strings.Repeat("#", prev+1))})
		}
		prev = h.Level
	}
}

// linkTexts reports links without text and links whose text says nothing.
func (c *checker) linkTexts(p *content.Page, scan *output.Scanned) {
	for _, a := range scan.Links {
		if a.Footnote {
			continue
		}
		text := strings.TrimSpace(a.Text)
		if text == "" {
			if a.Label || a.ImageAlt {
				continue
			}
			line, col, ok := refAt(c.bodies.Of(p).Links, a.Href, "")
			if !ok {
				line, col = c.locateEmptyLink(p)
			}
			c.rep.add(Finding{Path: p.File, Line: line, Col: col, Severity: Error, Kind: "empty-link", URL: p.URL,
				Message: fmt.Sprintf("link to %s has no text", a.Href),
				Hint:    "write what the link leads to between the brackets: [numbers to call](...)"})
			continue
		}
		if vagueLinkText[strings.ToLower(strings.Trim(text, " .!:»«\"'"))] {
			line, col, ok := refAt(c.bodies.Of(p).Links, a.Href, text)
			if !ok {
				line, col = c.locateBody(p, "["+text+"]")
			}
			c.rep.add(Finding{Path: p.File, Line: line, Col: col, Severity: Warning, Kind: "vague-link", URL: p.URL,
				Message: fmt.Sprintf("link text %q does not say where it leads", text),
				Hint:    "use words that make sense on their own, e.g. [numbers to call](...)"})
		}
	}
}

// locateBody finds text in a page's source, at or after its body.
func (c *checker) locateBody(p *content.Page, needle string) (int, int) {
	src := c.source(p.File)
	lines := strings.Split(string(src), "\n")
	for i := max(p.BodyLine-1, 0); i < len(lines); i++ {
		if j := strings.Index(lines[i], needle); j >= 0 {
			return i + 1, len([]rune(lines[i][:j])) + 1
		}
	}
	return p.BodyLine, 0
}

// locateEmptyLink finds "[](" in a page's body that is not an image's "![](".
func (c *checker) locateEmptyLink(p *content.Page) (int, int) {
	lines := strings.Split(string(c.source(p.File)), "\n")
	for i := max(p.BodyLine-1, 0); i < len(lines); i++ {
		l := lines[i]
		for j := strings.Index(l, "[]("); j >= 0; {
			if j == 0 || l[j-1] != '!' {
				return i + 1, len([]rune(l[:j])) + 1
			}
			k := strings.Index(l[j+1:], "[](")
			if k < 0 {
				break
			}
			j += 1 + k
		}
	}
	return p.BodyLine, 0
}

// refAt is where a page's body has the link or image to url (with text,
// when text is not empty), as the Markdown stage reported it.
func refAt(refs []content.Ref, url, text string) (line, col int, ok bool) {
	for _, r := range refs {
		if r.Line > 0 && r.URL == url && (text == "" && strings.TrimSpace(r.Text) == "" || text != "" && strings.TrimSpace(r.Text) == text) {
			return r.Line, r.Col, true
		}
	}
	return 0, 0, false
}
