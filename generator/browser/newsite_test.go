package browser

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/qorgau/qorgau/generator/internal/starter"
)

// TestNewSite opens a site fresh from `qorgau init` in three languages:
// Kyrgyz (no texts, UI strings copied from English), Arabic (right to
// left) and English. Each page meets the accessibility rules, reads in its
// direction and has the quick exit and the help numbers.
func TestNewSite(t *testing.T) {
	axeJS(t)
	dir := filepath.Join(t.TempDir(), "site")
	if _, err := starter.Write(starter.Options{Dir: dir, Langs: []string{"ky", "ar", "en"}, Title: "Мектеп"}); err != nil {
		t.Fatal(err)
	}
	s, err := startSite(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.close()
	ctx := newTab(t, 60*time.Second)
	for _, tc := range []struct{ path, lang, dir string }{
		{"/ky/", "ky", "ltr"},
		{"/ar/", "ar", "rtl"},
		{"/en/", "en", "ltr"},
		{"/en/help/", "en", "ltr"},
		{"/en/help/stay-safe-online/", "en", "ltr"},
	} {
		t.Run(tc.path, func(t *testing.T) {
			navigate(t, ctx, s.url(tc.path))
			checkAxe(t, ctx, tc.path)
			got := eval[map[string]any](t, ctx, `({lang: document.documentElement.lang, dir: getComputedStyle(document.body).direction,
				exit: !!document.querySelector(".quick-exit-button") && document.querySelector(".quick-exit-button").getBoundingClientRect().height > 0,
				numbers: [...document.querySelectorAll('a[href^="tel:"]')].map(a => a.getAttribute("href")).join(" ")})`)
			if got["lang"] != tc.lang || got["dir"] != tc.dir || got["exit"] != true || got["numbers"] == "" {
				t.Errorf("%s: %v; want lang %s, direction %s, a visible quick exit and help numbers", tc.path, got, tc.lang, tc.dir)
			}
		})
	}
}
