package handout

import (
	"sort"
	"sync"

	"golang.org/x/image/font/sfnt"
)

// covered is the set of characters the embedded font can print, read once
// from its character map.
var covered = sync.OnceValue(func() map[rune]bool {
	data, _ := fonts.ReadFile("fonts/NotoSans-Regular.ttf") // embedded: cannot fail
	f, err := sfnt.Parse(data)
	out := map[rune]bool{' ': true, '\n': true, '\t': true}
	if err != nil {
		return out
	}
	var buf sfnt.Buffer
	for r := rune(0x20); r < 0x2300; r++ {
		if g, err := f.GlyphIndex(&buf, r); err == nil && g != 0 {
			out[r] = true
		}
	}
	return out
})

// lacks records the characters of s the font cannot print.
func (d *doc) lacks(s string) {
	cov := covered()
	for _, r := range s {
		if !cov[r] {
			if d.missing == nil {
				d.missing = map[rune]bool{}
			}
			d.missing[r] = true
		}
	}
}

// Missing lists, in order, the characters of a file's text that the font
// cannot print: they come out as empty boxes on paper.
func (d *doc) missingRunes() []rune {
	out := make([]rune, 0, len(d.missing))
	for r := range d.missing {
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}
