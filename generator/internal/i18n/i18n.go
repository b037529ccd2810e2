// Package i18n holds the UI strings of a site per language, chooses plural
// forms by the CLDR rules of each language (Russian one/few/many/other,
// Kazakh and English one/other) and formats dates with localized month names.
package i18n

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"

	"github.com/qorgau/qorgau/generator/internal/config"
	"github.com/qorgau/qorgau/generator/internal/diag"
)

// Message is one UI string, with plural forms when it has a count.
type Message struct {
	Forms map[string]string // CLDR category (zero, one, two, few, many, other) -> text; "other" alone for plain strings
	File  string            // where it was defined
}

// Catalog is the UI strings of one language.
type Catalog struct {
	Lang     string
	tag      language.Tag
	messages map[string]Message
}

// NewCatalog makes an empty catalog for a language code.
func NewCatalog(lang string) *Catalog {
	tag, err := language.Parse(lang)
	if err != nil {
		tag = language.Und
	}
	return &Catalog{Lang: lang, tag: tag, messages: map[string]Message{}}
}

var categories = map[string]bool{"zero": true, "one": true, "two": true, "few": true, "many": true, "other": true}

// Load reads <dir>/<lang>.toml from each of dirs in turn (a theme's i18n/,
// then the site's), later files overriding earlier ones key by key. A
// missing file is not an error.
func Load(fsys fs.FS, lang string, dirs ...string) (*Catalog, error) {
	c := NewCatalog(lang)
	var errs diag.Errors
	for _, dir := range dirs {
		file := path.Join(dir, lang+".toml")
		src, err := fs.ReadFile(fsys, file)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			errs = append(errs, diag.At(file, 0, 0, "", "cannot read UI strings: %v", err))
			continue
		}
		if err := c.Add(file, src); err != nil {
			var de diag.Errors
			if errors.As(err, &de) {
				errs = append(errs, de...)
			}
		}
	}
	if len(errs) > 0 {
		return c, errs
	}
	return c, nil
}

// Add merges the strings of one TOML file: `key = "text"`, or a table of
// plural forms `[key] one = "{count} lesson"  other = "{count} lessons"`.
func (c *Catalog) Add(file string, src []byte) error {
	src = bytes.TrimPrefix(src, []byte("\xef\xbb\xbf"))
	var raw map[string]any
	if err := config.DecodeTOML(file, src, 0, &raw); err != nil {
		return err
	}
	var errs diag.Errors
	keys := make([]string, 0, len(raw))
	for k := range raw {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, key := range keys {
		switch v := raw[key].(type) {
		case string:
			c.messages[key] = Message{Forms: map[string]string{"other": v}, File: file}
		case map[string]any:
			m := Message{Forms: map[string]string{}, File: file}
			for cat, text := range v {
				s, ok := text.(string)
				if !categories[cat] || !ok {
					line, col := config.FindKey(src, key+"."+cat)
					errs = append(errs, diag.At(file, line, col, "use the CLDR plural categories zero, one, two, few, many, other with string values",
						"%s.%s is not a plural form", key, cat))
					continue
				}
				m.Forms[cat] = s
			}
			if _, ok := m.Forms["other"]; !ok {
				line, col := config.FindKey(src, key)
				errs = append(errs, diag.At(file, line, col, `add other = "..."`, "plural string %q has no \"other\" form", key))
			}
			c.messages[key] = m
		default:
			line, col := config.FindKey(src, key)
			errs = append(errs, diag.At(file, line, col, `write key = "text", or a table of plural forms`, "UI string %q must be a string or a table", key))
		}
	}
	if len(errs) > 0 {
		diag.Sort(errs)
		return errs
	}
	return nil
}

// Has reports whether the catalog defines key.
func (c *Catalog) Has(key string) bool { _, ok := c.messages[key]; return ok }

// Keys lists the defined keys, sorted.
func (c *Catalog) Keys() []string {
	out := make([]string, 0, len(c.messages))
	for k := range c.messages {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Lookup returns the message for key.
func (c *Catalog) Lookup(key string) (Message, bool) { m, ok := c.messages[key]; return m, ok }

// PluralCategory names the CLDR cardinal category of n in the language.
func (c *Catalog) PluralCategory(n int) string {
	if n < 0 {
		n = -n
	}
	switch plural.Cardinal.MatchPlural(c.tag, n, 0, 0, 0, 0) {
	case plural.Zero:
		return "zero"
	case plural.One:
		return "one"
	case plural.Two:
		return "two"
	case plural.Few:
		return "few"
	case plural.Many:
		return "many"
	default:
		return "other"
	}
}

// PluralCategories lists the CLDR plural categories the language uses for
// whole numbers, in CLDR's order: Russian one, few, many, other; Kazakh
// and English one, other.
func (c *Catalog) PluralCategories() []string {
	used := map[string]bool{"other": true}
	for n := 0; n <= 1000; n++ {
		used[c.PluralCategory(n)] = true
	}
	var out []string
	for _, cat := range []string{"zero", "one", "two", "few", "many", "other"} {
		if used[cat] {
			out = append(out, cat)
		}
	}
	return out
}

// T returns the UI string key; with a count it picks the plural form and
// replaces {count}. A missing key is an error.
func (c *Catalog) T(key string, count ...int) (string, error) {
	m, ok := c.messages[key]
	if !ok {
		return "", fmt.Errorf("UI string %q is missing for language %q", key, c.Lang)
	}
	text := m.Forms["other"]
	if len(count) > 0 {
		if s, ok := m.Forms[c.PluralCategory(count[0])]; ok {
			text = s
		}
		text = strings.ReplaceAll(text, "{count}", strconv.Itoa(count[0]))
	}
	return text, nil
}

var months = map[string][12]string{
	"en": {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"},
	// Russian dates use the genitive: 24 ноября 2026 г.
	"ru": {"января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября", "ноября", "декабря"},
	"kk": {"қаңтар", "ақпан", "наурыз", "сәуір", "мамыр", "маусым", "шілде", "тамыз", "қыркүйек", "қазан", "қараша", "желтоқсан"},
}

// FormatDate writes a date the way readers of the language write it:
// en "24 November 2026", ru "24 ноября 2026 г.", kk "2026 жылғы 24 қараша".
// Other languages get ISO 8601.
func FormatDate(t time.Time, lang string) string {
	if t.IsZero() {
		return ""
	}
	base := strings.SplitN(lang, "-", 2)[0]
	m, ok := months[base]
	if !ok {
		return t.Format("2006-01-02")
	}
	month := m[t.Month()-1]
	switch base {
	case "ru":
		return fmt.Sprintf("%d %s %d г.", t.Day(), month, t.Year())
	case "kk":
		return fmt.Sprintf("%d жылғы %d %s", t.Year(), t.Day(), month)
	default:
		return fmt.Sprintf("%d %s %d", t.Day(), month, t.Year())
	}
}
