package check

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/qorgau/qorgau/generator/internal/config"
	"github.com/qorgau/qorgau/generator/internal/content"
	"github.com/qorgau/qorgau/generator/internal/diag"
)

// MarkSynced records in a translation's front matter that it is up to date
// with its original: [translation] original = "<lang>" and sourceHash =
// the original's current text hash. root is the site's folder; file is the
// translation, relative to root or absolute. It returns the original's path.
func MarkSynced(ctx context.Context, root, file string) (string, error) {
	abs, err := filepath.Abs(file)
	if err != nil {
		return "", err
	}
	rootAbs, _ := filepath.Abs(root)
	rel, err := filepath.Rel(rootAbs, abs)
	if err != nil || strings.HasPrefix(rel, "..") {
		if rel2, err2 := filepath.Rel(rootAbs, filepath.Join(rootAbs, file)); err2 == nil {
			rel, abs = rel2, filepath.Join(rootAbs, file)
		}
	}
	rel = filepath.ToSlash(rel)
	fsys := os.DirFS(rootAbs)
	cfg, err := config.Load(fsys)
	if err != nil {
		return "", err
	}
	var diags diag.List
	s := content.Load(ctx, fsys, cfg, content.Options{Drafts: true}, &diags)
	p := s.PageByFile(rel)
	if p == nil {
		return "", fmt.Errorf("%s is not a page of the site in %s", rel, root)
	}
	lang := p.Sync.Original
	if lang == "" {
		lang = OriginalLanguage(cfg)
	}
	if lang == p.Lang {
		return "", fmt.Errorf("%s is in the original language (%s); only translations are synced", rel, lang)
	}
	o := p.Translation(lang)
	if o == nil {
		return "", fmt.Errorf("%s has no original in %s", rel, lang)
	}
	src, err := os.ReadFile(abs)
	if err != nil {
		return "", err
	}
	out, err := setSync(src, lang, content.TextHash(o))
	if err != nil {
		return "", fmt.Errorf("%s: %w", rel, err)
	}
	tmp := abs + ".qorgau-tmp"
	if err := os.WriteFile(tmp, out, 0o644); err != nil {
		return "", err
	}
	return o.File, os.Rename(tmp, abs)
}

var tomlTableRe = regexp.MustCompile(`^\s*\[`)

// setSync writes the [translation] record into a file's front matter,
// keeping everything else as it was (line endings and byte order mark too).
func setSync(src []byte, lang, hash string) ([]byte, error) {
	bom := bytes.HasPrefix(src, []byte("\xef\xbb\xbf"))
	crlf := bytes.Contains(src, []byte("\r\n"))
	norm, err := content.Normalize("", src)
	if err != nil {
		return nil, err
	}
	fm, format, body, _, _, err := content.Split("", norm)
	if err != nil {
		return nil, err
	}
	var lines []string
	if len(fm) > 0 {
		lines = strings.Split(strings.TrimSuffix(string(fm), "\n"), "\n")
	}
	var res strings.Builder
	switch format {
	case content.YAML:
		keep := lines[:0:0]
		skip := false
		for _, l := range lines {
			if strings.HasPrefix(l, "translation:") {
				skip = true
				continue
			}
			if skip && (strings.HasPrefix(l, " ") || strings.HasPrefix(l, "\t")) {
				continue
			}
			skip = false
			keep = append(keep, l)
		}
		keep = append(keep, "translation:", "  original: "+lang, "  sourceHash: \""+hash+"\"")
		res.WriteString("---\n" + strings.Join(keep, "\n") + "\n---\n")
	default: // TOML, or no front matter yet
		var keep []string
		in := false
		for _, l := range lines {
			t := strings.TrimSpace(l)
			if tomlTableRe.MatchString(l) {
				in = t == "[translation]"
				if in {
					continue
				}
			}
			if in {
				continue
			}
			keep = append(keep, l)
		}
		for len(keep) > 0 && strings.TrimSpace(keep[len(keep)-1]) == "" {
			keep = keep[:len(keep)-1]
		}
		keep = append(keep, "", "[translation]", "original = \""+lang+"\"", "sourceHash = \""+hash+"\"")
		if len(lines) == 0 {
			keep = keep[1:]
		}
		res.WriteString("+++\n" + strings.Join(keep, "\n") + "\n+++\n")
	}
	res.Write(body)
	out := res.String()
	if crlf {
		out = strings.ReplaceAll(out, "\n", "\r\n")
	}
	if bom {
		out = "\xef\xbb\xbf" + out
	}
	return []byte(out), nil
}
