package browser

import (
	"bytes"
	"context"
	"fmt"
	"html"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/qorgau/qorgau/generator/internal/output"
	"github.com/qorgau/qorgau/generator/internal/site"
)

// lessonPath is the lesson the tests open in each language.
func lessonPath(lang string) string { return "/" + lang + "/penalties/what-changed/" }

// TestQuickExitLinksToConfiguredExitURL checks the site as published (no
// test override): every page has the two quick-exit links, and both point
// at the language's params.exitURL from config.toml. It needs no browser.
func TestQuickExitLinksToConfiguredExitURL(t *testing.T) {
	s := theSite(t)
	mem := output.NewMemory()
	if _, err := site.Build(context.Background(), site.Options{Source: os.DirFS(repoRoot(t)), Writer: mem}); err != nil {
		t.Fatalf("build: %v", err)
	}
	for _, lang := range langs {
		if !strings.HasPrefix(s.configExit[lang], "https://") {
			t.Errorf("params.exitURL of %s in config.toml is %q; want an https:// URL", lang, s.configExit[lang])
		}
	}
	link := regexp.MustCompile(`<a [^>]*data-quick-exit[^>]*>`)
	href := regexp.MustCompile(`\shref=("[^"]*"|'[^']*'|[^\s>]+)`)
	pages := 0
	for name, body := range mem.Files() {
		if !strings.HasSuffix(name, ".html") || bytes.Contains(body, []byte("http-equiv=refresh")) || bytes.Contains(body, []byte(`http-equiv="refresh"`)) {
			continue // alias redirect pages have no content
		}
		lang, _, _ := strings.Cut(name, "/")
		if !slices.Contains(langs, lang) {
			lang = "kk" // the root pages are in the default language
		}
		links := link.FindAllString(string(body), -1)
		if len(links) != 2 {
			t.Errorf("%s has %d quick-exit links; want 2 (the hidden first Tab stop and the button)", name, len(links))
			continue
		}
		for _, a := range links {
			m := href.FindStringSubmatch(a)
			if m == nil {
				t.Errorf("%s: quick-exit link %s has no href", name, a)
				continue
			}
			got, err := url.PathUnescape(html.UnescapeString(strings.Trim(m[1], `"'`)))
			if err != nil || got != s.configExit[lang] {
				t.Errorf("%s: quick-exit link %s points at %q; want %s's exitURL %q", name, a, got, lang, s.configExit[lang])
			}
		}
		pages++
	}
	if pages < 90 {
		t.Errorf("checked %d pages; want the whole site (at least 90)", pages)
	}
}

// TestQuickExit checks the quick exit in a real browser in each language:
// the button and Shift × 3 leave for the exit URL and keep the lesson out of
// the Back button's path; one Shift press announces, in the page's
// language, how many more are needed; the first Tab stop is the hidden exit
// link.
func TestQuickExit(t *testing.T) {
	s := theSite(t)
	ctx := newTab(t, 90*time.Second)
	t.Logf("browser: %s", browserVersion)

	// leaveAndGoBack opens A then B, runs exit on B, and checks where the
	// browser is, and where Back takes it.
	leaveAndGoBack := func(t *testing.T, lang string, exit func(t *testing.T)) {
		a, b := s.url("/"+lang+"/"), s.url(lessonPath(lang))
		navigate(t, ctx, a)
		navigate(t, ctx, b)
		before, _ := history(t, ctx)
		exit(t)
		want := s.exitURL[lang]
		got := waitURL(t, ctx, 5*time.Second, "the exit URL "+want, func(u string) bool { return u != b })
		if got != want {
			t.Fatalf("quick exit from %s went to %s; want the language's exitURL %s", b, got, want)
		}
		after, cur := history(t, ctx)
		if len(after) != len(before) {
			t.Errorf("history grew from %d to %d entries (%v → %v): the exit must replace the page (location.replace), not add one", len(before), len(after), before, after)
		}
		if slices.Contains(after, b) {
			t.Errorf("after the exit the history still holds the lesson %s: %v (current %d)", b, after, cur)
		}
		if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`history.back()`)); err != nil {
			t.Fatalf("history.back(): %v", err)
		}
		back := waitURL(t, ctx, 5*time.Second, "a page before the exit", func(u string) bool { return u != want })
		if back == b {
			t.Fatalf("Back after the quick exit returned to the lesson %s; the lesson must not be in the history", b)
		}
		if back != a {
			t.Errorf("Back after the quick exit went to %s; want the page before the lesson, %s", back, a)
		}
	}

	statusTexts := map[string]string{}
	for _, lang := range langs {
		t.Run(lang+"/button", func(t *testing.T) {
			leaveAndGoBack(t, lang, func(t *testing.T) {
				sel := chromedp.CSS("a.quick-exit-button[data-quick-exit]")
				href := eval[string](t, ctx, `document.querySelector("a.quick-exit-button[data-quick-exit]").href`)
				if href != s.exitURL[lang] {
					t.Errorf("the exit button's href is %s; want %s", href, s.exitURL[lang])
				}
				if err := chromedp.Do(ctx, chromedp.Click(sel, chromedp.NodeVisible)); err != nil {
					t.Fatalf("click the exit button: %v", err)
				}
			})
		})
		t.Run(lang+"/shift3", func(t *testing.T) {
			leaveAndGoBack(t, lang, func(t *testing.T) {
				for i := 0; i < 3; i++ {
					press(t, ctx, keyShift)
				}
			})
		})
		t.Run(lang+"/status", func(t *testing.T) {
			b := s.url(lessonPath(lang))
			navigate(t, ctx, b)
			attrs := eval[map[string]string](t, ctx, `(() => { const e = document.querySelector("[data-exit-status]"); return e ? {role: e.getAttribute("role") || "", live: e.getAttribute("aria-live") || "", text: e.textContent} : {}; })()`)
			if attrs["role"] != "status" || attrs["live"] == "" || attrs["live"] == "off" {
				t.Errorf("[data-exit-status] has role=%q aria-live=%q; want role=status and a live region", attrs["role"], attrs["live"])
			}
			if strings.TrimSpace(attrs["text"]) != "" {
				t.Errorf("[data-exit-status] says %q before any key press; want it empty", attrs["text"])
			}
			press(t, ctx, keyShift)
			text := strings.TrimSpace(eval[string](t, ctx, `document.querySelector("[data-exit-status]").textContent`))
			if text == "" {
				t.Fatalf("after one Shift press [data-exit-status] is empty; want a message in %s", lang)
			}
			statusTexts[lang] = text
			switch lang {
			case "en":
				if !strings.Contains(text, "2") || !strings.Contains(strings.ToLower(text), "shift") {
					t.Errorf("en status after one Shift press is %q; want it to say that 2 more presses exit", text)
				}
			default:
				if !regexp.MustCompile(`\p{Cyrillic}`).MatchString(text) {
					t.Errorf("%s status after one Shift press is %q; want Cyrillic text in the page's language", lang, text)
				}
			}
			// Another key in between starts the count again.
			press(t, ctx, keyA)
			press(t, ctx, keyShift)
			press(t, ctx, keyShift)
			time.Sleep(200 * time.Millisecond)
			if u := currentURL(t, ctx); u != b {
				t.Errorf("Shift, a, Shift, Shift left the page for %s; another key must reset the count", u)
			}
		})
		t.Run(lang+"/first-tab", func(t *testing.T) {
			firstTab(t, ctx, s.url(lessonPath(lang)))
		})
	}
	// A control: a plain navigation (location.assign) keeps the lesson in
	// the history, and the check above sees it. Without this, a broken
	// history check would pass for any theme.
	t.Run("control/assign-is-detected", func(t *testing.T) {
		a, b := s.url("/en/"), s.url(lessonPath("en"))
		navigate(t, ctx, a)
		navigate(t, ctx, b)
		if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`location.assign(`+jsString(s.exitURL["en"])+`)`)); err != nil {
			t.Fatal(err)
		}
		waitURL(t, ctx, 5*time.Second, "the exit URL", func(u string) bool { return u == s.exitURL["en"] })
		if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`history.back()`)); err != nil {
			t.Fatal(err)
		}
		if back := waitURL(t, ctx, 5*time.Second, "the lesson", func(u string) bool { return u != s.exitURL["en"] }); back != b {
			t.Fatalf("after location.assign and Back the tab is at %s; want %s (the control must see the lesson in the history)", back, b)
		}
	})
	t.Run("root/first-tab", func(t *testing.T) { firstTab(t, ctx, s.url("/")) })
	t.Run("status-differs-by-language", func(t *testing.T) {
		if len(statusTexts) != len(langs) {
			t.Skipf("have status texts of %d languages only", len(statusTexts))
		}
		seen := map[string]string{}
		for _, lang := range langs {
			if other, dup := seen[statusTexts[lang]]; dup {
				t.Errorf("the Shift status text is the same in %s and %s: %q", other, lang, statusTexts[lang])
			}
			seen[statusTexts[lang]] = lang
		}
		t.Logf("status after one Shift press: %q", statusTexts)
	})
}

// firstTab loads url and checks that one Tab press focuses the visually
// hidden exit link, which then shows on screen.
func firstTab(t *testing.T, ctx context.Context, url string) {
	navigate(t, ctx, url)
	press(t, ctx, keyTab)
	got := eval[map[string]any](t, ctx, `(() => {
		const e = document.activeElement, r = e.getBoundingClientRect();
		return {tag: e.tagName, cls: e.className, href: e.getAttribute("href") || "", text: e.textContent.trim(),
			exit: e.matches("a.exit-skip[data-quick-exit]"), left: r.left, top: r.top, width: r.width, height: r.height,
			vw: window.innerWidth, vh: window.innerHeight};
	})()`)
	if got["exit"] != true {
		t.Fatalf("the first Tab stop on %s is <%v class=%q href=%q> %q; want the hidden exit link a.exit-skip", url, got["tag"], got["cls"], got["href"], got["text"])
	}
	if got["text"] == "" {
		t.Errorf("the exit link on %s has no text", url)
	}
	left, top, w, h := num(got["left"]), num(got["top"]), num(got["width"]), num(got["height"])
	if left < 0 || top < 0 || w < 1 || h < 1 || left+w > num(got["vw"]) || top+h > num(got["vh"]) {
		t.Errorf("the focused exit link on %s is at %v,%v size %v×%v: not on screen (a focused link must be visible)", url, left, top, w, h)
	}
}

func num(v any) float64 {
	switch x := v.(type) {
	case float64:
		return x
	case int:
		return float64(x)
	}
	var f float64
	_, _ = fmt.Sscan(fmt.Sprint(v), &f)
	return f
}
