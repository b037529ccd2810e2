package check

import (
	"fmt"
	"html"
	"path"
	"regexp"
	"strings"

	"github.com/qorgau/qorgau/generator/internal/content"
)

var (
	imgRe     = regexp.MustCompile(`<img\b[^>]*>`)
	altRe     = regexp.MustCompile(`\salt="([^"]*)"`)
	srcRe     = regexp.MustCompile(`\ssrc="([^"]*)"`)
	headingRe = regexp.MustCompile(`<h([1-6])\b[^>]*>(.*?)</h[1-6]>`)
	anchorRe  = regexp.MustCompile(`(?s)<a\b([^>]*)>(.*?)</a>`)
	ariaRe    = regexp.MustCompile(`\saria-label="([^"]+)"`)
	tableRe   = regexp.MustCompile(`(?s)<table\b.*?</table>`)
	tagsRe    = regexp.MustCompile(`<[^>]*>`)
)

// vagueLinkText is link text that says nothing out of context, as screen
// reader users often hear links in a list.
var vagueLinkText = map[string]bool{
	"here": true, "click here": true, "this": true, "link": true, "more": true, "read more": true, "this page": true,
	"тут": true, "здесь": true, "сюда": true, "ссылка": true, "по ссылке": true, "подробнее": true, "нажмите здесь": true, "читать далее": true,
	"мұнда": true, "осында": true, "осы жерде": true, "сілтеме": true, "толығырақ": true, "мына жерде": true, "басыңыз": true,
}

// accessibility checks the Markdown content of every page.
func (c *checker) accessibility() {
	for _, p := range c.site.Pages {
		if p.File == "" || p.Content == "" {
			continue
		}
		body := string(p.Content)
		for _, img := range imgRe.FindAllString(body, -1) {
			alt := altRe.FindStringSubmatch(img)
			if alt != nil && strings.TrimSpace(alt[1]) != "" {
				continue
			}
			src := ""
			if m := srcRe.FindStringSubmatch(img); m != nil {
				src = html.UnescapeString(m[1])
			}
			line, col := c.locateBody(p, path.Base(src)+")")
			c.rep.add(Finding{Path: p.File, Line: line, Col: col, Severity: Error, Kind: "alt-text", URL: p.URL,
				Message: fmt.Sprintf("image %s has no alt text", src),
				Hint:    "describe the image in the brackets: ![what it shows](file.png); leave no image undescribed"})
		}
		prev := 1 // the page title is the h1
		for _, h := range headingRe.FindAllStringSubmatch(body, -1) {
			level := int(h[1][0] - '0')
			text := html.UnescapeString(tagsRe.ReplaceAllString(h[2], ""))
			line, col := c.locateBody(p, text)
			switch {
			case level == 1:
				c.rep.add(Finding{Path: p.File, Line: line, Col: col, Severity: Warning, Kind: "heading-order", URL: p.URL,
					Message: fmt.Sprintf("heading %q is a level-1 heading; the title is the page's only h1", text),
					Hint:    "start sections with ## (level 2)"})
			case level > prev+1:
				c.rep.add(Finding{Path: p.File, Line: line, Col: col, Severity: Warning, Kind: "heading-order", URL: p.URL,
					Message: fmt.Sprintf("heading %q skips from level %d to level %d", text, prev, level),
					Hint:    fmt.Sprintf("use %s here, or add the missing level above it", strings.Repeat("#", prev+1))})
			}
			prev = level
		}
		for _, a := range anchorRe.FindAllStringSubmatch(body, -1) {
			if strings.Contains(a[1], "footnote") {
				continue
			}
			inner := a[2]
			text := strings.TrimSpace(html.UnescapeString(tagsRe.ReplaceAllString(inner, "")))
			if text == "" {
				if ariaRe.MatchString(a[1]) || altRe.MatchString(inner) && !strings.Contains(inner, `alt=""`) {
					continue
				}
				href := ""
				if m := regexp.MustCompile(`href="([^"]*)"`).FindStringSubmatch(a[1]); m != nil {
					href = m[1]
				}
				line, col := c.locateEmptyLink(p)
				c.rep.add(Finding{Path: p.File, Line: line, Col: col, Severity: Error, Kind: "empty-link", URL: p.URL,
					Message: fmt.Sprintf("link to %s has no text", href),
					Hint:    "write what the link leads to between the brackets: [numbers to call](...)"})
				continue
			}
			if vagueLinkText[strings.ToLower(strings.Trim(text, " .!:»«\"'"))] {
				line, col := c.locateBody(p, "["+text+"]")
				c.rep.add(Finding{Path: p.File, Line: line, Col: col, Severity: Warning, Kind: "vague-link", URL: p.URL,
					Message: fmt.Sprintf("link text %q does not say where it leads", text),
					Hint:    "use words that make sense on their own, e.g. [numbers to call](...)"})
			}
		}
		for _, t := range tableRe.FindAllString(body, -1) {
			if strings.Contains(t, "<th") {
				continue
			}
			line, col := c.locateBody(p, "<table")
			c.rep.add(Finding{Path: p.File, Line: line, Col: col, Severity: Warning, Kind: "table-header", URL: p.URL,
				Message: "table has no header row", Hint: "give the table a header row so screen readers can name each column"})
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
