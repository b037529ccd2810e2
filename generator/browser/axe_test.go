package browser

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// axeTags are the WCAG rule sets the pages must meet.
var axeTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"}

// pageTypes are the pages, one of each type, that the accessibility and
// privacy tests load.
var pageTypes = []struct{ name, path string }{
	{"root", "/"},
	{"home-en", "/en/"},
	{"home-ru", "/ru/"},
	{"home-kk", "/kk/"},
	{"section", "/ru/penalties/"},
	{"lesson", "/kk/penalties/what-changed/"},
	{"help", "/en/help/numbers-and-services/"},
	{"safety", "/ru/help/stay-safe-online/"},
	{"404", "/en/404.html"},
}

// darkPages are the pages also checked with prefers-color-scheme: dark.
var darkPages = []struct{ name, path string }{
	{"root", "/"},
	{"home-en", "/en/"},
	{"section", "/ru/penalties/"},
	{"lesson", "/kk/penalties/what-changed/"},
	{"help", "/en/help/numbers-and-services/"},
	{"404", "/en/404.html"},
}

var (
	axeOnce   sync.Once
	axeSource string
	axeErr    error
	axePath   string
)

// axeJS returns the source of axe.min.js: from AXE_CORE_JS, else from
// <repo>/node_modules/axe-core/axe.min.js. It skips the test (fails it in
// CI) when neither exists.
func axeJS(tb testing.TB) string {
	tb.Helper()
	root := repoRoot(tb)
	axeOnce.Do(func() {
		axePath = os.Getenv("AXE_CORE_JS")
		if axePath == "" {
			axePath = filepath.Join(root, "node_modules", "axe-core", "axe.min.js")
		}
		b, err := os.ReadFile(axePath)
		axeSource, axeErr = string(b), err
	})
	if axeErr != nil {
		missing(tb, "accessibility tests need axe-core: %v; install it outside the repository with `npm install --prefix /tmp/qorgau-npm axe-core` and set AXE_CORE_JS=/tmp/qorgau-npm/node_modules/axe-core/axe.min.js", axeErr)
	}
	return axeSource
}

type axeNode struct {
	Target  []string `json:"target"`
	HTML    string   `json:"html"`
	Impact  string   `json:"impact"`
	Summary string   `json:"summary"`
}

type axeRule struct {
	ID      string    `json:"id"`
	Impact  string    `json:"impact"`
	Help    string    `json:"help"`
	HelpURL string    `json:"helpUrl"`
	Nodes   []axeNode `json:"nodes"`
}

type axeResult struct {
	Version    string    `json:"version"`
	Violations []axeRule `json:"violations"`
	Incomplete []axeRule `json:"incomplete"`
	Passes     []string  `json:"passes"`
}

// runAxe injects axe-core into the loaded page and runs it with runOnly.
func runAxe(tb testing.TB, ctx context.Context, runOnly string) axeResult {
	tb.Helper()
	src := axeJS(tb)
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](src)); err != nil {
		tb.Fatalf("inject axe-core from %s: %v", axePath, err)
	}
	script := `(() => {
	const rules = list => list.map(v => ({id: v.id, impact: v.impact || "", help: v.help, helpUrl: v.helpUrl,
		nodes: v.nodes.map(n => ({target: n.target.map(x => Array.isArray(x) ? x.join(" >>> ") : String(x)),
			html: n.html, impact: n.impact || "", summary: n.failureSummary || ""}))}));
	return axe.run(document, {runOnly: ` + runOnly + `, resultTypes: ["violations", "incomplete"]})
		.then(r => ({version: r.testEngine.version, violations: rules(r.violations), incomplete: rules(r.incomplete), passes: r.passes.map(p => p.id)}));
})()`
	res, err := chromedp.Run(ctx, chromedp.Evaluate[axeResult](script, chromedp.EvalAwaitPromise))
	if err != nil {
		tb.Fatalf("axe.run: %v", err)
	}
	return res
}

// describe lists rules with their impact and every node's selector.
func describe(rules []axeRule) string {
	var b strings.Builder
	for _, r := range rules {
		fmt.Fprintf(&b, "\n  [%s] %s: %s (%s)", r.Impact, r.ID, r.Help, r.HelpURL)
		for _, n := range r.Nodes {
			fmt.Fprintf(&b, "\n      %s  impact=%s  %s", strings.Join(n.Target, ", "), n.Impact, shorten(n.HTML, 160))
			if n.Summary != "" {
				fmt.Fprintf(&b, "\n        %s", shorten(n.Summary, 300))
			}
		}
	}
	return b.String()
}

// severe returns the rules with impact serious or critical.
func severe(rules []axeRule) []axeRule {
	var out []axeRule
	for _, r := range rules {
		if r.Impact == "serious" || r.Impact == "critical" {
			out = append(out, r)
		}
	}
	return out
}

func tagsRunOnly() string {
	return `{type: "tag", values: ["` + strings.Join(axeTags, `", "`) + `"]}`
}

// checkAxe runs axe on the loaded page and fails on serious or critical
// violations, printing every violation.
func checkAxe(t *testing.T, ctx context.Context, url string) axeResult {
	t.Helper()
	res := runAxe(t, ctx, tagsRunOnly())
	if bad := severe(res.Violations); len(bad) > 0 {
		t.Errorf("%s: %d serious or critical axe-core %s violations; all violations:%s", url, len(bad), res.Version, describe(res.Violations))
	} else if len(res.Violations) > 0 {
		t.Logf("%s: minor or moderate violations:%s", url, describe(res.Violations))
	}
	if len(res.Incomplete) > 0 {
		ids := make([]string, 0, len(res.Incomplete))
		for _, r := range res.Incomplete {
			ids = append(ids, fmt.Sprintf("%s(%d)", r.ID, len(r.Nodes)))
		}
		t.Logf("%s: axe could not decide (needs review): %s", url, strings.Join(ids, " "))
	}
	return res
}

// TestAxe runs axe-core's WCAG 2.2 AA rules on each page type.
func TestAxe(t *testing.T) {
	axeJS(t)
	s := theSite(t)
	ctx := newTab(t, 90*time.Second)
	for _, p := range pageTypes {
		t.Run(p.name, func(t *testing.T) {
			navigate(t, ctx, s.url(p.path))
			res := checkAxe(t, ctx, p.path)
			if len(res.Passes) < 10 {
				t.Errorf("%s: axe passed only %d rules (%v); did it run on the page?", p.path, len(res.Passes), res.Passes)
			}
			t.Logf("%s: axe-core %s, %d rules passed, %d violated, %d need review", p.path, res.Version, len(res.Passes), len(res.Violations), len(res.Incomplete))
		})
	}
	// A control: a page with known problems must fail, so a broken
	// injection or a silent axe cannot pass the tests above.
	t.Run("control", func(t *testing.T) {
		navigate(t, ctx, s.url(neutralPath+"control/"))
		eval[chromedp.Void](t, ctx, `document.body.insertAdjacentHTML("beforeend", '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="><p style="color:#777;background:#888">low contrast</p>')`)
		res := runAxe(t, ctx, tagsRunOnly())
		ids := map[string]string{}
		for _, r := range res.Violations {
			ids[r.ID] = r.Impact
		}
		if ids["image-alt"] != "critical" || ids["color-contrast"] != "serious" {
			t.Fatalf("axe on a page with an image without alt and low-contrast text found %v; want image-alt (critical) and color-contrast (serious)", ids)
		}
	})
}

// TestAxeDark runs the same rules with prefers-color-scheme: dark, and
// checks that the color-contrast rule ran.
func TestAxeDark(t *testing.T) {
	axeJS(t)
	s := theSite(t)
	ctx := newTab(t, 90*time.Second)
	_, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
		Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: "dark"}},
	})
	if err != nil {
		t.Fatalf("emulate dark mode: %v", err)
	}
	for _, p := range darkPages {
		t.Run(p.name, func(t *testing.T) {
			navigate(t, ctx, s.url(p.path))
			dark := eval[map[string]any](t, ctx, `({dark: matchMedia("(prefers-color-scheme: dark)").matches, bg: getComputedStyle(document.documentElement).backgroundColor})`)
			if dark["dark"] != true {
				t.Fatalf("%s: prefers-color-scheme: dark is not in effect", p.path)
			}
			if dark["bg"] == "rgb(255, 255, 255)" {
				t.Errorf("%s: the page stays white in dark mode", p.path)
			}
			res := checkAxe(t, ctx, p.path+" (dark)")
			ran := slices.Contains(res.Passes, "color-contrast")
			for _, r := range append(res.Violations, res.Incomplete...) {
				ran = ran || r.ID == "color-contrast"
			}
			if !ran {
				t.Errorf("%s (dark): the color-contrast rule did not run", p.path)
			}
			for _, r := range res.Violations {
				if r.ID == "color-contrast" {
					t.Errorf("%s (dark): color-contrast violations:%s", p.path, describe([]axeRule{r}))
				}
			}
		})
	}
}
