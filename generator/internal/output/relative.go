package output

import (
	"path"
	"sort"
	"strings"
)

// Linker rewrites a page's links to the site's own pages and assets so that
// they are relative to the page: the output then works under any sub-path
// (http://school.local/lessons/) and, with Explicit, from a folder opened
// with file://, where a link must name index.html itself.
type Linker struct {
	BasePath string // path of the site's base URL: "/" or "/lessons/"
	Origin   string // the base URL itself; absolute links to it are rewritten too when set
	Explicit bool   // point at files: ../rights/index.html instead of ../rights/
}

// Rewrite rewrites the links of the file at rel (its path in the output):
// every URL the scanner finds in a page (attributes, srcset candidates,
// meta refresh, CSS in style attributes and elements) or in a stylesheet.
func (l *Linker) Rewrite(rel string, data []byte) []byte {
	if l == nil {
		return data
	}
	var refs []Ref
	switch FormatOf(rel).Links {
	case HTMLLinks:
		refs = ScanHTML(data).Refs
	case CSSLinks:
		refs = ScanCSS(data, 0, "", "")
	}
	if len(refs) == 0 {
		return data
	}
	out := make([]byte, 0, len(data)+len(data)/16)
	last := 0
	for _, r := range sortedRefs(refs) {
		if r.Start < last {
			continue // inside one already rewritten
		}
		u, ok := l.relative(rel, string(data[r.Start:r.End]), r.Attr == "data-root")
		if !ok {
			continue
		}
		out = append(out, data[last:r.Start]...)
		out = append(out, u...)
		last = r.End
	}
	return append(out, data[last:]...)
}

// sortedRefs orders refs by where they are written (the scanner reports
// CSS in a style attribute before the tag's later attributes).
func sortedRefs(refs []Ref) []Ref {
	sorted := true
	for i := 1; i < len(refs); i++ {
		if refs[i].Start < refs[i-1].Start {
			sorted = false
			break
		}
	}
	if !sorted {
		refs = append([]Ref(nil), refs...)
		sort.SliceStable(refs, func(i, j int) bool { return refs[i].Start < refs[j].Start })
	}
	return refs
}

// relative turns a site URL into one relative to the file at from.
func (l *Linker) relative(from, u string, dirOnly bool) (string, bool) {
	var site string
	switch {
	case l.Origin != "" && strings.HasPrefix(u, l.Origin):
		site = strings.TrimPrefix(u, l.Origin)
	case strings.HasPrefix(u, "//"):
		return "", false
	case strings.HasPrefix(u, l.BasePath):
		site = strings.TrimPrefix(u, l.BasePath)
	default:
		return "", false
	}
	frag := ""
	if i := strings.IndexAny(site, "?#"); i >= 0 {
		site, frag = site[:i], site[i:]
	}
	if l.Explicit && !dirOnly && (site == "" || strings.HasSuffix(site, "/")) {
		site += "index.html"
	}
	fromDir := path.Dir(from)
	if fromDir == "." {
		fromDir = ""
	}
	var up []string
	fs := strings.Split(fromDir, "/")
	ts := strings.Split(site, "/")
	if fromDir == "" {
		fs = nil
	}
	i := 0
	for i < len(fs) && i < len(ts)-1 && fs[i] == ts[i] {
		i++
	}
	for range fs[i:] {
		up = append(up, "..")
	}
	r := strings.Join(append(up, ts[i:]...), "/")
	if r == "" {
		r = "./"
	}
	return r + frag, true
}
