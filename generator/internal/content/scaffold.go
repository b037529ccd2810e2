package content

import (
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"
	"text/template"
	"time"

	"github.com/qorgau/qorgau/generator/internal/config"
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
title = "Criminal Code of the Republic of Kazakhstan (official text, adilet.zan.kz)"
url = "https://adilet.zan.kz/rus/docs/K1400000226"
legal = true                       # only on legal texts; news and NGO articles are sources, not legal ones

[[sources]]
title = "Law No. 72-VIII of 15 April 2024 (Library of Congress summary)"
url = "https://www.loc.gov/item/global-legal-monitor/2024-07-22/kazakhstan-new-law-criminalizes-domestic-violence/"

[[quiz]]
question = "A question the reader can check themselves on?"
answer = "The answer, in one or two sentences."
{{- if .NeedsReview}}

[translation]
original = "{{.Original}}"
{{- end}}
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

// audiences is a new lesson's audience in the languages the template knows.
var audiences = map[string]string{"kk": "жасөспірімдер 14+", "ru": "подростки 14+", "en": "teens 14+"}

// ErrLessonExists is returned by NewLesson when the lesson's file exists
// in one of the languages; nothing is written then.
var ErrLessonExists = errors.New("the lesson already exists")

// ValidName reports whether s can be a section's or lesson's file name:
// lower-case letters, digits and '-'.
func ValidName(s string) bool {
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

// NewLesson writes the lesson <section>/<name>.md in each of langs under
// the site folder root, from the lesson template, as a draft; the section
// gets an _index.md where it has none. Languages other than the original
// are marked needsReview and record their original. It returns the files
// it created.
func NewLesson(root string, cfg *config.Config, section, name string, langs []string, today time.Time) ([]string, error) {
	if !ValidName(section) || !ValidName(name) {
		return nil, fmt.Errorf("give the lesson as <section>/<name> (letters, digits and '-' only)")
	}
	for _, code := range langs {
		if _, ok := cfg.Languages[code]; !ok {
			return nil, &config.UnknownLanguageError{Lang: code, Configured: cfg.LanguageOrder}
		}
		file := filepath.Join(root, Dir, code, section, name+".md")
		if _, err := os.Stat(file); err == nil {
			return nil, fmt.Errorf("%s: %w; nothing was changed", file, ErrLessonExists)
		}
	}
	original := cfg.OriginalLanguage()
	var created []string
	for _, code := range langs {
		translation := code != original && len(langs) > 1
		dir := filepath.Join(root, Dir, code, section)
		idx, err := sectionIndex(dir, section, translation)
		if idx != "" {
			created = append(created, idx)
		}
		if err != nil {
			return created, err
		}
		var b strings.Builder
		err = lessonTmpl.Execute(&b, map[string]any{
			"Title": humanTitle(name), "Weight": nextWeight(dir), "Audience": audiences[code],
			"Today": today.UTC().Format("2006-01-02"), "NeedsReview": translation, "Original": original,
		})
		file := filepath.Join(dir, name+".md")
		if err == nil {
			err = os.WriteFile(file, []byte(b.String()), 0o644)
		}
		if err != nil {
			return created, err
		}
		created = append(created, file)
	}
	return created, nil
}

// sectionIndex makes the section's folder, and its _index.md when it has
// none; it returns the file it wrote, if any.
func sectionIndex(dir, section string, translation bool) (string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	file := filepath.Join(dir, "_index.md")
	if _, err := os.Stat(file); !errors.Is(err, os.ErrNotExist) {
		return "", nil
	}
	review := ""
	if translation {
		review = "needsReview = true\n"
	}
	idx := fmt.Sprintf("+++\ntitle = %q\ndescription = \"What this topic is about.\"\nweight = 100\n%s+++\n", humanTitle(section), review)
	if err := os.WriteFile(file, []byte(idx), 0o644); err != nil {
		return "", err
	}
	return file, nil
}

// nextWeight puts a new lesson after the section's others.
func nextWeight(dir string) int {
	entries, _ := os.ReadDir(dir)
	weight := 10
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".md") && e.Name() != "_index.md" {
			weight += 10
		}
	}
	return weight
}

func humanTitle(s string) string {
	s = strings.ReplaceAll(s, "-", " ")
	return strings.ToUpper(s[:1]) + s[1:]
}
