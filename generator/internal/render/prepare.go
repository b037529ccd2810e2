package render

import (
	"fmt"
	"html/template"
	"io/fs"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"text/template/parse"

	"github.com/qorgau/qorgau/generator/internal/content"
	"github.com/qorgau/qorgau/generator/internal/diag"
	"github.com/qorgau/qorgau/generator/internal/i18n"
)

// Preparing templates: each layout parsed once per language, with
// constant UI strings folded in and missing ones reported.

// perLanguage makes one copy of a layout's template set per language, with
// constant T calls folded and the language's functions.
func (r *Renderer) perLanguage(name string, set *template.Template, diags *diag.List) map[string]*template.Template {
	out := map[string]*template.Template{}
	for _, lang := range r.site.Languages {
		c, err := set.Clone()
		if err != nil {
			diags.AddErr(name, err)
			continue
		}
		for _, t := range c.Templates() {
			if t.Tree != nil {
				foldT(t.Tree.Root, r.catalogs[lang.Code])
			}
		}
		fm := r.funcs(lang, lang.Code)
		set := c
		fm["cached"] = func(partial string, v *View, keys ...any) (template.HTML, error) {
			return v.r.cached(set, partial, v, keys)
		}
		out[lang.Code] = c.Funcs(fm)
	}
	return out
}

// missingStrings reports each UI string a template uses that a language lacks.
func (r *Renderer) missingStrings(keys map[string][]string, diags *diag.List) {
	for key, positions := range keys {
		for _, lang := range r.site.Languages {
			if c := r.catalogs[lang.Code]; c == nil || !c.Has(key) {
				for _, pos := range positions {
					d := r.position(pos)
					d.Message = fmt.Sprintf("UI string %q is missing for language %q", key, lang.Code)
					d.Hint = fmt.Sprintf("add %s = \"...\" to i18n/%s.toml (the site's or the theme's)", key, lang.Code)
					d.Kind = diag.KindUIString
					diags.Add(d)
				}
			}
		}
	}
}

// LayoutFor names the layout a page uses, or returns a diagnostic.
func (r *Renderer) LayoutFor(p *content.Page) (string, *diag.Diagnostic) {
	section := ""
	if p.Dir != "" {
		section = strings.SplitN(p.Dir, "/", 2)[0]
	}
	name, tried := r.layouts.Lookup(string(p.Kind), section, p.Layout)
	if name == "" {
		where := p.File
		if where == "" {
			where = "themes/" + r.cfg.Theme + "/layouts"
		}
		line := 0
		if p.File != "" && p.Layout != "" {
			line = p.FieldLine("layout")
		}
		return "", diag.At(where, line, 0, "add one of these files to layouts/ or to the theme's layouts/, or fix the layout field",
			"no layout for this %s: looked for %s", p.Kind, strings.Join(tried, ", "))
	}
	return name, nil
}

// Prepare parses every layout the pages need, for every language, and
// checks that each UI string the templates use exists in every language.
//
// A renderer made by ForSite keeps the templates it shares when they have
// every layout the pages need, and reports again what they reported.
func (r *Renderer) Prepare(pages []*content.Page, diags *diag.List) {
	if len(r.sets) > 0 && r.hasLayouts(pages) {
		for _, d := range r.prepared {
			diags.Add(d)
		}
		return
	}
	// A ForSite copy shares r's maps: they are replaced, never written.
	r.sets, r.wrapped = map[string]map[string]*template.Template{}, map[string]bool{}
	var mine diag.List
	r.prepare(pages, &mine)
	r.prepared = mine.Items()
	for _, d := range r.prepared {
		diags.Add(d)
	}
}

// hasLayouts reports whether every page's layout is prepared.
func (r *Renderer) hasLayouts(pages []*content.Page) bool {
	// A page's layout follows from its kind, top section and layout
	// field: each of those is looked up once.
	type choice struct{ kind, section, layout string }
	seen := map[choice]bool{}
	for _, p := range pages {
		top, _, _ := strings.Cut(p.Dir, "/")
		c := choice{string(p.Kind), top, p.Layout}
		if seen[c] {
			continue
		}
		seen[c] = true
		if name, d := r.LayoutFor(p); d != nil || r.sets[name] == nil {
			return false
		}
	}
	return true
}

func (r *Renderer) prepare(pages []*content.Page, diags *diag.List) {
	needed := map[string]bool{}
	for _, p := range pages {
		name, d := r.LayoutFor(p)
		if d != nil {
			diags.Add(d)
			continue
		}
		needed[name] = true
	}
	base := template.New("").Funcs(r.funcs(nil, ""))
	ok := true
	for _, name := range r.layouts.shared() {
		if err := r.parse(base, name); err != nil {
			diags.AddErr(name, err)
			ok = false
		}
	}
	if !ok {
		return
	}
	names := make([]string, 0, len(needed))
	for n := range needed {
		names = append(names, n)
	}
	sort.Strings(names)
	keys := map[string][]string{} // UI string -> positions
	for _, name := range names {
		set, err := base.Clone()
		if err != nil {
			diags.AddErr(name, err)
			continue
		}
		var before *parse.Tree
		if m := set.Lookup("main"); m != nil {
			before = m.Tree
		}
		if err := r.parse(set, name); err != nil {
			diags.AddErr(name, err)
			continue
		}
		if m := set.Lookup("main"); m != nil && m.Tree != before && set.Lookup("base.html") != nil {
			r.wrapped[name] = true
		}
		for _, t := range set.Templates() {
			if t.Tree != nil {
				collectKeys(t.Tree, t.Tree.Root, keys)
			}
		}
		r.sets[name] = r.perLanguage(name, set, diags)
	}
	r.missingStrings(keys, diags)
}

// parse adds the layout file behind a logical name to set.
func (r *Renderer) parse(set *template.Template, name string) error {
	file, ok := r.layouts.Source(name)
	if !ok {
		return diag.At(name, 0, 0, "", "layout %s not found", name)
	}
	src, err := fs.ReadFile(r.layouts.fsys, file)
	if err != nil {
		return diag.At(file, 0, 0, "", "cannot read layout: %v", err)
	}
	if _, err := set.New(name).Parse(string(src)); err != nil {
		return r.templateError(err)
	}
	return nil
}

var tmplErrRe = regexp.MustCompile(`template: ([^:\s]+):(\d+):(?:(\d+):)?\s*`)

// templateError turns an html/template error into a diagnostic that names
// the template's file and line.
func (r *Renderer) templateError(err error) error {
	msg := err.Error()
	m := tmplErrRe.FindStringSubmatchIndex(msg)
	if m == nil {
		return diag.At("themes/"+r.cfg.Theme+"/layouts", 0, 0, "", "template: %s", msg)
	}
	name := msg[m[2]:m[3]]
	line, _ := strconv.Atoi(msg[m[4]:m[5]])
	col := 0
	if m[6] >= 0 {
		col, _ = strconv.Atoi(msg[m[6]:m[7]])
	}
	file, ok := r.layouts.Source(name)
	if !ok {
		file = name
	}
	rest := strings.TrimSpace(msg[m[1]:])
	hint := "fix the template"
	if strings.Contains(rest, "maximum template depth") {
		hint = "a template calls itself without end; check {{template}} calls"
	}
	return diag.At(file, line, col, hint, "%s", rest)
}

// position turns "name:line:col" from parse.Tree.ErrorContext into a diagnostic.
func (r *Renderer) position(loc string) *diag.Diagnostic {
	parts := strings.Split(loc, ":")
	d := &diag.Diagnostic{Path: loc}
	if len(parts) >= 3 {
		d.Path = strings.Join(parts[:len(parts)-2], ":")
		d.Line, _ = strconv.Atoi(parts[len(parts)-2])
		d.Col, _ = strconv.Atoi(parts[len(parts)-1])
	}
	if f, ok := r.layouts.Source(d.Path); ok {
		d.Path = f
	}
	return d
}

// eachCommand calls fn for every command of a template tree, outer
// commands before the commands in their arguments; fn returns false to
// skip a command's arguments.
func eachCommand(n parse.Node, fn func(*parse.CommandNode) bool) {
	switch n := n.(type) {
	case *parse.ListNode:
		if n == nil {
			return
		}
		for _, c := range n.Nodes {
			eachCommand(c, fn)
		}
	case *parse.ActionNode:
		eachCommand(n.Pipe, fn)
	case *parse.PipeNode:
		if n == nil {
			return
		}
		for _, c := range n.Cmds {
			eachCommand(c, fn)
		}
	case *parse.CommandNode:
		if fn(n) {
			for _, a := range n.Args {
				eachCommand(a, fn)
			}
		}
	case *parse.BranchNode:
		eachCommand(n.Pipe, fn)
		eachCommand(n.List, fn)
		eachCommand(n.ElseList, fn)
	case *parse.IfNode:
		eachCommand(&n.BranchNode, fn)
	case *parse.RangeNode:
		eachCommand(&n.BranchNode, fn)
	case *parse.WithNode:
		eachCommand(&n.BranchNode, fn)
	case *parse.TemplateNode:
		eachCommand(n.Pipe, fn)
	}
}

// callT returns the key of a call of T (or TForms) with a constant key.
func callT(n *parse.CommandNode, names ...string) (*parse.StringNode, bool) {
	if len(n.Args) < 2 {
		return nil, false
	}
	id, ok := n.Args[0].(*parse.IdentifierNode)
	if !ok || !contains(names, id.Ident) {
		return nil, false
	}
	key, ok := n.Args[1].(*parse.StringNode)
	return key, ok
}

// foldT replaces each {{T "key"}} and {{T "key" 3}} of a language's copy
// of a template with the UI string itself, so pages do not look it up
// again; the string is still escaped for where it stands. Calls whose
// string is missing are left for execution to report.
func foldT(root parse.Node, cat *i18n.Catalog) {
	if cat == nil {
		return
	}
	eachCommand(root, func(n *parse.CommandNode) bool {
		key, ok := callT(n, "T")
		if !ok || len(n.Args) > 3 {
			return true
		}
		var count []int
		if len(n.Args) == 3 {
			num, ok := n.Args[2].(*parse.NumberNode)
			if !ok || !num.IsInt {
				return true
			}
			count = []int{int(num.Int64)}
		}
		text, err := cat.T(key.Text, count...)
		if err != nil {
			return true
		}
		n.Args = []parse.Node{&parse.StringNode{NodeType: parse.NodeString, Pos: key.Pos, Quoted: strconv.Quote(text), Text: text}}
		return false
	})
}

// collectKeys records the constant keys of T calls in a template tree.
func collectKeys(tree *parse.Tree, root parse.Node, keys map[string][]string) {
	eachCommand(root, func(n *parse.CommandNode) bool {
		if key, ok := callT(n, "T", "TForms"); ok {
			loc, _ := tree.ErrorContext(n)
			if !contains(keys[key.Text], loc) {
				keys[key.Text] = append(keys[key.Text], loc)
			}
		}
		return true
	})
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
