package browser

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/qorgau/qorgau/generator/internal/images/imagetest"
)

// TestImagesOnAPhone opens a lesson with three 4000 × 3000 photos (about
// 3 MB each as taken) on a 360 px wide phone screen and checks what the
// reader's connection carries: the whole page, every photo scrolled into
// view, is at most 200 KB; each photo comes as its 360 px WebP; and the
// page does not move as the photos arrive (no layout shift), because every
// image says its width and height.
func TestImagesOnAPhone(t *testing.T) {
	dir := copySite(t)
	lesson := filepath.Join(dir, "content", "en", "rights", "photos-in-class")
	if err := os.MkdirAll(lesson, 0o755); err != nil {
		t.Fatal(err)
	}
	var body strings.Builder
	body.WriteString("+++\ntitle = \"A lesson with photos\"\ndescription = \"Three photos of a classroom.\"\nlastReviewed = 2026-11-01\n+++\n")
	for i := range 3 {
		name := "photo-" + string(rune('a'+i)) + ".jpg"
		if err := os.WriteFile(filepath.Join(lesson, name), imagetest.Photo(4000, 3000, uint32(i+1), 1), 0o644); err != nil {
			t.Fatal(err)
		}
		body.WriteString("\nA paragraph of the lesson before the photo, long enough to take a few lines on a phone's screen, so the photos come one after the other as the reader scrolls.\n\n")
		body.WriteString("![A classroom, photo " + string(rune('A'+i)) + "](" + name + ")\n")
	}
	body.WriteString("\nThe end of the lesson.\n")
	if err := os.WriteFile(filepath.Join(lesson, "index.md"), []byte(body.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := startSite(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.close()

	ctx := newTab(t, 90*time.Second, chromedp.WithNewBrowserContext())
	viewport(t, ctx, 360, 740)
	// Layout shifts are counted from the first paint on.
	_, err = chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{
		Source: `window.__shift = 0; new PerformanceObserver(l => { for (const e of l.getEntries()) if (!e.hadRecentInput) { window.__shift += e.value; (window.__shifts = window.__shifts || []).push(e.value.toFixed(4) + " " + (e.sources || []).map(s => s.node ? (s.node.nodeName + "." + s.node.className + " " + JSON.stringify(s.previousRect) + "->" + JSON.stringify(s.currentRect)) : "?").join("; ")); } }).observe({type: "layout-shift", buffered: true});`,
	})
	if err != nil {
		t.Fatal(err)
	}
	navigate(t, ctx, s.url("/en/rights/photos-in-class/"))
	// Scroll through the lesson as a reader does, so every lazy photo loads.
	for range 12 {
		eval[chromedp.Void](t, ctx, `window.scrollBy(0, 400)`)
		time.Sleep(100 * time.Millisecond)
	}
	waitFor(t, ctx, `[...document.querySelectorAll("article img")].every(i => i.complete && i.naturalWidth > 0)`, "every photo loaded")
	time.Sleep(300 * time.Millisecond)

	type img struct {
		Src           string
		Width, Height string
		Loading       string
	}
	imgs := eval[[]img](t, ctx, `[...document.querySelectorAll("article picture img")].map(i => ({Src: i.currentSrc, Width: i.getAttribute("width"), Height: i.getAttribute("height"), Loading: i.loading}))`)
	if len(imgs) != 3 {
		t.Fatalf("%d pictures on the page, want 3: %+v", len(imgs), imgs)
	}
	for i, im := range imgs {
		if !strings.HasSuffix(im.Src, ".360w.webp") {
			t.Errorf("photo %d: the phone loaded %s, not the 360 px WebP", i, im.Src)
		}
		if im.Width == "" || im.Height == "" {
			t.Errorf("photo %d has no width or height: %+v", i, im)
		}
		if want := map[bool]string{true: "auto", false: "lazy"}[i == 0]; im.Loading != want {
			t.Errorf("photo %d loads %s, want %s", i, im.Loading, want)
		}
	}
	transferred := eval[float64](t, ctx, `performance.getEntriesByType("navigation")[0].transferSize + performance.getEntriesByType("resource").reduce((n, e) => n + e.transferSize, 0)`)
	t.Logf("transferred at 360 px: %.0f KB", transferred/1024)
	if transferred > 200*1024 {
		t.Errorf("the lesson with three photos transferred %.0f KB at 360 px; the budget is 200 KB", transferred/1024)
	}
	if shift := eval[float64](t, ctx, `window.__shift`); shift > 0.001 {
		t.Errorf("the page moved as the photos loaded: layout shift %.3f: %v", shift, eval[[]string](t, ctx, `window.__shifts`))
	}
}
