package starter

import (
	"bytes"
	"fmt"
	"io/fs"
	"sort"
	"strings"
	"text/template"

	"github.com/qorgau/qorgau/generator/internal/config"
	"github.com/qorgau/qorgau/generator/internal/i18n"
	"github.com/qorgau/qorgau/generator/internal/theme"
)

// tomlString writes s as a TOML basic string.
func tomlString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\u%04X`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

var funcs = template.FuncMap{"q": tomlString}

var configTmpl = template.Must(template.New("config").Funcs(funcs).Parse(`# The site's settings. Every key is explained in Qorgau's README; a key
# Qorgau does not know is an error, so a typo never changes the site quietly.
title = {{q .Title}}
# Where the site will be published, e.g. "https://school.example.kz/".
# "/" works for any address where the site is at the top.
baseURL = "/"
defaultLanguage = {{q .Default}}
{{- with .Original}}
originalLanguage = {{q .}}   # the language pages are written in first; the others translate it
{{- end}}
theme = "qorgau"   # the theme built into Qorgau; copy files into themes/qorgau/ to change them
minify = true

[markup]
unsafeHTML = false   # raw HTML in Markdown is shown escaped
typographer = true   # quotation marks in each language's style

[check]
reviewMaxAgeMonths = 12   # check warns about pages reviewed longer ago than this
{{range .Langs}}
[languages.{{.Code}}]
{{- if .Name}}
name = {{q .Name}}
{{- else}}
name = {{q .Placeholder}}   # write the language's name in the language itself
{{- end}}
weight = {{.Weight}}
direction = {{q .Direction}}
locale = {{q .Locale}}

[languages.{{.Code}}.params]
{{- if .Texts}}
safetyPage = "help/stay-safe-online/"
{{- end}}
# The quick exit opens this page: a harmless one in the reader's language.
exitURL = {{q .ExitURL}}
# The help numbers on every page. These are Kazakhstan's: if the site is for
# another country, replace them, and check each number before publishing.
{{- if not .Texts}}
# Translate the names and notes into {{.Label}}.
{{- end}}
hotlines = [
{{- range .Hotlines}}
  { number = {{q .Number}}, name = {{q .Name}}{{with .Note}}, note = {{q .}}{{end}} },
{{- end}}
]
{{- if .Texts}}

[[languages.{{.Code}}.menu]]
name = {{q .Help}}
page = "help/_index.md"
weight = 50
{{- end}}
{{end}}`))

// configFile writes config.toml for the languages, and parses it back to
// be sure it is one Qorgau reads.
func configFile(title, original string, langs []lang) ([]byte, error) {
	type hl struct{ Number, Name, Note string }
	type lv struct {
		Code, Name, Placeholder, Direction, Locale, ExitURL, Label, Help string
		Weight                                                           int
		Texts                                                            bool
		Hotlines                                                         []hl
	}
	data := struct {
		Title, Default, Original string
		Langs                    []lv
	}{Title: title, Default: langs[0].code}
	if original != "en" && original != langs[0].code {
		data.Original = original
	}
	for _, l := range langs {
		v := lv{Code: l.code, Name: l.name, Placeholder: l.code + " " + config.NamePlaceholder, Direction: l.direction,
			Locale: l.locale, ExitURL: l.exitURL, Label: l.label(), Help: l.help, Weight: l.weight, Texts: l.texts}
		for _, h := range l.hotlines {
			v.Hotlines = append(v.Hotlines, hl{h.number, h.name, h.note})
		}
		data.Langs = append(data.Langs, v)
	}
	var b bytes.Buffer
	if err := configTmpl.Execute(&b, data); err != nil {
		return nil, err
	}
	if _, err := config.Parse(b.Bytes()); err != nil {
		return nil, fmt.Errorf("the new config.toml does not parse (a bug in qorgau init): %w", err)
	}
	return b.Bytes(), nil
}

// uiStrings writes the UI strings of a language the theme has none for:
// the English ones, each marked for translation, with the plural forms
// CLDR gives the language (Russian has one, few, many and other).
func uiStrings(l lang) ([]byte, error) {
	const file = "i18n/en.toml"
	src, err := fs.ReadFile(theme.FS(), file)
	if err != nil {
		return nil, err
	}
	en := i18n.NewCatalog("en")
	if err := en.Add(file, src); err != nil {
		return nil, err
	}
	keys := en.Keys()
	line := map[string]int{}
	for _, k := range keys {
		line[k], _ = config.FindKey(src, k)
	}
	sort.SliceStable(keys, func(i, j int) bool { return line[keys[i]] < line[keys[j]] })
	forms := i18n.NewCatalog(l.code).PluralCategories()

	var plain, plural bytes.Buffer
	fmt.Fprintf(&plain, "# The words of the site's buttons, menus and labels in %s (%s).\n", l.label(), l.code)
	fmt.Fprintf(&plain, "# They are copied from English: translate each text between the quotes and\n")
	fmt.Fprintf(&plain, "# keep {count} where it is. `qorgau check` lists every text still in English.\n\n")
	for _, k := range keys {
		m, _ := en.Lookup(k)
		if len(m.Forms) == 1 {
			fmt.Fprintf(&plain, "%s = %s   # translate\n", k, tomlString(m.Forms["other"]))
			continue
		}
		fmt.Fprintf(&plural, "\n[%s]   # translate; %s uses the forms %s\n", k, l.label(), strings.Join(forms, ", "))
		for _, cat := range forms {
			text, ok := m.Forms[cat]
			if !ok {
				text = m.Forms["other"]
			}
			fmt.Fprintf(&plural, "%s = %s\n", cat, tomlString(text))
		}
	}
	plain.Write(plural.Bytes())
	if err := i18n.NewCatalog(l.code).Add(file, plain.Bytes()); err != nil {
		return nil, fmt.Errorf("the new UI strings do not parse (a bug in qorgau init): %w", err)
	}
	return plain.Bytes(), nil
}

// readmeFile is the README for the site's editors.
func readmeFile(title string, langs []lang) ([]byte, error) {
	src, err := fs.ReadFile(files, "site/README.md")
	if err != nil {
		return nil, err
	}
	t, err := template.New("README.md").Parse(string(src))
	if err != nil {
		return nil, err
	}
	type lv struct{ Code, Label string }
	data := struct {
		Title string
		Langs []lv
	}{Title: title}
	for _, l := range langs {
		data.Langs = append(data.Langs, lv{l.code, l.label()})
	}
	var b bytes.Buffer
	err = t.Execute(&b, data)
	return b.Bytes(), err
}
