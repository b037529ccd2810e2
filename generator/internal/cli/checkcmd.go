package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/qorgau/qorgau/generator/internal/check"
	"github.com/qorgau/qorgau/generator/internal/paths"
)

func runCheck(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("check", "check [--source DIR] [--format text|json] [--strict] [--external] | check --mark-synced FILE...", stderr)
	source := fs.String("source", ".", "the site's folder (with config.toml)")
	format := fs.String("format", "text", "text or json")
	strict := fs.Bool("strict", false, "fail on warnings too")
	external := fs.Bool("external", false, "also check external links (10 s timeout each, 4 at a time)")
	markFlag := fs.Bool("mark-synced", false, "record that the translation FILEs are up to date with their originals")
	for _, a := range args {
		if a == "-h" || a == "-help" || a == "--help" {
			fs.SetOutput(stdout)
			fs.Usage()
			return exitOK
		}
	}
	if err := fs.Parse(reorder(args)); err != nil {
		return exitUsage
	}
	if !*markFlag && fs.NArg() > 0 {
		fmt.Fprintf(stderr, "unexpected argument %q\n", fs.Arg(0))
		fs.Usage()
		return exitUsage
	}
	if *markFlag {
		return markSynced(ctx, *source, fs.Args(), stdout, stderr)
	}
	if *format != "text" && *format != "json" {
		fmt.Fprintln(stderr, "check: --format must be text or json")
		return exitUsage
	}
	if _, err := os.Stat(filepath.Join(*source, "config.toml")); err != nil {
		fmt.Fprintf(stderr, "qorgau: %s has no config.toml: run in the site's folder or pass --source DIR\n", *source)
		return exitContent
	}
	opts := check.Options{Source: os.DirFS(*source), CacheDir: filepath.Join(*source, paths.Cache)}
	if *external {
		opts.External = check.HTTPCheck(10 * time.Second)
	}
	rep, err := check.Run(ctx, opts)
	if err != nil {
		fmt.Fprintf(stderr, "qorgau: %v\n", err)
		return exitContent
	}
	errs, warns := rep.Count(check.Error), rep.Count(check.Warning)
	printReport(stdout, rep, *format == "json", *external)
	if errs > 0 || (*strict && warns > 0) {
		return exitContent
	}
	return exitOK
}

// reorder moves positional arguments after flags, so that
// "--mark-synced a.md b.md" and "a.md --mark-synced" both parse.
func reorder(args []string) []string {
	var flags, rest []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			rest = append(rest, args[i+1:]...)
			i = len(args)
		case len(a) > 1 && a[0] == '-':
			flags = append(flags, a)
			if (a == "--source" || a == "-source" || a == "--format" || a == "-format") && i+1 < len(args) {
				flags = append(flags, args[i+1])
				i++
			}
		default:
			rest = append(rest, a)
		}
	}
	return append(append(flags, "--"), rest...)
}

// markSynced records that translation files follow their originals' current text.
func markSynced(ctx context.Context, source string, files []string, stdout, stderr io.Writer) int {
	if len(files) == 0 {
		fmt.Fprintln(stderr, "check --mark-synced needs the translation files to mark")
		return exitUsage
	}
	for _, f := range files {
		orig, err := check.MarkSynced(ctx, source, f)
		if err != nil {
			fmt.Fprintf(stderr, "qorgau: %v\n", err)
			return exitContent
		}
		fmt.Fprintf(stdout, "%s is now synced with %s\n", f, orig)
	}
	return exitOK
}

// printReport prints the findings as text (external links only when they
// were checked) or as JSON.
func printReport(w io.Writer, rep *check.Report, asJSON, external bool) {
	errs, warns := rep.Count(check.Error), rep.Count(check.Warning)
	if asJSON {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		findings := rep.Findings
		if findings == nil {
			findings = []check.Finding{}
		}
		_ = enc.Encode(map[string]any{"findings": findings, "errors": errs, "warnings": warns})
		return
	}
	for _, f := range rep.Findings {
		if f.Severity == check.Info && !external {
			continue
		}
		fmt.Fprintf(w, "%s: %s: %s [%s]\n", f.Pos(), f.Severity, f.Message, f.Kind)
		if f.Hint != "" {
			fmt.Fprintf(w, "\thint: %s\n", f.Hint)
		}
	}
	fmt.Fprintf(w, "%d error(s), %d warning(s), %d external link(s) listed\n", errs, warns, rep.Count(check.Info))
}
