package check

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"
)

var (
	// resourceRe finds what makes a browser fetch something by itself.
	resourceRe = regexp.MustCompile(`(?i)<(script|img|iframe|frame|source|audio|video|embed|track|input)\b[^>]*?\ssrc="?([^" >]+)|<link\b[^>]*?\shref="?([^" >]+)|<form\b[^>]*?\saction="?([^" >]+)|<object\b[^>]*?\sdata="?([^" >]+)|<img\b[^>]*?\ssrcset="?([^" >]+)|url\(\s*['"]?([^'")]+)|@import\s+['"]([^'"]+)`)
	linkRelRe  = regexp.MustCompile(`(?i)<link\b[^>]*>`)
	aHrefRe    = regexp.MustCompile(`<a\b[^>]*?\shref="?(https?://[^" >]+)`)
)

// thirdParty reports whether u is on another origin than the site.
func (c *checker) thirdParty(u string) bool {
	u = strings.TrimSpace(u)
	if !(strings.HasPrefix(u, "//") || strings.Contains(u, "://")) {
		return false
	}
	return !strings.HasPrefix(u, c.cfg.BaseURL)
}

// privacy reports every page and stylesheet that would make the browser
// contact another origin.
func (c *checker) privacy() {
	outs := make([]string, 0, len(c.files))
	for out := range c.files {
		if strings.HasSuffix(out, ".html") || strings.HasSuffix(out, ".css") {
			outs = append(outs, out)
		}
	}
	sort.Strings(outs)
	fromTemplates := map[string][]string{} // URL -> output files, for what no source file says
	for _, out := range outs {
		data := string(c.files[out])
		for _, m := range resourceRe.FindAllStringSubmatch(data, -1) {
			u := ""
			for _, g := range m[2:] {
				if g != "" {
					u = g
					break
				}
			}
			if m[3] != "" {
				// <link href>: only what the browser loads by itself
				// (stylesheets, icons, preloads, fonts), not alternates.
				tag := linkRelRe.FindString(m[0] + ">")
				if strings.Contains(tag, "alternate") || strings.Contains(tag, "canonical") {
					continue
				}
			}
			if !c.thirdParty(u) {
				continue
			}
			file, line, col, url := c.where(out, u)
			if line == 0 {
				fromTemplates[u] = append(fromTemplates[u], out)
				continue
			}
			c.rep.add(Finding{Path: file, Line: line, Col: col, Severity: Error, Kind: "privacy", URL: url,
				Message: fmt.Sprintf("the page makes the reader's browser contact %s", u),
				Hint:    "copy the file into static/ and link it from this site, or remove it; readers may be watched"})
		}
	}
	for u, outs := range fromTemplates {
		c.rep.add(Finding{Path: "public/" + outs[0], Severity: Error, Kind: "privacy", URL: "/" + strings.TrimSuffix(outs[0], "index.html"),
			Message: fmt.Sprintf("%d page(s) make the reader's browser contact %s (from a layout or static file)", len(outs), u),
			Hint:    "find it in layouts/ or the theme; copy the file into static/ or remove it; readers may be watched"})
	}
}

// external lists links to other sites, and checks them when asked.
func (c *checker) external(ctx context.Context) {
	first := map[string][2]string{} // URL -> output page, source
	for out, data := range c.files {
		if !strings.HasSuffix(out, ".html") {
			continue
		}
		for _, m := range aHrefRe.FindAllStringSubmatch(string(data), -1) {
			u := m[1]
			if !c.thirdParty(u) {
				continue
			}
			if prev, ok := first[u]; !ok || out < prev[0] {
				first[u] = [2]string{out, u}
			}
		}
	}
	urls := make([]string, 0, len(first))
	for u := range first {
		urls = append(urls, u)
	}
	sort.Strings(urls)
	var mu sync.Mutex
	sem := make(chan struct{}, 4)
	var wg sync.WaitGroup
	for _, u := range urls {
		file, line, col, url := c.where(first[u][0], u)
		f := Finding{Path: file, Line: line, Col: col, Severity: Info, Kind: "external-link", URL: url, Message: "links to " + u}
		if c.opts.External == nil {
			c.rep.add(f)
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			if err := c.opts.External(u); err != nil {
				f.Severity, f.Message, f.Hint = Warning, fmt.Sprintf("external link %s: %v", u, err), "fix or remove the link; it may have moved"
			}
			mu.Lock()
			c.rep.add(f)
			mu.Unlock()
		}()
	}
	wg.Wait()
}

// HTTPCheck returns an external link checker with a timeout per link.
func HTTPCheck(timeout time.Duration) func(string) error {
	client := &http.Client{Timeout: timeout}
	return func(u string) error {
		req, err := http.NewRequest(http.MethodHead, u, nil)
		if err != nil {
			return err
		}
		req.Header.Set("User-Agent", "qorgau-check")
		resp, err := client.Do(req)
		if err == nil && resp.StatusCode == http.StatusMethodNotAllowed {
			resp.Body.Close()
			req.Method = http.MethodGet
			resp, err = client.Do(req)
		}
		if err != nil {
			return err
		}
		resp.Body.Close()
		if resp.StatusCode >= 400 {
			return fmt.Errorf("status %d", resp.StatusCode)
		}
		return nil
	}
}
