// Command perf measures Qorgau against Hugo on the same generated site, side
// by side, and against the "goldmark floor" (converting the same Markdown
// with goldmark and nothing else).
//
//	go run ./generator/tools/perf --pages 1000,5000 --nice -10  # the full comparison
//	go run ./generator/tools/perf --small --skip-hugo           # a quick smoke run (CI)
//	go run ./generator/tools/perf --photos 100                  # the images benchmark
//
// For each N it writes the corpus (corpus.Write, 3 languages × N pages) in
// Qorgau's layout and a copy of the same Markdown as a Hugo site with an
// equivalent minimal theme, then runs Qorgau's build, Hugo's build and the
// floor alternately as separate processes (1 warm-up and --runs counted runs
// each), recording wall time, CPU time (user+sys) and peak RSS of each run.
// Then it starts `serve` and `hugo server` on the corpora, measures the time
// from launch to the first page (cold start) and from appending a paragraph to
// one lesson until the served page shows it, and prints Markdown tables.
//
// `perf floor --dir CONTENT --out DIR` is the floor itself, run as a child
// process of the harness.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == "floor" {
		os.Exit(floorMain(os.Args[2:], os.Stdout, os.Stderr))
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// setNice sets the priority of every thread of this process (Linux keeps a
// nice value per thread); threads started later and child processes inherit
// it. With the scheduler's autogroups on, nice only orders processes of one
// session, so the session's autogroup gets the same nice value.
func setNice(n int) error {
	if _, err := os.Stat("/proc/self/autogroup"); err == nil {
		if err := os.WriteFile("/proc/self/autogroup", []byte(strconv.Itoa(n)), 0); err != nil {
			return fmt.Errorf("autogroup: %w", err)
		}
	}
	tasks, err := os.ReadDir("/proc/self/task")
	if err != nil {
		return syscall.Setpriority(syscall.PRIO_PROCESS, 0, n)
	}
	for _, t := range tasks {
		tid, err := strconv.Atoi(t.Name())
		if err != nil {
			continue
		}
		if err := syscall.Setpriority(syscall.PRIO_PROCESS, tid, n); err != nil {
			return err
		}
	}
	return nil
}

// autogroupNice reads the nice value of this session's autogroup
// ("/autogroup-74 nice 0").
func autogroupNice() (int, bool) {
	b, err := os.ReadFile("/proc/self/autogroup")
	if err != nil {
		return 0, false
	}
	f := strings.Fields(string(b))
	if len(f) != 3 || f[1] != "nice" {
		return 0, false
	}
	n, err := strconv.Atoi(f[2])
	return n, err == nil
}

// pagesFlag accepts --pages 1000,5000 and repeated --pages.
type pagesFlag struct {
	vals []int
	set  bool
}

func (p *pagesFlag) String() string {
	var s []string
	for _, v := range p.vals {
		s = append(s, strconv.Itoa(v))
	}
	return strings.Join(s, ",")
}

func (p *pagesFlag) Set(v string) error {
	if !p.set {
		p.vals, p.set = nil, true
	}
	for _, f := range strings.Split(v, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		n, err := strconv.Atoi(f)
		if err != nil || n <= 0 {
			return fmt.Errorf("not a positive number of pages: %q", f)
		}
		p.vals = append(p.vals, n)
	}
	return nil
}

// run parses the command line, runs the harness and prints the report.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("perf", flag.ContinueOnError)
	fs.SetOutput(stderr)
	pages := &pagesFlag{vals: []int{1000}}
	fs.Var(pages, "pages", "pages per language; a comma list or repeated (default 1000)")
	runs := fs.Int("runs", 5, "counted runs of each build")
	warmup := fs.Int("warmup", 1, "warm-up runs of each build, not counted")
	edits := fs.Int("edits", 5, "edits measured in each server")
	skipHugo := fs.Bool("skip-hugo", false, "measure Qorgau and the floor only")
	skipInc := fs.Bool("skip-incremental", false, "skip the serve measurements (cold start, edits)")
	small := fs.Bool("small", false, "CI smoke mode: 50 pages, 1 run, no warm-up, 1 edit, never installs Hugo")
	noInstall := fs.Bool("no-install", false, "never run apt-get install hugo")
	hugo := fs.String("hugo", "hugo", "the hugo command")
	work := fs.String("work", "", "working folder (default: a new temporary folder)")
	keep := fs.Bool("keep", false, "keep the working folder (corpora, outputs, logs)")
	repo := fs.String("repo", "", "the repository's root (default: found from the current folder)")
	out := fs.String("out", "", "also write the Markdown report to this file")
	photos := fs.Int("photos", 0, "also the images benchmark: a first build of this many photos of 4000 × 3000, then warm builds (without --pages, only this)")
	nice := fs.Int("nice", 0, "run the harness and every process it measures at this nice value (negative needs root), to shield the numbers from other work on the machine")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: go run ./generator/tools/perf [--pages 1000,5000] [--runs 5] [--skip-hugo] [--skip-incremental] [--small]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "perf: unexpected argument %q\n", fs.Arg(0))
		fs.Usage()
		return 2
	}
	if *nice != 0 {
		if prev, ok := autogroupNice(); ok {
			// The autogroup outlives this process: give it back its value.
			defer os.WriteFile("/proc/self/autogroup", []byte(strconv.Itoa(prev)), 0)
		}
		err := setNice(*nice)
		if err == nil {
			err = setNice(*nice) // again: a thread may have started during the first pass
		}
		if err != nil {
			fmt.Fprintf(stderr, "perf: --nice %d: %v\n", *nice, err)
			return 2
		}
	}
	opts := Options{
		Pages: pages.vals, Runs: *runs, Warmup: *warmup, Edits: *edits,
		SkipHugo: *skipHugo, SkipIncremental: *skipInc, NoInstall: *noInstall,
		Hugo: *hugo, Work: *work, Keep: *keep, Repo: *repo, Log: stderr,
		Command: "go run ./generator/tools/perf " + strings.Join(args, " "),
		Nice:    *nice,
		Photos:  *photos,
	}
	if *photos < 0 {
		fmt.Fprintln(stderr, "perf: --photos must be at least 0")
		return 2
	}
	if *photos > 0 && !pages.set {
		opts.Pages = nil // the images benchmark alone
	}
	if *small {
		opts.Small = true
		if !pages.set {
			opts.Pages = []int{50}
		}
		opts.Runs, opts.Warmup, opts.Edits, opts.NoInstall = 1, 0, 1, true
		opts.Pause = 300 * time.Millisecond
	}
	if opts.Runs < 1 || opts.Warmup < 0 || opts.Edits < 1 {
		fmt.Fprintln(stderr, "perf: --runs and --edits must be at least 1, --warmup at least 0")
		return 2
	}
	rep, err := Run(ctx, opts)
	if rep != nil {
		text := rep.Markdown()
		fmt.Fprint(stdout, text)
		if *out != "" {
			if werr := os.WriteFile(*out, []byte(text), 0o644); werr != nil {
				fmt.Fprintf(stderr, "perf: %v\n", werr)
			}
		}
	}
	if err != nil {
		fmt.Fprintf(stderr, "perf: %v\n", err)
		return 1
	}
	return 0
}
