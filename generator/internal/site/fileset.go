package site

import (
	"bytes"

	"github.com/qorgau/qorgau/generator/internal/render"
)

// Content is a file's bytes, possibly in pieces to be written one after
// the other: a page keeps the cached partials it shows as shared pieces,
// so thousands of pages showing one navigation list hold it once.
type Content [][]byte

// Len is the content's size in bytes.
func (c Content) Len() int {
	n := 0
	for _, p := range c {
		n += len(p)
	}
	return n
}

// Bytes returns the content in one slice: its only piece, or a new join.
func (c Content) Bytes() []byte {
	switch len(c) {
	case 0:
		return nil
	case 1:
		return c[0]
	}
	return render.Join(c)
}

// Equal reports whether two contents hold the same bytes, however cut.
func (c Content) Equal(d Content) bool {
	if c.Len() != d.Len() {
		return false
	}
	var a, b []byte
	for {
		for len(a) == 0 && len(c) > 0 {
			a, c = c[0], c[1:]
		}
		for len(b) == 0 && len(d) > 0 {
			b, d = d[0], d[1:]
		}
		if len(a) == 0 || len(b) == 0 {
			return len(a) == len(b)
		}
		n := min(len(a), len(b))
		if !bytes.Equal(a[:n], b[:n]) {
			return false
		}
		a, b = a[n:], b[n:]
	}
}

// FileSet is an immutable set of output files, by slash-separated path.
// An update makes a new set that shares the old one's files and records
// only what changed, so a one-page edit costs the size of the edit, not of
// the site; now and then the changes are folded into a new base.
type FileSet struct {
	base map[string]Content // never changed once the set is made
	over map[string]Content // newer files than base's, or files base lacks
	gone map[string]bool    // base's files that are removed
	n    int
}

// NewFileSet returns a set of the files in m; m must not be changed after.
func NewFileSet(m map[string]Content) *FileSet {
	return &FileSet{base: m, n: len(m)}
}

// Get returns a file of the set.
func (f *FileSet) Get(rel string) (Content, bool) {
	if f == nil {
		return nil, false
	}
	if b, ok := f.over[rel]; ok {
		return b, true
	}
	if f.gone[rel] {
		return nil, false
	}
	b, ok := f.base[rel]
	return b, ok
}

// Len is the number of files.
func (f *FileSet) Len() int {
	if f == nil {
		return 0
	}
	return f.n
}

// Range calls fn for every file, in no order, until fn returns false.
func (f *FileSet) Range(fn func(rel string, b Content) bool) {
	if f == nil {
		return
	}
	for p, b := range f.over {
		if !fn(p, b) {
			return
		}
	}
	for p, b := range f.base {
		if _, newer := f.over[p]; newer || f.gone[p] {
			continue
		}
		if !fn(p, b) {
			return
		}
	}
}

// Map returns the files as a new map, each in one slice.
func (f *FileSet) Map() map[string][]byte {
	m := make(map[string][]byte, f.Len())
	f.Range(func(p string, b Content) bool {
		m[p] = b.Bytes()
		return true
	})
	return m
}

// contents returns the files as a new map of their pieces.
func (f *FileSet) contents() map[string]Content {
	m := make(map[string]Content, f.Len())
	f.Range(func(p string, b Content) bool {
		m[p] = b
		return true
	})
	return m
}

// With returns a new set: this one with the files of put added or
// replaced and the paths in remove taken out. Neither set changes later.
func (f *FileSet) With(put map[string]Content, remove []string) *FileSet {
	if f == nil {
		f = NewFileSet(nil)
	}
	next := &FileSet{base: f.base, n: f.n,
		over: make(map[string]Content, len(f.over)+len(put)),
		gone: make(map[string]bool, len(f.gone)+len(remove))}
	for p, b := range f.over {
		next.over[p] = b
	}
	for p := range f.gone {
		next.gone[p] = true
	}
	for _, p := range remove {
		if _, ok := next.Get(p); ok {
			next.n--
		}
		delete(next.over, p)
		if _, inBase := next.base[p]; inBase {
			next.gone[p] = true
		}
	}
	for p, b := range put {
		if _, ok := next.Get(p); !ok {
			next.n++
		}
		next.over[p] = b
		delete(next.gone, p)
	}
	if len(next.over)+len(next.gone) > max(64, len(next.base)/16) {
		return NewFileSet(next.contents()) // fold the changes into a new base
	}
	return next
}
