package check

import (
	"fmt"
	"io/fs"
	"maps"
	"path"
	"slices"
	"strings"

	"github.com/qorgau/qorgau/generator/internal/config"
	"github.com/qorgau/qorgau/generator/internal/i18n"
)

// uiStrings reports UI strings defined in one language and not in another,
// strings of the site's own files still as they are in English, plural
// strings without a form the language's CLDR rules use, and languages
// whose name is still the placeholder `qorgau init` wrote.
func (c *checker) uiStrings() {
	theme := path.Join("themes", c.cfg.Theme, "i18n")
	cats := map[string]*i18n.Catalog{}
	all := map[string]bool{}
	for _, l := range c.cfg.LanguageOrder {
		cat, _ := i18n.Load(c.opts.Source, l, theme, "i18n")
		cats[l] = cat
		for _, k := range cat.Keys() {
			all[k] = true
		}
	}
	for _, k := range slices.Sorted(maps.Keys(all)) {
		for _, l := range c.cfg.LanguageOrder {
			if cats[l].Has(k) {
				continue
			}
			file := path.Join(theme, l+".toml")
			if _, err := fs.Stat(c.opts.Source, path.Join("i18n", l+".toml")); err == nil {
				file = path.Join("i18n", l+".toml")
			}
			c.rep.add(Finding{Path: file, Severity: Error, Kind: "ui-string",
				Message: fmt.Sprintf("UI string %q is missing in %s", k, l),
				Hint:    fmt.Sprintf("add %s = \"...\" to %s", k, file)})
		}
	}
	english, _ := i18n.Load(c.opts.Source, "en", theme)
	for _, l := range c.cfg.LanguageOrder {
		c.untranslated(cats[l], english)
		c.pluralForms(cats[l])
		if name := c.cfg.Languages[l].Name; strings.HasSuffix(name, config.NamePlaceholder) {
			line, col := c.cfg.KeyPos("languages." + l + ".name")
			c.rep.add(Finding{Path: config.FileName, Line: line, Col: col, Severity: Warning, Kind: "ui-string",
				Message: fmt.Sprintf("language %q has no name yet", l),
				Hint:    "write the language's name in the language itself, as readers choose it in the language menu"})
		}
	}
}

// untranslated reports the strings of a site's own UI-strings file that
// are still the theme's English ones (`qorgau init` copies them there for a
// language the theme has no strings for).
func (c *checker) untranslated(cat, english *i18n.Catalog) {
	if strings.SplitN(cat.Lang, "-", 2)[0] == "en" {
		return
	}
	file := path.Join("i18n", cat.Lang+".toml")
	var src []byte
	for _, k := range cat.Keys() {
		m, _ := cat.Lookup(k)
		en, ok := english.Lookup(k)
		if m.File != file || !ok || !sameText(m, en) {
			continue
		}
		if src == nil {
			src, _ = fs.ReadFile(c.opts.Source, file)
		}
		line, col := config.FindKey(src, k)
		c.rep.add(Finding{Path: file, Line: line, Col: col, Severity: Warning, Kind: "untranslated-ui-string",
			Message: fmt.Sprintf("UI string %q is still in English: %q", k, en.Forms["other"]),
			Hint:    "translate it into " + cat.Lang})
	}
}

// sameText reports whether every form of m is English's text for it.
func sameText(m, en i18n.Message) bool {
	for cat, text := range m.Forms {
		want, ok := en.Forms[cat]
		if !ok {
			want = en.Forms["other"]
		}
		if text != want {
			return false
		}
	}
	return true
}

// pluralForms reports plural strings without a form the language uses.
func (c *checker) pluralForms(cat *i18n.Catalog) {
	need := cat.PluralCategories()
	for _, k := range cat.Keys() {
		m, _ := cat.Lookup(k)
		if len(m.Forms) == 1 {
			continue
		}
		var missing []string
		for _, form := range need {
			if _, ok := m.Forms[form]; !ok {
				missing = append(missing, form)
			}
		}
		if len(missing) == 0 {
			continue
		}
		src, _ := fs.ReadFile(c.opts.Source, m.File)
		line, col := config.FindKey(src, k)
		c.rep.add(Finding{Path: m.File, Line: line, Col: col, Severity: Warning, Kind: "ui-string",
			Message: fmt.Sprintf("plural UI string %q has no %s form; %s uses %s", k, strings.Join(missing, ", "), cat.Lang, strings.Join(need, ", ")),
			Hint:    fmt.Sprintf("add %s = \"...\" under [%s]", missing[0], k)})
	}
}
