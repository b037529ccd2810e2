package workbench

import (
	"html/template"
	"net/http"
	"os"
	"strings"

	"github.com/qorgau/qorgau/generator/internal/content"
)

// fieldDiff is one field of an original as the translator sees it: the
// text now, and what changed in it since the translation was synced.
type fieldDiff struct {
	Label   string
	Diff    template.HTML
	Changed bool
}

// translatePage shows a translation beside its original, section by
// section, with what changed in the original since the last sync.
func (wb *Workbench) translatePage(w http.ResponseWriter, r *http.Request, rel string) {
	d := wb.base(r, "translate", w)
	site, _, _ := wb.opts.State(r)
	file, err := wb.checkFile(rel)
	if err != nil || site == nil {
		wb.fail(w, r, http.StatusBadRequest, errPath)
		return
	}
	p := site.PageByFile(rel)
	if p == nil || p.Original() == nil {
		wb.fail(w, r, http.StatusNotFound, os.ErrNotExist)
		return
	}
	o := p.Original()
	src, _, _ := read(file)
	tr, _ := parseLesson(rel, src)
	ofile, err := wb.checkFile(o.File)
	if err != nil {
		wb.fail(w, r, http.StatusBadRequest, err)
		return
	}
	osrc, _, _ := read(ofile)
	now, _ := parseLesson(o.File, osrc)
	was := now.lesson
	d["Known"] = true
	if snap, err := content.ReadSynced(os.DirFS(wb.opts.Root), p.Sync.SourceHash); err == nil {
		old, _ := parseLesson(o.File, snap)
		was = old.lesson
	} else {
		d["Known"] = false // no copy of the synced text: the original is shown as it is
	}
	L := d["L"].(map[string]string)
	d["Fields"] = lessonDiff(L, was, now.lesson)
	d["File"], d["Original"], d["OriginalLang"], d["Lesson"], d["Version"] = rel, o.File, o.Lang, tr.lesson, version(src, true)
	d["Outdated"], d["NeedsReview"], d["Done"], d["Preview"] = site.Outdated(p), p.NeedsReview, r.URL.Query().Get("done"), p.URL
	d["Links"] = linkChoices(site, p)
	wb.render(w, r, "translate", d)
}

// lessonDiff diffs every translated field of two versions of a lesson.
func lessonDiff(L map[string]string, was, now Lesson) []fieldDiff {
	lines := func(ss []string) string { return strings.Join(ss, "\n\n") }
	quiz := func(qs []content.QuizItem) string {
		var b []string
		for _, q := range qs {
			b = append(b, q.Question+" — "+q.Answer)
		}
		return lines(b)
	}
	sources := func(ss []content.Source) string {
		var b []string
		for _, s := range ss {
			b = append(b, s.Title+" ("+s.URL+")")
		}
		return lines(b)
	}
	pairs := []struct{ label, old, cur string }{
		{L["title"], was.Title, now.Title}, {L["description"], was.Description, now.Description},
		{L["audience"], lines(was.Audience), lines(now.Audience)}, {L["objectives"], lines(was.Objectives), lines(now.Objectives)},
		{L["keyFacts"], lines(was.KeyFacts), lines(now.KeyFacts)}, {L["discussion"], lines(was.Discussion), lines(now.Discussion)},
		{L["teacherNotes"], lines(was.TeacherNotes), lines(now.TeacherNotes)}, {L["quiz"], quiz(was.Quiz), quiz(now.Quiz)},
		{L["sources"], sources(was.Sources), sources(now.Sources)}, {L["body"], was.Body, now.Body},
	}
	var out []fieldDiff
	for _, p := range pairs {
		if p.old == "" && p.cur == "" {
			continue
		}
		out = append(out, fieldDiff{Label: p.label, Diff: diffHTML(p.old, p.cur), Changed: p.old != p.cur})
	}
	return out
}
