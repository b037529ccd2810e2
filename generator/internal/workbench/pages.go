package workbench

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path"
	"sort"
	"strings"

	"github.com/qorgau/qorgau/generator/internal/check"
	"github.com/qorgau/qorgau/generator/internal/config"
	"github.com/qorgau/qorgau/generator/internal/content"
	"github.com/qorgau/qorgau/generator/internal/diag"
	"github.com/qorgau/qorgau/generator/internal/markdown"
)

// get serves the workbench's pages.
func (wb *Workbench) get(w http.ResponseWriter, r *http.Request, rest string) {
	switch rest {
	case "":
		wb.overview(w, r)
	case "lesson":
		wb.lessonPage(w, r, r.URL.Query().Get("file"), nil, nil)
	case "translate":
		wb.translatePage(w, r, r.URL.Query().Get("file"))
	case "new":
		wb.render(w, r, "new", wb.base(r, "new", w))
	case "wb.js", "wb.css":
		serveAsset(w, rest)
	default:
		http.NotFound(w, r)
	}
}

// post runs a write; every one answers with a redirect to a page that
// shows the result, or a page that says what went wrong.
func (wb *Workbench) post(w http.ResponseWriter, r *http.Request, rest string) {
	f := r.PostForm
	if rest == "new" {
		wb.newLesson(w, r)
		return
	}
	rel := f.Get("file")
	file, err := wb.checkFile(rel)
	if err != nil {
		wb.fail(w, r, http.StatusBadRequest, err)
		return
	}
	switch rest {
	case "save":
		wb.save(w, r, rel, file)
		return
	case "undo":
		err = wb.undoLast(rel, file)
	case "delete":
		if f.Get("confirm") != "yes" {
			err = errors.New("tick the box to confirm the deletion")
		} else {
			err = wb.remove(rel, file)
		}
		if err == nil {
			wb.redirect(w, r, "?deleted="+url.QueryEscape(rel))
			return
		}
	case "restore":
		err = wb.restore(rel, file)
	case "translation":
		rel, err = wb.createTranslation(r, rel, f.Get("lang"))
		if err == nil {
			wb.redirect(w, r, "translate?file="+url.QueryEscape(rel))
			return
		}
	case "sync":
		_, err = check.MarkSynced(r.Context(), wb.opts.Root, file)
		if err == nil {
			wb.redirect(w, r, "translate?file="+url.QueryEscape(rel)+"&done=synced")
			return
		}
	case "review":
		err = wb.markReviewed(rel, file, f.Get("reviewer"))
		if err == nil {
			wb.redirect(w, r, "translate?file="+url.QueryEscape(rel)+"&done=reviewed")
			return
		}
	default:
		http.NotFound(w, r)
		return
	}
	if err != nil {
		wb.fail(w, r, http.StatusConflict, err)
		return
	}
	wb.redirect(w, r, "lesson?file="+url.QueryEscape(rel)+"&done="+rest)
}

func (wb *Workbench) redirect(w http.ResponseWriter, r *http.Request, to string) {
	http.Redirect(w, r, Prefix+to, http.StatusSeeOther)
}

func (wb *Workbench) fail(w http.ResponseWriter, r *http.Request, code int, err error) {
	w.WriteHeader(code)
	d := wb.base(r, "error", nil)
	d["Error"] = err.Error()
	wb.render(w, r, "error", d)
}

// save writes a lesson form into its file: only the fields that changed,
// after checking that the file is as it was when the form was opened and
// that the result parses as build would parse it.
func (wb *Workbench) save(w http.ResponseWriter, r *http.Request, rel, file string) {
	f := r.PostForm
	src, exists, err := read(file)
	if err != nil || !exists {
		wb.fail(w, r, http.StatusNotFound, fmt.Errorf("%s cannot be read: %v", rel, err))
		return
	}
	now := lessonFromForm(f)
	if v := version(src, true); v != f.Get("version") {
		w.WriteHeader(http.StatusConflict)
		wb.lessonPage(w, r, rel, &now, &conflict{Disk: string(src), Version: v})
		return
	}
	was, _ := parseLesson(rel, src)
	out, err := content.SetFields(src, changes(was.lesson, now), []byte(now.Body))
	if err == nil {
		var p parsed
		if p, err = parseLesson(rel, out); err == nil {
			err = wb.checkBody(r, rel, p)
		}
	}
	if err != nil {
		w.WriteHeader(http.StatusUnprocessableEntity)
		wb.lessonPage(w, r, rel, &now, &conflict{Problems: problems(err, out, rel)})
		return
	}
	if err := wb.write(rel, file, out); err != nil {
		wb.fail(w, r, http.StatusInternalServerError, err)
		return
	}
	page := "lesson"
	if f.Get("return") == "translate" {
		page = "translate" // back beside the original
	}
	wb.redirect(w, r, page+"?file="+url.QueryEscape(rel)+"&done=saved")
}

// checkBody converts a lesson's new body as build does, against the last
// good build's pages, and returns its errors (a link to a missing page, raw
// HTML where it is off) with their positions.
func (wb *Workbench) checkBody(r *http.Request, rel string, p parsed) error {
	st, cfg, _ := wb.opts.State(r)
	if st == nil {
		return nil
	}
	lang := strings.Split(strings.TrimPrefix(rel, content.Dir+"/"), "/")[0]
	conv := markdown.New(markdown.Options{Lang: lang, UnsafeHTML: cfg.Markup.UnsafeHTML, Typographer: cfg.Markup.Typographer})
	out := conv.Convert([]byte(p.lesson.Body), markdown.Doc{File: rel, Line: p.bodyLine, Resolver: resolver{st}})
	var errs diag.Errors
	for _, d := range out.Problems {
		if d.Severity == diag.Error {
			errs = append(errs, d)
		}
	}
	if len(errs) == 0 {
		return nil
	}
	return errs
}

// resolver resolves a body's links against a built site.
type resolver struct{ s *content.Site }

func (x resolver) ResolveMarkdownLink(file, dest string) (string, bool) {
	if p := x.s.ResolveLink(file, dest); p != nil {
		return p.URL, true
	}
	return "", false
}

func (x resolver) ResolveFile(file, dest string) (string, bool) { return x.s.ResolveFile(file, dest) }

// problem is one error of a save, at its field when it has one.
type problem struct {
	Where, Field, Message, Hint string
}

func problems(err error, out []byte, rel string) []problem {
	var lines map[int]string
	bodyLine := 0
	if out != nil {
		if p, perr := parseLesson(rel, out); perr != nil || p.fm != nil {
			lines, bodyLine = fieldLines(p.fm, p.format, p.fmLine), p.bodyLine
		}
	}
	var list diag.Errors
	var one *diag.Diagnostic
	switch {
	case errors.As(err, &list):
	case errors.As(err, &one):
		list = diag.Errors{one}
	default:
		return []problem{{Where: rel, Message: err.Error()}}
	}
	var out2 []problem
	for _, d := range list {
		field := lines[d.Line]
		if field == "" && bodyLine > 0 && d.Line >= bodyLine {
			field = "body"
		}
		out2 = append(out2, problem{Where: fmt.Sprintf("%s:%d:%d", d.Path, d.Line, d.Col), Field: field, Message: d.Message, Hint: d.Hint})
	}
	return out2
}

// markReviewed records that a native speaker checked a translation:
// needsReview goes, and [translation] says who and when.
func (wb *Workbench) markReviewed(rel, file, who string) error {
	who = strings.TrimSpace(who)
	if who == "" {
		return errors.New("write the reviewer's name")
	}
	src, ok, err := read(file)
	if err != nil || !ok {
		return fmt.Errorf("%s cannot be read", rel)
	}
	out, err := content.SetFields(src, []content.Field{{Key: "needsReview", Value: nil}}, nil)
	if err == nil {
		out, err = content.EditFrontMatter(out, []content.FieldEdit{
			{Table: "translation", Key: "reviewedBy", Value: who},
			{Table: "translation", Key: "reviewed", Value: wb.opts.Now().Format("2006-01-02")},
		})
	}
	if err != nil {
		return err
	}
	return wb.write(rel, file, out)
}

// createTranslation makes a language's copy of an original lesson, to be
// translated: marked needsReview, recording its original and the text it
// was made from, and keeping a copy of that text for later diffs.
func (wb *Workbench) createTranslation(r *http.Request, rel, lang string) (string, error) {
	site, cfg, _ := wb.opts.State(r)
	if site == nil {
		return "", errors.New("the site has not built yet")
	}
	if _, ok := cfg.Languages[lang]; !ok {
		return "", &config.UnknownLanguageError{Lang: lang, Configured: cfg.LanguageOrder}
	}
	o := site.PageByFile(rel)
	if o == nil {
		return "", fmt.Errorf("%s is not a page of the last good build", rel)
	}
	target := content.Dir + "/" + lang + "/" + strings.TrimPrefix(rel, content.Dir+"/"+o.Lang+"/")
	file, err := wb.checkFile(target)
	if err != nil {
		return "", err
	}
	if _, exists, _ := read(file); exists {
		return "", fmt.Errorf("%s exists already", target)
	}
	ofile, err := wb.checkFile(rel)
	if err != nil {
		return "", err
	}
	src, _, err := read(ofile)
	if err != nil {
		return "", err
	}
	hash := site.TextHash(o)
	out, err := content.SetFields(src, []content.Field{{Key: "needsReview", Value: true}}, nil)
	if err == nil {
		out, err = content.EditFrontMatter(out, []content.FieldEdit{
			{Table: "translation", Key: "original", Value: o.Lang}, {Table: "translation", Key: "sourceHash", Value: hash}})
	}
	if err == nil {
		err = content.SaveSynced(wb.opts.Root, hash, src)
	}
	if err == nil {
		err = wb.write(target, file, out)
	}
	return target, err
}

// newLesson creates a lesson in the chosen languages from the template
// `new` uses.
func (wb *Workbench) newLesson(w http.ResponseWriter, r *http.Request) {
	_, cfg, _ := wb.opts.State(r)
	if cfg == nil {
		wb.fail(w, r, http.StatusServiceUnavailable, errors.New("the site has not built yet"))
		return
	}
	f := r.PostForm
	langs := f["lang"]
	if len(langs) == 0 {
		wb.fail(w, r, http.StatusBadRequest, errors.New("choose at least one language"))
		return
	}
	sort.SliceStable(langs, func(i, j int) bool { return langIndex(cfg, langs[i]) < langIndex(cfg, langs[j]) })
	// The files NewLesson writes, checked as every write is (no symbolic
	// link to a folder outside content/ on the way).
	if !content.ValidName(f.Get("section")) || !content.ValidName(f.Get("name")) {
		wb.fail(w, r, http.StatusBadRequest, errors.New("give the section and the name in letters, digits and '-'"))
		return
	}
	for _, lang := range langs {
		if _, err := wb.checkFile(content.Dir + "/" + lang + "/" + f.Get("section") + "/" + f.Get("name") + ".md"); err != nil {
			wb.fail(w, r, http.StatusBadRequest, err)
			return
		}
		if _, err := wb.checkFile(content.Dir + "/" + lang + "/" + f.Get("section") + "/_index.md"); err != nil {
			wb.fail(w, r, http.StatusBadRequest, err)
			return
		}
	}
	created, err := content.NewLesson(wb.opts.Root, cfg, f.Get("section"), f.Get("name"), langs, wb.opts.Now())
	if err != nil {
		wb.fail(w, r, http.StatusBadRequest, err)
		return
	}
	for _, c := range created {
		if rel, err := relTo(wb.opts.Root, c); err == nil && path.Base(rel) != "_index.md" {
			wb.mu.Lock()
			wb.undo[rel] = nil
			wb.mu.Unlock()
		}
	}
	first := content.Dir + "/" + langs[0] + "/" + f.Get("section") + "/" + f.Get("name") + ".md"
	wb.redirect(w, r, "lesson?file="+url.QueryEscape(first)+"&done=created")
}

func langIndex(cfg *config.Config, code string) int {
	for i, c := range cfg.LanguageOrder {
		if c == code {
			return i
		}
	}
	return len(cfg.LanguageOrder)
}

func relTo(root, file string) (string, error) {
	if !strings.HasPrefix(file, root+string(os.PathSeparator)) {
		return "", errPath
	}
	return strings.ReplaceAll(strings.TrimPrefix(file, root+string(os.PathSeparator)), string(os.PathSeparator), "/"), nil
}
