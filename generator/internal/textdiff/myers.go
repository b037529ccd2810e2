package textdiff

import "math"

// defaultBudget is how many steps one Words or Paragraphs call may spend
// searching. A step (one diagonal or one matched token) costs a few
// nanoseconds, so two unrelated 100 KB texts take about 35 ms; a lesson
// with ordinary edits needs well under 1% of it.
const defaultBudget = 5 << 20

// budget is the work left; it is shared by every diff of one call.
type budget struct{ left int }

func newBudget() budget { return budget{left: defaultBudget} }

// run is a stretch of n tokens of one kind in an edit script.
type run struct {
	kind Kind
	n    int
}

// differ computes the edit script between two id sequences with Myers'
// O(ND) algorithm in its linear-space form: find the middle snake of an
// optimal path, then recurse on both sides of it.
type differ struct {
	b      *budget
	runs   []run
	vf, vb []int // furthest x per diagonal, forward and backward
}

// snake is a diagonal stretch from (x, y) to (u, v) of the edit graph.
type snake struct{ x, y, u, v int }

func (d *differ) emit(k Kind, n int) {
	if n == 0 {
		return
	}
	if l := len(d.runs); l > 0 && d.runs[l-1].kind == k {
		d.runs[l-1].n += n
		return
	}
	d.runs = append(d.runs, run{k, n})
}

// diff appends the edit script turning a into b.
func (d *differ) diff(a, b []int32) {
	p := 0
	for p < len(a) && p < len(b) && a[p] == b[p] {
		p++
	}
	d.emit(Equal, p)
	a, b = a[p:], b[p:]
	s := 0
	for s < len(a) && s < len(b) && a[len(a)-1-s] == b[len(b)-1-s] {
		s++
	}
	a, b = a[:len(a)-s], b[:len(b)-s]
	d.b.left -= p + s
	d.middle(a, b)
	d.emit(Equal, s)
}

// middle diffs a and b, which share no prefix or suffix. When the budget is
// spent it gives up and deletes all of a, then inserts all of b.
func (d *differ) middle(a, b []int32) {
	if len(a) > 0 && len(b) > 0 && d.b.left > 0 {
		s, ok := d.bisect(a, b)
		// An empty snake in a corner would recurse on the same problem.
		stuck := s.u == s.x && (s.x == 0 && s.y == 0 || s.x == len(a) && s.y == len(b))
		if ok && !stuck {
			d.diff(a[:s.x], b[:s.y])
			d.emit(Equal, s.u-s.x)
			d.diff(a[s.u:], b[s.v:])
			return
		}
	}
	d.emit(Delete, len(a))
	d.emit(Insert, len(b))
}

// bisect finds the middle snake of an optimal path from a to b, searching
// from both corners at once. It fails when the budget runs out first.
func (d *differ) bisect(a, b []int32) (snake, bool) {
	n, m := len(a), len(b)
	maxD := n + m
	// Each round e costs at least e steps, so the budget caps the rounds
	// and with them the size of the arrays.
	if lim := int(math.Sqrt(float64(d.b.left))) + 2; lim < maxD {
		maxD = lim
	}
	size := 2*maxD + 3
	if cap(d.vf) < size {
		d.vf, d.vb = make([]int, size), make([]int, size)
	}
	// Every round reads only what the round before wrote, so the arrays
	// need no clearing; round 0 starts from this one cell.
	off := maxD + 1
	d.vf[off+1], d.vb[off+1] = 0, 0
	odd := (n-m)%2 != 0
	for e := 0; e <= maxD; e++ {
		if s, ok := d.forward(a, b, off, e, odd); ok {
			return s, true
		}
		if s, ok := d.backward(a, b, off, e, !odd); ok {
			return s, true
		}
		if d.b.left < 0 {
			break
		}
	}
	return snake{}, false
}

// forward extends the furthest forward paths by one edit (round e) and
// reports a snake where one meets a backward path of round e-1. Paths may
// run past the edge of the grid; such points are never taken as meetings.
func (d *differ) forward(a, b []int32, off, e int, check bool) (snake, bool) {
	n, m := len(a), len(b)
	delta := n - m
	vf, vb := d.vf, d.vb
	spent := 0
	for k := -e; k <= e; k += 2 {
		i := off + k
		var x int
		if k == -e || (k != e && vf[i-1] < vf[i+1]) {
			x = vf[i+1] // down from diagonal k+1
		} else {
			x = vf[i-1] + 1 // right from diagonal k-1
		}
		y := x - k
		x0, y0 := x, y
		for x < n && y < m && a[x] == b[y] {
			x++
			y++
		}
		vf[i] = x
		spent += 1 + x - x0
		if !check || x > n || y > m {
			continue
		}
		c := delta - k // the same diagonal, counted from the other corner
		if c < -(e-1) || c > e-1 {
			continue
		}
		if xr := vb[off+c]; xr <= n && xr-c <= m && x+xr >= n {
			d.b.left -= spent
			return snake{x0, y0, x, y}, true
		}
	}
	d.b.left -= spent
	return snake{}, false
}

// backward is forward run from the bottom-right corner on the reversed
// sequences; it checks against forward paths of the same round e.
func (d *differ) backward(a, b []int32, off, e int, check bool) (snake, bool) {
	n, m := len(a), len(b)
	delta := n - m
	vf, vb := d.vf, d.vb
	spent := 0
	for c := -e; c <= e; c += 2 {
		i := off + c
		var x int
		if c == -e || (c != e && vb[i-1] < vb[i+1]) {
			x = vb[i+1]
		} else {
			x = vb[i-1] + 1
		}
		y := x - c
		x0, y0 := x, y
		for x < n && y < m && a[n-1-x] == b[m-1-y] {
			x++
			y++
		}
		vb[i] = x
		spent += 1 + x - x0
		if !check || x > n || y > m {
			continue
		}
		k := delta - c
		if k < -e || k > e {
			continue
		}
		if xf := vf[off+k]; xf <= n && xf-k <= m && xf+x >= n {
			d.b.left -= spent
			return snake{n - x, m - y, n - x0, m - y0}, true
		}
	}
	d.b.left -= spent
	return snake{}, false
}
