package check

import (
	"bytes"
	"html/template"
	"sort"
	"strings"

	"github.com/qorgau/qorgau/generator/internal/content"
)

// SectionStatus is the translation status of one section.
type SectionStatus struct {
	Section string       // folder, "" for pages at the top of a language
	Title   string       // title in the first language that has it
	Langs   []LangStatus // one per configured language
}

// LangStatus counts a section's pages in one language.
type LangStatus struct {
	Lang     string
	Total    int // pages the section has in any language
	Done     int // present and up to date
	Outdated int // present, but the original changed since the last sync
	Missing  int // not translated
}

// Percent is the share of done pages, for bars.
func (l LangStatus) Percent() int {
	if l.Total == 0 {
		return 100
	}
	return l.Done * 100 / l.Total
}

func status(s *content.Site) []SectionStatus {
	bySection := map[string]map[string]map[string]*content.Page{} // section -> page key -> lang -> page
	titles := map[string]string{}
	for _, p := range s.Pages {
		if p.File == "" {
			continue // a folder without _index.md: nothing to translate
		}
		sec := strings.SplitN(p.Dir, "/", 2)[0]
		if bySection[sec] == nil {
			bySection[sec] = map[string]map[string]*content.Page{}
		}
		if bySection[sec][p.Key] == nil {
			bySection[sec][p.Key] = map[string]*content.Page{}
		}
		bySection[sec][p.Key][p.Lang] = p
		if p.Kind == content.KindSection && p.Dir == sec && titles[sec] == "" {
			titles[sec] = p.Title
		}
	}
	var out []SectionStatus
	for sec, pages := range bySection {
		st := SectionStatus{Section: sec, Title: titles[sec]}
		if sec == "" {
			st.Title = "/"
		}
		for _, l := range s.Languages {
			ls := LangStatus{Lang: l.Code, Total: len(pages)}
			for _, byLang := range pages {
				p, ok := byLang[l.Code]
				switch {
				case !ok:
					ls.Missing++
				case s.Outdated(p):
					ls.Outdated++
				default:
					ls.Done++
				}
			}
			st.Langs = append(st.Langs, ls)
		}
		out = append(out, st)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Section < out[j].Section })
	return out
}

var dashboard = template.Must(template.New("status").Parse(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer"><meta name="robots" content="noindex">
<title>Translation status · {{.Title}}</title>
<style>
body{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:1rem auto;padding:0 1rem;color:#1b1b1f}
table{border-collapse:collapse;width:100%;margin:0 0 1.5rem}th,td{border:1px solid #999;padding:.3rem .5rem;text-align:left;vertical-align:top}
progress{width:8rem;height:1rem;vertical-align:middle}.error{color:#a1160a;font-weight:700}.warning{color:#7a4d00;font-weight:700}
code{font-size:.9em}.ok{color:#1a6e2e}
</style></head><body>
<h1>Translation status</h1>
<p>{{.Errors}} error(s), {{.Warnings}} warning(s). Done: translated and up to date; out of date: the original changed after the last sync (<code>qorgau check --mark-synced FILE</code> records a sync).</p>
{{range .Sections}}<h2>{{.Title}} <small>({{if .Section}}{{.Section}}/{{else}}top level{{end}})</small></h2>
<table><thead><tr><th scope="col">Language</th><th scope="col">Done</th><th scope="col">Out of date</th><th scope="col">Missing</th><th scope="col">Progress</th></tr></thead><tbody>
{{range .Langs}}<tr><th scope="row" lang="{{.Lang}}">{{.Lang}}</th><td>{{.Done}} / {{.Total}}</td><td>{{.Outdated}}</td><td>{{.Missing}}</td><td><progress max="{{.Total}}" value="{{.Done}}" aria-label="{{.Lang}}: {{.Percent}}% done">{{.Percent}}%</progress> {{.Percent}}%</td></tr>
{{end}}</tbody></table>
{{end}}
<h2>Findings</h2>
{{if .Findings}}<table><thead><tr><th scope="col">Where</th><th scope="col">Severity</th><th scope="col">Kind</th><th scope="col">Message</th></tr></thead><tbody>
{{range .Findings}}<tr><td><code>{{.Pos}}</code>{{if .URL}}<br><a href="{{.URL}}">{{.URL}}</a>{{end}}</td><td class="{{.Severity}}">{{.Severity}}</td><td>{{.Kind}}</td><td>{{.Message}}{{if .Hint}}<br><small>{{.Hint}}</small>{{end}}</td></tr>
{{end}}</tbody></table>{{else}}<p class="ok">No findings.</p>{{end}}
</body></html>
`))

// Dashboard renders the report as one page for editors.
func Dashboard(r *Report) []byte {
	var findings []Finding
	for _, f := range r.Findings {
		if f.Severity != Info {
			findings = append(findings, f)
		}
	}
	title := "Qorgau"
	if r.Config != nil {
		title = r.Config.Title
	}
	var b bytes.Buffer
	_ = dashboard.Execute(&b, map[string]any{
		"Title": title, "Sections": r.Status, "Findings": findings,
		"Errors": r.Count(Error), "Warnings": r.Count(Warning),
	})
	return b.Bytes()
}
