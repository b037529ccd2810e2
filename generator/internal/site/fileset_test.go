package site

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"math/rand/v2"
	"testing"
)

// TestFileSetMatchesMap applies random puts and removals to a FileSet and
// to a plain map, and checks after each step that both hold the same
// files and that older sets never change.
func TestFileSetMatchesMap(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	want := map[string][]byte{}
	base := map[string]Content{}
	for i := range 500 {
		want[fmt.Sprintf("p%d", i)] = []byte{byte(i)}
		base[fmt.Sprintf("p%d", i)] = Content{[]byte{byte(i)}}
	}
	set := NewFileSet(base)
	type old struct {
		set   *FileSet
		files map[string][]byte
	}
	var history []old
	for step := range 400 {
		put := map[string]Content{}
		var remove []string
		for range r.IntN(4) {
			put[fmt.Sprintf("p%d", r.IntN(700))] = Content{[]byte{byte(step)}, []byte{byte(r.IntN(256))}}
		}
		for range r.IntN(3) {
			remove = append(remove, fmt.Sprintf("p%d", r.IntN(700)))
		}
		for _, p := range remove {
			delete(want, p)
		}
		for p, b := range put {
			want[p] = b.Bytes()
		}
		set = set.With(put, remove)
		history = append(history, old{set, maps.Clone(want)})
		if got := set.Map(); !maps.EqualFunc(got, want, func(a, b []byte) bool { return string(a) == string(b) }) || set.Len() != len(want) {
			t.Fatalf("step %d: the set holds %d files (Len %d), the map %d", step, len(got), set.Len(), len(want))
		}
		for p, b := range want {
			if got, ok := set.Get(p); !ok || string(got.Bytes()) != string(b) {
				t.Fatalf("step %d: Get(%s) = %v, %v", step, p, got, ok)
			}
		}
	}
	for i, h := range history {
		if got := h.set.Map(); !maps.EqualFunc(got, h.files, func(a, b []byte) bool { return string(a) == string(b) }) {
			t.Fatalf("the set of step %d changed later", i)
		}
	}
}

func TestContentEqual(t *testing.T) {
	for _, tc := range []struct {
		a, b Content
		want bool
	}{
		{Content{[]byte("abc")}, Content{[]byte("a"), []byte("bc")}, true},
		{Content{[]byte("ab"), nil, []byte("c")}, Content{[]byte("abc")}, true},
		{Content{[]byte("abc")}, Content{[]byte("abd")}, false},
		{Content{[]byte("abc")}, Content{[]byte("ab")}, false},
		{Content{}, Content{nil, []byte{}}, true},
	} {
		if got := tc.a.Equal(tc.b); got != tc.want || tc.b.Equal(tc.a) != tc.want {
			t.Errorf("%q = %q: %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
}

// TestFileSetFS: the set's files read as one file across their pieces,
// from any offset.
func TestFileSetFS(t *testing.T) {
	set := NewFileSet(map[string]Content{"a/index.html": {[]byte("<html>"), []byte(""), []byte("<body>hi"), []byte("</body>")}})
	fsys := set.FS()
	b, err := fs.ReadFile(fsys, "a/index.html")
	if err != nil || string(b) != "<html><body>hi</body>" {
		t.Fatalf("ReadFile = %q, %v", b, err)
	}
	f, _ := fsys.Open("a/index.html")
	rs := f.(io.ReadSeeker)
	for off := int64(0); off <= int64(len(b)); off++ {
		if _, err := rs.Seek(off, io.SeekStart); err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(rs)
		if string(got) != string(b[off:]) {
			t.Errorf("from %d: %q, want %q", off, got, b[off:])
		}
	}
	if info, _ := f.Stat(); info.Size() != int64(len(b)) || info.Name() != "index.html" {
		t.Errorf("Stat: %d %s", info.Size(), info.Name())
	}
	if _, err := fsys.Open("a"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Open of a folder: %v", err)
	}
	if _, err := fsys.Open("../x"); err == nil {
		t.Error("Open of ../x succeeded")
	}
}
