package content

import (
	"strings"
	"testing"
)

func TestSplit(t *testing.T) {
	for _, tc := range []struct {
		name, src      string
		format         Format
		fm, body       string
		fmLine, bodyAt int
		err            string
	}{
		{"toml", "+++\ntitle = \"x\"\n+++\nBody\n", TOML, "title = \"x\"\n", "Body\n", 2, 4, ""},
		{"yaml", "---\ntitle: x\n---\nBody", YAML, "title: x\n", "Body", 2, 4, ""},
		{"yaml dots", "---\ntitle: x\n...\nBody", YAML, "title: x\n", "Body", 2, 4, ""},
		{"none", "# Title\n", NoFrontMatter, "", "# Title\n", 0, 1, ""},
		{"empty toml", "+++\n+++\n", TOML, "", "", 2, 3, ""},
		{"closing at end of file", "+++\ntitle = \"x\"\n+++", TOML, "title = \"x\"\n", "", 2, 4, ""},
		{"trailing spaces on delimiter", "+++\na = 1\n+++  \nB", TOML, "a = 1\n", "B", 2, 4, ""},
		{"unclosed", "+++\ntitle = \"x\"\n", TOML, "", "", 0, 0, "never closed"},
		{"thematic break is not front matter", "text\n---\nmore", NoFrontMatter, "", "text\n---\nmore", 0, 1, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fm, format, body, fmLine, bodyLine, err := Split("x.md", []byte(tc.src))
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("err = %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if format != tc.format || string(fm) != tc.fm || string(body) != tc.body || fmLine != tc.fmLine || bodyLine != tc.bodyAt {
				t.Errorf("got %v %q %q %d %d; want %v %q %q %d %d", format, fm, body, fmLine, bodyLine, tc.format, tc.fm, tc.body, tc.fmLine, tc.bodyAt)
			}
		})
	}
}

func TestNormalize(t *testing.T) {
	for _, tc := range []struct{ in, want, err string }{
		{"\xef\xbb\xbf+++\r\na = 1\r\n+++\r\n", "+++\na = 1\n+++\n", ""},
		{"old\rmac\r", "old\nmac\n", ""},
		{"ok \xd0\xb0", "ok а", ""},
		{"line\nbad \xff", "", "x.md:2:5: invalid UTF-8"},
		{"a\x00b", "", "x.md:1:2: file contains a NUL byte"},
	} {
		got, err := Normalize("x.md", []byte(tc.in))
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("Normalize(%q) err = %v, want %q", tc.in, err, tc.err)
			}
			continue
		}
		if err != nil || string(got) != tc.want {
			t.Errorf("Normalize(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
}

func TestParseFrontMatterErrors(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		format    Format
		want      string
	}{
		{"toml unknown", "title = \"x\"\ncolor = 1\n", TOML, `x.md:3:1: unknown front matter field "color"`},
		{"toml type", "title = \"x\"\ndraft = \"no\"\n", TOML, "x.md:3:9: wrong type: expected bool"},
		{"yaml unknown", "title: x\ncolor: 1\n", YAML, `x.md:3: unknown front matter field "color"`},
		{"yaml type", "weight: heavy\n", YAML, "x.md:2: cannot unmarshal"},
		{"yaml syntax", "title: [x\n", YAML, "x.md:"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseFrontMatter("x.md", []byte(tc.src), tc.format, 2)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want %q", err, tc.want)
			}
		})
	}
}

func TestParseFrontMatterFields(t *testing.T) {
	src := "title = \"T\"\nweight = 3\ndate = 2024-06-16\nlastReviewed = 2026-11-24\naudience = [\"teens 14+\"]\nduration = 20\nneedsReview = true\n[params]\nx = 1\n[[sources]]\ntitle = \"Law\"\nurl = \"https://example.org\"\nlegal = true\n[[quiz]]\nquestion = \"Q?\"\nanswer = \"A.\"\n"
	m, err := ParseFrontMatter("x.md", []byte(src), TOML, 2)
	if err != nil {
		t.Fatal(err)
	}
	if m.Title != "T" || m.Weight != 3 || m.Date.Year() != 2024 || m.LastReviewed.Month() != 11 || m.Duration != 20 ||
		!m.NeedsReview || len(m.Sources) != 1 || !m.Sources[0].Legal || m.Quiz[0].Answer != "A." || m.Params["x"] == nil {
		t.Errorf("fields not decoded: %+v", m)
	}
	y, err := ParseFrontMatter("x.md", []byte("title: T\ndate: 2024-06-16\nsources:\n  - title: Law\n    legal: true\n"), YAML, 2)
	if err != nil || y.Date.Day() != 16 || !y.Sources[0].Legal {
		t.Errorf("yaml: %+v %v", y, err)
	}
}

// FuzzFrontMatter checks that splitting and parsing never panic and that
// every error carries a position.
func FuzzFrontMatter(f *testing.F) {
	for _, s := range []string{"+++\ntitle = \"x\"\n+++\nbody", "---\ntitle: x\n---\n", "# T\n", "+++\n", "---\n: :\n---", "\xef\xbb\xbf+++\r\na=1\r\n+++\r\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		norm, err := Normalize("f.md", src)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "f.md:") {
				t.Fatalf("error without position: %v", err)
			}
			return
		}
		fm, format, _, fmLine, _, err := Split("f.md", norm)
		if err != nil {
			return
		}
		if _, err := ParseFrontMatter("f.md", fm, format, fmLine); err != nil && !strings.HasPrefix(err.Error(), "f.md:") {
			t.Fatalf("error without position: %v", err)
		}
	})
}
