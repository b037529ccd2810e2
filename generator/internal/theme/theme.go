// Package theme is Qorgau's default theme, built into the program: a site
// that names it (theme = "qorgau", the default) and has no copy of it
// builds with this one, and a site's own themes/qorgau/ files and
// layouts/ override it file by file.
//
// The theme's files are in qorgau/ beside this file; edit them there.
package theme

import (
	"embed"
	"errors"
	"io"
	"io/fs"
	"slices"
	"strings"

	"github.com/qorgau/qorgau/generator/internal/paths"
)

// Name is the default theme's name, its folder under themes/.
const Name = "qorgau"

//go:embed all:qorgau
var files embed.FS

// FS returns the default theme's files (layouts/, static/, i18n/).
func FS() fs.FS {
	sub, _ := fs.Sub(files, Name) // a constant folder that is embedded: it cannot fail
	return sub
}

// mount is where a site finds the default theme.
const mount = "themes/" + Name

// Overlay returns site with the default theme under themes/qorgau/: a file
// the site has there is the site's, every other is the built-in theme's.
// Folder listings hold both.
//
// In Qorgau's own repository the theme is read from its folder on disk
// (paths.BuiltinTheme), so the preview shows edits to it at once.
func Overlay(site fs.FS) fs.FS {
	if _, ok := site.(overlay); ok {
		return site
	}
	if info, err := fs.Stat(site, paths.BuiltinTheme); err == nil && info.IsDir() {
		if sub, err := fs.Sub(site, paths.BuiltinTheme); err == nil {
			return overlay{site: site, theme: sub}
		}
	}
	return overlay{site: site, theme: FS()}
}

type overlay struct{ site, theme fs.FS }

// themed returns the name inside the theme for a name under the mount.
func themed(name string) (string, bool) {
	switch {
	case name == mount:
		return ".", true
	case strings.HasPrefix(name, mount+"/"):
		return strings.TrimPrefix(name, mount+"/"), true
	}
	return "", false
}

func (o overlay) Open(name string) (fs.File, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	// A folder of themes/ or of the theme lists both.
	if _, under := themed(name); under || name == "themes" || name == "." {
		info, err := o.Stat(name)
		if err != nil {
			return nil, err
		}
		if info.IsDir() {
			entries, err := o.ReadDir(name)
			if err != nil {
				return nil, err
			}
			return &dir{info: info, entries: entries}, nil
		}
	}
	f, err := o.site.Open(name)
	if err == nil || !errors.Is(err, fs.ErrNotExist) {
		return f, err
	}
	if rel, ok := themed(name); ok {
		return o.theme.Open(rel)
	}
	return nil, err
}

// dir is a folder whose entries are the site's and the theme's.
type dir struct {
	info    fs.FileInfo
	entries []fs.DirEntry
}

func (d *dir) Stat() (fs.FileInfo, error) { return d.info, nil }
func (d *dir) Read([]byte) (int, error) {
	return 0, &fs.PathError{Op: "read", Path: "themes", Err: errors.New("is a directory")}
}
func (d *dir) Close() error { return nil }

// ReadDir gives the folder's entries as fs.ReadDirFile does.
func (d *dir) ReadDir(n int) ([]fs.DirEntry, error) {
	if n <= 0 {
		out := d.entries
		d.entries = nil
		return out, nil
	}
	if len(d.entries) == 0 {
		return nil, io.EOF
	}
	n = min(n, len(d.entries))
	out := d.entries[:n]
	d.entries = d.entries[n:]
	return out, nil
}

func (o overlay) Stat(name string) (fs.FileInfo, error) {
	info, err := fs.Stat(o.site, name)
	if err == nil || !errors.Is(err, fs.ErrNotExist) {
		return info, err
	}
	if rel, ok := themed(name); ok {
		return fs.Stat(o.theme, rel)
	}
	if name == "themes" {
		info, err := fs.Stat(o.theme, ".")
		if err != nil {
			return nil, err
		}
		return named{info, "themes"}, nil
	}
	return nil, err
}

// ReadDir lists a folder of the site, with the built-in theme's files
// added under themes/ and themes/qorgau/.
func (o overlay) ReadDir(name string) ([]fs.DirEntry, error) {
	own, err := fs.ReadDir(o.site, name)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	var extra []fs.DirEntry
	if rel, ok := themed(name); ok {
		extra, _ = fs.ReadDir(o.theme, rel)
	} else if info, err := fs.Stat(o.theme, "."); err == nil && (name == "themes" || name == ".") {
		n := Name
		if name == "." {
			n = "themes"
		}
		extra = []fs.DirEntry{fs.FileInfoToDirEntry(named{info, n})}
	}
	if err != nil && len(extra) == 0 {
		return nil, err
	}
	out := slices.Clone(own)
	for _, e := range extra {
		if !slices.ContainsFunc(own, func(d fs.DirEntry) bool { return d.Name() == e.Name() }) {
			out = append(out, e)
		}
	}
	slices.SortFunc(out, func(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
	return out, nil
}

// named is the theme's root folder under another name.
type named struct {
	fs.FileInfo
	name string
}

func (n named) Name() string { return n.name }
