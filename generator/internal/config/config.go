// Package config reads a site's config.toml into a Config.
//
// Unknown keys and values of the wrong type are errors that carry the line
// and column in config.toml, so a typo never silently changes the site.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"path"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/pelletier/go-toml/v2"
	"github.com/pelletier/go-toml/v2/unstable"
	"golang.org/x/text/language"

	"github.com/qorgau/qorgau/generator/internal/diag"
	"github.com/qorgau/qorgau/generator/internal/paths"
)

// FileName is the config file at the top of a site.
const FileName = "config.toml"

// Config is a whole site's configuration.
type Config struct {
	Title           string              `toml:"title"`            // site title shown in every language without its own
	BaseURL         string              `toml:"baseURL"`          // absolute URL the site is published at, with a trailing slash
	DefaultLanguage string              `toml:"defaultLanguage"`  // language of x-default and of the root 404 page
	OriginalLang    string              `toml:"originalLanguage"` // the language lessons are written in first; see OriginalLanguage
	Theme           string              `toml:"theme"`            // folder under themes/
	DataDir         string              `toml:"dataDir"`          // the data files' folder (default "data"); see data.Load
	Minify          bool                `toml:"minify"`           // minify HTML, CSS, JS, SVG, JSON and XML output
	RelativeURLs    bool                `toml:"relativeURLs"`     // make every internal URL relative to the page
	Markup          Markup              `toml:"markup"`           // Markdown options
	Languages       map[string]Language `toml:"languages"`        // one table per language, keyed by code (kk, ru, en)
	Params          map[string]any      `toml:"params"`           // free-form values for templates
	Check           Check               `toml:"check"`            // editorial checks
	Handouts        Handouts            `toml:"handouts"`         // PDF handouts of lessons and booklets of topics
	Taxonomies      []string            `toml:"taxonomies"`       // front matter lists that get pages per term: tags, audience, or params.<name>
	Images          Images              `toml:"images"`           // how photos and diagrams are resized

	// LanguageOrder lists language codes by weight, then code. Filled by Parse.
	LanguageOrder []string `toml:"-"`
	// Offline is set by export: links point at files, nothing names the
	// site's origin, and there is no sitemap, robots.txt or feed.
	Offline bool `toml:"-"`
	// Excluded names languages left out of this build on purpose (export
	// --lang); their content folders are not errors.
	Excluded map[string]bool `toml:"-"`

	keys map[string]Pos // where each key is written in config.toml, from the parser
}

// Markup holds the Markdown options.
type Markup struct {
	UnsafeHTML  bool `toml:"unsafeHTML"`  // pass raw HTML in Markdown through (off: it is shown escaped)
	Typographer bool `toml:"typographer"` // smart quotes in the language's style, dashes, ellipses
	TOCMinWords int  `toml:"tocMinWords"` // a page gets a table of contents from this many words (0: always)
}

// Check holds the options of the editorial checks.
type Check struct {
	ReviewMaxAgeMonths int      `toml:"reviewMaxAgeMonths"` // lastReviewed older than this is flagged
	LegalSections      []string `toml:"legalSections"`      // top-level sections whose pages state the law: they need a legal source and lastReviewed
}

// Handouts holds the options of the PDF handouts.
type Handouts struct {
	Enabled bool   `toml:"enabled"` // a handout per lesson and a booklet per topic (default true)
	Paper   string `toml:"paper"`   // "A4" (default) or "Letter"
}

// Images holds the options of image processing.
type Images struct {
	Widths  []int  `toml:"widths"`  // widths to make, in pixels (default 360, 720, 1080); never larger than an image
	Quality int    `toml:"quality"` // JPEG and WebP quality, 1–100 (default 75)
	Sizes   string `toml:"sizes"`   // how wide a page shows an image, the sizes attribute
	// MaxMegapixels refuses larger images (default 50): an image that
	// large takes gigabytes of memory to decode.
	MaxMegapixels int `toml:"maxMegapixels"`
	// FallbackMaxWidth is the widest JPEG or PNG made beside the WebP
	// files, for browsers without WebP (default 720; 0: at every width).
	FallbackMaxWidth int `toml:"fallbackMaxWidth"`
}

// OriginalLanguage is the language lessons are written in first, which
// `new` writes as the original and translations follow: originalLanguage
// when set, else English when it is configured, else the default language.
func (c *Config) OriginalLanguage() string {
	if c.OriginalLang != "" {
		return c.OriginalLang
	}
	if _, ok := c.Languages["en"]; ok {
		return "en"
	}
	return c.DefaultLanguage
}

// IsLegalSection reports whether a top-level section holds pages about the law.
func (c *Config) IsLegalSection(section string) bool {
	return slices.Contains(c.Check.LegalSections, section)
}

// Language is one [languages.<code>] table.
type Language struct {
	Name      string         `toml:"name"`      // the language's name in itself: Қазақша, Русский, English
	Weight    int            `toml:"weight"`    // order in language lists
	Direction string         `toml:"direction"` // ltr or rtl
	Locale    string         `toml:"locale"`    // BCP 47 locale for dates and sorting, e.g. kk-KZ
	Title     string         `toml:"title"`     // site title in this language; empty: the site title
	Menu      []MenuEntry    `toml:"menu"`      // main menu
	Params    map[string]any `toml:"params"`    // per-language values: hotlines, exit URL...
	Terms     []Term         `toml:"terms"`     // one term for one thing: what check --strict holds the content to
}

// Term is one entry of a language's term list: the word the site uses for
// a thing, and variants that mean the same and should be replaced by it.
// Variants match in any word form the search stemmer knows (for ru and kk,
// «домашнего насилия» is a form of «домашнее насилие»).
type Term struct {
	Use   string   `toml:"use"`   // the preferred term
	Avoid []string `toml:"avoid"` // variants to replace with Use
	Note  string   `toml:"note"`  // why, or where the variant is still right; shown with the hint
}

// MenuEntry is one item of a language's menu.
type MenuEntry struct {
	Name   string `toml:"name"`   // label shown to readers
	Page   string `toml:"page"`   // content file it points to, relative to content/<lang>/ (e.g. "rights/_index.md")
	URL    string `toml:"url"`    // or a URL, when there is no page
	Weight int    `toml:"weight"` // order in the menu
}

// NamePlaceholder follows the code in the name `qorgau init` writes for
// a language it cannot name; check reports it until it is replaced.
const NamePlaceholder = "(write the name of this language in the language itself)"

// DefaultExitURL is where the quick exit goes when a language's params name
// no exitURL: a neutral page that says nothing about what was being read.
const DefaultExitURL = "https://www.wikipedia.org/"

// Defaults returns the configuration used for keys a config.toml leaves out.
func Defaults() Config {
	return Config{
		Title:           "Qorgau",
		BaseURL:         "/",
		DefaultLanguage: "en",
		Theme:           "qorgau",
		DataDir:         "data",
		Minify:          true,
		Markup:          Markup{Typographer: true, TOCMinWords: 400},
		Check:           Check{ReviewMaxAgeMonths: 12, LegalSections: []string{"penalties"}},
		Handouts:        Handouts{Enabled: true, Paper: "A4"},
		Images:          Images{Widths: []int{360, 720, 1080}, Quality: 75, Sizes: "(max-width: 46rem) calc(100vw - 2rem), 44rem", MaxMegapixels: 50, FallbackMaxWidth: 720},
		Taxonomies:      []string{"tags", "audience"},
	}
}

// Load reads config.toml from fsys.
func Load(fsys fs.FS) (*Config, error) {
	src, err := fs.ReadFile(fsys, FileName)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, diag.At(FileName, 0, 0, "run the command in the site's folder or pass --source DIR", "no config.toml found")
		}
		return nil, diag.At(FileName, 0, 0, "", "cannot read config: %v", err)
	}
	return Parse(src)
}

// Parse decodes and validates config.toml's contents.
func Parse(src []byte) (*Config, error) {
	src = bytes.TrimPrefix(src, []byte("\xef\xbb\xbf"))
	cfg := Defaults()
	dec := toml.NewDecoder(bytes.NewReader(src))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&cfg); err != nil {
		return nil, decodeError(FileName, err, 0)
	}
	cfg.keys = KeyPositions(src)
	var errs diag.Errors
	add := func(key, hint, format string, args ...any) {
		line, col := cfg.KeyPos(key)
		errs = append(errs, diag.At(FileName, line, col, hint, format, args...))
	}
	if u, err := url.Parse(cfg.BaseURL); err != nil || (u.Scheme != "" && u.Host == "") {
		add("baseURL", `use an absolute URL such as "https://example.org/" or a path such as "/"`, "baseURL %q is not a valid URL", cfg.BaseURL)
	} else if !strings.HasSuffix(cfg.BaseURL, "/") {
		cfg.BaseURL += "/"
	}
	if len(cfg.Languages) == 0 {
		errs = append(errs, diag.At(FileName, 1, 1, `add a table such as [languages.en] with name = "English"`, "no languages configured"))
	}
	for code, l := range cfg.Languages {
		cfg.Languages[code] = cfg.checkLanguage(code, l, add)
		cfg.LanguageOrder = append(cfg.LanguageOrder, code)
	}
	sort.Slice(cfg.LanguageOrder, func(i, j int) bool {
		a, b := cfg.Languages[cfg.LanguageOrder[i]], cfg.Languages[cfg.LanguageOrder[j]]
		if a.Weight != b.Weight {
			return a.Weight < b.Weight
		}
		return cfg.LanguageOrder[i] < cfg.LanguageOrder[j]
	})
	if _, ok := cfg.Languages[cfg.DefaultLanguage]; !ok && len(cfg.Languages) > 0 {
		add("defaultLanguage", "set defaultLanguage to one of: "+strings.Join(cfg.LanguageOrder, ", "), "defaultLanguage %q is not a configured language", cfg.DefaultLanguage)
	}
	if _, ok := cfg.Languages[cfg.OriginalLang]; cfg.OriginalLang != "" && !ok && len(cfg.Languages) > 0 {
		add("originalLanguage", "set originalLanguage to one of: "+strings.Join(cfg.LanguageOrder, ", "), "originalLanguage %q is not a configured language", cfg.OriginalLang)
	}
	for _, t := range cfg.Taxonomies {
		if t == "" || strings.ContainsAny(t, "/\\. ") || t != strings.ToLower(t) {
			add("taxonomies", "use lower-case names such as tags or audience", "taxonomy %q cannot be a folder name", t)
		}
	}
	for _, w := range cfg.Images.Widths {
		if w < 16 || w > 8192 {
			add("images.widths", "use widths between 16 and 8192 pixels, e.g. [360, 720, 1080]", "image width %d is out of range", w)
		}
	}
	if !sort.IntsAreSorted(cfg.Images.Widths) {
		sort.Ints(cfg.Images.Widths)
	}
	if q := cfg.Images.Quality; q < 1 || q > 100 {
		add("images.quality", "use a quality between 1 and 100 (75 is a good choice)", "image quality %d is out of range", q)
	}
	if m := cfg.Images.MaxMegapixels; m < 1 || m > 500 {
		add("images.maxMegapixels", "use a limit between 1 and 500", "maxMegapixels %d is out of range", m)
	}
	if w := cfg.Images.FallbackMaxWidth; w != 0 && (w < 16 || w > 8192) {
		add("images.fallbackMaxWidth", "use 0 (a fallback at every width) or a width between 16 and 8192 pixels, e.g. 720", "fallbackMaxWidth %d is out of range", w)
	}
	if p := cfg.Handouts.Paper; p != "A4" && p != "Letter" {
		add("handouts.paper", `use "A4" or "Letter"`, "paper %q is not A4 or Letter", p)
	}
	if cfg.Theme == "" || strings.ContainsAny(cfg.Theme, "/\\") || cfg.Theme == ".." || cfg.Theme == "." {
		add("theme", "name a folder under themes/", "theme %q is not a folder name", cfg.Theme)
	}
	if msg := cfg.checkDataDir(); msg != "" {
		add("dataDir", `name a folder of the site, such as "data" or "content/_data"`, "dataDir %q %s", cfg.DataDir, msg)
	}
	if len(errs) > 0 {
		diag.Sort(errs)
		return nil, errs
	}
	return &cfg, nil
}

// checkDataDir says what is wrong with dataDir, or "": it must be a
// folder inside the site that the preview watches (none of its names
// hidden), and inside content/ only as a folder of its own, not a
// language's.
func (cfg *Config) checkDataDir() string {
	d := cfg.DataDir
	if d == "" || path.IsAbs(d) || strings.Contains(d, "\\") || path.Clean(d) != d || d == "." || d == ".." || strings.HasPrefix(d, "../") {
		return "is not a folder inside the site"
	}
	for _, seg := range strings.Split(d, "/") {
		if paths.Ignored(seg) {
			return "has a hidden or temporary name the preview does not watch"
		}
	}
	if d == paths.Content {
		return "is the content folder"
	}
	if rest, ok := strings.CutPrefix(d, paths.Content+"/"); ok {
		if _, lang := cfg.Languages[rest]; lang || strings.Contains(rest, "/") {
			return "must be a folder of its own directly in content/, not in a language's folder"
		}
	}
	return ""
}

// checkLanguage validates one [languages.<code>] table, reporting problems
// through add, and fills in its defaults.
func (cfg *Config) checkLanguage(code string, l Language, add func(key, hint, format string, args ...any)) Language {
	key := "languages." + code
	if _, err := language.Parse(code); err != nil || strings.ContainsAny(code, "/\\. ") {
		add(key, "use a BCP 47 code such as kk, ru or en", "language code %q is not valid", code)
	}
	if l.Name == "" {
		add(key, `give the language's name in itself, e.g. name = "Қазақша"`, "language %q has no name", code)
	}
	switch l.Direction {
	case "":
		l.Direction = "ltr"
	case "ltr", "rtl":
	default:
		add(key+".direction", `use "ltr" or "rtl"`, "direction %q of language %q is not ltr or rtl", l.Direction, code)
	}
	if l.Locale == "" {
		l.Locale = code
	} else if _, err := language.Parse(l.Locale); err != nil {
		add(key+".locale", "use a BCP 47 locale such as kk-KZ", "locale %q of language %q is not valid", l.Locale, code)
	}
	if l.Title == "" {
		l.Title = cfg.Title
	}
	if l.Params == nil {
		l.Params = map[string]any{}
	}
	if _, ok := l.Params["exitURL"]; !ok {
		l.Params["exitURL"] = DefaultExitURL
	}
	sort.SliceStable(l.Menu, func(i, j int) bool { return l.Menu[i].Weight < l.Menu[j].Weight })
	for _, m := range l.Menu {
		if (m.Page == "") == (m.URL == "") {
			add(key+".menu", `give each menu entry either page = "section/_index.md" or url = "..."`, "menu entry %q of language %q needs exactly one of page or url", m.Name, code)
		}
	}
	for _, t := range l.Terms {
		if strings.TrimSpace(t.Use) == "" || len(t.Avoid) == 0 || slices.Contains(t.Avoid, "") {
			add(key+".terms", `give each term use = "preferred term" and avoid = ["variant", ...]`, "a term of language %q needs use and at least one non-empty variant in avoid (use %q)", code, t.Use)
		}
	}
	return l
}

// decodeError turns a go-toml error into positioned diagnostics. lineOffset
// is added to the line (for TOML embedded in another file).
func decodeError(path string, err error, lineOffset int) error {
	var strict *toml.StrictMissingError
	if errors.As(err, &strict) {
		var errs diag.Errors
		for _, e := range strict.Errors {
			row, col := e.Position()
			key := strings.Join(e.Key(), ".")
			errs = append(errs, diag.At(path, row+lineOffset, col, "check the spelling; see README.md for the keys this file accepts", "unknown key %q", key))
		}
		return errs
	}
	var de *toml.DecodeError
	if errors.As(err, &de) {
		row, col := de.Position()
		msg := de.Error()
		if m := typeErrRe.FindStringSubmatch(msg); m != nil {
			msg = fmt.Sprintf("wrong type: expected %s, found a TOML %s", m[2], m[1])
		}
		if k := de.Key(); len(k) > 0 {
			msg = fmt.Sprintf("%s (key %q)", msg, strings.Join(k, "."))
		}
		return diag.Errors{diag.At(path, row+lineOffset, col, "check the TOML syntax and the value's type", "%s", msg)}
	}
	return diag.Errors{diag.At(path, lineOffset+1, 0, "check the TOML syntax and the value's type", "%v", err)}
}

// DecodeTOML decodes TOML src into v, rejecting unknown keys, and reports
// errors at path with lineOffset added to each line.
func DecodeTOML(path string, src []byte, lineOffset int, v any) error {
	dec := toml.NewDecoder(bytes.NewReader(src))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return decodeError(path, err, lineOffset)
	}
	return nil
}

var typeErrRe = regexp.MustCompile(`cannot decode TOML (\w+) into (?:struct field \S+ of type )?(\S+)`)

// Pos is a line and column in a file, both 1-based.
type Pos struct{ Line, Col int }

// KeyPositions returns where each key of a TOML document is written, by
// its dotted path from the document's root ("languages.kk.locale"), as the
// TOML parser found it: a table at column 1 of its header's line, a key
// at its first character. A key written twice (an array of tables) keeps
// its first place. A document that does not parse gives the keys before
// the error.
func KeyPositions(src []byte) map[string]Pos {
	out := map[string]Pos{}
	var p unstable.Parser
	p.Reset(src)
	var prefix []string
	at := func(n *unstable.Node) Pos {
		line, col := diag.LineCol(src, int(n.Raw.Offset))
		return Pos{line, col}
	}
	record := func(path []string, pos Pos) {
		key := strings.Join(path, ".")
		if _, ok := out[key]; !ok {
			out[key] = pos
		}
	}
	var inline func(path []string, n *unstable.Node)
	inline = func(path []string, n *unstable.Node) {
		if n == nil || n.Kind != unstable.InlineTable {
			return
		}
		it := n.Children()
		for it.Next() {
			kv := it.Node()
			parts, first := KeyOf(kv)
			full := append(append([]string(nil), path...), parts...)
			record(full, at(first))
			inline(full, kv.Value())
		}
	}
	for p.NextExpression() {
		e := p.Expression()
		switch e.Kind {
		case unstable.Table, unstable.ArrayTable:
			parts, first := KeyOf(e)
			prefix = parts
			record(parts, Pos{at(first).Line, 1})
		case unstable.KeyValue:
			parts, first := KeyOf(e)
			full := append(append([]string(nil), prefix...), parts...)
			record(full, at(first))
			inline(full, e.Value())
		}
	}
	return out
}

// KeyOf returns the parts of a TOML table header's or key-value's key, and
// the node of its first part (where the key is written).
func KeyOf(n *unstable.Node) (parts []string, first *unstable.Node) {
	it := n.Key()
	for it.Next() {
		if first == nil {
			first = it.Node()
		}
		parts = append(parts, string(it.Node().Data))
	}
	return parts, first
}

// FindKey finds the line and column of a dotted key (e.g. "languages.kk.locale")
// in a TOML document, from the TOML parser. A key that is not written gives
// the line of the closest table above it that is, else 1:1.
func FindKey(src []byte, dotted string) (line, col int) {
	return lookup(KeyPositions(src), dotted)
}

func lookup(keys map[string]Pos, dotted string) (line, col int) {
	if p, ok := keys[dotted]; ok {
		return p.Line, p.Col
	}
	for k := dotted; strings.Contains(k, "."); {
		k = k[:strings.LastIndex(k, ".")]
		if p, ok := keys[k]; ok {
			return p.Line, 1
		}
	}
	return 1, 1
}

// KeyPos is where a dotted key is written in config.toml (see FindKey).
func (c *Config) KeyPos(dotted string) (line, col int) { return lookup(c.keys, dotted) }

// Overrides are what one run of a command changes in a site's
// configuration: build's --base-url and --relative, the preview server's
// own address, export's offline copy of some of the languages. Apply checks
// them against the configuration before anything is built.
type Overrides struct {
	BaseURL   string   // publish at this URL instead of baseURL
	Relative  bool     // make every internal link relative (relativeURLs = true)
	Absolute  bool     // keep links absolute whatever relativeURLs says (the preview server)
	Offline   bool     // an offline copy: links name files, no origin, no sitemap, robots.txt or feeds
	Languages []string // keep only these languages, in configured order; empty: all
}

// UnknownLanguageError says that an override names a language the
// configuration does not have.
type UnknownLanguageError struct {
	Lang       string
	Configured []string
}

func (e *UnknownLanguageError) Error() string {
	return fmt.Sprintf("language %q is not configured (configured: %s)", e.Lang, strings.Join(e.Configured, ", "))
}

// Apply changes c as o says. It returns an *UnknownLanguageError, and
// changes nothing, when o names a language c does not configure.
func (c *Config) Apply(o Overrides) error {
	keep := map[string]bool{}
	for _, l := range o.Languages {
		if _, ok := c.Languages[l]; !ok {
			return &UnknownLanguageError{Lang: l, Configured: c.LanguageOrder}
		}
		keep[l] = true
	}
	if o.BaseURL != "" {
		c.BaseURL = strings.TrimSuffix(o.BaseURL, "/") + "/"
	}
	if o.Relative || o.Offline {
		c.RelativeURLs = true
	}
	if o.Absolute {
		c.RelativeURLs = false
	}
	c.Offline = c.Offline || o.Offline
	if len(keep) == 0 {
		return nil
	}
	var order []string
	for _, l := range c.LanguageOrder {
		if keep[l] {
			order = append(order, l)
			continue
		}
		delete(c.Languages, l)
		if c.Excluded == nil {
			c.Excluded = map[string]bool{}
		}
		c.Excluded[l] = true
	}
	c.LanguageOrder = order
	if !keep[c.DefaultLanguage] {
		c.DefaultLanguage = order[0]
	}
	return nil
}
