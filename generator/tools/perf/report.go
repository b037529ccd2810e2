package main

import (
	"fmt"
	"strings"
	"time"
)

func fmtDur(d time.Duration) string {
	switch {
	case d < 0:
		return "—"
	case d >= 10*time.Second:
		return fmt.Sprintf("%.1f s", d.Seconds())
	case d >= time.Second:
		return fmt.Sprintf("%.2f s", d.Seconds())
	case d >= 10*time.Millisecond:
		return fmt.Sprintf("%.0f ms", float64(d)/1e6)
	default:
		return fmt.Sprintf("%.1f ms", float64(d)/1e6)
	}
}

func fmtBytes(b int64) string {
	switch {
	case b >= 1<<30:
		return fmt.Sprintf("%.2f GiB", float64(b)/(1<<30))
	case b >= 1<<20:
		return fmt.Sprintf("%.0f MiB", float64(b)/(1<<20))
	default:
		return fmt.Sprintf("%.0f KiB", float64(b)/(1<<10))
	}
}

func ratio(a, b float64) string {
	if b == 0 || a == 0 {
		return "—"
	}
	return fmt.Sprintf("%.2f×", a/b)
}

// Target is one of the goals, checked against the measurements.
type Target struct {
	What     string
	Goal     string
	Measured string
	Met      bool
}

// Targets checks the README's performance goals where they were measured.
func (r *Report) Targets() []Target {
	var ts []Target
	for _, res := range r.Results {
		n := res.Pages
		if res.Hugo != nil && res.Hugo.Wall > 0 {
			q, h := res.Qorgau.Wall.Seconds(), res.Hugo.Wall.Seconds()
			ts = append(ts, Target{fmt.Sprintf("full build wall time, N=%d", n), "≤ 0.5 × Hugo", fmt.Sprintf("%s vs %s = %s", fmtDur(res.Qorgau.Wall), fmtDur(res.Hugo.Wall), ratio(q, h)), q <= 0.5*h})
		}
		if res.Floor.Wall > 0 {
			q, f := res.Qorgau.Wall.Seconds(), res.Floor.Wall.Seconds()
			ts = append(ts, Target{fmt.Sprintf("full build wall time, N=%d", n), "≤ 1.3 × goldmark floor", fmt.Sprintf("%s vs %s = %s", fmtDur(res.Qorgau.Wall), fmtDur(res.Floor.Wall), ratio(q, f)), q <= 1.3*f})
		}
		if n >= 5000 && res.Hugo != nil && res.Hugo.RSS > 0 {
			q, h := float64(res.Qorgau.RSS), float64(res.Hugo.RSS)
			ts = append(ts, Target{fmt.Sprintf("build peak RSS, N=%d", n), "≤ 0.25 × Hugo", fmt.Sprintf("%s vs %s = %s", fmtBytes(res.Qorgau.RSS), fmtBytes(res.Hugo.RSS), ratio(q, h)), q <= 0.25*h})
		}
		if res.Serve != nil && len(res.Serve.Edits) > 0 {
			if n >= 5000 {
				ts = append(ts, Target{fmt.Sprintf("one-page edit in serve, N=%d", n), "≤ 20 ms", fmtDur(res.Serve.Median), res.Serve.Median <= 20*time.Millisecond})
			}
			if res.HServe != nil && len(res.HServe.Edits) > 0 {
				q, h := res.Serve.Median.Seconds(), res.HServe.Median.Seconds()
				ts = append(ts, Target{fmt.Sprintf("one-page edit in serve, N=%d", n), "≤ 0.2 × Hugo", fmt.Sprintf("%s vs %s = %s", fmtDur(res.Serve.Median), fmtDur(res.HServe.Median), ratio(q, h)), q <= 0.2*h})
			}
		}
		if res.Serve != nil && n == 1000 {
			ts = append(ts, Target{"cold serve start, N=1000", "≤ 1 s", fmtDur(res.Serve.ColdStart), res.Serve.ColdStart <= time.Second})
		}
	}
	if r.Photos != nil && r.Photos.First.N > 0 {
		ts = append(ts, r.Photos.targets()...)
	}
	return ts
}

// Markdown renders the report.
func (r *Report) Markdown() string {
	var b strings.Builder
	fmt.Fprintf(&b, "\n## Qorgau vs Hugo vs the goldmark floor\n\n")
	fmt.Fprintf(&b, "| | |\n|---|---|\n")
	fmt.Fprintf(&b, "| date | %s |\n", r.Date.Format("2006-01-02 15:04 MST"))
	fmt.Fprintf(&b, "| command | `%s` |\n", strings.TrimSpace(r.Command))
	fmt.Fprintf(&b, "| machine | %d cores (nproc), %s, %s RAM, %s |\n", r.Machine.Cores, r.Machine.CPU, fmtBytes(r.Machine.Memory), r.Machine.OS)
	fmt.Fprintf(&b, "| Go | %s |\n", r.GoVersion)
	hv := r.HugoVersion
	if hv == "" {
		hv = "not measured"
	}
	fmt.Fprintf(&b, "| Hugo | %s |\n", hv)
	fmt.Fprintf(&b, "| runs | %d warm-up + %d counted per build, alternating; medians (min–max) |\n", r.Warmup, r.Runs)
	if r.Nice != 0 {
		fmt.Fprintf(&b, "| priority | every measured process at nice %d |\n", r.Nice)
	}

	for _, res := range r.Results {
		fmt.Fprintf(&b, "\n### Full build, N = %d (3 languages × %d pages)\n\n", res.Pages, res.Pages)
		fmt.Fprintf(&b, "1-minute load average (counting the measured processes themselves) before the builds %s, after %s (%d cores).\n\n", res.Load[0], res.Load[1], r.Machine.Cores)
		fmt.Fprintf(&b, "| | wall | CPU (user+sys) | peak RSS | output |\n|---|---|---|---|---|\n")
		row := func(name string, s Stats) {
			fmt.Fprintf(&b, "| %s | %s (%s–%s) | %s | %s | %d files (%d HTML), %s |\n", name, fmtDur(s.Wall), fmtDur(s.WallMin), fmtDur(s.WallMax), fmtDur(s.CPU), fmtBytes(s.RSS), s.Files, s.HTMLFiles, fmtBytes(s.Bytes))
		}
		row("Qorgau `build`", res.Qorgau)
		if res.Hugo != nil {
			row("Hugo", *res.Hugo)
		}
		row("goldmark floor", res.Floor)
		if res.Hugo != nil {
			fmt.Fprintf(&b, "| **Qorgau / Hugo** | **%s** | **%s** | **%s** | |\n",
				ratio(res.Qorgau.Wall.Seconds(), res.Hugo.Wall.Seconds()), ratio(res.Qorgau.CPU.Seconds(), res.Hugo.CPU.Seconds()), ratio(float64(res.Qorgau.RSS), float64(res.Hugo.RSS)))
		}
		fmt.Fprintf(&b, "| **Qorgau / floor** | **%s** | **%s** | **%s** | |\n",
			ratio(res.Qorgau.Wall.Seconds(), res.Floor.Wall.Seconds()), ratio(res.Qorgau.CPU.Seconds(), res.Floor.CPU.Seconds()), ratio(float64(res.Qorgau.RSS), float64(res.Floor.RSS)))

		if res.Serve != nil {
			fmt.Fprintf(&b, "\n### Preview server, N = %d\n\n", res.Pages)
			fmt.Fprintf(&b, "| | cold start (launch → first 200) | whole first build | edit → page served, median (min–max) | own logged rebuild, median | peak RSS |\n|---|---|---|---|---|---|\n")
			srow := func(name string, s *ServeResult) {
				mn, mx := time.Duration(-1), time.Duration(-1)
				if len(s.Edits) > 0 {
					mn, mx = s.Edits[0], s.Edits[0]
					for _, e := range s.Edits {
						mn, mx = min(mn, e), max(mx, e)
					}
				}
				lm := s.LoggedMedian
				if len(s.Logged) == 0 {
					lm = -1
				}
				ready := s.Ready
				if ready < s.ColdStart {
					ready = s.ColdStart
				}
				fmt.Fprintf(&b, "| %s | %s | %s | %s (%s–%s), %d edits | %s | %s |\n", name, fmtDur(s.ColdStart), fmtDur(ready), fmtDur(s.Median), fmtDur(mn), fmtDur(mx), len(s.Edits), fmtDur(lm), fmtBytes(s.PeakRSS))
			}
			srow("Qorgau `serve`", res.Serve)
			if res.HServe != nil {
				srow("`hugo server`", res.HServe)
				fmt.Fprintf(&b, "| **Qorgau / Hugo** | **%s** | **%s** | **%s** | **%s** | **%s** |\n",
					ratio(res.Serve.ColdStart.Seconds(), res.HServe.ColdStart.Seconds()), ratio(max(res.Serve.Ready, res.Serve.ColdStart).Seconds(), max(res.HServe.Ready, res.HServe.ColdStart).Seconds()), ratio(res.Serve.Median.Seconds(), res.HServe.Median.Seconds()),
					ratio(res.Serve.LoggedMedian.Seconds(), res.HServe.LoggedMedian.Seconds()), ratio(float64(res.Serve.PeakRSS), float64(res.HServe.PeakRSS)))
			}
		}
	}
	if r.Photos != nil {
		r.Photos.markdown(&b)
	}
	if ts := r.Targets(); len(ts) > 0 {
		fmt.Fprintf(&b, "\n### Targets\n\n| target | goal | measured | |\n|---|---|---|---|\n")
		for _, t := range ts {
			mark := "met"
			if !t.Met {
				mark = "**missed**"
			}
			fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", t.What, t.Goal, t.Measured, mark)
		}
	}
	for _, n := range r.Notes {
		fmt.Fprintf(&b, "\nNote: %s\n", n)
	}
	return b.String()
}
