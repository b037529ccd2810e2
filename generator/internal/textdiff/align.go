package textdiff

import (
	"slices"
	"strings"
)

const (
	// similar is the least share of words (Dice coefficient) for a deleted
	// and an inserted paragraph to be shown as one edited paragraph.
	similar = 0.4
	// maxMatrix bounds the cells of the pairing table; bigger hunks are
	// paired greedily.
	maxMatrix = 1 << 14
)

// aligner pairs the deleted and inserted paragraphs of a hunk.
type aligner struct {
	b     *budget
	words interner // lower-cased words, shared by the whole call
}

// pair says deleted paragraph i became inserted paragraph j.
type pair struct{ i, j int }

// hunk appends the blocks for paragraphs dels replaced by ins. Between two
// pairs, unpaired deletions come before unpaired insertions.
func (al *aligner) hunk(out []Block, dels, ins []string) []Block {
	i, j := 0, 0
	for _, p := range al.pairs(dels, ins) {
		out = whole(out, dels[i:p.i], ins[j:p.j])
		out = append(out, Block{Old: dels[p.i], New: ins[p.j], Ops: words(dels[p.i], ins[p.j], al.b)})
		i, j = p.i+1, p.j+1
	}
	return whole(out, dels[i:], ins[j:])
}

// whole appends blocks for paragraphs deleted and inserted as a whole.
func whole(out []Block, dels, ins []string) []Block {
	for _, p := range dels {
		out = append(out, Block{Old: p, Ops: []Op{{Delete, p}}})
	}
	for _, p := range ins {
		out = append(out, Block{New: p, Ops: []Op{{Insert, p}}})
	}
	return out
}

// pairs returns the pairs of similar paragraphs, in order.
func (al *aligner) pairs(dels, ins []string) []pair {
	if len(dels) == 0 || len(ins) == 0 {
		return nil
	}
	bd, bi := make([][]int32, len(dels)), make([][]int32, len(ins))
	for i, p := range dels {
		bd[i] = al.bag(p)
	}
	for j, p := range ins {
		bi[j] = al.bag(p)
	}
	// One paragraph that became another is an edit when they share any
	// word: a short paragraph that grew reads best as words added.
	if len(dels) == 1 && len(ins) == 1 {
		if al.dice(bd[0], bi[0]) > 0 {
			return []pair{{0, 0}}
		}
		return nil
	}
	if len(dels)*len(ins) > maxMatrix {
		return al.greedy(bd, bi)
	}
	return al.best(bd, bi)
}

// best pairs paragraphs by dynamic programming, like a longest common
// subsequence where each pair scores 1 plus its similarity: as many pairs
// as possible, the closest ones first.
func (al *aligner) best(bd, bi [][]int32) []pair {
	p, q := len(bd), len(bi)
	sim := make([]float64, p*q)
	score := make([]float64, (p+1)*(q+1))
	at := func(i, j int) int { return i*(q+1) + j }
	for i := 1; i <= p; i++ {
		for j := 1; j <= q; j++ {
			s := al.dice(bd[i-1], bi[j-1])
			sim[(i-1)*q+j-1] = s
			v := max(score[at(i-1, j)], score[at(i, j-1)])
			if s >= similar {
				v = max(v, score[at(i-1, j-1)]+1+s)
			}
			score[at(i, j)] = v
		}
	}
	var out []pair
	for i, j := p, q; i > 0 && j > 0; {
		s := sim[(i-1)*q+j-1]
		switch {
		case s >= similar && score[at(i, j)] == score[at(i-1, j-1)]+1+s:
			out = append(out, pair{i - 1, j - 1})
			i, j = i-1, j-1
		case score[at(i, j)] == score[at(i-1, j)]:
			i--
		default:
			j--
		}
	}
	slices.Reverse(out)
	return out
}

// greedy pairs paragraphs walking both lists once, looking one paragraph
// ahead on either side; it keeps huge hunks linear.
func (al *aligner) greedy(bd, bi [][]int32) []pair {
	var out []pair
	for i, j := 0, 0; i < len(bd) && j < len(bi); {
		switch {
		case al.dice(bd[i], bi[j]) >= similar:
			out = append(out, pair{i, j})
			i, j = i+1, j+1
		case j+1 < len(bi) && al.dice(bd[i], bi[j+1]) >= similar:
			j++
		default:
			i++
		}
	}
	return out
}

// bag returns the sorted ids of the lower-cased words of a paragraph, or of
// all its non-space tokens when it has no words (a rule, a table border).
func (al *aligner) bag(p string) []int32 {
	ends := tokens(p)
	var ws, other []int32
	for t := range ends {
		tok := p[start(ends, t):ends[t]]
		switch {
		case isWord(tok):
			ws = append(ws, al.words.id(strings.ToLower(tok)))
		case len(ws) == 0 && !onlySpace(tok):
			other = append(other, al.words.id(tok))
		}
	}
	if len(ws) == 0 {
		ws = other
	}
	slices.Sort(ws)
	return ws
}

// dice returns 2·common/(len(a)+len(b)) for sorted multisets a and b. It is
// 0 once the budget is spent, leaving the rest unpaired.
func (al *aligner) dice(a, b []int32) float64 {
	if len(a)+len(b) == 0 || al.b.left <= 0 {
		return 0
	}
	al.b.left -= len(a) + len(b)
	common := 0
	for i, j := 0, 0; i < len(a) && j < len(b); {
		switch {
		case a[i] < b[j]:
			i++
		case a[i] > b[j]:
			j++
		default:
			common++
			i, j = i+1, j+1
		}
	}
	return 2 * float64(common) / float64(len(a)+len(b))
}
