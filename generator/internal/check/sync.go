package check

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
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
	out, err := setSync(src, lang, s.TextHash(o))
	if err != nil {
		return "", fmt.Errorf("%s: %w", rel, err)
	}
	orig, err := os.ReadFile(filepath.Join(rootAbs, filepath.FromSlash(o.File)))
	if err != nil {
		return "", err
	}
	// The original as it is now, for showing later what changed since.
	if err := content.SaveSynced(rootAbs, s.TextHash(o), orig); err != nil {
		return "", err
	}
	if err := content.WriteAtomic(abs, out); err != nil {
		return "", err
	}
	keep := map[string]bool{s.TextHash(o): true}
	for _, q := range s.Pages {
		if q != p && q.Sync.SourceHash != "" {
			keep[q.Sync.SourceHash] = true
		}
	}
	return o.File, content.PruneSynced(rootAbs, keep)
}

// setSync writes the [translation] record into a file's front matter,
// changing nothing else (see content.EditFrontMatter).
func setSync(src []byte, lang, hash string) ([]byte, error) {
	return content.EditFrontMatter(src, []content.FieldEdit{
		{Table: "translation", Key: "original", Value: lang},
		{Table: "translation", Key: "sourceHash", Value: hash},
	})
}
