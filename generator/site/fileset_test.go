package site

import (
	"fmt"
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
