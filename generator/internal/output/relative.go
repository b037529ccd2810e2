package output

import (
	"bytes"
	"path"
	"regexp"
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

var attrRe = regexp.MustCompile(`(\s(?:href|src|action|poster|data-index|data-root)=")([^"]*)(")`)
var refreshRe = regexp.MustCompile(`(content="\d+;\s*url=)([^"]*)(")`)
var cssURLRe = regexp.MustCompile(`(url\(\s*["']?)([^"')]+)(["']?\s*\))`)

// Rewrite rewrites the links of the file at rel (its path in the output).
func (l *Linker) Rewrite(rel string, data []byte) []byte {
	if l == nil {
		return data
	}
	switch FormatOf(rel).Links {
	case HTMLLinks:
		data = attrRe.ReplaceAllFunc(data, func(m []byte) []byte {
			sub := attrRe.FindSubmatch(m)
			dirOnly := bytes.Contains(sub[1], []byte("data-root"))
			return l.join(sub, rel, dirOnly)
		})
		return refreshRe.ReplaceAllFunc(data, func(m []byte) []byte {
			return l.join(refreshRe.FindSubmatch(m), rel, false)
		})
	case CSSLinks:
		return cssURLRe.ReplaceAllFunc(data, func(m []byte) []byte {
			return l.join(cssURLRe.FindSubmatch(m), rel, false)
		})
	}
	return data
}

func (l *Linker) join(sub [][]byte, from string, dirOnly bool) []byte {
	u := string(sub[2])
	if r, ok := l.relative(from, u, dirOnly); ok {
		u = r
	}
	out := make([]byte, 0, len(sub[1])+len(u)+len(sub[3]))
	out = append(out, sub[1]...)
	out = append(out, u...)
	return append(out, sub[3]...)
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
