package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// ServeResult is one preview server's measurements.
type ServeResult struct {
	ColdStart    time.Duration   // launch → first 200 for the lesson
	Edits        []time.Duration // write → the served page shows the new text
	Logged       []time.Duration // the server's own rebuild time for each edit
	Median       time.Duration
	LoggedMedian time.Duration
	Ready        time.Duration // launch to the first build done (for Hugo, the cold start)
	PeakRSS      int64         // bytes, over the server's whole life
}

type serveSpec struct {
	name   string
	args   func(port int) []string
	dir    string
	file   string // the lesson file to edit
	path   string // its URL path
	logged *regexp.Regexp
	// ready matches the line a server prints when its first build is
	// done, for a server that answers before that; edits wait for it.
	ready *regexp.Regexp
}

var (
	// 12:34:56: 1 page(s) rendered, 1 file(s) changed in 3.2ms.
	qorgauRebuildLine = regexp.MustCompile(`^\d\d:\d\d:\d\d: .* changed in (\S+)\.$`)
	// Total in 12 ms
	hugoRebuildLine = regexp.MustCompile(`Total in (\d+) ms`)
	movedPort       = regexp.MustCompile(`using port (\d+) instead`)
	// Built pages kk 1000, ru 1000, en 1000 in 3.2s.
	qorgauReadyLine = regexp.MustCompile(`^Built pages .* in \S+\.$`)
)

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// measureServe starts a preview server, times its cold start, then appends
// a paragraph to the lesson o.Edits times, one second apart, timing each
// from the write until a GET (every 2 ms) returns the new text.
func measureServe(ctx context.Context, o *Options, spec serveSpec) (*ServeResult, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	orig, err := os.ReadFile(spec.file)
	if err != nil {
		return nil, err
	}
	defer os.WriteFile(spec.file, orig, 0o644) // after the server stopped (defers run last-in first-out)

	var curPort atomic.Int64
	curPort.Store(int64(port))
	args := spec.args(port)
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Dir = spec.dir
	pr, pw := io.Pipe()
	cmd.Stdout, cmd.Stderr = pw, pw

	var logMu sync.Mutex
	var logBuf bytes.Buffer
	logged := make(chan time.Duration, 256)
	ready := make(chan struct{})
	var readyOnce sync.Once
	if spec.ready == nil {
		close(ready)
	}
	readerDone := make(chan struct{})
	go func() {
		defer close(readerDone)
		sc := bufio.NewScanner(pr)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			line := sc.Text()
			logMu.Lock()
			logBuf.WriteString(line + "\n")
			logMu.Unlock()
			if m := movedPort.FindStringSubmatch(line); m != nil {
				if p, err := strconv.Atoi(m[1]); err == nil {
					curPort.Store(int64(p))
				}
			}
			if spec.ready != nil && spec.ready.MatchString(line) {
				readyOnce.Do(func() { close(ready) })
			}
			if m := spec.logged.FindStringSubmatch(line); m != nil {
				d, err := time.ParseDuration(m[1])
				if err != nil {
					if ms, err2 := strconv.Atoi(m[1]); err2 == nil {
						d, err = time.Duration(ms)*time.Millisecond, nil
					}
				}
				if err == nil {
					select {
					case logged <- d:
					default:
					}
				}
			}
		}
		_, _ = io.Copy(io.Discard, pr)
	}()
	serverLog := func() string {
		logMu.Lock()
		defer logMu.Unlock()
		return string(tail(logBuf.Bytes(), 3000))
	}

	start := time.Now()
	if err := cmd.Start(); err != nil {
		pw.Close()
		return nil, err
	}
	exited := make(chan struct{})
	go func() {
		_ = cmd.Wait()
		pw.Close()
		close(exited)
	}()
	res := &ServeResult{}
	stopped := false
	stop := func() {
		if stopped {
			return
		}
		stopped = true
		_ = cmd.Process.Signal(os.Interrupt)
		select {
		case <-exited:
		case <-time.After(20 * time.Second):
			_ = cmd.Process.Kill()
			<-exited
		}
		<-readerDone
		if cmd.ProcessState != nil {
			res.PeakRSS = sampleOf(cmd.ProcessState, 0).RSS
		}
	}
	defer stop()

	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4, DisableCompression: true}}
	url := func() string { return fmt.Sprintf("http://127.0.0.1:%d%s", curPort.Load(), spec.path) }
	// get returns the page, or nil while the server is not ready.
	get := func(timeout time.Duration) ([]byte, int) {
		rctx, cancel := context.WithTimeout(ctx, timeout)
		defer cancel()
		req, _ := http.NewRequestWithContext(rctx, "GET", url(), nil)
		resp, err := client.Do(req)
		if err != nil {
			return nil, 0
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err != nil {
			return nil, 0
		}
		return b, resp.StatusCode
	}

	// Cold start: the first 200 for the lesson.
	for {
		select {
		case <-exited:
			return nil, fmt.Errorf("%s exited before serving:\n%s", spec.name, serverLog())
		case <-ctx.Done():
			return nil, ctx.Err()
		default:
		}
		if _, code := get(10 * time.Minute); code == http.StatusOK {
			break
		}
		if time.Since(start) > 10*time.Minute {
			return nil, fmt.Errorf("%s served nothing in 10 minutes:\n%s", spec.name, serverLog())
		}
		time.Sleep(2 * time.Millisecond)
	}
	res.ColdStart = time.Since(start)
	o.logf("%s: cold start %s", spec.name, fmtDur(res.ColdStart))
	// Edits start once the first build is whole, for a server that serves
	// before then: an edit would otherwise wait for that build.
	select {
	case <-ready:
		res.Ready = time.Since(start)
	case <-exited:
		return nil, fmt.Errorf("%s exited before its first build ended:\n%s", spec.name, serverLog())
	case <-time.After(10 * time.Minute):
		return nil, fmt.Errorf("%s: no first build in 10 minutes:\n%s", spec.name, serverLog())
	}
	if res.Ready > res.ColdStart+time.Millisecond {
		o.logf("%s: first build done after %s", spec.name, fmtDur(res.Ready))
	}
	pause := o.Pause
	if pause <= 0 {
		pause = time.Second
	}
	time.Sleep(pause) // let watchers settle
	drain(logged)

	for i := range o.Edits {
		marker := fmt.Sprintf("perfedit%dx%d", i, rand.IntN(1e9))
		f, err := os.OpenFile(spec.file, os.O_APPEND|os.O_WRONLY, 0)
		if err != nil {
			return res, err
		}
		t0 := time.Now()
		_, werr := f.WriteString("\n\nAppended paragraph " + marker + ".\n")
		cerr := f.Close()
		if werr != nil || cerr != nil {
			return res, fmt.Errorf("append: %v %v", werr, cerr)
		}
		for {
			tick := time.Now()
			if b, code := get(time.Minute); code == http.StatusOK && bytes.Contains(b, []byte(marker)) {
				break
			}
			if time.Since(t0) > time.Minute {
				return res, fmt.Errorf("%s: the edit did not show within a minute:\n%s", spec.name, serverLog())
			}
			select {
			case <-exited:
				return res, fmt.Errorf("%s exited:\n%s", spec.name, serverLog())
			case <-ctx.Done():
				return res, ctx.Err()
			default:
			}
			if d := 2*time.Millisecond - time.Since(tick); d > 0 {
				time.Sleep(d)
			}
		}
		lat := time.Since(t0)
		res.Edits = append(res.Edits, lat)
		// The server's own rebuild time. A server may serve the page before
		// its rebuild ends (Hugo renders the edited page early), so wait
		// for the rebuild to end before the next edit: edits are a pause
		// apart and never queue behind a running rebuild.
		var own time.Duration = -1
		select {
		case own = <-logged:
			res.Logged = append(res.Logged, own)
		case <-time.After(time.Minute):
		}
		o.logf("%s: edit %d/%d served after %s (own log: %s)", spec.name, i+1, o.Edits, fmtDur(lat), fmtDur(own))
		quiet(logged, pause)
	}
	stop()
	res.Median = median(res.Edits)
	res.LoggedMedian = median(res.Logged)
	if !strings.Contains(spec.name, "hugo") && len(res.Logged) < len(res.Edits) {
		o.logf("%s: %d edit(s) without a rebuild line in the log", spec.name, len(res.Edits)-len(res.Logged))
	}
	return res, nil
}

// quiet waits until no rebuild line came for d, dropping any that come.
func quiet(c chan time.Duration, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	for {
		select {
		case <-c:
			t.Reset(d)
		case <-t.C:
			return
		}
	}
}

func drain(c chan time.Duration) {
	for {
		select {
		case <-c:
		default:
			return
		}
	}
}
