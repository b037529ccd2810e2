package textdiff

import (
	"strings"
)

// Block is one paragraph of two aligned texts. Paragraphs are never empty,
// so Old is "" exactly when the paragraph was inserted and New is ""
// exactly when it was deleted. Ops diffs Old against New: a single Equal op
// for an unchanged paragraph, a single Insert or Delete for a whole one.
type Block struct {
	Old, New string
	Ops      []Op
}

// Paragraphs splits two Markdown texts into paragraphs and aligns them. A
// paragraph is a run of lines between blank lines, after CRLF is turned into
// LF; a fenced code block stays in one paragraph even when it holds blank
// lines. Changed paragraphs of old and new that sit at the same place and
// share at least 40% of their words are paired and diffed word by word;
// the others are whole deletions and insertions (a moved paragraph shows as
// one of each). The Old texts of the blocks, in order, are the paragraphs
// of old, and likewise for New.
func Paragraphs(old, new string) []Block {
	b := newBudget()
	po, pn := split(normalize(old)), split(normalize(new))
	in := interner{}
	ia, ib := make([]int32, len(po)), make([]int32, len(pn))
	for i, p := range po {
		ia[i] = in.id(p)
	}
	for i, p := range pn {
		ib[i] = in.id(p)
	}
	d := differ{b: &b}
	d.diff(ia, ib)
	al := aligner{b: &b, words: interner{}}
	var blocks []Block
	i, j := 0, 0
	for r := 0; r < len(d.runs); {
		if d.runs[r].kind == Equal {
			for end := i + d.runs[r].n; i < end; i, j = i+1, j+1 {
				blocks = append(blocks, Block{Old: po[i], New: pn[j], Ops: []Op{{Equal, po[i]}}})
			}
			r++
			continue
		}
		i1, j1 := i, j
		for ; r < len(d.runs) && d.runs[r].kind != Equal; r++ {
			if d.runs[r].kind == Delete {
				i1 += d.runs[r].n
			} else {
				j1 += d.runs[r].n
			}
		}
		blocks = al.hunk(blocks, po[i:i1], pn[j:j1])
		i, j = i1, j1
	}
	return blocks
}

func normalize(s string) string { return strings.ReplaceAll(s, "\r\n", "\n") }

// split returns the paragraphs of s as substrings, each from the start of
// its first line to the end of its last non-blank line.
func split(s string) []string {
	var paras []string
	from, to := -1, 0 // the paragraph being read; from < 0 between paragraphs
	var f fence
	for pos := 0; ; {
		nl := strings.IndexByte(s[pos:], '\n')
		end := len(s)
		if nl >= 0 {
			end = pos + nl
		}
		line := s[pos:end]
		blank := strings.TrimSpace(line) == ""
		switch {
		case blank && f.n == 0:
			if from >= 0 {
				paras = append(paras, s[from:to])
				from = -1
			}
		case !blank:
			if from < 0 {
				from = pos
			}
			to = end
			f = f.next(line)
		}
		if nl < 0 {
			break
		}
		pos = end + 1
	}
	if from >= 0 {
		paras = append(paras, s[from:to])
	}
	return paras
}

// fence is the open code fence (n == 0: none), so that blank lines in code
// do not split it.
type fence struct {
	ch byte
	n  int
}

// next returns the fence state after line.
func (f fence) next(line string) fence {
	for i := 0; i < 3 && strings.HasPrefix(line, " "); i++ {
		line = line[1:]
	}
	if line == "" || line[0] != '`' && line[0] != '~' {
		return f
	}
	n := 0
	for n < len(line) && line[n] == line[0] {
		n++
	}
	rest := line[n:]
	switch {
	case n < 3:
		return f
	case f.n == 0:
		if line[0] == '`' && strings.Contains(rest, "`") {
			return f // ```inline code``` opens nothing
		}
		return fence{line[0], n}
	case line[0] == f.ch && n >= f.n && strings.TrimSpace(rest) == "":
		return fence{}
	}
	return f
}
