package content

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/pelletier/go-toml/v2"
	"github.com/pelletier/go-toml/v2/unstable"
	"go.yaml.in/yaml/v3"

	"github.com/qorgau/qorgau/generator/internal/config"
)

// Field is a top-level front matter field to set, as a form gives it: a
// string, bool, int, Date, []string, a list of tables ([]map[string]any,
// such as [[quiz]]), or nil to remove the field.
type Field struct {
	Key   string
	Value any
}

// Date is a day written as 2006-01-02, as front matter dates are.
type Date string

// SetFields returns a Markdown file with top-level front matter fields set
// and, when body is not nil, its body replaced. Only the lines of the
// fields it sets change: comments, order and formatting of every other
// field stay, and so do line endings and a byte order mark. It parses the
// result and returns ErrUnsafeEdit when it would not parse or when any
// other field would change. It is the workbench's writer; EditFrontMatter
// is the one for single strings inside tables.
func SetFields(src []byte, fields []Field, body []byte) ([]byte, error) {
	bom := bytes.HasPrefix(src, []byte("\xef\xbb\xbf"))
	crlf := bytes.Contains(src, []byte("\r\n"))
	norm, err := Normalize("", src)
	if err != nil {
		return nil, err
	}
	fm, format, oldBody, _, _, err := Split("", norm)
	if err != nil {
		return nil, err
	}
	if format == NoFrontMatter {
		format = TOML
	}
	out := append([]byte(nil), fm...)
	for _, f := range fields {
		if format == YAML {
			out, err = setYAMLField(out, f)
		} else {
			out, err = setTOMLField(out, f)
		}
		if err != nil {
			return nil, fmt.Errorf("%w: %s: %v", ErrUnsafeEdit, f.Key, err)
		}
	}
	if err := sameBut(fm, out, format, fields); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrUnsafeEdit, err)
	}
	if body == nil {
		body = oldBody
	}
	delim := "+++\n"
	if format == YAML {
		delim = "---\n"
	}
	var b bytes.Buffer
	b.WriteString(delim)
	b.Write(out)
	if len(out) > 0 && out[len(out)-1] != '\n' {
		b.WriteByte('\n')
	}
	b.WriteString(delim)
	b.Write(bytes.ReplaceAll(body, []byte("\r\n"), []byte("\n")))
	res := b.Bytes()
	if crlf {
		res = bytes.ReplaceAll(res, []byte("\n"), []byte("\r\n"))
	}
	if bom {
		res = append([]byte("\xef\xbb\xbf"), res...)
	}
	return res, nil
}

// encodeField writes one field as the format writes it: "key = value" or
// [[key]] tables in TOML, "key: value" in YAML.
func encodeField(f Field, format Format) ([]byte, error) {
	if f.Value == nil {
		return nil, nil
	}
	if !validText(f.Value) {
		return nil, errors.New("the text is not valid UTF-8")
	}
	if d, ok := f.Value.(Date); ok {
		t, err := time.Parse("2006-01-02", string(d))
		if err != nil {
			return nil, fmt.Errorf("%q is not a date like 2026-12-01", string(d))
		}
		if format == YAML {
			f.Value = &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!timestamp", Value: string(d)}
		} else {
			f.Value = toml.LocalDate{Year: t.Year(), Month: int(t.Month()), Day: t.Day()}
		}
	}
	if format == YAML {
		return yaml.Marshal(map[string]any{f.Key: f.Value})
	}
	var b bytes.Buffer
	enc := toml.NewEncoder(&b)
	enc.SetArraysMultiline(false)
	if err := enc.Encode(map[string]any{f.Key: f.Value}); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// validText reports whether every string in a field's value is UTF-8.
func validText(v any) bool {
	switch v := v.(type) {
	case string:
		return utf8.ValidString(v)
	case []string:
		for _, s := range v {
			if !utf8.ValidString(s) {
				return false
			}
		}
	case []map[string]any:
		for _, m := range v {
			for k, x := range m {
				if !utf8.ValidString(k) || !validText(x) {
					return false
				}
			}
		}
	}
	return true
}

// setTOMLField replaces the lines of a top-level key (or every [[key]]
// table) with the field as encoded, or adds it: a key before the first
// table, tables at the end.
func setTOMLField(fm []byte, f Field) ([]byte, error) {
	enc, err := encodeField(f, TOML)
	if err != nil {
		return nil, err
	}
	tables := bytes.HasPrefix(enc, []byte("[["))
	var p unstable.Parser
	p.Reset(fm)
	var spans []span
	firstTable, open := -1, -1 // start of the first table; start of an open [[key]] block
	inRoot := true
	for p.NextExpression() {
		x := p.Expression()
		switch x.Kind {
		case unstable.Table, unstable.ArrayTable:
			parts, first := config.KeyOf(x)
			at := lineStart(fm, int(first.Raw.Offset))
			if firstTable < 0 {
				firstTable = at
			}
			if open >= 0 {
				spans = append(spans, span{open, at})
				open = -1
			}
			inRoot = false
			if len(parts) == 1 && parts[0] == f.Key {
				if x.Kind == unstable.Table {
					return nil, errors.New("is written as a table; edit it in a text editor")
				}
				open = at
			}
		case unstable.KeyValue:
			parts, first := config.KeyOf(x)
			if inRoot && len(parts) > 0 && parts[0] == f.Key {
				if len(parts) > 1 {
					return nil, errors.New("is written with dotted keys; edit it in a text editor")
				}
				v := x.Value()
				end := int(v.Raw.Offset + v.Raw.Length)
				rest := bytes.TrimSpace(fm[end:lineEnd(fm, end)])
				if len(rest) > 0 && rest[0] == '#' && bytes.Count(enc, []byte("\n")) == 1 {
					enc = append(append(enc[:len(enc)-1:len(enc)-1], ' '), append(rest, '\n')...) // its comment stays
				}
				spans = append(spans, span{lineStart(fm, int(first.Raw.Offset)), lineEnd(fm, end)})
			}
		}
	}
	if err := p.Error(); err != nil {
		return nil, err
	}
	if open >= 0 {
		spans = append(spans, span{open, len(fm)})
	}
	return placeTOML(fm, enc, tables, spans, firstTable), nil
}

// span is a stretch of lines of a front matter.
type span struct{ from, to int }

// placeTOML writes an encoded field where its old lines were (the first
// of them; the others go), or adds it: a key before the first table,
// tables at the end.
func placeTOML(fm, enc []byte, tables bool, spans []span, firstTable int) []byte {
	if len(spans) == 0 {
		switch {
		case len(enc) == 0:
			return fm
		case tables || firstTable < 0:
			out := bytes.TrimRight(fm, "\n")
			if len(out) > 0 {
				out = append(out, '\n')
				if tables {
					out = append(out, '\n')
				}
			}
			return append(out, enc...)
		default:
			return splice(fm, firstTable, firstTable, string(enc))
		}
	}
	// The new text goes where the first old one was; the others go.
	out := append([]byte(nil), fm[:spans[0].from]...)
	if tables && len(enc) > 0 && spans[0].to < len(fm) {
		enc = append(enc, '\n')
	}
	out = append(out, enc...)
	for i, s := range spans {
		end := len(fm)
		if i+1 < len(spans) {
			end = spans[i+1].from
		}
		out = append(out, fm[s.to:end]...)
	}
	return out
}

// setYAMLField replaces a top-level key's lines, from its key to the next
// top-level key, with the field as encoded, or adds it at the end.
func setYAMLField(fm []byte, f Field) ([]byte, error) {
	enc, err := encodeField(f, YAML)
	if err != nil {
		return nil, err
	}
	var doc yaml.Node
	if len(bytes.TrimSpace(fm)) > 0 {
		if err := yaml.Unmarshal(fm, &doc); err != nil {
			return nil, err
		}
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return append(append(bytes.TrimRight(fm, "\n"), '\n'), enc...), nil
	}
	m := doc.Content[0]
	if m.Style&yaml.FlowStyle != 0 {
		return nil, errors.New("the front matter is one flow mapping; edit it in a text editor")
	}
	starts := lineStarts(fm)
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value != f.Key {
			continue
		}
		from := starts[m.Content[i].Line-1]
		to := len(fm)
		if i+2 < len(m.Content) {
			to = starts[m.Content[i+2].Line-1]
		}
		// Comment lines at the left margin before the next key are its.
		for to > from {
			ls := lineStart(fm, to-1)
			if line := fm[ls:to]; len(line) > 0 && line[0] == '#' || len(bytes.TrimSpace(line)) == 0 {
				to = ls
				continue
			}
			break
		}
		return splice(fm, from, to, string(enc)), nil
	}
	out := bytes.TrimRight(fm, "\n")
	if len(out) > 0 {
		out = append(out, '\n')
	}
	return append(out, enc...), nil
}

// sameBut checks that after parses, and decodes as before does with the
// set fields replaced.
func sameBut(before, after []byte, format Format, fields []Field) error {
	want, got, err := decodeBoth(before, after, format)
	if err != nil {
		return err
	}
	decode := func(b []byte) (map[string]any, error) { return decodeFM(b, format) }
	for _, f := range fields {
		delete(want, f.Key)
		enc, err := encodeField(f, format)
		if err != nil {
			return err
		}
		v, err := decode(enc)
		if err != nil {
			return err
		}
		if x, ok := v[f.Key]; ok {
			want[f.Key] = x
		}
	}
	if !reflect.DeepEqual(want, got) {
		var diff []string
		for k := range got {
			if !reflect.DeepEqual(want[k], got[k]) {
				diff = append(diff, k)
			}
		}
		for k := range want {
			if _, ok := got[k]; !ok {
				diff = append(diff, k)
			}
		}
		return fmt.Errorf("fields would change that were not edited: %s", strings.Join(diff, ", "))
	}
	if _, err := ParseFrontMatter("", after, format, 1); err != nil {
		if _, errBefore := ParseFrontMatter("", before, format, 1); errBefore == nil {
			return fmt.Errorf("the edited front matter would not be valid: %v", err)
		}
	}
	return nil
}

// decodeFM decodes a front matter into a map, for comparing documents.
func decodeFM(b []byte, format Format) (map[string]any, error) {
	m := map[string]any{}
	if len(bytes.TrimSpace(b)) == 0 {
		return m, nil
	}
	if format == YAML {
		return m, yaml.Unmarshal(b, &m)
	}
	return m, toml.Unmarshal(b, &m)
}

// decodeBoth decodes a front matter before and after an edit.
func decodeBoth(before, after []byte, format Format) (old, cur map[string]any, err error) {
	if old, err = decodeFM(before, format); err != nil {
		return nil, nil, fmt.Errorf("the front matter does not parse now: %v", err)
	}
	if cur, err = decodeFM(after, format); err != nil {
		return nil, nil, fmt.Errorf("the edited front matter would not parse: %v", err)
	}
	return old, cur, nil
}
