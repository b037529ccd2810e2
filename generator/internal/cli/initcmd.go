package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/qorgau/qorgau/generator/internal/check"
	"github.com/qorgau/qorgau/generator/internal/starter"
)

func runInit(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("init", "init DIR [--langs kk,ru,en] [--title TITLE] [--force]", stderr)
	langs := fs.String("langs", "kk,ru,en", "the site's languages, comma-separated; the first is the default")
	title := fs.String("title", "", "the site's title (default: the folder's name)")
	force := fs.Bool("force", false, "write into a folder that holds other files (never over them)")
	var dir string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		dir, args = args[0], args[1:]
	}
	if code := parseFlags(fs, args, stdout); code >= 0 {
		return code
	}
	if dir == "" && fs.NArg() == 1 {
		dir = fs.Arg(0)
	} else if fs.NArg() > 0 || dir == "" {
		fmt.Fprintln(stderr, "qorgau init: give the new site's folder, e.g. qorgau init my-site --langs kk,ru,en")
		return exitUsage
	}
	if *title == "" {
		abs, _ := filepath.Abs(dir)
		*title = filepath.Base(abs)
	}
	res, err := starter.Write(starter.Options{Dir: dir, Langs: strings.Split(*langs, ","), Title: *title, Force: *force})
	if res != nil {
		for _, f := range res.Created {
			fmt.Fprintf(stdout, "created %s\n", filepath.Join(dir, filepath.FromSlash(f)))
		}
	}
	var le *starter.LangError
	switch {
	case errors.As(err, &le), errors.Is(err, starter.ErrNotEmpty), errors.Is(err, starter.ErrSiteExists):
		fmt.Fprintf(stderr, "qorgau init: %v\n", err)
		return exitUsage
	case err != nil:
		fmt.Fprintf(stderr, "qorgau init: %v\n", err)
		return exitContent
	}
	// The translated starter pages follow this version of their originals.
	for _, f := range res.Translations {
		if _, err := check.MarkSynced(ctx, dir, filepath.Join(dir, filepath.FromSlash(f))); err != nil {
			fmt.Fprintf(stderr, "qorgau init: %v\n", err)
			return exitContent
		}
	}
	fmt.Fprintf(stdout, "\nThe site is ready in %s. To preview it:\n\n  cd %s\n  qorgau serve --open\n", dir, quoteArg(dir))
	if len(res.Warnings) > 0 {
		fmt.Fprintln(stdout, "\nBefore you publish it:")
		for _, w := range res.Warnings {
			fmt.Fprintf(stdout, "  - %s\n", w)
		}
	}
	fmt.Fprintln(stdout, "\nREADME.md in the folder explains the rest.")
	return exitOK
}

// quoteArg quotes a folder for a shell when it has spaces.
func quoteArg(s string) string {
	if strings.ContainsAny(s, " \t'") {
		return `"` + s + `"`
	}
	return s
}
