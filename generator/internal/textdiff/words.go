package textdiff

import "unicode/utf8"

// words is Words spending from a shared budget.
func words(old, new string, b *budget) []Op {
	if old == new {
		if old == "" {
			return nil
		}
		return []Op{{Equal, old}}
	}
	ta, tb := tokens(old), tokens(new)
	// Trim the common tokens at both ends before interning: edits are
	// usually small, so most of the text never reaches the map.
	p := 0
	for p < len(ta) && p < len(tb) && ta[p] == tb[p] && old[start(ta, p):ta[p]] == new[start(tb, p):tb[p]] {
		p++
	}
	s := 0
	for s < len(ta)-p && s < len(tb)-p {
		i, j := len(ta)-1-s, len(tb)-1-s
		if old[start(ta, i):ta[i]] != new[start(tb, j):tb[j]] {
			break
		}
		s++
	}
	in := interner{}
	d := differ{b: b}
	d.emit(Equal, p)
	d.middle(in.ids(old, ta, p, len(ta)-s), in.ids(new, tb, p, len(tb)-s))
	d.emit(Equal, s)
	return render(old, new, fold(segments(old, new, ta, tb, d.runs)))
}

// seg is a stretch of the diff: an equality, or a change made of the old
// bytes [o0, o1) replaced by the new bytes [n0, n1). Lengths are in runes.
type seg struct {
	eq             bool
	o0, o1, n0, n1 int
	oldLen, newLen int
	space          bool // an equality that is all whitespace
}

// segments turns a token edit script into byte ranges, merging the
// deletions and insertions between two equalities into one change.
func segments(old, new string, ta, tb []int, runs []run) []seg {
	var out []seg
	i, j := 0, 0 // tokens consumed in old and new
	for _, r := range runs {
		o0, n0 := start(ta, i), start(tb, j)
		switch r.kind {
		case Equal:
			i, j = i+r.n, j+r.n
		case Delete:
			i += r.n
		case Insert:
			j += r.n
		}
		o1, n1 := start(ta, i), start(tb, j)
		if r.kind == Equal {
			text := old[o0:o1]
			l := utf8.RuneCountInString(text)
			out = append(out, seg{eq: true, o0: o0, o1: o1, n0: n0, n1: n1, oldLen: l, newLen: l, space: onlySpace(text)})
			continue
		}
		c := seg{o0: o0, o1: o1, n0: n0, n1: n1,
			oldLen: utf8.RuneCountInString(old[o0:o1]), newLen: utf8.RuneCountInString(new[n0:n1])}
		if l := len(out); l > 0 && !out[l-1].eq {
			out[l-1] = join(out[l-1], c)
			continue
		}
		out = append(out, c)
	}
	return out
}

// join merges neighbouring segments into one change.
func join(a, b seg) seg {
	return seg{o0: a.o0, o1: b.o1, n0: a.n0, n1: b.n1, oldLen: a.oldLen + b.oldLen, newLen: a.newLen + b.newLen}
}

// fold absorbs an equality between two changes into them when it is only
// whitespace, or no longer than the bigger side of each change: such
// equalities are coincidence, and showing them splits a rewrite into
// confetti. Folding grows the change, so earlier equalities are looked at
// again.
func fold(segs []seg) []seg {
	out := segs[:0]
	for _, s := range segs {
		out = append(out, s)
		for n := len(out); n >= 3 && !out[n-1].eq && out[n-2].eq && !out[n-3].eq; n = len(out) {
			c1, e, c2 := out[n-3], out[n-2], out[n-1]
			if !e.space && (e.oldLen > max(c1.oldLen, c1.newLen) || e.oldLen > max(c2.oldLen, c2.newLen)) {
				break
			}
			out[n-3] = join(join(c1, e), c2)
			out = out[:n-2]
		}
	}
	return out
}

// render turns segments into ops.
func render(old, new string, segs []seg) []Op {
	ops := make([]Op, 0, len(segs)+len(segs)/2)
	for _, s := range segs {
		if s.eq {
			ops = append(ops, Op{Equal, old[s.o0:s.o1]})
			continue
		}
		if s.o1 > s.o0 {
			ops = append(ops, Op{Delete, old[s.o0:s.o1]})
		}
		if s.n1 > s.n0 {
			ops = append(ops, Op{Insert, new[s.n0:s.n1]})
		}
	}
	return ops
}
