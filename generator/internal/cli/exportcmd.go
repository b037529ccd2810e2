package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/qorgau/qorgau/generator/internal/config"
	"github.com/qorgau/qorgau/generator/internal/diag"
	"github.com/qorgau/qorgau/generator/internal/export"
	"github.com/qorgau/qorgau/generator/internal/paths"
	"github.com/qorgau/qorgau/generator/internal/site"
)

func runExport(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("export", "export --out FILE.zip [--source DIR] [--lang kk,ru,en]", stderr)
	source := fs.String("source", ".", "the site's folder (with config.toml)")
	out := fs.String("out", "", "the zip file to write (required)")
	langs := fs.String("lang", "", "languages to include, comma-separated (default: all)")
	if code := parseFlags(fs, args, stdout); code >= 0 {
		return code
	}
	if *out == "" || !strings.HasSuffix(strings.ToLower(*out), ".zip") {
		fmt.Fprintln(stderr, "export: --out FILE.zip is required")
		fs.Usage()
		return exitUsage
	}
	if _, err := os.Stat(filepath.Join(*source, "config.toml")); err != nil {
		fmt.Fprintf(stderr, "qorgau: %s has no config.toml: run in the site's folder or pass --source DIR\n", *source)
		return exitContent
	}
	var list []string
	if *langs != "" {
		list = strings.Split(*langs, ",")
	}
	// Write next to the target and rename, so a failed export leaves no half zip.
	tmp, err := os.CreateTemp(filepath.Dir(*out), ".export-*.zip")
	if err != nil {
		fmt.Fprintf(stderr, "qorgau: %v\n", err)
		return exitContent
	}
	defer os.Remove(tmp.Name())
	res, err := export.Write(ctx, tmp, export.Options{Site: site.Options{Source: os.DirFS(*source), CacheDir: filepath.Join(*source, paths.Cache)}, Langs: list})
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if res != nil {
		printDiagnostics(stderr, res.Diagnostics, false)
	}
	if err != nil {
		if errs := diag.Errors(nil); errors.As(err, &errs) {
			fmt.Fprintf(stderr, "qorgau: export failed with %d error(s); no zip was written\n", len(errs))
		} else {
			fmt.Fprintf(stderr, "qorgau: export failed: %v\n", err)
		}
		if ule := (*config.UnknownLanguageError)(nil); errors.As(err, &ule) {
			return exitUsage
		}
		return exitContent
	}
	if err := os.Rename(tmp.Name(), *out); err != nil {
		fmt.Fprintf(stderr, "qorgau: %v\n", err)
		return exitContent
	}
	info, _ := os.Stat(*out)
	fmt.Fprintf(stdout, "Exported %s (%d files, %.1f MB): unzip it and open index.html.\n", *out, res.Files+1, float64(info.Size())/1e6)
	return exitOK
}
