package content

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
)

// TextHash identifies the text of a page that translators translate:
// title, description, body and the lesson's text fields. A translation
// records the hash of its original when it was last synced
// ([translation] sourceHash); when the original's hash differs, the
// translation is out of date. Weight, dates and other settings do not
// count: changing them needs no new translation.
func TextHash(p *Page) string {
	if p.textHash != "" {
		return p.textHash
	}
	h := sha256.New()
	w := func(s ...string) {
		for _, x := range s {
			h.Write([]byte(strings.TrimSpace(x)))
			h.Write([]byte{0})
		}
	}
	t := rawText{title: p.Title, description: p.Description, objectives: p.Objectives,
		discussion: p.Discussion, audience: p.Audience, quiz: p.Quiz, sources: p.Sources}
	if p.raw != nil {
		t = *p.raw
	}
	w(t.title, t.description, string(p.Body))
	w(t.objectives...)
	w(p.KeyFacts...)
	w(t.discussion...)
	w(p.TeacherNotes...)
	w(t.audience...)
	for _, q := range t.quiz {
		w(q.Question, q.Answer)
	}
	for _, s := range t.sources {
		w(s.Title, s.URL)
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// Original returns the page this translation was made from, when its
// front matter names the original's language and that page exists.
func (p *Page) Original() *Page {
	if p.Sync.Original == "" || p.Sync.Original == p.Lang {
		return nil
	}
	return p.Translation(p.Sync.Original)
}

// Outdated reports whether the page is a translation whose original
// changed since it was last synced.
func (p *Page) Outdated() bool {
	o := p.Original()
	return o != nil && p.Sync.SourceHash != "" && p.Sync.SourceHash != TextHash(o)
}

// DropBody forgets the page's Markdown once it has been converted, for a
// build that renders each page once and keeps nothing: a page that is the
// original of a translation first remembers its TextHash.
func (p *Page) DropBody(isOriginal bool) {
	if isOriginal {
		p.textHash = TextHash(p)
	}
	p.Body = nil
}
