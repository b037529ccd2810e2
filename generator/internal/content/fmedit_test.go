package content

import (
	"errors"
	"testing"
)

var syncEdits = []FieldEdit{{Table: "translation", Key: "original", Value: "en"}, {Table: "translation", Key: "sourceHash", Value: "abc123"}}

func TestEditFrontMatter(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"TOML table, comments kept",
			"+++\ntitle = \"T\" # the title\n\n[translation]\n# synced by check\noriginal = \"en\"\nsourceHash = \"old\"   # hash\n\n[[quiz]]\nquestion = \"q\"\n+++\nBody.\n",
			"+++\ntitle = \"T\" # the title\n\n[translation]\n# synced by check\noriginal = \"en\"\nsourceHash = \"abc123\"   # hash\n\n[[quiz]]\nquestion = \"q\"\n+++\nBody.\n"},
		{"TOML table without the hash",
			"+++\ntitle = \"T\"\n[translation]\noriginal = \"en\"\n# end\n[params]\nx = 1\n+++\nBody.\n",
			"+++\ntitle = \"T\"\n[translation]\noriginal = \"en\"\nsourceHash = \"abc123\"\n# end\n[params]\nx = 1\n+++\nBody.\n"},
		{"TOML dotted keys",
			"+++\ntitle = \"T\"\ntranslation.original = \"en\"\nweight = 2\n+++\nBody.\n",
			"+++\ntitle = \"T\"\ntranslation.original = \"en\"\ntranslation.sourceHash = \"abc123\"\nweight = 2\n+++\nBody.\n"},
		{"TOML inline table",
			"+++\ntitle = \"T\"\ntranslation = { original = \"en\" }\n+++\nBody.\n",
			"+++\ntitle = \"T\"\ntranslation = { original = \"en\", sourceHash = \"abc123\" }\n+++\nBody.\n"},
		{"TOML without a record, ending in an array of tables",
			"+++\ntitle = \"T\"\n\n[[quiz]]\nquestion = \"q\"\nanswer = \"a\"\n+++\nBody.\n",
			"+++\ntitle = \"T\"\n\n[[quiz]]\nquestion = \"q\"\nanswer = \"a\"\n\n[translation]\noriginal = \"en\"\nsourceHash = \"abc123\"\n+++\nBody.\n"},
		{"YAML block with a comment at the left margin",
			"---\ntitle: T\ntranslation:\n  original: en\n# synced by check\n  sourceHash: \"old\"\ntags: [a]\n---\nBody.\n",
			"---\ntitle: T\ntranslation:\n  original: \"en\"\n# synced by check\n  sourceHash: \"abc123\"\ntags: [a]\n---\nBody.\n"},
		{"YAML flow mapping",
			"---\ntitle: T\ntranslation: {original: en}\n---\nBody.\n",
			"---\ntitle: T\ntranslation: {original: \"en\", sourceHash: \"abc123\"}\n---\nBody.\n"},
		{"YAML without a record",
			"---\ntitle: T # the title\n---\nBody.\n",
			"---\ntitle: T # the title\ntranslation:\n  original: \"en\"\n  sourceHash: \"abc123\"\n---\nBody.\n"},
		{"CRLF and a byte order mark",
			"\xef\xbb\xbf+++\r\ntitle = \"T\"\r\n+++\r\nBody.\r\n",
			"\xef\xbb\xbf+++\r\ntitle = \"T\"\r\n\r\n[translation]\r\noriginal = \"en\"\r\nsourceHash = \"abc123\"\r\n+++\r\nBody.\r\n"},
		{"no front matter",
			"# Title\n\nBody.\n",
			"+++\n[translation]\noriginal = \"en\"\nsourceHash = \"abc123\"\n+++\n# Title\n\nBody.\n"},
	}
	for _, c := range cases {
		got, err := EditFrontMatter([]byte(c.in), syncEdits)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if string(got) != c.want {
			t.Errorf("%s:\n got %q\nwant %q", c.name, got, c.want)
		}
		norm, _ := Normalize("", got)
		fm, format, _, _, _, err := Split("", norm)
		if err != nil {
			t.Errorf("%s: result does not split: %v", c.name, err)
			continue
		}
		m, err := ParseFrontMatter("x.md", fm, format, 1)
		if err != nil || m.Sync.Original != "en" || m.Sync.SourceHash != "abc123" {
			t.Errorf("%s: result parses to %+v, %v", c.name, m.Sync, err)
		}
	}
}

// An edit that cannot be made safely is refused, and says why.
func TestEditFrontMatterRefuses(t *testing.T) {
	for name, in := range map[string]string{
		"translation is a string":     "+++\ntranslation = \"en\"\n+++\n",
		"sourceHash is a number":      "+++\n[translation]\nsourceHash = 5\n+++\n",
		"YAML translation is a list":  "---\ntranslation:\n  - en\n---\n",
		"YAML block scalar hash":      "---\ntranslation:\n  sourceHash: |\n    old\n---\n",
		"front matter does not parse": "+++\ntitle = \n+++\n",
	} {
		if out, err := EditFrontMatter([]byte(in), syncEdits); !errors.Is(err, ErrUnsafeEdit) {
			t.Errorf("%s: got %q, %v; want ErrUnsafeEdit", name, out, err)
		}
	}
}
