package paths

import "testing"

func TestClassify(t *testing.T) {
	for _, c := range []struct {
		rel, theme string
		want       Kind
	}{
		{"config.toml", "q", ConfigFile},
		{"content/en/a.md", "q", ContentFile},
		{"content/en/.a.md.swp", "q", Unrelated},
		{"content/en/#a.md#", "q", Unrelated},
		{"content/.git/x", "q", Unrelated},
		{"layouts/page.html", "q", Template},
		{"i18n/en.toml", "q", UIStrings},
		{"static/css/x.css", "q", StaticFile},
		{"themes/q/layouts/base.html", "q", Template},
		{"themes/q/i18n/kk.toml", "q", UIStrings},
		{"themes/q/static/js/x.js", "q", StaticFile},
		{"themes/q/README.md", "q", OtherTheme},
		{"themes/other/layouts/base.html", "q", OtherTheme},
		{"themes/other/layouts/base.html", "", Template},
		{"public/index.html", "q", Unrelated},
		{"README.md", "q", Unrelated},
		{"config.toml~", "q", Unrelated},
	} {
		if got := Classify(c.rel, c.theme); got != c.want {
			t.Errorf("Classify(%q, %q) = %v; want %v", c.rel, c.theme, got, c.want)
		}
	}
	if !Watched("themes/any/static/x.css") || Watched("public/x") || Watched("generator/main.go") {
		t.Error("Watched disagrees with Classify")
	}
}
