// Package paths is the one place that knows the folders of a site and what
// a change to a path in them means: the preview's watcher, the incremental
// rebuild and the check of an output folder all ask it.
package paths

import (
	"path"
	"strings"
)

// The files and folders of a site, relative to its root.
const (
	Config  = "config.toml" // the site's configuration
	Content = "content"     // Markdown, one folder per language
	Themes  = "themes"      // themes/<name>/ with layouts/, static/ and i18n/
	Layouts = "layouts"     // the site's own templates, over the theme's
	Static  = "static"      // files copied as they are, over the theme's
	I18n    = "i18n"        // the site's UI strings, over the theme's
	Data    = "data"        // data files for templates: data/*.toml|yaml|json, data/<lang>/ over them

	// Cache is the folder where builds keep what the next one reuses (the
	// resized images): outside the output, never published, safe to
	// delete. It is hidden, so the preview does not watch it.
	Cache = ".qorgau-cache"

	// BuiltinTheme is where the built-in theme's files are in Qorgau's own
	// repository: a site there builds with them as they are on disk, so
	// the preview follows edits to the default theme.
	BuiltinTheme = "generator/internal/theme/qorgau"
)

// Sources are the folders a site's output is made from. The watcher
// watches them, and an output folder may not be inside one.
var Sources = []string{Content, Themes, Layouts, Static, I18n, Data, BuiltinTheme}

// Kind is what a changed path is to the site.
type Kind int

const (
	Unrelated   Kind = iota // not a source of the site, or an editor's temporary file
	ConfigFile              // config.toml
	ContentFile             // under content/
	Template                // layouts of the site or of its theme
	UIStrings               // i18n of the site or of its theme
	StaticFile              // static files of the site or of its theme
	OtherTheme              // a file of a theme the site does not use, or outside a theme's folders
	DataFile                // under data/
)

// Classify says what the path rel (slash-separated, relative to the site's
// root) is to a site using theme. With theme "" every theme counts as the
// site's (the watcher, which runs before the config is read).
func Classify(rel, theme string) Kind {
	if rel == Config {
		return ConfigFile
	}
	for _, seg := range strings.Split(rel, "/") {
		if Ignored(seg) {
			return Unrelated
		}
	}
	if inside, ok := strings.CutPrefix(rel, BuiltinTheme+"/"); ok {
		rel = Themes + "/qorgau/" + inside
	}
	top, rest, _ := strings.Cut(rel, "/")
	if top == Content {
		return ContentFile
	}
	if top == Data {
		return DataFile
	}
	if top == Themes {
		name, inside, _ := strings.Cut(rest, "/")
		if theme != "" && name != theme {
			return OtherTheme
		}
		dir, _, _ := strings.Cut(inside, "/")
		if k, ok := overridable[dir]; ok {
			return k
		}
		return OtherTheme
	}
	if k, ok := overridable[top]; ok {
		return k
	}
	return Unrelated
}

// overridable are the folders a site and its theme both have, the site's
// files over the theme's.
var overridable = map[string]Kind{Layouts: Template, I18n: UIStrings, Static: StaticFile}

// Watched reports whether a change to rel can change a site's output.
func Watched(rel string) bool { return Classify(rel, "") != Unrelated }

// Ignored reports whether a file or folder name is an editor's or the
// system's and not content: hidden files, Emacs locks, backups and swap files.
func Ignored(name string) bool {
	if name == "" {
		return true
	}
	if name[0] == '.' || name[0] == '#' || strings.HasSuffix(name, "~") || name == "4913" {
		return true
	}
	switch path.Ext(name) {
	case ".swp", ".swx", ".swo", ".tmp", ".bak", ".orig":
		return true
	}
	return false
}
