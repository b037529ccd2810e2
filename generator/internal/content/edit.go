package content

// BodyEdit is a new Markdown body for a page whose front matter is the same.
type BodyEdit struct {
	Body []byte // normalised to LF
}

// WithBodies returns a copy of the site in which the pages made from the
// given files have new bodies, as the preview does after an edit to
// Markdown alone. The copy shares every page with s: pages never change,
// and the bodies are the site's (Body).
func (s *Site) WithBodies(edits map[string]BodyEdit) *Site {
	c := *s
	c.hashes = nil
	c.edited = make(map[int][]byte, len(s.edited)+len(edits))
	for i, b := range s.edited {
		c.edited[i] = b
	}
	for file, e := range edits {
		if p := s.byFile[file]; s.in(p) {
			c.edited[p.idx] = e.Body
		}
	}
	if len(c.edited) >= 256 { // fold the edits into bodies of its own
		c.bodies = append([][]byte(nil), s.bodies...)
		for i, b := range c.edited {
			c.bodies[i] = b
		}
		c.edited = nil
	}
	return &c
}

// For returns a copy of the table for s, a site made by WithBodies from
// b's, to be changed where s's bodies differ. The copy shares b's table
// and keeps its own changes beside it, until they are many.
func (b *Bodies) For(s *Site) *Bodies {
	c := &Bodies{site: s, r: b.r, over: make(map[int]*Rendered, len(b.over)+1)}
	if len(b.over) >= 256 {
		c.r = append([]Rendered(nil), b.r...)
		for i, r := range b.over {
			c.r[i] = *r
		}
		return c
	}
	for i, r := range b.over {
		c.over[i] = r
	}
	return c
}
