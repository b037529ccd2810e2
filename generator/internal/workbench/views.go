package workbench

import (
	"bytes"
	"embed"
	"html/template"
	"net/http"
	"os"
	"path"
	"sort"
	"strings"
	"time"

	"github.com/qorgau/qorgau/generator/internal/check"
	"github.com/qorgau/qorgau/generator/internal/content"
	"github.com/qorgau/qorgau/generator/internal/textdiff"
)

//go:embed assets/wb.js assets/wb.css assets/*.html
var assets embed.FS

var pages = template.Must(template.New("").Funcs(template.FuncMap{
	"join": strings.Join,
	"dict": func(kv ...any) map[string]any {
		m := map[string]any{}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i].(string)] = kv[i+1]
		}
		return m
	},
}).ParseFS(assets, "assets/*.html"))

func serveAsset(w http.ResponseWriter, name string) {
	b, _ := assets.ReadFile("assets/" + name)
	if strings.HasSuffix(name, ".js") {
		w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
	} else {
		w.Header().Set("Content-Type", "text/css; charset=utf-8")
	}
	_, _ = w.Write(b)
}

// uiLang is the editor's interface language: ?ui=, else the cookie, else English.
func uiLang(w http.ResponseWriter, r *http.Request) string {
	if q := r.URL.Query().Get("ui"); labels[q] != nil {
		http.SetCookie(w, &http.Cookie{Name: "qorgau-ui", Value: q, Path: Prefix, SameSite: http.SameSiteStrictMode, HttpOnly: true})
		return q
	}
	if c, err := r.Cookie("qorgau-ui"); err == nil && labels[c.Value] != nil {
		return c.Value
	}
	return "en"
}

// base is what every page's template gets.
func (wb *Workbench) base(r *http.Request, page string, w http.ResponseWriter) map[string]any {
	ui := "en"
	if w != nil {
		ui = uiLang(w, r)
	} else if c, err := r.Cookie("qorgau-ui"); err == nil && labels[c.Value] != nil {
		ui = c.Value
	}
	return map[string]any{"Page": page, "Token": wb.token, "L": labels[ui], "UI": ui, "UIs": []string{"kk", "ru", "en"}}
}

func (wb *Workbench) render(w http.ResponseWriter, r *http.Request, name string, data map[string]any) {
	var b bytes.Buffer
	if err := pages.ExecuteTemplate(&b, name+".html", data); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, _ = w.Write(b.Bytes())
}

// Row is one lesson in the overview: its file in each language.
type Row struct {
	Key   string
	Title string
	Cells []Cell
}

// Cell is a lesson in one language.
type Cell struct {
	Lang, File, URL, Status string
	Findings                []check.Finding
	Original                string // the file a missing translation is made from
}

// status says where a page of a language stands.
func status(s *content.Site, p *content.Page, now time.Time) string {
	switch {
	case s.Outdated(p):
		return "outdated"
	case p.NeedsReview:
		return "review"
	case !p.LastReviewed.IsZero() && p.LastReviewed.Before(now.AddDate(-1, 0, 0)):
		return "old"
	}
	return "ok"
}

// overview lists every lesson and section in every language.
func (wb *Workbench) overview(w http.ResponseWriter, r *http.Request) {
	d := wb.base(r, "overview", w)
	site, cfg, rep := wb.opts.State(r)
	if site == nil {
		d["Error"] = "The site has no good build yet: see the errors in the preview."
		wb.render(w, r, "overview", d)
		return
	}
	findings := map[string][]check.Finding{}
	if rep != nil {
		for _, f := range rep.Findings {
			findings[f.Path] = append(findings[f.Path], f)
		}
	}
	q := r.URL.Query()
	lang, want, text := q.Get("lang"), q.Get("status"), strings.ToLower(q.Get("q"))
	byKey := map[string]map[string]*content.Page{}
	var keys []string
	for _, p := range site.Pages {
		if p.File == "" || p.Kind == content.KindHome {
			continue
		}
		if byKey[p.Key] == nil {
			byKey[p.Key] = map[string]*content.Page{}
			keys = append(keys, p.Key)
		}
		byKey[p.Key][p.Lang] = p
	}
	sort.Strings(keys)
	orig := cfg.OriginalLanguage()
	var rows []Row
	for _, k := range keys {
		group := byKey[k]
		first := group[orig]
		for _, c := range cfg.LanguageOrder {
			if first == nil {
				first = group[c]
			}
		}
		row := Row{Key: k, Title: first.Title}
		keep := text == "" || strings.Contains(strings.ToLower(first.Title+" "+k), text)
		match := want == ""
		for _, c := range cfg.LanguageOrder {
			cell := Cell{Lang: c, Status: "missing", Original: first.File}
			if p := group[c]; p != nil {
				cell = Cell{Lang: c, File: p.File, URL: p.URL, Status: status(site, p, wb.opts.Now()), Findings: findings[p.File]}
			}
			if (lang == "" || lang == c) && (want == cell.Status || want == "findings" && len(cell.Findings) > 0) {
				match = true
			}
			row.Cells = append(row.Cells, cell)
		}
		if keep && match {
			rows = append(rows, row)
		}
	}
	d["Rows"], d["Langs"], d["Lang"], d["Status"], d["Q"] = rows, cfg.LanguageOrder, lang, want, q.Get("q")
	d["Deleted"] = q.Get("deleted")
	d["Statuses"] = []string{"ok", "missing", "outdated", "review", "old", "findings"}
	wb.render(w, r, "overview", d)
}

// conflict is what a save that could not be written shows beside the form.
type conflict struct {
	Disk     string // the file on disk, changed since the form was opened
	Version  string
	Problems []problem
	Diff     template.HTML
}

// lessonPage shows a lesson's form; form, when not nil, is what the
// editor sent (a save that failed), shown instead of the file.
func (wb *Workbench) lessonPage(w http.ResponseWriter, r *http.Request, rel string, form *Lesson, c *conflict) {
	d := wb.base(r, "lesson", w)
	file, err := wb.checkFile(rel)
	if err != nil {
		wb.fail(w, r, http.StatusBadRequest, err)
		return
	}
	src, ok, err := read(file)
	if err != nil || !ok {
		wb.fail(w, r, http.StatusNotFound, os.ErrNotExist)
		return
	}
	p, perr := parseLesson(rel, src)
	if perr != nil && c == nil {
		c = &conflict{Problems: problems(perr, src, rel)}
	}
	l := p.lesson
	if form != nil {
		l = *form
	}
	d["File"], d["Lesson"], d["Version"], d["Conflict"], d["CanUndo"] = rel, l, version(src, true), c, wb.canUndo(rel)
	if c != nil && c.Disk != "" {
		d["Version"] = c.Version
		disk, _ := parseLesson(rel, []byte(c.Disk))
		c.Diff = diffHTML(disk.lesson.Body, l.Body)
	}
	d["Done"] = r.URL.Query().Get("done")
	site, _, _ := wb.opts.State(r)
	if site != nil {
		if pg := site.PageByFile(rel); pg != nil {
			d["Preview"] = pg.URL
			d["Links"] = linkChoices(site, pg)
		}
	}
	wb.render(w, r, "lesson", d)
}

// linkChoice is a lesson another can link to, as the body writes it.
type linkChoice struct{ Title, Path string }

// linkChoices are the pages of p's language, each as a path relative to
// p's folder, as a Markdown link between files is written.
func linkChoices(s *content.Site, p *content.Page) []linkChoice {
	var out []linkChoice
	l := s.Language(p.Lang)
	if l == nil {
		return nil
	}
	for _, q := range l.Pages {
		if q == p || q.File == "" {
			continue
		}
		out = append(out, linkChoice{Title: q.Title, Path: relPath(path.Dir(p.File), q.File)})
	}
	return out
}

// relPath is target relative to dir, both slash-separated.
func relPath(dir, target string) string {
	a, b := strings.Split(dir, "/"), strings.Split(path.Dir(target), "/")
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	parts := make([]string, 0, len(a)-i+len(b)-i+1)
	for range a[i:] {
		parts = append(parts, "..")
	}
	parts = append(parts, b[i:]...)
	parts = append(parts, path.Base(target))
	return strings.Join(parts, "/")
}

// diffHTML is a word diff of two bodies, paragraph by paragraph.
func diffHTML(old, cur string) template.HTML {
	var b strings.Builder
	for _, blk := range textdiff.Paragraphs(old, cur) {
		class := "same"
		if textdiff.Changed(blk.Ops) {
			class = "changed"
		}
		b.WriteString(`<p class="` + class + `">` + textdiff.HTML(blk.Ops) + "</p>")
	}
	return template.HTML(b.String()) // textdiff.HTML escapes every text
}
