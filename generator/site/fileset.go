package site

// FileSet is an immutable set of output files, by slash-separated path.
// An update makes a new set that shares the old one's files and records
// only what changed, so a one-page edit costs the size of the edit, not of
// the site; now and then the changes are folded into a new base.
type FileSet struct {
	base map[string][]byte // never changed once the set is made
	over map[string][]byte // newer files than base's, or files base lacks
	gone map[string]bool   // base's files that are removed
	n    int
}

// NewFileSet returns a set of the files in m; m must not be changed after.
func NewFileSet(m map[string][]byte) *FileSet {
	return &FileSet{base: m, n: len(m)}
}

// Get returns a file of the set.
func (f *FileSet) Get(rel string) ([]byte, bool) {
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
func (f *FileSet) Range(fn func(rel string, b []byte) bool) {
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

// Map returns the files as a new map.
func (f *FileSet) Map() map[string][]byte {
	m := make(map[string][]byte, f.Len())
	f.Range(func(p string, b []byte) bool {
		m[p] = b
		return true
	})
	return m
}

// With returns a new set: this one with the files of put added or
// replaced and the paths in remove taken out. Neither set changes later.
func (f *FileSet) With(put map[string][]byte, remove []string) *FileSet {
	if f == nil {
		f = NewFileSet(nil)
	}
	next := &FileSet{base: f.base, n: f.n,
		over: make(map[string][]byte, len(f.over)+len(put)),
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
		return NewFileSet(next.Map()) // fold the changes into a new base
	}
	return next
}
