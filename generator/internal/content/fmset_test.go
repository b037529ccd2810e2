package content

import (
	"errors"
	"strings"
	"testing"
)

func TestSetFields(t *testing.T) {
	quiz := []map[string]any{{"question": "Who can help?", "answer": "111"}, {"question": "Is it your fault?", "answer": "No."}}
	fields := []Field{
		{Key: "title", Value: "New title"},
		{Key: "audience", Value: []string{"teens 14+", "parents"}},
		{Key: "weight", Value: 7},
		{Key: "lastReviewed", Value: Date("2026-12-01")},
		{Key: "draft", Value: nil},
		{Key: "quiz", Value: quiz},
	}
	cases := []struct{ name, src string }{
		{"toml with comments and tables", "+++\n# the lesson\ntitle = \"Old\" # keep me\ndraft = true\nweight = 3\n\n[translation]\noriginal = \"en\"\n\n[[quiz]]\nquestion = \"Q1\"\nanswer = \"A1\"\n\n[[sources]]\ntitle = \"Law\"\nurl = \"https://adilet.zan.kz/\"\n+++\nBody text.\n"},
		{"toml dotted keys", "+++\ntitle = \"Old\"\ntranslation.original = \"en\"\ntranslation.sourceHash = \"abc\"\n+++\nBody text.\n"},
		{"toml inline table", "+++\ntitle = \"Old\"\ntranslation = { original = \"en\", sourceHash = \"abc\" }\n+++\nBody text.\n"},
		{"yaml with a comment at the margin", "---\ntitle: Old\n# a comment at the margin\naudience:\n  - teens\ntranslation:\n  original: en\n# inside the block\n  sourceHash: abc\n---\nBody text.\n"},
		{"crlf and bom", "\xef\xbb\xbf+++\r\ntitle = \"Old\"\r\n+++\r\nBody text.\r\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out, err := SetFields([]byte(c.src), fields, []byte("New body.\n"))
			if err != nil {
				t.Fatal(err)
			}
			norm, _ := Normalize("", out)
			fm, format, body, line, _, err := Split("", norm)
			if err != nil {
				t.Fatal(err)
			}
			meta, err := ParseFrontMatter("x.md", fm, format, line)
			if err != nil {
				t.Fatalf("%v\n%s", err, out)
			}
			if meta.Title != "New title" || meta.Weight != 7 || meta.Draft || len(meta.Quiz) != 2 || meta.Quiz[1].Answer != "No." ||
				strings.Join(meta.Audience, ",") != "teens 14+,parents" || meta.LastReviewed.Format("2006-01-02") != "2026-12-01" {
				t.Errorf("fields not set: %+v\n%s", meta, out)
			}
			if string(body) != "New body.\n" {
				t.Errorf("body %q", body)
			}
			if strings.Contains(c.src, "original") && meta.Sync.Original != "en" {
				t.Errorf("translation.original lost:\n%s", out)
			}
			for _, keep := range []string{"# keep me", "# the lesson", "[[sources]]", "# inside the block", "translation.sourceHash", "{ original"} {
				if strings.Contains(c.src, keep) && !strings.Contains(string(out), keep) {
					t.Errorf("%q was not kept:\n%s", keep, out)
				}
			}
			if strings.Contains(c.src, "\r\n") != strings.Contains(string(out), "\r\n") || strings.HasPrefix(c.src, "\xef\xbb\xbf") != strings.HasPrefix(string(out), "\xef\xbb\xbf") {
				t.Errorf("line endings or BOM changed:\n%q", out)
			}
		})
	}
}

func TestSetFieldsRefuses(t *testing.T) {
	for _, src := range []string{
		"+++\n[audience]\nx = 1\n+++\n",         // a table where a list is set
		"+++\naudience.x = 1\n+++\n",            // dotted keys
		"---\n{title: a, audience: [b]}\n---\n", // one flow mapping
	} {
		if _, err := SetFields([]byte(src), []Field{{Key: "audience", Value: []string{"a"}}}, nil); !errors.Is(err, ErrUnsafeEdit) {
			t.Errorf("%q: err %v, want ErrUnsafeEdit", src, err)
		}
	}
}

// FuzzSetFields: whatever the file, SetFields either refuses or writes a
// file that parses with the fields set.
func FuzzSetFields(f *testing.F) {
	f.Add("+++\ntitle = \"a\" # c\n[[quiz]]\nquestion = \"q\"\n+++\nbody\n", "new")
	f.Add("---\ntitle: a\n# c\nlist:\n  - x\n---\n", "ü")
	f.Add("+++\ntranslation = { original = \"en\" }\n+++\n", "\"quoted\"")
	f.Fuzz(func(t *testing.T, src, title string) {
		out, err := SetFields([]byte(src), []Field{{Key: "title", Value: title}, {Key: "tags", Value: []string{title}}}, nil)
		if err != nil {
			return
		}
		norm, err := Normalize("", out)
		if err != nil {
			t.Fatalf("result does not normalise: %v", err)
		}
		fm, format, _, line, _, err := Split("", norm)
		if err != nil {
			t.Fatalf("result does not split: %v\n%q", err, out)
		}
		meta, err := ParseFrontMatter("x.md", fm, format, line)
		if err != nil && parses(src) {
			t.Fatalf("result does not parse: %v\n%q", err, out)
		}
		if err == nil && meta.Title != title {
			t.Fatalf("title %q, want %q\n%q", meta.Title, title, out)
		}
	})
}

func parses(src string) bool {
	norm, err := Normalize("", []byte(src))
	if err != nil {
		return false
	}
	fm, format, _, line, _, err := Split("", norm)
	if err != nil {
		return false
	}
	_, err = ParseFrontMatter("x.md", fm, format, line)
	return err == nil
}
