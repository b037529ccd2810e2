package config

import (
	"strings"
	"testing"
)

const good = `title = "T"
baseURL = "https://example.org/sub"
defaultLanguage = "ru"

[languages.en]
name = "English"
weight = 2

[languages.ru]
name = "Русский"
weight = 1
locale = "ru-KZ"

[languages.ru.params]
exitURL = "https://ru.wikipedia.org/"

[[languages.ru.menu]]
name = "Права"
page = "rights/_index.md"
weight = 2

[[languages.ru.menu]]
name = "Главная"
url = "/ru/"
weight = 1
`

func TestParseGood(t *testing.T) {
	c, err := Parse([]byte(good))
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(c.LanguageOrder, ","); got != "ru,en" {
		t.Errorf("language order %s, want ru,en", got)
	}
	if c.BaseURL != "https://example.org/sub/" {
		t.Errorf("baseURL %q should gain a trailing slash", c.BaseURL)
	}
	ru := c.Languages["ru"]
	if ru.Direction != "ltr" || ru.Title != "T" || ru.Menu[0].Name != "Главная" {
		t.Errorf("defaults or menu order wrong: %+v", ru)
	}
	if !c.Minify || c.Theme != "qorgau" || c.Check.ReviewMaxAgeMonths != 12 {
		t.Errorf("defaults not applied: %+v", c)
	}
	if c.Languages["en"].Locale != "en" {
		t.Errorf("locale should default to the code")
	}
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		want      []string
	}{
		{"unknown top-level key", "title = \"x\"\ntitel = \"y\"\n[languages.en]\nname = \"E\"\n",
			[]string{`config.toml:2:1: unknown key "titel"`}},
		{"unknown nested key", "[languages.en]\nname = \"E\"\ndirektion = \"ltr\"\n",
			[]string{`config.toml:3:1: unknown key "languages.en.direktion"`}},
		{"wrong type", "minify = \"yes\"\n[languages.en]\nname = \"E\"\n",
			[]string{"config.toml:1:10: wrong type: expected bool, found a TOML string"}},
		{"syntax", "title = \n",
			[]string{"config.toml:1:"}},
		{"no languages", "title = \"x\"\n", []string{"no languages configured"}},
		{"bad values", "defaultLanguage = \"de\"\n[languages.en]\ndirection = \"up\"\nlocale = \"!!\"\n[[languages.en.menu]]\nname = \"x\"\n",
			[]string{
				`config.toml:1:1: defaultLanguage "de" is not a configured language`,
				`config.toml:2:1: language "en" has no name`,
				`config.toml:3:1: direction "up" of language "en" is not ltr or rtl`,
				`config.toml:4:1: locale "!!" of language "en" is not valid`,
				`config.toml:5:1: menu entry "x" of language "en" needs exactly one of page or url`,
			}},
		{"theme path", "theme = \"../x\"\n[languages.en]\nname = \"E\"\n", []string{`config.toml:1:1: theme "../x" is not a folder name`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse([]byte(tc.src))
			if err == nil {
				t.Fatal("want an error")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error\n%s\nlacks %q", err, w)
				}
			}
		})
	}
}
