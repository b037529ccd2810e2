package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"time"
)

// Options configure a harness run.
type Options struct {
	Pages           []int         // pages per language, one comparison each
	Photos          int           // > 0: also the images benchmark, with that many photos
	Runs, Warmup    int           // counted and warm-up runs of each build
	Edits           int           // edits measured in each server
	Pause           time.Duration // between edits, and before the first; 0: 1 s
	SkipHugo        bool
	SkipIncremental bool
	Small           bool
	NoInstall       bool   // never apt-get install hugo
	Hugo            string // the hugo command
	Work            string // working folder; empty: a new temporary one
	Keep            bool   // keep the working folder
	Repo            string // repository root; empty: found from the working directory
	Log             io.Writer
	Nice            int    // the nice value the measured processes ran at, for the report
	Command         string // the command line, for the report
	// Self runs the floor: the command and leading arguments that make this
	// program's `floor` subcommand. Empty: this executable, "floor".
	Self []string
	// SelfEnv is added to the environment of Self.
	SelfEnv []string
}

// Result is one N's measurements.
type Result struct {
	Pages  int
	Load   [2]string // 1-minute load average before and after the builds
	Qorgau Stats
	Hugo   *Stats
	Floor  Stats
	Serve  *ServeResult
	HServe *ServeResult
}

// Report is the whole run.
type Report struct {
	Date        time.Time
	Command     string
	Machine     Machine
	GoVersion   string
	HugoVersion string
	Runs        int
	Warmup      int
	Nice        int
	Results     []*Result
	Photos      *PhotoResult
	Notes       []string
}

func (o *Options) logf(format string, args ...any) {
	if o.Log != nil {
		fmt.Fprintf(o.Log, "%s perf: %s\n", time.Now().Format("15:04:05"), fmt.Sprintf(format, args...))
	}
}

// Run runs the harness. A partial report may come back with an error.
func Run(ctx context.Context, o Options) (*Report, error) {
	if o.Hugo == "" {
		o.Hugo = "hugo"
	}
	rep := &Report{Date: time.Now(), Command: o.Command, Machine: machineInfo(), Runs: o.Runs, Warmup: o.Warmup, Nice: o.Nice}
	repo := o.Repo
	if repo == "" {
		r, err := findRepo()
		if err != nil {
			return nil, err
		}
		repo = r
	}
	rep.GoVersion = commandOutput(repo, "go", "version")

	hugo := ""
	if !o.SkipHugo && len(o.Pages) > 0 {
		h, err := ensureHugo(ctx, &o)
		if err != nil {
			o.logf("Hugo: %v — measuring without Hugo", err)
			rep.Notes = append(rep.Notes, "Hugo not available ("+err.Error()+"): its columns are missing.")
		} else {
			hugo = h
			rep.HugoVersion = commandOutput(repo, hugo, "version")
		}
	}

	work := o.Work
	if work == "" {
		w, err := os.MkdirTemp("", "qorgau-perf-")
		if err != nil {
			return nil, err
		}
		work = w
	} else if err := os.MkdirAll(work, 0o755); err != nil {
		return nil, err
	}
	if work, _ = filepath.Abs(work); !o.Keep {
		defer os.RemoveAll(work)
	} else {
		o.logf("working folder: %s", work)
	}

	// One Qorgau binary for every run.
	bin := filepath.Join(work, "bin", "qorgau")
	o.logf("go build -o %s ./generator", bin)
	build := exec.CommandContext(ctx, "go", "build", "-o", bin, "./generator")
	build.Dir = repo
	if out, err := build.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("go build: %v\n%s", err, out)
	}
	self := o.Self
	if len(self) == 0 {
		exe, err := os.Executable()
		if err != nil {
			return nil, err
		}
		self = []string{exe, "floor"}
	}
	selfEnv := append(os.Environ(), o.SelfEnv...)

	for _, n := range o.Pages {
		res, err := runN(ctx, &o, repo, work, bin, hugo, self, selfEnv, n)
		if res != nil {
			rep.Results = append(rep.Results, res)
		}
		if err != nil {
			return rep, err
		}
	}
	if o.Photos > 0 {
		p, err := runPhotos(ctx, &o, work, bin, o.Photos)
		rep.Photos = p
		if err != nil {
			return rep, err
		}
	}
	return rep, nil
}

// runN runs every measurement for one N.
func runN(ctx context.Context, o *Options, repo, work, bin, hugo string, self, selfEnv []string, n int) (*Result, error) {
	res := &Result{Pages: n}
	res.Load[0] = loadAvg()
	base := filepath.Join(work, fmt.Sprintf("n%d", n))
	qsite := filepath.Join(base, "qorgau")
	hsite := filepath.Join(base, "hugo")
	o.logf("N=%d: writing the corpus (3 × %d pages) to %s", n, n, qsite)
	if err := os.RemoveAll(base); err != nil {
		return nil, err
	}
	if err := writeQorgauSite(repo, qsite, n); err != nil {
		return nil, fmt.Errorf("corpus: %w", err)
	}
	if hugo != "" {
		o.logf("N=%d: writing the Hugo copy to %s", n, hsite)
		if err := writeHugoSite(repo, qsite, hsite); err != nil {
			return nil, fmt.Errorf("hugo site: %w", err)
		}
	}

	qout := filepath.Join(base, "out-qorgau")
	hout := filepath.Join(base, "out-hugo")
	fout := filepath.Join(base, "out-floor")
	type job struct {
		name    string
		out     string
		env     []string
		cmd     []string
		samples []Sample
		st      *Stats
	}
	jobs := []*job{
		{name: "qorgau", out: qout, cmd: []string{bin, "build", "--source", qsite, "--dest", qout, "--quiet"}, st: &res.Qorgau},
	}
	if hugo != "" {
		res.Hugo = &Stats{}
		jobs = append(jobs, &job{name: "hugo", out: hout, cmd: []string{hugo, "--source", hsite, "--destination", hout, "--quiet"}, st: res.Hugo})
	}
	jobs = append(jobs, &job{name: "floor", out: fout, env: selfEnv, cmd: append(append([]string(nil), self...), "--dir", filepath.Join(qsite, "content"), "--out", fout), st: &res.Floor})

	for i := 0; i < o.Warmup+o.Runs; i++ {
		for _, j := range jobs {
			if err := ctx.Err(); err != nil {
				return res, err
			}
			if err := os.RemoveAll(j.out); err != nil {
				return res, err
			}
			settle() // the deletion's disk work must not land in the next run's time
			s, err := runMeasured(ctx, base, j.env, j.cmd[0], j.cmd[1:]...)
			if err != nil {
				return res, fmt.Errorf("%s build: %w", j.name, err)
			}
			what := "warm-up"
			if i >= o.Warmup {
				what = fmt.Sprintf("run %d/%d", i-o.Warmup+1, o.Runs)
				j.samples = append(j.samples, s)
			}
			o.logf("N=%d %-6s %-9s wall %s, CPU %s, peak RSS %s", n, j.name, what, fmtDur(s.Wall), fmtDur(s.CPU), fmtBytes(s.RSS))
			if i == 0 {
				files, html, size := treeSize(j.out)
				j.st.Files, j.st.HTMLFiles, j.st.Bytes = files, html, size
				if j.name != "floor" {
					// The work must be the same: each lesson lists its section.
					page := filepath.Join(j.out, filepath.FromSlash(strings.TrimSuffix(lessonPath(n), ".md")), "index.html")
					items, err := sectionListItems(page)
					if err == nil && items < n/4 {
						err = fmt.Errorf("%s lists %d pages of its section, want at least %d", page, items, n/4)
					}
					if err != nil {
						return res, fmt.Errorf("%s output: %w", j.name, err)
					}
				}
			}
		}
	}
	res.Load[1] = loadAvg()
	for _, j := range jobs {
		files, html, size := j.st.Files, j.st.HTMLFiles, j.st.Bytes
		*j.st = summarise(j.samples)
		j.st.Files, j.st.HTMLFiles, j.st.Bytes = files, html, size
		_ = os.RemoveAll(j.out)
	}

	if o.SkipIncremental {
		return res, nil
	}
	rel := lessonPath(n)
	url := "/" + strings.TrimSuffix(rel, ".md") + "/"
	o.logf("N=%d: qorgau serve, editing content/%s", n, rel)
	sr, err := measureServe(ctx, o, serveSpec{
		name: "qorgau serve",
		args: func(port int) []string {
			return []string{bin, "serve", "--source", qsite, "--bind", "127.0.0.1", "--port", fmt.Sprint(port)}
		},
		dir:    qsite,
		file:   filepath.Join(qsite, "content", filepath.FromSlash(rel)),
		path:   url,
		logged: qorgauRebuildLine,
		ready:  qorgauReadyLine,
	})
	if err != nil {
		return res, fmt.Errorf("qorgau serve: %w", err)
	}
	res.Serve = sr
	if hugo != "" {
		o.logf("N=%d: hugo server, editing content/%s", n, rel)
		hr, err := measureServe(ctx, o, serveSpec{
			name: "hugo server",
			args: func(port int) []string {
				return []string{hugo, "server", "--source", hsite, "--bind", "127.0.0.1", "--port", fmt.Sprint(port), "--disableLiveReload=false"}
			},
			dir:    hsite,
			file:   filepath.Join(hsite, "content", filepath.FromSlash(rel)),
			path:   url,
			logged: hugoRebuildLine,
		})
		if err != nil {
			return res, fmt.Errorf("hugo server: %w", err)
		}
		res.HServe = hr
	}
	return res, nil
}

// lessonPath is the lesson edited in the serve measurements: one in the
// middle of the Kazakh "rights" section (the corpus puts page i in section
// i mod 4).
func lessonPath(n int) string {
	i := (n / 2) / 4 * 4
	return fmt.Sprintf("kk/rights/lesson-%05d.md", i)
}

// ensureHugo finds hugo, installing Debian's package when it is missing and
// installing is allowed.
func ensureHugo(ctx context.Context, o *Options) (string, error) {
	if p, err := exec.LookPath(o.Hugo); err == nil {
		return p, nil
	}
	if o.NoInstall || o.Small {
		return "", fmt.Errorf("%s not found and installing is off", o.Hugo)
	}
	if o.Hugo != "hugo" {
		return "", fmt.Errorf("%s not found", o.Hugo)
	}
	o.logf("hugo not found: apt-get install -y hugo")
	install := func() error {
		cmd := exec.CommandContext(ctx, "apt-get", "install", "-y", "hugo")
		cmd.Env = append(os.Environ(), "DEBIAN_FRONTEND=noninteractive")
		out, err := cmd.CombinedOutput()
		if err != nil {
			return fmt.Errorf("apt-get install -y hugo: %v\n%s", err, tail(out, 1000))
		}
		return nil
	}
	if err := install(); err != nil {
		o.logf("%v; trying apt-get update first", err)
		upd := exec.CommandContext(ctx, "apt-get", "update")
		if out, err := upd.CombinedOutput(); err != nil {
			return "", fmt.Errorf("apt-get update: %v\n%s", err, tail(out, 1000))
		}
		if err := install(); err != nil {
			return "", err
		}
	}
	return exec.LookPath("hugo")
}

// findRepo walks up from the working directory to Qorgau's go.mod.
func findRepo() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		b, err := os.ReadFile(filepath.Join(dir, "go.mod"))
		if err == nil && bytes.Contains(b, []byte("module github.com/qorgau/qorgau\n")) {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("not inside the Qorgau repository (no go.mod of github.com/qorgau/qorgau above the working directory); pass --repo")
		}
		dir = parent
	}
}

// loadAvg is the 1-minute load average: other work on the machine makes
// wall times longer, so the report shows it.
func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(b))
	if len(f) == 0 {
		return "?"
	}
	return f[0]
}

func commandOutput(dir, name string, args ...string) string {
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		return "unknown"
	}
	return strings.TrimSpace(string(out))
}

// Machine describes where the numbers were taken.
type Machine struct {
	Cores  int
	CPU    string
	Memory int64 // bytes
	OS     string
}

func machineInfo() Machine {
	m := Machine{Cores: runtime.NumCPU(), OS: runtime.GOOS + "/" + runtime.GOARCH}
	if f, err := os.Open("/proc/cpuinfo"); err == nil {
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
				m.CPU = strings.TrimSpace(v)
				break
			}
		}
		f.Close()
	}
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			var kb int64
			if _, err := fmt.Sscanf(line, "MemTotal: %d kB", &kb); err == nil {
				m.Memory = kb * 1024
				break
			}
		}
	}
	if b, err := os.ReadFile("/etc/os-release"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if v, ok := strings.CutPrefix(line, "PRETTY_NAME="); ok {
				m.OS = strings.Trim(v, `"`) + " " + runtime.GOARCH
			}
		}
	}
	return m
}

// sectionListItems counts the entries of a page's list of its section's
// pages (nav class="section-pages").
func sectionListItems(page string) (int, error) {
	b, err := os.ReadFile(page)
	if err != nil {
		return 0, err
	}
	i := bytes.Index(b, []byte(`class="section-pages"`))
	if i < 0 {
		i = bytes.Index(b, []byte(`class=section-pages`)) // minifiers may drop the quotes
	}
	if i < 0 {
		return 0, fmt.Errorf("%s has no section list", page)
	}
	end := bytes.Index(b[i:], []byte("</nav>"))
	if end < 0 {
		return 0, fmt.Errorf("%s: the section list does not end", page)
	}
	return bytes.Count(b[i:i+end], []byte("<li>")), nil
}

// settle flushes the file system and pauses briefly, so that what the
// harness deleted or wrote does not slow the next measured process.
func settle() {
	syscall.Sync()
	time.Sleep(300 * time.Millisecond)
}
