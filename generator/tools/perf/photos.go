package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/qorgau/qorgau/generator/tools/corpus"
)

// photoPages is the size of the images benchmark's site besides its photos.
const photoPages = 40

// PhotoResult is the images benchmark: a site of photoPages lessons in one
// language with Photos photos of 4000 × 3000, three per lesson.
type PhotoResult struct {
	Photos int
	First  Stats // builds with no cache folder: every photo processed
	Warm   Stats // builds with the cache from the last one
	Plain  Stats // the same site without the photos, built again
}

// runPhotos measures the images benchmark: first builds (cache and output
// deleted before each), then builds with the cache kept, against the same
// site without photos.
func runPhotos(ctx context.Context, o *Options, work, bin string, n int) (*PhotoResult, error) {
	base := filepath.Join(work, fmt.Sprintf("photos%d", n))
	site, plain := filepath.Join(base, "site"), filepath.Join(base, "plain")
	if err := os.RemoveAll(base); err != nil {
		return nil, err
	}
	o.logf("photos: writing %d photos of 4000 × 3000 into %s", n, site)
	if err := corpus.Write(site, corpus.Options{Pages: photoPages, Langs: []string{"en"}, Seed: 1, Photos: n}); err != nil {
		return nil, err
	}
	if err := corpus.Write(plain, corpus.Options{Pages: photoPages, Langs: []string{"en"}, Seed: 1}); err != nil {
		return nil, err
	}
	res := &PhotoResult{Photos: n}
	build := func(dir string) []string {
		return []string{bin, "build", "--source", dir, "--dest", filepath.Join(dir, "public"), "--quiet"}
	}
	measure := func(what string, runs int, cmd []string, before func() error) (Stats, error) {
		var samples []Sample
		for i := 0; i < o.Warmup+runs; i++ {
			if err := ctx.Err(); err != nil {
				return Stats{}, err
			}
			if before != nil {
				if err := before(); err != nil {
					return Stats{}, err
				}
			}
			settle()
			s, err := runMeasured(ctx, base, nil, cmd[0], cmd[1:]...)
			if err != nil {
				return Stats{}, fmt.Errorf("photos, %s: %w", what, err)
			}
			label := "warm-up"
			if i >= o.Warmup {
				label = fmt.Sprintf("run %d/%d", i-o.Warmup+1, runs)
				samples = append(samples, s)
			}
			o.logf("photos %-10s %-9s wall %s, CPU %s, peak RSS %s", what, label, fmtDur(s.Wall), fmtDur(s.CPU), fmtBytes(s.RSS))
		}
		return summarise(samples), nil
	}
	var err error
	fresh := func() error { // no cache, no output: every photo made
		if err := os.RemoveAll(filepath.Join(site, ".qorgau-cache")); err != nil {
			return err
		}
		return os.RemoveAll(filepath.Join(site, "public"))
	}
	if res.First, err = measure("first", o.Runs, build(site), fresh); err != nil {
		return res, err
	}
	if _, err := os.Stat(filepath.Join(site, "public", "en", "photos")); err != nil {
		return res, fmt.Errorf("photos: the build wrote no photo pages: %w", err)
	}
	if res.Warm, err = measure("warm", o.Runs, build(site), nil); err != nil {
		return res, err
	}
	res.Plain, err = measure("no photos", o.Runs, build(plain), nil)
	return res, err
}

// photoTargets are issue 18's image targets.
func (p *PhotoResult) targets() []Target {
	added := p.Warm.Wall - p.Plain.Wall
	return []Target{
		{fmt.Sprintf("first build of %d photos of 4000 × 3000", p.Photos), "≤ 10 s", fmt.Sprintf("%s (%s–%s)", fmtDur(p.First.Wall), fmtDur(p.First.WallMin), fmtDur(p.First.WallMax)), p.First.Wall <= 10*time.Second},
		{"second build, cache warm", "≤ 100 ms added", fmt.Sprintf("%s vs %s without photos: %s added", fmtDur(p.Warm.Wall), fmtDur(p.Plain.Wall), fmtDur(added)), added <= 100*time.Millisecond},
		{"peak memory while processing", "≤ 300 MB", fmtBytes(p.First.RSSMax) + " (largest run)", p.First.RSSMax <= 300<<20},
	}
}

// markdown renders the images benchmark's table.
func (p *PhotoResult) markdown(b *strings.Builder) {
	fmt.Fprintf(b, "\n### Images: %d photos of 4000 × 3000, three per lesson\n\n", p.Photos)
	fmt.Fprintf(b, "| | wall | CPU (user+sys) | peak RSS |\n|---|---|---|---|\n")
	row := func(name string, s Stats) {
		fmt.Fprintf(b, "| %s | %s (%s–%s) | %s | %s |\n", name, fmtDur(s.Wall), fmtDur(s.WallMin), fmtDur(s.WallMax), fmtDur(s.CPU), fmtBytes(s.RSS))
	}
	row("first build (no cache)", p.First)
	row("second build (cache warm)", p.Warm)
	row("the same site without photos", p.Plain)
}
