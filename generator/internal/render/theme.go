package render

import (
	"errors"
	"io/fs"
	"path"
	"sort"
	"strings"
)

// Layouts are the template files a site can use: the site's own layouts/
// folder over the theme's, file by file.
type Layouts struct {
	fsys  fs.FS
	dirs  []string          // searched in order: site first, then theme
	files map[string]string // logical name (page.html, partials/head.html) -> source path
}

// LayoutDirs returns the folders searched for layouts, first match wins.
func LayoutDirs(theme string) []string {
	return []string{"layouts", path.Join("themes", theme, "layouts")}
}

// FindLayouts indexes the layout files under the given folders.
func FindLayouts(fsys fs.FS, dirs []string) (*Layouts, error) {
	l := &Layouts{fsys: fsys, dirs: dirs, files: map[string]string{}}
	for i := len(dirs) - 1; i >= 0; i-- {
		dir := dirs[i]
		err := fs.WalkDir(fsys, dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				if errors.Is(err, fs.ErrNotExist) && p == dir {
					return fs.SkipAll
				}
				return err
			}
			if d.IsDir() || !strings.HasSuffix(p, ".html") || strings.HasPrefix(d.Name(), ".") {
				return nil
			}
			l.files[strings.TrimPrefix(p, dir+"/")] = p
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return l, nil
}

// Source returns the file a logical layout name comes from.
func (l *Layouts) Source(name string) (string, bool) {
	s, ok := l.files[name]
	return s, ok
}

// Partials lists the logical names of base.html and partials/*.
func (l *Layouts) shared() []string {
	var out []string
	for name := range l.files {
		if name == "base.html" || strings.HasPrefix(name, "partials/") {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

// Lookup returns the logical layout name for a page kind, following the
// order documented in README.md: for a page with layout L in top-level
// section S: S/L.html, L.html; without a layout: S/page.html, page.html.
// Sections: S/section.html, section.html. Home: home.html; the root
// language chooser: root.html; not found: 404.html.
func (l *Layouts) Lookup(kind, section, layout string) (string, []string) {
	var tried []string
	var names []string
	base := kind
	if layout != "" {
		base = layout
	}
	if section != "" && (kind == "page" || kind == "section") {
		names = append(names, section+"/"+base+".html")
	}
	names = append(names, base+".html")
	if layout == "" && (kind == "taxonomy" || kind == "term") {
		names = append(names, "section.html") // a list of pages, as a section is
	}
	for _, n := range names {
		tried = append(tried, n)
		if _, ok := l.files[n]; ok {
			return n, tried
		}
	}
	return "", tried
}
