package main

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/qorgau/qorgau/generator/corpus"
)

func runCorpus(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("corpus", "corpus --out DIR [--pages N] [--langs kk,ru,en] [--sections 4] [--theme DIR]", stderr)
	out := fs.String("out", "", "folder to write the generated site into (required)")
	pages := fs.Int("pages", 1000, "pages per language")
	langs := fs.String("langs", "kk,ru,en", "language codes, comma-separated")
	sections := fs.Int("sections", 4, "sections per language")
	theme := fs.String("theme", filepath.Join("themes", "qorgau"), "theme folder to copy into the corpus")
	seed := fs.Uint64("seed", 1, "random seed; the same seed writes the same corpus")
	if code := parseFlags(fs, args, stdout); code >= 0 {
		return code
	}
	if *out == "" || *pages <= 0 {
		fmt.Fprintln(stderr, "corpus: --out is required and --pages must be positive")
		fs.Usage()
		return exitUsage
	}
	err := corpus.Write(*out, corpus.Options{Pages: *pages, Langs: strings.Split(*langs, ","), Sections: *sections, ThemeDir: *theme, Seed: *seed})
	if err != nil {
		fmt.Fprintf(stderr, "corpus: %v\n", err)
		return exitContent
	}
	fmt.Fprintf(stdout, "Wrote %d pages per language (%s) to %s\n", *pages, *langs, *out)
	return exitOK
}
