// Package data reads a site's data files for templates: data/*.toml,
// *.yaml, *.yml and *.json, in folders, as nested maps (data/help/services.toml
// is .Site.Data.help.services), and data/<lang>/ for one language, merged
// over the shared files key by key. Errors carry the file's line and column.
package data

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"path"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/qorgau/qorgau/generator/internal/config"
	"github.com/qorgau/qorgau/generator/internal/content"
	"github.com/qorgau/qorgau/generator/internal/diag"
	"github.com/qorgau/qorgau/generator/internal/paths"
)

// Load reads the data folder dir (paths.Data, or the config's dataDir)
// from fsys and returns each language's data: the shared files with the
// language's own merged over them. A missing folder is no error; every bad
// file is reported, and the others are still read.
func Load(fsys fs.FS, dir string, langs []string) (map[string]map[string]any, error) {
	shared := map[string]any{}
	own := map[string]map[string]any{}
	for _, l := range langs {
		own[l] = map[string]any{}
	}
	var errs diag.Errors
	err := fs.WalkDir(fsys, dir, func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) && name == dir {
				return fs.SkipDir
			}
			return err
		}
		rel := strings.TrimPrefix(name, dir+"/")
		if d.IsDir() || name == dir || paths.Ignored(d.Name()) {
			if d.IsDir() && name != dir && paths.Ignored(d.Name()) {
				return fs.SkipDir
			}
			return nil
		}
		ext := path.Ext(rel)
		if !slices.Contains([]string{".toml", ".yaml", ".yml", ".json"}, ext) {
			return nil
		}
		v, err := decode(fsys, name, ext)
		if err != nil {
			var de diag.Errors
			var d1 *diag.Diagnostic
			if errors.As(err, &de) {
				errs = append(errs, de...)
			} else if errors.As(err, &d1) {
				errs = append(errs, d1)
			} else {
				errs = append(errs, diag.At(name, 0, 0, "", "%v", err))
			}
			return nil
		}
		into := shared
		keys := strings.Split(strings.TrimSuffix(rel, ext), "/")
		if m, ok := own[keys[0]]; ok && len(keys) > 1 {
			into, keys = m, keys[1:]
		}
		if err := place(into, keys, v); err != nil {
			errs = append(errs, diag.At(name, 1, 1, "rename the file or the folder", "%v", err))
		}
		return nil
	})
	if err != nil {
		errs = append(errs, diag.At(dir, 0, 0, "", "cannot read the data files: %v", err))
	}
	out := make(map[string]map[string]any, len(langs))
	for _, l := range langs {
		out[l] = merge(clone(shared), own[l])
	}
	if len(errs) > 0 {
		diag.Sort(errs)
		return out, errs
	}
	return out, nil
}

// decode reads one file into a value: a table for TOML, anything for
// YAML and JSON.
func decode(fsys fs.FS, name, ext string) (any, error) {
	src, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, err
	}
	src = bytes.TrimPrefix(src, []byte("\xef\xbb\xbf"))
	switch ext {
	case ".toml":
		var v map[string]any
		if err := config.DecodeTOML(name, src, 0, &v); err != nil {
			return nil, err
		}
		return v, nil
	case ".json":
		var v any
		if err := json.Unmarshal(src, &v); err != nil {
			line, col := 1, 1
			var se *json.SyntaxError
			var te *json.UnmarshalTypeError
			switch {
			case errors.As(err, &se):
				line, col = position(src, se.Offset)
			case errors.As(err, &te):
				line, col = position(src, te.Offset)
			}
			return nil, diag.At(name, line, col, "check the JSON syntax", "%v", err)
		}
		return v, nil
	default:
		var v any
		if err := yaml.Unmarshal(src, &v); err != nil {
			return nil, content.YAMLError(name, err, 0)
		}
		return v, nil
	}
}

// position is the line and column of a byte offset.
func position(src []byte, offset int64) (int, int) {
	offset = min(max(offset, 0), int64(len(src)))
	before := src[:offset]
	line := bytes.Count(before, []byte("\n")) + 1
	col := len(before) - bytes.LastIndexByte(before, '\n')
	return line, col
}

// place puts v at keys in m, making the folders' maps on the way.
func place(m map[string]any, keys []string, v any) error {
	for i, k := range keys[:len(keys)-1] {
		next, ok := m[k].(map[string]any)
		if !ok {
			if _, taken := m[k]; taken {
				return fmt.Errorf("%q is both a file and a folder of data/", strings.Join(keys[:i+1], "/"))
			}
			next = map[string]any{}
			m[k] = next
		}
		m = next
	}
	last := keys[len(keys)-1]
	if old, ok := m[last]; ok {
		om, ok1 := old.(map[string]any)
		vm, ok2 := v.(map[string]any)
		if !ok1 || !ok2 {
			return fmt.Errorf("%q is given by two files (e.g. .toml and .yaml)", strings.Join(keys, "/"))
		}
		m[last] = merge(om, vm)
		return nil
	}
	m[last] = v
	return nil
}

// merge puts over's keys over base's, tables key by key, and returns base.
func merge(base, over map[string]any) map[string]any {
	for k, v := range over {
		bm, ok1 := base[k].(map[string]any)
		vm, ok2 := v.(map[string]any)
		if ok1 && ok2 {
			base[k] = merge(clone(bm), vm)
			continue
		}
		base[k] = v
	}
	return base
}

// clone copies a tree of tables, so languages do not share what merging
// changes.
func clone(m map[string]any) map[string]any {
	out := maps.Clone(m)
	for k, v := range out {
		if vm, ok := v.(map[string]any); ok {
			out[k] = clone(vm)
		}
	}
	return out
}
