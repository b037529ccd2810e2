package main

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"syscall"
	"time"
)

// Sample is one run of one process.
type Sample struct {
	Wall time.Duration
	CPU  time.Duration // user + system
	RSS  int64         // peak resident set size, bytes
}

// runMeasured runs a command to completion and measures it. Its output is
// kept only to explain a failure.
func runMeasured(ctx context.Context, dir string, env []string, name string, args ...string) (Sample, error) {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	if env != nil {
		cmd.Env = env
	}
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	if err != nil {
		return Sample{}, fmt.Errorf("%s %v: %v\n%s", name, args, err, tail(out.Bytes(), 2000))
	}
	return sampleOf(cmd.ProcessState, wall), nil
}

func sampleOf(ps *os.ProcessState, wall time.Duration) Sample {
	s := Sample{Wall: wall, CPU: ps.UserTime() + ps.SystemTime()}
	if ru, ok := ps.SysUsage().(*syscall.Rusage); ok {
		s.RSS = int64(ru.Maxrss) * 1024 // kilobytes on Linux
	}
	return s
}

func tail(b []byte, n int) []byte {
	if len(b) > n {
		return b[len(b)-n:]
	}
	return b
}

// Stats summarises samples.
type Stats struct {
	N                int
	Wall, CPU        time.Duration // medians
	WallMin, WallMax time.Duration
	RSS              int64 // median peak RSS
	RSSMax           int64
	Files            int   // output files of the first run
	Bytes            int64 // output bytes of the first run
	HTMLFiles        int
	Walls, CPUs      []time.Duration
	RSSs             []int64
}

func summarise(samples []Sample) Stats {
	var st Stats
	st.N = len(samples)
	if st.N == 0 {
		return st
	}
	for _, s := range samples {
		st.Walls = append(st.Walls, s.Wall)
		st.CPUs = append(st.CPUs, s.CPU)
		st.RSSs = append(st.RSSs, s.RSS)
	}
	st.Wall = median(st.Walls)
	st.CPU = median(st.CPUs)
	st.RSS = median(st.RSSs)
	st.WallMin, st.WallMax = slices.Min(st.Walls), slices.Max(st.Walls)
	st.RSSMax = slices.Max(st.RSSs)
	return st
}

// median is the middle value, or the mean of the two middle values.
func median[T time.Duration | int64](xs []T) T {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// treeSize counts the files and bytes under dir, and the HTML files.
func treeSize(dir string) (files, html int, size int64) {
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		files++
		if filepath.Ext(p) == ".html" {
			html++
		}
		if info, err := d.Info(); err == nil {
			size += info.Size()
		}
		return nil
	})
	return
}
