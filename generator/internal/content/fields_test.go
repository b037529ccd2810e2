package content

import (
	"testing"
)

func TestFieldTexts(t *testing.T) {
	cases := []struct {
		name, src string
		format    Format
		want      map[string][3]any // path -> value, line, col of the value's first character
	}{
		{"toml", "title = \"Бір\"\nkeyFacts = [\n  \"екі\",\n  'үш',\n]\ntranslation.original = \"en\"\nx = { y = \"inline\" }\n[[quiz]]\nquestion = \"q0\"\n[[quiz]]\nanswer = \"\"\"\nmulti\"\"\"\n[params]\nnote = \"with \\\"escape\\\"\"\n", TOML,
			map[string][3]any{
				"title":                {"Бір", 2, 10},
				"keyFacts.0":           {"екі", 4, 4},
				"keyFacts.1":           {"үш", 5, 4},
				"translation.original": {"en", 7, 25},
				"x.y":                  {"inline", 8, 12},
				"quiz.0.question":      {"q0", 10, 13},
				"quiz.1.answer":        {"multi", 13, 1},
				"params.note":          {`with "escape"`, 15, 9},
			}},
		{"yaml", "title: Бір сөз\nkeyFacts:\n  - екі\n# comment\n  - \"үш\"\nquiz:\n  - question: q0\n    answer: 'a0'\n", YAML,
			map[string][3]any{
				"title":           {"Бір сөз", 2, 8},
				"keyFacts.0":      {"екі", 4, 5},
				"keyFacts.1":      {"үш", 6, 6},
				"quiz.0.question": {"q0", 8, 15},
				"quiz.0.answer":   {"a0", 9, 14},
			}},
	}
	for _, c := range cases {
		p := &Page{fmSrc: []byte(c.src), fmLine: 2, fmFormat: c.format}
		got, err := p.FieldTexts()
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		seen := map[string]bool{}
		for _, f := range got {
			w, ok := c.want[f.Path]
			if !ok {
				t.Errorf("%s: unexpected %s = %q", c.name, f.Path, f.Value)
				continue
			}
			seen[f.Path] = true
			line, col := f.Pos(0)
			if f.Value != w[0] || line != w[1] || col != w[2] {
				t.Errorf("%s: %s = %q at %d:%d, want %q at %d:%d", c.name, f.Path, f.Value, line, col, w[0], w[1], w[2])
			}
		}
		for path := range c.want {
			if !seen[path] {
				t.Errorf("%s: %s not found", c.name, path)
			}
		}
	}
	// An offset inside an exact value moves the column by runes.
	p := &Page{fmSrc: []byte("title = \"бір екі\"\n"), fmLine: 1, fmFormat: TOML}
	got, _ := p.FieldTexts()
	if line, col := got[0].Pos(len("бір ")); line != 1 || col != 14 {
		t.Errorf("offset of екі: %d:%d, want 1:14", line, col)
	}
}
