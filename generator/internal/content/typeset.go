package content

import "slices"

// rawText keeps the front matter texts as written, before Typeset, for
// TextHash: a translation's recorded sourceHash is of the source file's
// text, whatever typography the site applies.
type rawText struct {
	title, description string
	objectives         []string
	discussion         []string
	audience           []string
	quiz               []QuizItem
	sources            []Source
}

// Typeset replaces the page's plain-text front matter fields (title,
// description, objectives, discussion questions, audience, quiz and source
// titles) with fn's typographic versions: the language's quotation marks,
// dashes and ellipses, as its Markdown body gets them. Key facts and
// teacher notes are Markdown and get them when rendered. Call it once,
// after loading and before rendering.
func (p *Page) Typeset(fn func(string) string) {
	if p.raw != nil {
		return
	}
	p.raw = &rawText{title: p.Title, description: p.Description, objectives: p.Objectives,
		discussion: p.Discussion, audience: p.Audience, quiz: p.Quiz, sources: p.Sources}
	p.Title, p.Description = fn(p.Title), fn(p.Description)
	p.Objectives = typesetAll(p.Objectives, fn)
	p.Discussion = typesetAll(p.Discussion, fn)
	p.Audience = typesetAll(p.Audience, fn)
	if slices.ContainsFunc(p.Quiz, func(q QuizItem) bool { return fn(q.Question) != q.Question || fn(q.Answer) != q.Answer }) {
		quiz := make([]QuizItem, len(p.Quiz))
		for i, q := range p.Quiz {
			quiz[i] = QuizItem{Question: fn(q.Question), Answer: fn(q.Answer)}
		}
		p.Quiz = quiz
	}
	if slices.ContainsFunc(p.Sources, func(s Source) bool { return fn(s.Title) != s.Title }) {
		sources := slices.Clone(p.Sources)
		for i := range sources {
			sources[i].Title = fn(sources[i].Title)
		}
		p.Sources = sources
	}
}

// typesetAll applies fn to each string, copying the slice only when one changes.
func typesetAll(ss []string, fn func(string) string) []string {
	var out []string
	for i, s := range ss {
		if t := fn(s); t != s {
			if out == nil {
				out = slices.Clone(ss)
			}
			out[i] = t
		}
	}
	if out == nil {
		return ss
	}
	return out
}
