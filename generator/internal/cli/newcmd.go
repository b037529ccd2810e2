package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/qorgau/qorgau/generator/internal/config"
	"github.com/qorgau/qorgau/generator/internal/content"
)

func runNew(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("new", "new <section>/<name> [--lang kk,ru,en] [--source DIR]", stderr)
	source := fs.String("source", ".", "the site's folder (with config.toml)")
	langs := fs.String("lang", "", "languages to create the lesson in, comma-separated (default: every configured language)")
	// Accept the lesson path before or after the flags.
	var target string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		target, args = args[0], args[1:]
	}
	for _, a := range args {
		if a == "-h" || a == "--help" || a == "-help" {
			fs.SetOutput(stdout)
			fs.Usage()
			return exitOK
		}
	}
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if target == "" && fs.NArg() == 1 {
		target = fs.Arg(0)
	} else if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "unexpected argument %q\n", fs.Arg(0))
		return exitUsage
	}
	target = strings.TrimSuffix(target, ".md")
	parts := strings.Split(target, "/")
	if len(parts) != 2 || !content.ValidName(parts[0]) || !content.ValidName(parts[1]) {
		fmt.Fprintf(stderr, "qorgau new: give the lesson as <section>/<name>, e.g. penalties/new-rules (letters, digits and '-' only)\n")
		return exitUsage
	}
	cfg, err := config.Load(os.DirFS(*source))
	if err != nil {
		fmt.Fprintf(stderr, "%v\n", err)
		return exitContent
	}
	codes := cfg.LanguageOrder
	if *langs != "" {
		codes = strings.Split(*langs, ",")
	}
	created, err := content.NewLesson(*source, cfg, parts[0], parts[1], codes, time.Now())
	for _, f := range created {
		fmt.Fprintf(stdout, "created %s\n", f)
	}
	if ule := (*config.UnknownLanguageError)(nil); errors.As(err, &ule) {
		fmt.Fprintf(stderr, "qorgau new: %v\n", err)
		return exitUsage
	}
	if err != nil {
		fmt.Fprintf(stderr, "qorgau new: %v\n", err)
		return exitContent
	}
	fmt.Fprintln(stdout, "The lesson is a draft: preview it with `qorgau serve --drafts`, then remove draft = true.")
	return exitOK
}
