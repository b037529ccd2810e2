package browser

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// screenshotDir is where TestScreenshots writes its PNG files. The folder
// is git-ignored (/generator/**/testdata/screenshots/).
const screenshotDir = "testdata/screenshots"

// layoutPages are the pages that are photographed and checked on small
// screens, in each language.
var layoutPages = []struct{ name, path string }{
	{"home", "/%s/"},
	{"lesson", "/%s/penalties/what-changed/"},
	{"help", "/%s/help/numbers-and-services/"},
}

// viewport sets the tab's window size in CSS pixels (device scale 1). A
// desktop viewport, so that a page wider than the window scrolls sideways
// instead of being zoomed out as a phone would.
func viewport(tb testing.TB, ctx context.Context, width, height int64) {
	tb.Helper()
	_, err := chromedp.Call(ctx, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{
		Width: width, Height: height, DeviceScaleFactor: 1,
	})
	if err != nil {
		tb.Fatalf("set the viewport to %d×%d: %v", width, height, err)
	}
}

// TestScreenshots writes screenshots of the home page, a lesson and the help
// page at 360 and 1280 CSS pixels to testdata/screenshots/ for a person to
// look at: the whole page in English, the first screen (800 px high) in
// Kazakh and Russian. QORGAU_SCREENSHOTS=full takes whole pages in every
// language (slower: about a second each on 2 cores).
func TestScreenshots(t *testing.T) {
	s := theSite(t)
	ctx := newTab(t, 3*time.Minute)
	if err := os.MkdirAll(screenshotDir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, width := range []int64{360, 1280} {
		viewport(t, ctx, width, 800)
		for _, lang := range langs {
			full := lang == "en" || os.Getenv("QORGAU_SCREENSHOTS") == "full"
			for _, p := range layoutPages {
				name := fmt.Sprintf("%s-%s-%d.png", p.name, lang, width)
				t.Run(name, func(t *testing.T) {
					navigate(t, ctx, s.url(fmt.Sprintf(p.path, lang)))
					shot := chromedp.CaptureScreenshot()
					if full {
						shot = chromedp.FullScreenshot(100) // quality 100: PNG
					}
					png, err := chromedp.Run(ctx, shot)
					if err != nil {
						t.Fatalf("screenshot: %v", err)
					}
					if len(png) < 1000 || string(png[1:4]) != "PNG" {
						t.Fatalf("screenshot is %d bytes and no PNG", len(png))
					}
					if err := os.WriteFile(filepath.Join(screenshotDir, name), png, 0o644); err != nil {
						t.Fatal(err)
					}
				})
			}
		}
	}
	abs, _ := filepath.Abs(screenshotDir)
	t.Logf("screenshots in %s", abs)
}

// TestNoHorizontalScroll checks at 320 CSS pixels, the narrowest phone
// WCAG's reflow criterion (1.4.10) names, that the home page, a lesson and
// the help page need no sideways scrolling, and names what sticks out when
// one does.
func TestNoHorizontalScroll(t *testing.T) {
	s := theSite(t)
	ctx := newTab(t, 60*time.Second)
	viewport(t, ctx, 320, 640)
	for _, lang := range langs {
		for _, p := range layoutPages {
			path := fmt.Sprintf(p.path, lang)
			t.Run(p.name+"-"+lang, func(t *testing.T) {
				navigate(t, ctx, s.url(path))
				got := eval[map[string]any](t, ctx, `(() => {
					const w = window.innerWidth, out = [];
					for (const e of document.querySelectorAll("body *")) {
						const r = e.getBoundingClientRect();
						if (r.width > 0 && r.right > w + 0.5 && !e.closest(".visually-hidden, .exit-skip, .skip-link")) {
							const name = x => x.tagName.toLowerCase() + (x.id ? "#" + x.id : "") + (typeof x.className === "string" && x.className.trim() ? "." + x.className.trim().split(/\s+/).join(".") : "");
							out.push((e.parentElement ? name(e.parentElement) + " > " : "") + name(e) + " (right edge at " + Math.round(r.right) + "px, width " + Math.round(r.width) + "px)");
						}
					}
					return {scrollWidth: document.documentElement.scrollWidth, innerWidth: w, wide: out.slice(0, 10)};
				})()`)
				sw, iw := num(got["scrollWidth"]), num(got["innerWidth"])
				if iw != 320 {
					t.Fatalf("window.innerWidth is %v; want 320", iw)
				}
				if sw > iw {
					t.Errorf("%s at 320px: document.documentElement.scrollWidth %v > window.innerWidth %v (horizontal scroll); elements past the right edge: %v", path, sw, iw, got["wide"])
				}
			})
		}
	}
}

// TestHomePaths checks on a 360×640 phone that each language's home page
// opens with its three ways in — help now, understanding, teaching — all
// inside the first screen, each a tap target of at least 44 px, leading to
// the help section, the start page and the educators' section.
func TestHomePaths(t *testing.T) {
	s := theSite(t)
	ctx := newTab(t, 60*time.Second)
	viewport(t, ctx, 360, 640)
	want := []string{"/help/", "/start-here/", "/audience/"} // "I teach": lessons by audience
	for _, lang := range langs {
		t.Run(lang, func(t *testing.T) {
			navigate(t, ctx, s.url("/"+lang+"/"))
			got := eval[[]any](t, ctx, `[...document.querySelectorAll("main nav.paths a")].map(a => {
				const r = a.getBoundingClientRect();
				return {href: new URL(a.href).pathname, text: a.textContent.trim(), top: r.top, bottom: r.bottom, width: r.width, height: r.height, inner: window.innerHeight};
			})`)
			if len(got) != len(want) {
				t.Fatalf("%d paths on the %s home page; want %d", len(got), lang, len(want))
			}
			for i, g := range got {
				a := g.(map[string]any)
				if a["href"] != "/"+lang+want[i] {
					t.Errorf("path %d (%v) leads to %v; want /%s%s", i, a["text"], a["href"], lang, want[i])
				}
				if num(a["bottom"]) > num(a["inner"]) || num(a["top"]) < 0 {
					t.Errorf("path %q spans %v–%v px: not inside the first %v px", a["text"], a["top"], a["bottom"], a["inner"])
				}
				if num(a["height"]) < 44 || num(a["width"]) < 44 {
					t.Errorf("path %q is %v×%v px; a tap target needs 44×44", a["text"], a["width"], a["height"])
				}
			}
		})
	}
}
