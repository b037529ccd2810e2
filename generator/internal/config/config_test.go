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
		{"dataDir outside", "dataDir = \"../shared\"\n[languages.en]\nname = \"E\"\n", []string{`config.toml:1:1: dataDir "../shared" is not a folder inside the site`}},
		{"dataDir absolute", "dataDir = \"/etc\"\n[languages.en]\nname = \"E\"\n", []string{`dataDir "/etc" is not a folder inside the site`}},
		{"dataDir hidden", "dataDir = \"content/.data\"\n[languages.en]\nname = \"E\"\n", []string{`dataDir "content/.data" has a hidden or temporary name`}},
		{"dataDir is content", "dataDir = \"content\"\n[languages.en]\nname = \"E\"\n", []string{`dataDir "content" is the content folder`}},
		{"dataDir in a language", "dataDir = \"content/en\"\n[languages.en]\nname = \"E\"\n", []string{`dataDir "content/en" must be a folder of its own directly in content/`}},
		{"dataDir deep in content", "dataDir = \"content/x/data\"\n[languages.en]\nname = \"E\"\n", []string{`dataDir "content/x/data" must be a folder of its own`}},
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

// TestDataDir: data files in data/ by default, or in a folder the config
// names, such as one of its own in content/.
func TestDataDir(t *testing.T) {
	for src, want := range map[string]string{"": "data", "dataDir = \"content/_data\"\n": "content/_data", "dataDir = \"shared/data\"\n": "shared/data"} {
		cfg, err := Parse([]byte(src + "[languages.en]\nname = \"E\"\n"))
		if err != nil {
			t.Fatalf("%q: %v", src, err)
		}
		if cfg.DataDir != want {
			t.Errorf("%q: dataDir %q, want %q", src, cfg.DataDir, want)
		}
	}
}
