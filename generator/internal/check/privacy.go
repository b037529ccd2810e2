package check

import (
	"context"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/qorgau/qorgau/generator/internal/output"
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
		var refs []output.Ref
		if strings.HasSuffix(out, ".css") {
			refs = output.ScanCSS(c.files[out], 0, "", "")
		} else {
			s := c.scan(out)
			refs = s.Refs
			for _, u := range s.Unknown {
				if c.thirdParty(u.URL) {
					c.unknownURL(out, u)
				}
			}
		}
		for _, ref := range refs {
			u := ref.URL
			// What the browser loads, sends or is sent to by itself; links
			// the reader follows and metadata (canonical, alternate) are
			// external links, listed by external.
			if ref.Use == output.Navigate || !c.thirdParty(u) {
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
	for out := range c.files {
		if !strings.HasSuffix(out, ".html") {
			continue
		}
		for _, l := range c.scan(out).Links {
			u := l.Href
			if !strings.HasPrefix(u, "http://") && !strings.HasPrefix(u, "https://") || !c.thirdParty(u) {
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

// unknownURL reports a URL to another origin in an attribute the scanner
// does not know: it cannot tell whether the browser loads it, so it says so.
func (c *checker) unknownURL(out string, u output.Ref) {
	file, line, col, url := c.where(out, u.URL)
	c.rep.add(Finding{Path: file, Line: line, Col: col, Severity: Warning, Kind: "privacy", URL: url,
		Message: fmt.Sprintf("<%s %s> names %s; the check cannot tell whether a browser loads it", u.Tag, u.Attr, u.URL),
		Hint:    "if a script loads it, copy the file into static/; otherwise use a link (<a href>) for addresses readers follow"})
}
