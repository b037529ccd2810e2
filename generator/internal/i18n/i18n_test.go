package i18n

import (
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

func TestPluralCategories(t *testing.T) {
	for _, tc := range []struct {
		lang string
		n    int
		want string
	}{
		{"ru", 1, "one"}, {"ru", 21, "one"}, {"ru", 2, "few"}, {"ru", 4, "few"}, {"ru", 22, "few"},
		{"ru", 5, "many"}, {"ru", 11, "many"}, {"ru", 12, "many"}, {"ru", 0, "many"}, {"ru", 111, "many"},
		{"kk", 1, "one"}, {"kk", 2, "other"}, {"kk", 5, "other"},
		{"en", 1, "one"}, {"en", 0, "other"}, {"en", 2, "other"},
	} {
		if got := NewCatalog(tc.lang).PluralCategory(tc.n); got != tc.want {
			t.Errorf("%s %d: got %s, want %s", tc.lang, tc.n, got, tc.want)
		}
	}
}

func TestT(t *testing.T) {
	fsys := fstest.MapFS{
		"themes/x/i18n/ru.toml": {Data: []byte("home = \"Главная\"\n[lessons]\none = \"{count} урок\"\nfew = \"{count} урока\"\nmany = \"{count} уроков\"\nother = \"{count} урока\"\n")},
		"i18n/ru.toml":          {Data: []byte("home = \"На главную\"\n")},
	}
	c, err := Load(fsys, "ru", "themes/x/i18n", "i18n")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		key   string
		count []int
		want  string
	}{
		{"home", nil, "На главную"},
		{"lessons", []int{1}, "1 урок"},
		{"lessons", []int{3}, "3 урока"},
		{"lessons", []int{5}, "5 уроков"},
		{"lessons", []int{21}, "21 урок"},
	} {
		got, err := c.T(tc.key, tc.count...)
		if err != nil || got != tc.want {
			t.Errorf("T(%q, %v) = %q, %v; want %q", tc.key, tc.count, got, err, tc.want)
		}
	}
	if _, err := c.T("nope"); err == nil {
		t.Error("missing key: want error")
	}
}

func TestLoadErrors(t *testing.T) {
	fsys := fstest.MapFS{"i18n/en.toml": {Data: []byte("ok = \"x\"\n[n]\none = \"a\"\nsome = \"b\"\n[m]\none = \"c\"\nbad = 3\n")}}
	_, err := Load(fsys, "en", "i18n")
	if err == nil {
		t.Fatal("want errors")
	}
	want := "i18n/en.toml:4:1: n.some is not a plural form"
	if got := err.Error(); !contains(got, want) || !contains(got, `plural string "m" has no "other" form`) || !contains(got, "i18n/en.toml:7:1: m.bad is not a plural form") {
		t.Errorf("got %s\nwant it to contain %s", got, want)
	}
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }

func TestFormatDate(t *testing.T) {
	d := time.Date(2024, 6, 16, 0, 0, 0, 0, time.UTC)
	for lang, want := range map[string]string{"en": "16 June 2024", "ru": "16 июня 2024 г.", "kk": "2024 жылғы 16 маусым", "de": "2024-06-16", "ky": "2024-06-16", "uz-Cyrl": "2024-06-16"} {
		if got := FormatDate(d, lang); got != want {
			t.Errorf("%s: got %q, want %q", lang, got, want)
		}
	}
}

func TestPluralCategoriesOfALanguage(t *testing.T) {
	for lang, want := range map[string]string{
		"ru": "one few many other", "uk": "one few many other", "kk": "one other", "ky": "one other",
		"en": "one other", "ar": "zero one two few many other", "ja": "other", "qaa": "other",
	} {
		if got := strings.Join(NewCatalog(lang).PluralCategories(), " "); got != want {
			t.Errorf("%s: got %s, want %s", lang, got, want)
		}
	}
}
