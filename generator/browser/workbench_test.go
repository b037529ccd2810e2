package browser

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/qorgau/qorgau/generator/internal/serve"
)

// screenshot saves the tab as name.png into testdata/screenshots/ (not
// committed), as TestScreenshots does: the README's pictures of the
// workbench are made this way.
func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	img, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err == nil {
		err = os.MkdirAll(screenshotDir, 0o755)
	}
	if err == nil {
		err = os.WriteFile(filepath.Join(screenshotDir, name+".png"), img, 0o644)
	}
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
}

// openWorkbench starts the preview server, with its workbench, on a copy
// of the repository's site, and opens a tab.
func openWorkbench(t *testing.T) (string, *serve.Server, context.Context) {
	t.Helper()
	dir := copySite(t)
	sctx, cancel := context.WithCancel(context.Background())
	srv := serve.New(serve.Options{Source: dir, Port: 0})
	if err := srv.Start(sctx); err != nil {
		cancel()
		t.Fatal(err)
	}
	t.Cleanup(func() { cancel(); srv.Wait() })
	srv.Built()
	return dir, srv, newTab(t, 3*time.Minute)
}

// TestWorkbench creates a lesson in three languages through the forms,
// adds a quiz row and a source, saves, and sees the page in the preview;
// axe-core finds no serious or critical problem on the workbench's pages.
func TestWorkbench(t *testing.T) {
	dir, srv, ctx := openWorkbench(t)

	navigate(t, ctx, srv.URL()+"_edit/")
	checkAxe(t, ctx, "overview")
	screenshot(t, ctx, "workbench-overview")
	// On a tablet the overview and a lesson's form fit the width.
	viewport(t, ctx, 768, 1024)
	for _, page := range []string{"_edit/", "_edit/lesson?file=content/en/rights/childrens-rights.md"} {
		navigate(t, ctx, srv.URL()+page)
		if w := eval[float64](t, ctx, `document.documentElement.scrollWidth`); w > 768 {
			t.Errorf("%s is %v px wide on a 768 px tablet", page, w)
		}
	}
	viewport(t, ctx, 1280, 800)

	navigate(t, ctx, srv.URL()+"_edit/new")
	eval[bool](t, ctx, `(() => { document.querySelector("#section").value = "rights"; document.querySelector("#name").value = "asking-for-help";
		document.querySelector("main form button[type=submit]").click(); return true; })()`)
	waitFor(t, ctx, `!!document.querySelector("#f-title")`, "the new lesson's form")
	for _, lang := range []string{"kk", "ru", "en"} {
		if _, err := os.Stat(filepath.Join(dir, "content", lang, "rights", "asking-for-help.md")); err != nil {
			t.Fatalf("%s not created: %v", lang, err)
		}
	}
	checkAxe(t, ctx, "lesson form")
	// Fill the form: the title, a quiz row added with the button, a source.
	eval[bool](t, ctx, `(() => {
		document.querySelector("#f-title").value = "Сұрау — көмек сұрау";
		document.querySelector("[name=draft]").checked = false;
		const set = [...document.querySelectorAll("fieldset")].find(f => f.querySelector("[name=quizQuestion]"));
		[...set.querySelectorAll(":scope > button")].pop().click();
		const qs = set.querySelectorAll("[name=quizQuestion]"), as = set.querySelectorAll("[name=quizAnswer]");
		qs[qs.length-1].value = "Кімге хабарласуға болады?"; as[as.length-1].value = "111";
		const src = document.querySelectorAll("[name=sourceTitle]"), url = document.querySelectorAll("[name=sourceURL]");
		src[src.length-1].value = "Әділет"; url[url.length-1].value = "https://adilet.zan.kz/";
		document.querySelector("#lesson-form button[type=submit]").click(); return true; })()`)
	waitFor(t, ctx, `location.search.includes("done=saved")`, "the saved notice")
	src, _ := os.ReadFile(filepath.Join(dir, "content", "kk", "rights", "asking-for-help.md"))
	for _, want := range []string{"Сұрау — көмек сұрау", "Кімге хабарласуға болады?", "https://adilet.zan.kz/"} {
		if !strings.Contains(string(src), want) {
			t.Fatalf("saved file lacks %q:\n%s", want, src)
		}
	}
	// The preview beside the form shows the rebuilt page.
	deadline := time.Now().Add(20 * time.Second)
	for {
		title := eval[string](t, ctx, `(() => { const f = document.querySelector(".preview iframe"); const h = f && f.contentDocument && f.contentDocument.querySelector("h1"); return h ? h.textContent : ""; })()`)
		if strings.Contains(title, "көмек сұрау") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the preview shows %q, not the saved title", title)
		}
		time.Sleep(300 * time.Millisecond)
		navigate(t, ctx, currentURL(t, ctx))
	}
	screenshot(t, ctx, "workbench-lesson")
}

// waitFor polls a JavaScript condition until it holds.
func waitFor(t *testing.T, ctx context.Context, cond, what string) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !eval[bool](t, ctx, cond) {
		if time.Now().After(deadline) {
			t.Fatalf("waiting for %s: %s", what, currentURL(t, ctx))
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestWorkbenchTranslation: the English original changes through the
// form; the Kazakh translation's page highlights the words added; marking
// it synced makes the overview show it up to date. axe-core checks the
// translation page.
func TestWorkbenchTranslation(t *testing.T) {
	_, srv, ctx := openWorkbench(t)
	orig, tr := "content/en/rights/childrens-rights.md", "content/kk/rights/childrens-rights.md"
	kkCell := `(() => { const a = [...document.querySelectorAll("td a")].find(a => decodeURIComponent(a.getAttribute("href")).endsWith("` + tr + `"));
		return a ? a.closest("td").className : ""; })()`

	// Synced now, so the text the translation was made from is kept.
	navigate(t, ctx, srv.URL()+"_edit/translate?file="+tr)
	eval[bool](t, ctx, `(() => { document.querySelector('form[action="/_edit/sync"] button').click(); return true; })()`)
	waitFor(t, ctx, `location.search.includes("done=synced")`, "the sync")

	navigate(t, ctx, srv.URL()+"_edit/lesson?file="+orig)
	eval[bool](t, ctx, `(() => { const b = document.querySelector("#f-body"); b.value = b.value + "\n\nEvery child can ask a trusted adult for help.\n";
		document.querySelector("#lesson-form button[type=submit]").click(); return true; })()`)
	waitFor(t, ctx, `location.search.includes("done=saved")`, "the save")

	waitOverview := func(want string) {
		deadline := time.Now().Add(20 * time.Second)
		for {
			navigate(t, ctx, srv.URL()+"_edit/?q=")
			if got := eval[string](t, ctx, kkCell); got == want {
				return
			} else if time.Now().After(deadline) {
				t.Fatalf("the Kazakh cell is %q, want %q", got, want)
			}
			time.Sleep(200 * time.Millisecond)
		}
	}
	waitOverview("st-outdated")
	navigate(t, ctx, srv.URL()+"_edit/translate?file="+tr)
	if ins := eval[string](t, ctx, `[...document.querySelectorAll(".original ins")].map(e => e.textContent).join(" ")`); !strings.Contains(ins, "Every child can ask a trusted adult for help.") {
		t.Fatalf("highlighted: %q", ins)
	}
	checkAxe(t, ctx, "translation page")
	screenshot(t, ctx, "workbench-translate")
	eval[bool](t, ctx, `(() => { document.querySelector('form[action="/_edit/sync"] button').click(); return true; })()`)
	waitFor(t, ctx, `location.search.includes("done=synced")`, "the second sync")
	waitOverview("st-review")
}
