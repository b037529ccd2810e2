package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"
	"text/template"
	"time"

	"github.com/qorgau/qorgau/generator/config"
)

// lessonTmpl is a new lesson's file: every field a module needs, with
// placeholders that say what to write. It starts as a draft.
var lessonTmpl = template.Must(template.New("lesson").Parse(`+++
title = "{{.Title}}"
description = "One plain sentence: what this lesson is about."
weight = {{.Weight}}
draft = true                       # remove when the lesson is ready
audience = ["{{.Audience}}"]
duration = 20                      # minutes a class needs
objectives = ["Explain ...", "Name ..."]
lastReviewed = {{.Today}}
{{- if .NeedsReview}}
needsReview = true                 # a native speaker has not yet checked this translation
{{- end}}
keyFacts = ["A short fact to remember."]
discussion = ["An open question for the class?"]
teacherNotes = ["How to run this lesson safely."]

[[sources]]
title = "Law No. 72-VIII of 15 April 2024 (summary)"
url = "https://www.loc.gov/item/global-legal-monitor/2024-07-22/kazakhstan-new-law-criminalizes-domestic-violence/"
legal = true

[[quiz]]
question = "A question the reader can check themselves on?"
answer = "The answer, in one or two sentences."
+++

> [!IMPORTANT]
> This page is for education. It is not legal advice.

## First part

Short paragraphs in plain language.

## Scenario

A short, realistic story without graphic detail.

> [!TIP]
> If this is happening to you or someone you know, call [111](../help/numbers-and-services.md).
`))

var audience = map[string]string{"kk": "жасөспірімдер 14+", "ru": "подростки 14+", "en": "teens 14+"}

func runNew(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("new", "new <section>/<name> [--lang kk,ru,en] [--source DIR]", stderr)
	source := fs.String("source", ".", "the site's folder (with config.toml)")
	langs := fs.String("lang", "", "languages to create the lesson in, comma-separated (default: every configured language)")
	// Accept the lesson path before or after the flags.
	var target string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		target, args = args[0], args[1:]
	}
	for _, a := range args {
		if a == "-h" || a == "--help" || a == "-help" {
			fs.SetOutput(stdout)
			fs.Usage()
			return exitOK
		}
	}
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if target == "" && fs.NArg() == 1 {
		target = fs.Arg(0)
	} else if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "unexpected argument %q\n", fs.Arg(0))
		return exitUsage
	}
	target = strings.TrimSuffix(target, ".md")
	parts := strings.Split(target, "/")
	if len(parts) != 2 || !validName(parts[0]) || !validName(parts[1]) {
		fmt.Fprintf(stderr, "qorgau new: give the lesson as <section>/<name>, e.g. penalties/new-rules (letters, digits and '-' only)\n")
		return exitUsage
	}
	cfg, err := config.Load(os.DirFS(*source))
	if err != nil {
		fmt.Fprintf(stderr, "%v\n", err)
		return exitContent
	}
	codes := cfg.LanguageOrder
	if *langs != "" {
		codes = strings.Split(*langs, ",")
		for _, c := range codes {
			if _, ok := cfg.Languages[c]; !ok {
				fmt.Fprintf(stderr, "qorgau new: language %q is not configured (configured: %s)\n", c, strings.Join(cfg.LanguageOrder, ", "))
				return exitUsage
			}
		}
	}
	section, name := parts[0], parts[1]
	// Lessons are written in the original language first; other languages are translations.
	original := cfg.OriginalLanguage()
	var created []string
	for _, code := range codes {
		dir := filepath.Join(*source, "content", code, section)
		file := filepath.Join(dir, name+".md")
		if _, err := os.Stat(file); err == nil {
			fmt.Fprintf(stderr, "qorgau new: %s already exists; nothing was changed\n", file)
			return exitContent
		}
		if err := os.MkdirAll(dir, 0o755); err != nil {
			fmt.Fprintf(stderr, "qorgau new: %v\n", err)
			return exitContent
		}
		if _, err := os.Stat(filepath.Join(dir, "_index.md")); errors.Is(err, os.ErrNotExist) {
			idx := fmt.Sprintf("+++\ntitle = %q\ndescription = \"What this topic is about.\"\nweight = 100\n%s+++\n", humanTitle(section), reviewLine(code != original && len(codes) > 1))
			if err := os.WriteFile(filepath.Join(dir, "_index.md"), []byte(idx), 0o644); err != nil {
				fmt.Fprintf(stderr, "qorgau new: %v\n", err)
				return exitContent
			}
			created = append(created, filepath.Join(dir, "_index.md"))
		}
		entries, _ := os.ReadDir(dir)
		weight := 10
		for _, e := range entries {
			if strings.HasSuffix(e.Name(), ".md") && e.Name() != "_index.md" {
				weight += 10
			}
		}
		var b strings.Builder
		err := lessonTmpl.Execute(&b, map[string]any{
			"Title": humanTitle(name), "Weight": weight, "Audience": audience[code],
			"Today": time.Now().UTC().Format("2006-01-02"), "NeedsReview": code != original && len(codes) > 1,
		})
		if err == nil {
			err = os.WriteFile(file, []byte(b.String()), 0o644)
		}
		if err != nil {
			fmt.Fprintf(stderr, "qorgau new: %v\n", err)
			return exitContent
		}
		created = append(created, file)
	}
	for _, f := range created {
		fmt.Fprintf(stdout, "created %s\n", f)
	}
	fmt.Fprintln(stdout, "The lesson is a draft: preview it with `go run ./generator serve --drafts`, then remove draft = true.")
	return exitOK
}

func reviewLine(needs bool) string {
	if needs {
		return "needsReview = true\n"
	}
	return ""
}

func validName(s string) bool {
	if s == "" || s == "." || s == ".." {
		return false
	}
	for _, r := range s {
		if !(r == '-' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z') {
			return false
		}
	}
	return path.Clean(s) == s
}

func humanTitle(s string) string {
	s = strings.ReplaceAll(s, "-", " ")
	return strings.ToUpper(s[:1]) + s[1:]
}
