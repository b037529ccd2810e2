package workbench

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/qorgau/qorgau/generator/internal/check"
	"github.com/qorgau/qorgau/generator/internal/config"
	"github.com/qorgau/qorgau/generator/internal/content"
)

func readFile(t *testing.T, dir, rel string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(rel)))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestSaveKeepsShapes: a save through the form changes the title and
// keeps dotted keys, inline tables and comments of the other fields.
func TestSaveKeepsShapes(t *testing.T) {
	dir, wb, _ := testSite(t)
	for rel, src := range shapes {
		_, page := get(t, wb, "/_edit/lesson?file="+rel)
		form := formOf(t, page)
		form.Set("title", "Renamed")
		if w := post(wb, "/_edit/save", form, nil); w.Code != http.StatusSeeOther {
			t.Fatalf("%s: save %d\n%s", rel, w.Code, w.Body)
		}
		out := readFile(t, dir, rel)
		p, err := parseLesson(rel, []byte(out))
		if err != nil || p.lesson.Title != "Renamed" {
			t.Fatalf("%s: %v, title %q\n%s", rel, err, p.lesson.Title, out)
		}
		// Only the title's line differs.
		a, b := strings.Split(src, "\n"), strings.Split(out, "\n")
		if len(a) != len(b) {
			t.Fatalf("%s: lines changed:\n%s", rel, out)
		}
		for i := range a {
			if a[i] != b[i] && !strings.HasPrefix(a[i], "title") {
				t.Errorf("%s: line %d changed: %q -> %q", rel, i+1, a[i], b[i])
			}
		}
	}
}

// TestConflictAndUndo: a save of a file that changed on disk since the
// form was opened is refused and shows the disk's text; undo puts back
// the file as it was before the last save.
func TestConflictAndUndo(t *testing.T) {
	dir, wb, _ := testSite(t)
	rel := "content/en/rights/shape-dotted.md"
	orig := readFile(t, dir, rel)
	_, page := get(t, wb, "/_edit/lesson?file="+rel)
	form := formOf(t, page)
	if err := os.WriteFile(filepath.Join(dir, rel), []byte(orig+"\nSomeone else's line.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	form.Set("body", "My body.\n")
	w := post(wb, "/_edit/save", form, nil)
	if w.Code != http.StatusConflict || !strings.Contains(w.Body.String(), "Someone else") || !strings.Contains(w.Body.String(), "My body.") {
		t.Fatalf("conflict: %d\n%s", w.Code, w.Body)
	}
	if !strings.Contains(readFile(t, dir, rel), "Someone else") {
		t.Fatal("the conflicting save was written")
	}
	// Saving from the conflict view overwrites, and undo brings the disk's text back.
	w = post(wb, "/_edit/save", formOf(t, w.Body.String()), nil)
	if w.Code != http.StatusSeeOther || !strings.Contains(readFile(t, dir, rel), "My body.") {
		t.Fatalf("second save: %d %s", w.Code, readFile(t, dir, rel))
	}
	if w := post(wb, "/_edit/undo", form, nil); w.Code != http.StatusSeeOther {
		t.Fatalf("undo: %d %s", w.Code, w.Body)
	}
	if got := readFile(t, dir, rel); got != orig+"\nSomeone else's line.\n" {
		t.Fatalf("undo gave:\n%s", got)
	}
	if w := post(wb, "/_edit/undo", form, nil); w.Code < 400 {
		t.Error("a second undo should have nothing to undo")
	}
}

// TestInvalidSaveShowsField: a value build would refuse is not written,
// and the error names the file, line and field.
func TestInvalidSaveShowsField(t *testing.T) {
	dir, wb, _ := testSite(t)
	rel := "content/en/rights/shape-dotted.md"
	orig := readFile(t, dir, rel)
	_, page := get(t, wb, "/_edit/lesson?file="+rel)
	form := formOf(t, page)
	form.Set("lastReviewed", "31.12.2026")
	w := post(wb, "/_edit/save", form, nil)
	if w.Code != http.StatusUnprocessableEntity || !strings.Contains(w.Body.String(), rel) {
		t.Fatalf("%d\n%s", w.Code, w.Body)
	}
	if readFile(t, dir, rel) != orig {
		t.Fatal("an invalid save was written")
	}
	// A link to a lesson that does not exist, as build reports it, at its line.
	form.Set("lastReviewed", "")
	form.Set("body", "First line.\n\nSee [the lesson](no-such-lesson.md).\n")
	w = post(wb, "/_edit/save", form, nil)
	if w.Code != http.StatusUnprocessableEntity || !strings.Contains(w.Body.String(), rel+":9:5") || !strings.Contains(w.Body.String(), "(body)") {
		t.Fatalf("broken link: %d\n%s", w.Code, w.Body)
	}
	if readFile(t, dir, rel) != orig {
		t.Fatal("a body with a broken link was written")
	}
}

// TestDeleteAndRestore: deleting asks first and can be undone.
func TestDeleteAndRestore(t *testing.T) {
	dir, wb, _ := testSite(t)
	rel := "content/en/rights/shape-yaml.md"
	orig := readFile(t, dir, rel)
	form := map[string][]string{"token": {wb.token}, "file": {rel}}
	if w := post(wb, "/_edit/delete", form, nil); w.Code < 400 {
		t.Fatal("deleted without confirmation")
	}
	form["confirm"] = []string{"yes"}
	if w := post(wb, "/_edit/delete", form, nil); w.Code != http.StatusSeeOther {
		t.Fatalf("delete: %d", w.Code)
	}
	if _, err := os.Stat(filepath.Join(dir, rel)); !os.IsNotExist(err) {
		t.Fatal("not deleted")
	}
	if w := post(wb, "/_edit/restore", form, nil); w.Code != http.StatusSeeOther || readFile(t, dir, rel) != orig {
		t.Fatalf("restore: %d", w.Code)
	}
}

// TestTranslationFlow: a translation made in the workbench records its
// original; after the original changes, the translation page highlights
// the change; marking it synced makes it up to date in the overview.
func TestTranslationFlow(t *testing.T) {
	dir, wb, s := testSite(t)
	orig := "content/en/rights/shape-dotted.md"
	update := func(paths ...string) {
		if _, err := s.Update(context.Background(), paths); err != nil {
			t.Fatal(err)
		}
	}
	w := post(wb, "/_edit/translation", map[string][]string{"token": {wb.token}, "file": {orig}, "lang": {"kk"}}, nil)
	if w.Code != http.StatusSeeOther {
		t.Fatalf("create: %d %s", w.Code, w.Body)
	}
	tr := "content/kk/rights/shape-dotted.md"
	if src := readFile(t, dir, tr); !strings.Contains(src, "needsReview = true") || !strings.Contains(src, "sourceHash") {
		t.Fatalf("translation:\n%s", src)
	}
	update(tr)
	_, page := get(t, wb, "/_edit/lesson?file="+orig)
	form := formOf(t, page)
	form.Set("body", "Body, with a new sentence.\n")
	if w := post(wb, "/_edit/save", form, nil); w.Code != http.StatusSeeOther {
		t.Fatalf("save: %d", w.Code)
	}
	update(orig)
	esc := "content%2fkk%2frights%2fshape-dotted.md"
	_, ov := get(t, wb, "/_edit/?status=outdated")
	if !strings.Contains(ov, `class="st-outdated">`+"\n"+`<a href="/_edit/translate?file=`+esc) {
		t.Fatalf("the overview does not show the translation as outdated:\n%s", ov)
	}
	_, page = get(t, wb, "/_edit/translate?file="+tr)
	if !strings.Contains(page, "<ins>, with a new sentence</ins>") {
		t.Fatalf("no highlighted change:\n%s", page)
	}
	if w := post(wb, "/_edit/sync", map[string][]string{"token": {wb.token}, "file": {tr}}, nil); w.Code != http.StatusSeeOther {
		t.Fatalf("sync: %d %s", w.Code, w.Body)
	}
	update(tr)
	_, ov = get(t, wb, "/_edit/?status=outdated")
	if strings.Contains(ov, esc) {
		t.Fatal("still outdated after sync")
	}
	if w := post(wb, "/_edit/review", map[string][]string{"token": {wb.token}, "file": {tr}, "reviewer": {"Айгүл"}}, nil); w.Code != http.StatusSeeOther {
		t.Fatalf("review: %d %s", w.Code, w.Body)
	}
	if src := readFile(t, dir, tr); strings.Contains(src, "needsReview") || !strings.Contains(src, `reviewedBy = "Айгүл"`) || !strings.Contains(src, `reviewed = "2026-12-01"`) {
		t.Fatalf("review:\n%s", src)
	}
	// The copy of the synced text is kept and the old one pruned.
	entries, _ := os.ReadDir(filepath.Join(dir, filepath.FromSlash(content.SyncedDir)))
	if len(entries) == 0 {
		t.Fatal("no synced copy kept")
	}
}

// TestOverview: findings of the check show at their file, the filters
// narrow the list, and the interface speaks the chosen language.
func TestOverview(t *testing.T) {
	_, wb, _ := testSite(t)
	state := wb.opts.State
	wb.opts.State = func(r *http.Request) (*content.Site, *config.Config, *check.Report) {
		st, cfg, _ := state(r)
		return st, cfg, &check.Report{Findings: []check.Finding{{Path: "content/en/rights/shape-yaml.md", Line: 3, Message: "a planted finding"}}}
	}
	_, all := get(t, wb, "/_edit/")
	_, found := get(t, wb, "/_edit/?status=findings")
	_, search := get(t, wb, "/_edit/?q=dotted")
	if !strings.Contains(all, "content/en/rights/shape-yaml.md:3: a planted finding") || strings.Count(found, `<th scope="row">`) != 1 ||
		strings.Count(search, `<th scope="row">`) != 1 || strings.Count(all, `<th scope="row">`) < 30 {
		t.Errorf("overview: %d rows, %d with findings, %d found by title", strings.Count(all, `<th scope="row">`), strings.Count(found, `<th scope="row">`), strings.Count(search, `<th scope="row">`))
	}
	if _, kk := get(t, wb, "/_edit/?ui=kk"); !strings.Contains(kk, "Барлық сабақтар") || !strings.Contains(kk, `lang="kk"`) {
		t.Error("the interface did not switch to Kazakh")
	}
}
