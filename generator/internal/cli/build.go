package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	"github.com/qorgau/qorgau/generator/internal/check"
	"github.com/qorgau/qorgau/generator/internal/config"
	"github.com/qorgau/qorgau/generator/internal/diag"
	"github.com/qorgau/qorgau/generator/internal/output"
	"github.com/qorgau/qorgau/generator/internal/paths"
	"github.com/qorgau/qorgau/generator/internal/site"
)

// newFlags makes a flag set whose --help prints the command's usage and
// whose errors become exit code 2.
func newFlags(name, synopsis string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: qorgau %s\n\nFlags:\n", synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses args; it returns -1 to go on, or an exit code.
func parseFlags(fs *flag.FlagSet, args []string, stdout io.Writer) int {
	for _, a := range args {
		if a == "--" {
			break
		}
		if a == "-h" || a == "-help" || a == "--help" {
			fs.SetOutput(stdout)
			fs.Usage()
			return exitOK
		}
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(fs.Output(), "unexpected argument %q\n", fs.Arg(0))
		fs.Usage()
		return exitUsage
	}
	return -1
}

func runBuild(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("build", "build [--source DIR] [--dest DIR] [--drafts] [--base-url URL] [--relative] [--report] [--quiet] [--timings]", stderr)
	source := fs.String("source", ".", "the site's folder (with config.toml)")
	dest := fs.String("dest", "public", "output folder; a relative path is taken from --source")
	drafts := fs.Bool("drafts", false, "include pages with draft = true")
	baseURL := fs.String("base-url", "", "publish at this URL instead of config.toml's baseURL")
	quiet := fs.Bool("quiet", false, "print only errors")
	timings := fs.Bool("timings", false, "print how long each stage of the build took")
	report := fs.Bool("report", false, "also write the editors' dashboard (translation status and findings) to _status/index.html")
	relative := fs.Bool("relative", false, "make every link relative, so the output works under any sub-path (same as relativeURLs = true)")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the build to this file (read it with go tool pprof)")
	memProfile := fs.String("memprofile", "", "write an allocation profile of the build to this file")
	if code := parseFlags(fs, args, stdout); code >= 0 {
		return code
	}
	stopProfiles, err := startProfiles(*cpuProfile, *memProfile)
	if err != nil {
		fmt.Fprintf(stderr, "qorgau: %v\n", err)
		return exitUsage
	}
	defer stopProfiles()
	out := *dest
	if !filepath.IsAbs(out) {
		out = filepath.Join(*source, out)
	}
	if err := output.CheckDest(*source, out); err != nil {
		fmt.Fprintf(stderr, "qorgau: %v\n", err)
		return exitUsage
	}
	if _, err := os.Stat(filepath.Join(*source, "config.toml")); err != nil {
		fmt.Fprintf(stderr, "qorgau: %s has no config.toml: run in the site's folder or pass --source DIR\n", *source)
		return exitContent
	}

	staging, err := output.Stage(out)
	if err != nil {
		fmt.Fprintf(stderr, "qorgau: %v\n", err)
		return exitContent
	}
	staging.RemoveOld = output.RemoveInBackground
	prog := newProgress(stderr, *quiet)
	res, err := site.Build(ctx, site.Options{
		Source: os.DirFS(*source), Writer: staging, Drafts: *drafts, Progress: prog.update, DropBodies: !*report, // the report checks the pages' Markdown
		CacheDir:  filepath.Join(*source, paths.Cache),
		Overrides: config.Overrides{BaseURL: *baseURL, Relative: *relative},
	})
	prog.stop()
	printDiagnostics(stderr, res.Diagnostics, *quiet)
	if err != nil || ctx.Err() != nil {
		staging.Abort()
		fmt.Fprintf(stderr, "qorgau: build failed with %d error(s); %s was left as it was\n", countErrors(res.Diagnostics), out)
		return exitContent
	}
	if *report {
		if code := writeReport(ctx, res, staging, *source, *baseURL, out, *quiet, stdout, stderr); code != exitOK {
			return code
		}
	}
	commitStart := time.Now()
	if err := staging.Commit(); err != nil {
		staging.Abort()
		fmt.Fprintf(stderr, "qorgau: %v; %s was left as it was\n", err, out)
		return exitContent
	}
	if *timings {
		printTimings(stderr, append(res.Stages, site.Stage{Name: "replace the old output", Duration: time.Since(commitStart)}))
	}
	if !*quiet {
		fmt.Fprintln(stdout, summary(res, out))
	}
	return exitOK
}

// writeReport checks the build and writes the editors' dashboard into the
// staging folder; on failure the staging folder is dropped.
func writeReport(ctx context.Context, res *site.Result, staging *output.Staging, source, baseURL, out string, quiet bool, stdout, stderr io.Writer) int {
	opts := check.Options{Source: os.DirFS(source), Overrides: config.Overrides{BaseURL: baseURL}, CacheDir: filepath.Join(source, paths.Cache)}
	var err error
	if !res.Config.RelativeURLs {
		// The check reads links as the site's own URLs: it checks this
		// build, unless its links were made relative.
		var files map[string][]byte
		if files, err = check.ReadFiles(os.DirFS(staging.Dir())); err == nil {
			opts.Built = &check.Built{Result: res, Files: files}
		}
	}
	var rep *check.Report
	if err == nil {
		rep, err = check.Run(ctx, opts)
	}
	if err == nil {
		err = staging.WriteFile("_status/index.html", check.Dashboard(rep))
	}
	if err != nil {
		staging.Abort()
		fmt.Fprintf(stderr, "qorgau: report: %v; %s was left as it was\n", err, out)
		return exitContent
	}
	if !quiet {
		fmt.Fprintf(stdout, "Report: %d error(s), %d warning(s) in %s\n", rep.Count(check.Error), rep.Count(check.Warning), filepath.Join(out, "_status", "index.html"))
	}
	return exitOK
}

// countErrors counts the diagnostics that are errors.
func countErrors(ds []*diag.Diagnostic) int {
	n := 0
	for _, d := range ds {
		if d.Severity == diag.Error {
			n++
		}
	}
	return n
}

// printTimings prints how long each stage took.
func printTimings(w io.Writer, stages []site.Stage) {
	for _, st := range stages {
		fmt.Fprintf(w, "%-28s %8.1f ms\n", st.Name, float64(st.Duration.Microseconds())/1000)
	}
}

// summary is the one line printed after a build.
func summary(res *site.Result, dest string) string {
	var parts []string
	for _, code := range res.Config.LanguageOrder {
		parts = append(parts, fmt.Sprintf("%s %d", code, res.Pages[code]))
	}
	return fmt.Sprintf("Built pages: %s · %d files (%.1f MB) written to %s · %s",
		strings.Join(parts, ", "), res.Files, float64(res.Bytes)/1e6, dest, res.Duration.Round(time.Millisecond))
}

func printDiagnostics(w io.Writer, ds []*diag.Diagnostic, quiet bool) {
	for _, d := range ds {
		if quiet && d.Severity == diag.Warning {
			continue
		}
		fmt.Fprintln(w, d.Error())
	}
}

// progress shows "rendering n/m" on a terminal for builds longer than a second.
type progress struct {
	w       io.Writer
	tty     bool
	start   time.Time
	done    atomic.Int64
	total   atomic.Int64
	shown   atomic.Bool
	stopped chan struct{}
	ended   chan struct{}
}

func newProgress(w io.Writer, quiet bool) *progress {
	p := &progress{w: w, start: time.Now(), stopped: make(chan struct{}), ended: make(chan struct{})}
	if f, ok := w.(*os.File); ok && !quiet {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			p.tty = true
		}
	}
	go p.loop()
	return p
}

func (p *progress) update(done, total int) {
	p.done.Store(int64(done))
	p.total.Store(int64(total))
}

func (p *progress) loop() {
	defer close(p.ended)
	if !p.tty {
		<-p.stopped
		return
	}
	t := time.NewTicker(200 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-p.stopped:
			if p.shown.Load() {
				fmt.Fprint(p.w, "\r\033[K")
			}
			return
		case <-t.C:
			if time.Since(p.start) < time.Second {
				continue
			}
			p.shown.Store(true)
			if total := p.total.Load(); total > 0 {
				fmt.Fprintf(p.w, "\r\033[Krendering pages %d/%d", p.done.Load(), total)
			} else {
				fmt.Fprint(p.w, "\r\033[Kloading content…")
			}
		}
	}
}

func (p *progress) stop() {
	close(p.stopped)
	<-p.ended
}
