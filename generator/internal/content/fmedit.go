package content

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"

	"github.com/pelletier/go-toml/v2/unstable"
	"github.com/qorgau/qorgau/generator/internal/config"
	"go.yaml.in/yaml/v3"
)

// FieldEdit sets one string field of a front matter table, such as
// {Table: "translation", Key: "sourceHash", Value: "5b8b…"}.
type FieldEdit struct {
	Table string // a top-level table ("translation"); "" for a top-level field
	Key   string
	Value string
}

// ErrUnsafeEdit is returned by EditFrontMatter when the edited file would
// not parse, or would change anything but the edited fields; nothing
// should be written then.
var ErrUnsafeEdit = errors.New("the edit would damage the front matter")

// EditFrontMatter returns a Markdown file with string fields of its front
// matter set, changing only the bytes of those values (or adding them where
// they are missing) and keeping comments, order, formatting, line endings
// and byte order mark of everything else. It understands TOML tables,
// dotted keys and inline tables, and YAML block and flow mappings with
// comments. It parses the result again and returns ErrUnsafeEdit if it
// would not parse or if any other field would change.
func EditFrontMatter(src []byte, edits []FieldEdit) ([]byte, error) {
	bom := bytes.HasPrefix(src, []byte("\xef\xbb\xbf"))
	crlf := bytes.Contains(src, []byte("\r\n"))
	norm, err := Normalize("", src)
	if err != nil {
		return nil, err
	}
	fm, format, body, _, _, err := Split("", norm)
	if err != nil {
		return nil, err
	}
	if format == NoFrontMatter {
		format = TOML
	}
	out := append([]byte(nil), fm...)
	for _, e := range edits {
		switch format {
		case TOML:
			out, err = setTOML(out, e)
		case YAML:
			out, err = setYAML(out, e)
		}
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrUnsafeEdit, err)
		}
	}
	if err := sameExcept(fm, out, format, edits); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrUnsafeEdit, err)
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
	b.Write(body)
	res := b.Bytes()
	if crlf {
		res = bytes.ReplaceAll(res, []byte("\n"), []byte("\r\n"))
	}
	if bom {
		res = append([]byte("\xef\xbb\xbf"), res...)
	}
	return res, nil
}

// tomlPlace is where a TOML document writes a table's keys.
type tomlPlace struct {
	value      *unstable.Range // the value of the key itself, when written
	table      bool            // a [table] header exists
	tableEnd   int             // offset after the table's last line
	dotted     int             // offset after the last "table.key = …" line at the root, or -1
	inlineEnd  int             // offset of the closing brace of "table = { … }", or -1
	inlineLast bool            // the inline table has entries
}

// findTOML looks for e's key in a TOML front matter.
func findTOML(fm []byte, e FieldEdit) (tomlPlace, error) {
	pl := tomlPlace{dotted: -1, inlineEnd: -1, tableEnd: len(fm)}
	var p unstable.Parser
	p.Reset(fm)
	var prefix []string
	inTable := false
	for p.NextExpression() {
		x := p.Expression()
		switch x.Kind {
		case unstable.Table, unstable.ArrayTable:
			var first *unstable.Node
			prefix, first = config.KeyOf(x)
			was := inTable
			inTable = x.Kind == unstable.Table && strings.Join(prefix, ".") == e.Table
			if was && !inTable {
				pl.tableEnd = lineStart(fm, int(first.Raw.Offset)) // the header's line
			}
			if inTable {
				pl.table = true
			}
		case unstable.KeyValue:
			parts, _ := config.KeyOf(x)
			full := append(append([]string(nil), prefix...), parts...)
			v := x.Value()
			if strings.Join(full, ".") == join(e.Table, e.Key) && v.Kind == unstable.String {
				r := v.Raw
				pl.value = &r
			}
			if len(prefix) == 0 && e.Table != "" && len(parts) > 1 && parts[0] == e.Table {
				pl.dotted = lineEnd(fm, int(x.Raw.Offset+x.Raw.Length))
			}
			if len(full) == 1 && full[0] == e.Table && v.Kind == unstable.InlineTable {
				if end := bytes.LastIndexByte(p.Raw(x.Raw), '}'); end >= 0 {
					pl.inlineEnd = int(x.Raw.Offset) + end
				}
				it := v.Children()
				pl.inlineLast = it.Next()
				inlineValue(&p, v, e.Key, &pl)
			}
		}
	}
	return pl, p.Error()
}

// inlineValue finds key among an inline table's entries.
func inlineValue(p *unstable.Parser, v *unstable.Node, key string, pl *tomlPlace) {
	it := v.Children()
	for it.Next() {
		kv := it.Node()
		parts, _ := config.KeyOf(kv)
		if len(parts) == 1 && parts[0] == key && kv.Value().Kind == unstable.String {
			r := kv.Value().Raw
			pl.value = &r
		}
	}
}

// setTOML sets one field of a TOML front matter.
func setTOML(fm []byte, e FieldEdit) ([]byte, error) {
	pl, err := findTOML(fm, e)
	if err != nil {
		return nil, err
	}
	q := strconv.Quote(e.Value)
	switch {
	case pl.value != nil:
		return splice(fm, int(pl.value.Offset), int(pl.value.Offset+pl.value.Length), q), nil
	case e.Table == "":
		return splice(fm, 0, 0, e.Key+" = "+q+"\n"), nil
	case pl.inlineEnd >= 0:
		sep := " "
		if pl.inlineLast {
			sep = ", "
		}
		before := bytes.TrimRight(fm[:pl.inlineEnd], " ")
		return splice(fm, len(before), pl.inlineEnd, sep+e.Key+" = "+q+" "), nil
	case pl.dotted >= 0:
		return splice(fm, pl.dotted, pl.dotted, e.Table+"."+e.Key+" = "+q+"\n"), nil
	case pl.table:
		at := lastContentLine(fm, pl.tableEnd)
		line := e.Key + " = " + q + "\n"
		if at > 0 && fm[at-1] != '\n' {
			line = "\n" + line
		}
		return splice(fm, at, at, line), nil
	}
	out := bytes.TrimRight(fm, "\n")
	if len(out) > 0 {
		out = append(out, "\n\n"...)
	}
	return append(out, "["+e.Table+"]\n"+e.Key+" = "+q+"\n"...), nil
}

// setYAML sets one field of a YAML front matter.
func setYAML(fm []byte, e FieldEdit) ([]byte, error) {
	var doc yaml.Node
	if len(bytes.TrimSpace(fm)) > 0 {
		if err := yaml.Unmarshal(fm, &doc); err != nil {
			return nil, err
		}
	}
	starts := lineStarts(fm)
	q := strconv.Quote(e.Value)
	var root *yaml.Node
	if len(doc.Content) > 0 {
		root = doc.Content[0]
	}
	parent := root
	if e.Table != "" {
		parent = mappingValue(root, e.Table)
	}
	if parent == nil {
		if e.Table == "" {
			return append(bytes.TrimRight(fm, "\n"), "\n"+e.Key+": "+q+"\n"...), nil
		}
		out := bytes.TrimRight(fm, "\n")
		if len(out) > 0 {
			out = append(out, '\n')
		}
		return append(out, e.Table+":\n  "+e.Key+": "+q+"\n"...), nil
	}
	if parent.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("%s is not a mapping", e.Table)
	}
	if v := mappingValue(parent, e.Key); v != nil {
		if v.Kind != yaml.ScalarNode || v.Line < 1 || v.Line > len(starts) {
			return nil, fmt.Errorf("%s is not a plain value", join(e.Table, e.Key))
		}
		start := starts[v.Line-1] + runeOffset(fm[starts[v.Line-1]:], v.Column-1)
		end := scalarEnd(fm, start, v)
		if end < 0 {
			return nil, fmt.Errorf("cannot find where %s ends", join(e.Table, e.Key))
		}
		return splice(fm, start, end, q), nil
	}
	if parent.Style&yaml.FlowStyle != 0 {
		line := starts[parent.Line-1]
		end := bytes.IndexByte(fm[line:], '}')
		if end < 0 {
			return nil, fmt.Errorf("cannot find the end of %s", e.Table)
		}
		sep := ", "
		if len(parent.Content) == 0 {
			sep = ""
		}
		return splice(fm, line+end, line+end, sep+e.Key+": "+q), nil
	}
	last := parent.Content[len(parent.Content)-1]
	indent := strings.Repeat(" ", parent.Content[0].Column-1)
	at := lineEndOf(fm, starts, lastLine(last))
	return splice(fm, at, at, indent+e.Key+": "+q+"\n"), nil
}

// scalarEnd finds where a scalar written at start ends: after its closing
// quote, or after its plain text.
func scalarEnd(fm []byte, start int, v *yaml.Node) int {
	switch {
	case v.Style&yaml.DoubleQuotedStyle != 0, v.Style&yaml.SingleQuotedStyle != 0:
		quote := fm[start]
		for i := start + 1; i < len(fm); i++ {
			if fm[i] == '\\' && quote == '"' {
				i++
				continue
			}
			if fm[i] == quote {
				if quote == '\'' && i+1 < len(fm) && fm[i+1] == '\'' {
					i++
					continue
				}
				return i + 1
			}
		}
		return -1
	case v.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0:
		return -1
	}
	if bytes.HasPrefix(fm[start:], []byte(v.Value)) {
		return start + len(v.Value)
	}
	return -1
}

// mappingValue returns the value of key in a mapping node, or nil.
func mappingValue(m *yaml.Node, key string) *yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

// lastLine is the last line a node's text is on.
func lastLine(n *yaml.Node) int {
	line := n.Line
	for _, c := range n.Content {
		if l := lastLine(c); l > line {
			line = l
		}
	}
	return line
}

// lineEndOf is the offset after line (1-based) of fm.
func lineEndOf(fm []byte, starts []int, line int) int {
	if line >= len(starts) {
		return len(fm)
	}
	return starts[line]
}

// sameExcept parses the front matter before and after an edit and checks
// that the result parses and differs only in the edited fields.
func sameExcept(before, after []byte, format Format, edits []FieldEdit) error {
	old, cur, err := decodeBoth(before, after, format)
	if err != nil {
		return err
	}
	if _, err := ParseFrontMatter("", after, format, 1); err != nil {
		if _, errBefore := ParseFrontMatter("", before, format, 1); errBefore == nil {
			return fmt.Errorf("the edited front matter would not be valid: %v", err)
		}
	}
	for _, e := range edits {
		for i, m := range []map[string]any{old, cur} {
			t := m
			if e.Table != "" {
				t, _ = m[e.Table].(map[string]any)
			}
			if t == nil {
				continue
			}
			if i == 1 && t[e.Key] != e.Value {
				return fmt.Errorf("%s would be %v, not %q", join(e.Table, e.Key), t[e.Key], e.Value)
			}
			delete(t, e.Key)
			if e.Table != "" && len(t) == 0 {
				delete(m, e.Table)
			}
		}
	}
	if !reflect.DeepEqual(old, cur) {
		return errors.New("other fields would change")
	}
	return nil
}

func join(table, key string) string {
	if table == "" {
		return key
	}
	return table + "." + key
}

// splice replaces b[from:to] with s.
func splice(b []byte, from, to int, s string) []byte {
	out := make([]byte, 0, len(b)+len(s))
	out = append(out, b[:from]...)
	out = append(out, s...)
	return append(out, b[to:]...)
}

// lineStart is the offset of the start of the line holding off.
func lineStart(b []byte, off int) int { return bytes.LastIndexByte(b[:off], '\n') + 1 }

// lineEnd is the offset after the line holding off.
func lineEnd(b []byte, off int) int {
	if i := bytes.IndexByte(b[off:], '\n'); i >= 0 {
		return off + i + 1
	}
	return len(b)
}

// lastContentLine is the offset after the last line before end that is not
// blank or a comment: where a table's next key goes.
func lastContentLine(b []byte, end int) int {
	at := end
	for at > 0 {
		ls := lineStart(b, at-1)
		line := bytes.TrimSpace(b[ls:at])
		if len(line) > 0 && line[0] != '#' {
			return at
		}
		at = ls
	}
	return end
}
