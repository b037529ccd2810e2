// Command mkcorpus writes a synthetic site of N realistic pages per
// language, for benchmarks: go run ./generator/tools/mkcorpus --out DIR.
// It is a developer tool, not part of the product.
package main

import (
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/qorgau/qorgau/generator/tools/corpus"
)

func main() {
	fs := flag.NewFlagSet("mkcorpus", flag.ExitOnError)
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "Usage: go run ./generator/tools/mkcorpus --out DIR [--pages N] [--langs kk,ru,en] [--sections 4] [--theme DIR] [--seed 1] [--handouts] [--photos N]\n\nFlags:")
		fs.PrintDefaults()
	}
	out := fs.String("out", "", "folder to write the generated site into (required)")
	pages := fs.Int("pages", 1000, "pages per language")
	langs := fs.String("langs", "kk,ru,en", "language codes, comma-separated")
	sections := fs.Int("sections", 4, "sections per language")
	theme := fs.String("theme", "", "theme folder to copy into the corpus (default: none, the built-in theme)")
	seed := fs.Uint64("seed", 1, "random seed; the same seed writes the same corpus")
	handouts := fs.Bool("handouts", false, "leave the PDF handouts on (off by default: the peers compared make none)")
	photos := fs.Int("photos", 0, "add N photos of 4000 × 3000 pixels, three per lesson (the images benchmark)")
	_ = fs.Parse(os.Args[1:])
	if *out == "" || *pages <= 0 || fs.NArg() > 0 {
		fmt.Fprintln(os.Stderr, "mkcorpus: --out is required and --pages must be positive")
		fs.Usage()
		os.Exit(2)
	}
	err := corpus.Write(*out, corpus.Options{Pages: *pages, Langs: strings.Split(*langs, ","), Sections: *sections, ThemeDir: *theme, Seed: *seed, Handouts: *handouts, Photos: *photos})
	if err != nil {
		fmt.Fprintf(os.Stderr, "mkcorpus: %v\n", err)
		os.Exit(1)
	}
	fmt.Printf("Wrote %d pages per language (%s) to %s\n", *pages, *langs, *out)
}
