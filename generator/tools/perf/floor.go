package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

// floorMain is `perf floor --dir CONTENT --out DIR`: the least work any
// generator built on goldmark must do. It reads every Markdown file under
// --dir, splits off the front matter (not decoded), converts the body with
// goldmark and its GFM extensions on GOMAXPROCS workers and writes each
// HTML fragment to --out. No templates, no links, no minification.
func floorMain(args []string, stdout, stderr io.Writer) int {
	fset := flag.NewFlagSet("floor", flag.ContinueOnError)
	fset.SetOutput(stderr)
	dir := fset.String("dir", "", "folder of Markdown files (a site's content/)")
	out := fset.String("out", "", "folder to write the HTML into")
	if err := fset.Parse(args); err != nil {
		return 2
	}
	if *dir == "" || *out == "" {
		fmt.Fprintln(stderr, "floor: --dir and --out are required")
		return 2
	}
	n, err := Floor(*dir, *out)
	if err != nil {
		fmt.Fprintf(stderr, "floor: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "converted %d files\n", n)
	return 0
}

// Floor converts every .md file under dir into out and returns how many.
func Floor(dir, out string) (int, error) {
	var files []string
	dirs := map[string]bool{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !strings.HasSuffix(p, ".md") {
			return nil
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		files = append(files, rel)
		dirs[filepath.Dir(rel)] = true
		return nil
	})
	if err != nil {
		return 0, err
	}
	for d := range dirs {
		if err := os.MkdirAll(filepath.Join(out, d), 0o755); err != nil {
			return 0, err
		}
	}
	var (
		next    atomic.Int64
		wg      sync.WaitGroup
		errOnce sync.Once
		first   error
	)
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			md := goldmark.New(goldmark.WithExtensions(extension.GFM))
			var buf bytes.Buffer
			for {
				i := int(next.Add(1) - 1)
				if i >= len(files) {
					return
				}
				src, err := os.ReadFile(filepath.Join(dir, files[i]))
				if err == nil {
					buf.Reset()
					err = md.Convert(splitFrontMatter(src), &buf)
				}
				if err == nil {
					err = os.WriteFile(filepath.Join(out, strings.TrimSuffix(files[i], ".md")+".html"), buf.Bytes(), 0o644)
				}
				if err != nil {
					errOnce.Do(func() { first = fmt.Errorf("%s: %w", files[i], err) })
					return
				}
			}
		}()
	}
	wg.Wait()
	return len(files), first
}

// splitFrontMatter returns the body after TOML (+++) or YAML (---) front
// matter; the front matter itself is not decoded.
func splitFrontMatter(src []byte) []byte {
	for _, delim := range []string{"+++", "---"} {
		if !bytes.HasPrefix(src, []byte(delim+"\n")) {
			continue
		}
		rest := src[len(delim)+1:]
		for off := 0; off < len(rest); {
			nl := bytes.IndexByte(rest[off:], '\n')
			line := rest[off:]
			if nl >= 0 {
				line = rest[off : off+nl]
			}
			if string(bytes.TrimRight(line, " \t\r")) == delim {
				if nl < 0 {
					return nil
				}
				return rest[off+nl+1:]
			}
			if nl < 0 {
				break
			}
			off += nl + 1
		}
	}
	return src
}
