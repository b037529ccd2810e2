package site

import (
	"context"
	"errors"
	"io/fs"
	"path"
	"sort"
	"strings"

	"github.com/qorgau/qorgau/generator/internal/config"
	"github.com/qorgau/qorgau/generator/internal/content"
	"github.com/qorgau/qorgau/generator/internal/diag"
	"github.com/qorgau/qorgau/generator/internal/images"
	"github.com/qorgau/qorgau/generator/internal/markdown"
)

// copyFiles copies the theme's static/ then the site's static/ (the site's
// file wins), and the resources of sections and page bundles but those in
// skip. Images lose the metadata cameras write (Strip). It returns what it
// copied: output path -> source file.
func copyFiles(ctx context.Context, fsys fs.FS, s *content.Site, cfg *config.Config, skip map[string]bool, k *sink, diags *diag.List) map[string]string {
	files := map[string]string{} // output path -> source path
	for _, dir := range []string{path.Join("themes", cfg.Theme, "static"), "static"} {
		_ = fs.WalkDir(fsys, dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				if !errors.Is(err, fs.ErrNotExist) {
					diags.Add(diag.At(p, 0, 0, "check permissions", "cannot read: %v", err))
				}
				return nil
			}
			if content.Ignored(d.Name()) && p != dir {
				if d.IsDir() {
					return fs.SkipDir
				}
				return nil
			}
			if !d.IsDir() {
				files[strings.TrimPrefix(p, dir+"/")] = p
			}
			return nil
		})
	}
	for _, p := range s.Pages {
		for _, res := range p.Resources {
			if !skip[res] {
				files[p.ResourceOut(res)] = res
			}
		}
	}
	keys := make([]string, 0, len(files))
	for key := range files {
		keys = append(keys, key)
	}
	sort.Strings(keys)
	parallel(ctx, len(keys), func(i int) {
		out, src := keys[i], files[keys[i]]
		data, err := fs.ReadFile(fsys, src)
		if err == nil && images.IsImage(src) {
			// A photo must never tell where it was taken: what a camera
			// wrote into the file goes, the pixels stay as they are.
			data, err = images.Strip(images.Extensions[strings.ToLower(path.Ext(src))], data)
			if err != nil {
				err = diag.At(src, 0, 0, "open it in an image editor and save it again", "the image cannot be published without its camera data: %v", err).WithKind(markdown.KindImage)
			}
		}
		if err == nil {
			err = k.write(out, data, src)
		}
		if err != nil {
			diags.AddErr(src, err)
		}
	})
	return files
}

// keepCopies puts the last build's copied files into k as they were; false
// when one of them is gone or taken.
func (s *Session) keepCopies(k *sink) bool {
	for out := range s.copies {
		if _, ok := s.files.Get(out); !ok || k.claimed(out) {
			return false
		}
	}
	for out, src := range s.copies {
		c, _ := s.files.Get(out)
		if err := k.claim(out, src); err != nil {
			return false
		}
		_ = k.putContent(out, c)
	}
	return true
}

// pictureOnly are the page resources that pages show only as processed
// pictures, never link to: the build writes their resized files, and the
// original (often megabytes) stays out of the output.
func pictureOnly(s *content.Site, bodies *content.Bodies, pics *pictures, rel func(string) string) map[string]bool {
	skip := map[string]bool{}
	linked := map[string]bool{}
	for _, p := range s.Pages {
		b := bodies.Of(p)
		for _, pic := range b.Pictures {
			if _, ok := s.ResourceOut(pic.URL); ok {
				skip[pic.URL] = true
			}
		}
		for _, l := range b.Links {
			linked[l.URL] = true
		}
		if p.Cover != "" && pics != nil {
			if src, _, ok := pics.source(p.File, p.Cover); ok && strings.HasPrefix(src, content.Dir+"/") {
				if pr, err := pics.store.probe(pics.fsys, src, pics.opts); err == nil && pr.info.Processable() {
					skip[src] = true
				}
			}
		}
	}
	for src := range skip {
		if out, ok := s.ResourceOut(src); ok && linked[rel("/"+out)] {
			delete(skip, src)
		}
	}
	return skip
}

// onlyMarkdown reports whether every changed content file is Markdown (a
// page bundle's image is copied, not rendered).
func onlyMarkdown(changed map[string]bool) bool {
	for f := range changed {
		if !strings.HasSuffix(f, ".md") {
			return false
		}
	}
	return true
}
