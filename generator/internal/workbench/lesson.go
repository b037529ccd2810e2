package workbench

import (
	"bytes"
	"net/url"
	"reflect"
	"strconv"
	"strings"

	"github.com/pelletier/go-toml/v2/unstable"
	"go.yaml.in/yaml/v3"

	"github.com/qorgau/qorgau/generator/internal/config"
	"github.com/qorgau/qorgau/generator/internal/content"
)

// Lesson is a lesson as its form shows it.
type Lesson struct {
	Title, Description string
	Audience           []string
	Duration, Weight   int
	Objectives         []string
	KeyFacts           []string
	Discussion         []string
	TeacherNotes       []string
	Sources            []content.Source
	Quiz               []content.QuizItem
	Draft, NeedsReview bool
	LastReviewed       string // 2006-01-02, or ""
	Body               string
}

// parsed is a lesson file read for the form.
type parsed struct {
	lesson   Lesson
	fm       []byte
	format   content.Format
	fmLine   int
	bodyLine int
}

// parseLesson reads a lesson file's fields and body; err holds the
// file's problems, with positions.
func parseLesson(rel string, src []byte) (parsed, error) {
	norm, err := content.Normalize(rel, src)
	if err != nil {
		return parsed{}, err
	}
	fm, format, body, fmLine, bodyLine, err := content.Split(rel, norm)
	if err != nil {
		return parsed{}, err
	}
	meta, err := content.ParseFrontMatter(rel, fm, format, fmLine)
	l := Lesson{Title: meta.Title, Description: meta.Description, Audience: meta.Audience, Duration: meta.Duration,
		Weight: meta.Weight, Objectives: meta.Objectives, KeyFacts: meta.KeyFacts, Discussion: meta.Discussion,
		TeacherNotes: meta.TeacherNotes, Sources: meta.Sources, Quiz: meta.Quiz, Draft: meta.Draft,
		NeedsReview: meta.NeedsReview, Body: string(body)}
	if !meta.LastReviewed.IsZero() {
		l.LastReviewed = meta.LastReviewed.Format("2006-01-02")
	}
	return parsed{lesson: l, fm: fm, format: format, fmLine: fmLine, bodyLine: bodyLine}, err
}

// lessonFromForm reads a lesson form. Empty rows are dropped.
func lessonFromForm(f url.Values) Lesson {
	list := func(name string) []string {
		var out []string
		for _, v := range f[name] {
			if v = strings.TrimSpace(v); v != "" {
				out = append(out, v)
			}
		}
		return out
	}
	num := func(name string) int { n, _ := strconv.Atoi(strings.TrimSpace(f.Get(name))); return n }
	l := Lesson{Title: strings.TrimSpace(f.Get("title")), Description: strings.TrimSpace(f.Get("description")),
		Audience: list("audience"), Duration: num("duration"), Weight: num("weight"), Objectives: list("objectives"),
		KeyFacts: list("keyFacts"), Discussion: list("discussion"), TeacherNotes: list("teacherNotes"),
		Draft: f.Get("draft") == "on", NeedsReview: f.Get("needsReview") == "on",
		LastReviewed: strings.TrimSpace(f.Get("lastReviewed")), Body: strings.ReplaceAll(f.Get("body"), "\r\n", "\n")}
	st, su, sl := f["sourceTitle"], f["sourceURL"], f["sourceLegal"]
	for i := range st {
		s := content.Source{Title: strings.TrimSpace(st[i])}
		if i < len(su) {
			s.URL = strings.TrimSpace(su[i])
		}
		s.Legal = i < len(sl) && sl[i] == "yes"
		if s.Title != "" || s.URL != "" {
			l.Sources = append(l.Sources, s)
		}
	}
	qq, qa := f["quizQuestion"], f["quizAnswer"]
	for i := range qq {
		q := content.QuizItem{Question: strings.TrimSpace(qq[i])}
		if i < len(qa) {
			q.Answer = strings.TrimSpace(qa[i])
		}
		if q.Question != "" || q.Answer != "" {
			l.Quiz = append(l.Quiz, q)
		}
	}
	return l
}

// changes lists the front matter fields that differ between was and now,
// as SetFields takes them: an emptied field is removed.
func changes(was, now Lesson) []content.Field {
	var out []content.Field
	set := func(key string, a, b, zero any, value any) {
		if reflect.DeepEqual(a, b) {
			return
		}
		if reflect.DeepEqual(b, zero) {
			value = nil
		}
		out = append(out, content.Field{Key: key, Value: value})
	}
	set("title", was.Title, now.Title, "", now.Title)
	set("description", was.Description, now.Description, "", now.Description)
	for _, f := range []struct {
		key  string
		a, b []string
	}{{"audience", was.Audience, now.Audience}, {"objectives", was.Objectives, now.Objectives},
		{"keyFacts", was.KeyFacts, now.KeyFacts}, {"discussion", was.Discussion, now.Discussion},
		{"teacherNotes", was.TeacherNotes, now.TeacherNotes}} {
		if len(f.a) == 0 && len(f.b) == 0 {
			continue
		}
		set(f.key, f.a, f.b, []string(nil), f.b)
	}
	set("duration", was.Duration, now.Duration, 0, now.Duration)
	set("weight", was.Weight, now.Weight, 0, now.Weight)
	set("draft", was.Draft, now.Draft, false, now.Draft)
	set("needsReview", was.NeedsReview, now.NeedsReview, false, now.NeedsReview)
	set("lastReviewed", was.LastReviewed, now.LastReviewed, "", content.Date(now.LastReviewed))
	if !(len(was.Sources) == 0 && len(now.Sources) == 0) {
		set("sources", was.Sources, now.Sources, []content.Source(nil), sourceTables(now.Sources))
	}
	if !(len(was.Quiz) == 0 && len(now.Quiz) == 0) {
		set("quiz", was.Quiz, now.Quiz, []content.QuizItem(nil), quizTables(now.Quiz))
	}
	return out
}

func sourceTables(ss []content.Source) []map[string]any {
	out := make([]map[string]any, len(ss))
	for i, s := range ss {
		out[i] = map[string]any{"title": s.Title, "url": s.URL}
		if s.Legal {
			out[i]["legal"] = true
		}
	}
	return out
}

func quizTables(qs []content.QuizItem) []map[string]any {
	out := make([]map[string]any, len(qs))
	for i, q := range qs {
		out[i] = map[string]any{"question": q.Question, "answer": q.Answer}
	}
	return out
}

// fieldLines gives the line of each top-level key of a front matter, from
// its parser, so an error can be shown at its field.
func fieldLines(fm []byte, format content.Format, fmLine int) map[int]string {
	out := map[int]string{}
	if format == content.YAML {
		var doc yaml.Node
		if yaml.Unmarshal(fm, &doc) == nil && len(doc.Content) > 0 && doc.Content[0].Kind == yaml.MappingNode {
			m := doc.Content[0]
			for i := 0; i+1 < len(m.Content); i += 2 {
				out[fmLine+m.Content[i].Line-1] = m.Content[i].Value
			}
		}
		return out
	}
	var p unstable.Parser
	p.Reset(fm)
	table := ""
	for p.NextExpression() {
		x := p.Expression()
		parts, first := config.KeyOf(x)
		if len(parts) == 0 || first == nil {
			continue
		}
		line := fmLine + bytes.Count(fm[:first.Raw.Offset], []byte("\n"))
		switch x.Kind {
		case unstable.Table, unstable.ArrayTable:
			table = parts[0]
			out[line] = table
		case unstable.KeyValue:
			if table != "" {
				out[line] = table
			} else {
				out[line] = parts[0]
			}
		}
	}
	return out
}
