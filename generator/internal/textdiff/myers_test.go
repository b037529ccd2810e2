package textdiff

import (
	"math/rand/v2"
	"testing"
)

// lcs returns the length of a longest common subsequence, the slow way.
func lcs(a, b []int32) int {
	row := make([]int, len(b)+1)
	for i := range a {
		prev := 0 // row[j] of the previous i, for j-1
		for j := range b {
			cur := row[j+1]
			if a[i] == b[j] {
				row[j+1] = prev + 1
			} else {
				row[j+1] = max(row[j+1], row[j])
			}
			prev = cur
		}
	}
	return row[len(b)]
}

// apply checks that runs turn a into b and returns how many tokens they
// insert or delete.
func apply(t *testing.T, a, b []int32, runs []run) int {
	t.Helper()
	i, j, edits := 0, 0, 0
	for _, r := range runs {
		switch r.kind {
		case Equal:
			for range r.n {
				if i >= len(a) || j >= len(b) || a[i] != b[j] {
					t.Fatalf("%v / %v: bad equal run in %v", a, b, runs)
				}
				i, j = i+1, j+1
			}
		case Delete:
			i += r.n
			edits += r.n
		case Insert:
			j += r.n
			edits += r.n
		}
	}
	if i != len(a) || j != len(b) {
		t.Fatalf("%v / %v: runs %v stop at %d, %d", a, b, runs, i, j)
	}
	return edits
}

// TestMyersMinimal compares the edit scripts with the optimum on many small
// random sequences over small alphabets, where ties and edges abound.
func TestMyersMinimal(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for iter := range 200000 {
		alpha := int32(1 + iter%4)
		a := make([]int32, rng.IntN(12))
		b := make([]int32, rng.IntN(12))
		for i := range a {
			a[i] = rng.Int32N(alpha)
		}
		for i := range b {
			b[i] = rng.Int32N(alpha)
		}
		bud := newBudget()
		d := differ{b: &bud}
		d.diff(a, b)
		got := apply(t, a, b, d.runs)
		if want := len(a) + len(b) - 2*lcs(a, b); got != want {
			t.Fatalf("%v / %v: %d edits, want %d (%v)", a, b, got, want, d.runs)
		}
	}
}

// TestMyersBudget checks that a spent budget still gives a valid script.
func TestMyersBudget(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	a, b := make([]int32, 3000), make([]int32, 3000)
	for i := range a {
		a[i], b[i] = rng.Int32N(3), rng.Int32N(3)
	}
	bud := budget{left: 1000}
	d := differ{b: &bud}
	d.diff(a, b)
	apply(t, a, b, d.runs)
}
