package browser

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// TestWithoutJavaScript loads a lesson in each language with JavaScript
// turned off: the title, the lesson, the quiz and the exit link must all be
// there, and the exit link must still leave the page.
func TestWithoutJavaScript(t *testing.T) {
	s := theSite(t)
	ctx := newTab(t, 60*time.Second)
	if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		t.Fatalf("disable JavaScript: %v", err)
	}
	for _, lang := range langs {
		t.Run(lang, func(t *testing.T) {
			u := s.url(lessonPath(lang))
			navigate(t, ctx, u)
			// The evaluation below comes from the test, not the page; the
			// page's own scripts must not have run. One Shift press would
			// make qorgau.js write the status text.
			press(t, ctx, keyShift)
			got := eval[map[string]any](t, ctx, `(() => {
				const vis = e => !!e && e.getClientRects().length > 0 && getComputedStyle(e).visibility !== "hidden";
				const h1 = document.querySelector("main h1"), body = document.querySelector("main .body");
				const quiz = [...document.querySelectorAll(".quiz > ol > li")];
				const exit = document.querySelector("a.quick-exit-button[data-quick-exit]");
				const skip = document.querySelector("a.exit-skip[data-quick-exit]");
				return {
					status: (document.querySelector("[data-exit-status]") || {}).textContent || "",
					h1: h1 ? h1.innerText.trim() : "", h1Visible: vis(h1),
					body: body ? body.innerText.trim().length : 0, bodyVisible: vis(body),
					questions: quiz.map(li => (li.querySelector("p") || {}).innerText || ""),
					questionsVisible: quiz.length > 0 && quiz.every(li => vis(li.querySelector("p"))),
					answersHidden: quiz.every(li => { const d = li.querySelector("details"); return d && !d.open && vis(d.querySelector("summary")); }),
					exitHref: exit ? exit.getAttribute("href") : "", exitVisible: vis(exit), exitText: exit ? exit.innerText.trim() : "",
					skipHref: skip ? skip.getAttribute("href") : "",
				};
			})()`)
			if st, _ := got["status"].(string); st != "" {
				t.Fatalf("the page's script ran (status %q) although JavaScript is off", st)
			}
			if got["h1"] == "" || got["h1Visible"] != true {
				t.Errorf("no visible h1 without JavaScript (h1 %q)", got["h1"])
			}
			if num(got["body"]) < 200 || got["bodyVisible"] != true {
				t.Errorf("the lesson body is missing or hidden without JavaScript (%v characters)", got["body"])
			}
			qs, _ := got["questions"].([]any)
			if len(qs) == 0 || got["questionsVisible"] != true {
				t.Errorf("the quiz questions are missing or hidden without JavaScript: %v", qs)
			}
			for i, q := range qs {
				if strings.TrimSpace(q.(string)) == "" {
					t.Errorf("quiz question %d is empty", i+1)
				}
			}
			if got["answersHidden"] != true {
				t.Errorf("the quiz answers should be in closed <details> with a visible summary")
			}
			if got["exitHref"] != s.exitURL[lang] || got["skipHref"] != s.exitURL[lang] {
				t.Errorf("exit links point at %q and %q; want the exit URL %s", got["exitHref"], got["skipHref"], s.exitURL[lang])
			}
			if got["exitVisible"] != true || got["exitText"] == "" {
				t.Errorf("the exit button is not visible without JavaScript (text %q)", got["exitText"])
			}
			// A plain link still leaves the page.
			if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("a.quick-exit-button"), chromedp.NodeVisible)); err != nil {
				t.Fatalf("click the exit button: %v", err)
			}
			waitURL(t, ctx, 5*time.Second, "the exit URL "+s.exitURL[lang], func(u string) bool { return u == s.exitURL[lang] })
		})
	}
}
