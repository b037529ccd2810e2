package serve

import (
	"context"
	"net/http"
	"os"
	"path/filepath"

	"github.com/qorgau/qorgau/generator/internal/check"
	"github.com/qorgau/qorgau/generator/internal/config"
	"github.com/qorgau/qorgau/generator/internal/content"
	"github.com/qorgau/qorgau/generator/internal/site"
)

// state is the last good build for the workbench: its site and config,
// and the newest check report made. A build's report is made once, in the
// background (a check of 3 × 1,000 pages takes most of a second), so the
// workbench shows the last one until it is ready.
func (s *Server) state(*http.Request) (*content.Site, *config.Config, *check.Report) {
	last := s.session.Last()
	if last == nil {
		return nil, nil, nil
	}
	snap := s.current.Load()
	s.reportMu.Lock()
	defer s.reportMu.Unlock()
	if snap != nil && s.reportOf != snap.version && s.reporting != snap.version {
		s.reporting = snap.version
		go s.makeReport(snap.version)
	}
	return last.Site, last.Config, s.report
}

// makeReport checks the last good build for the workbench's overview.
func (s *Server) makeReport(version string) {
	root, _ := filepath.Abs(s.opts.Source)
	// The build's site and files never change: the check runs without
	// holding the session, so edits go on being rebuilt meanwhile.
	last := s.session.Last()
	if last == nil {
		return
	}
	set, later := s.session.Snapshot()
	if cur := s.current.Load(); cur == nil || cur.version != version {
		s.reportMu.Lock()
		s.reporting = "" // built again meanwhile: the next request asks anew
		s.reportMu.Unlock()
		return
	}
	files := set.Map()
	for rel, make := range later {
		files[rel] = make()
	}
	opts := check.Options{Source: os.DirFS(root), Overrides: config.Overrides{BaseURL: s.URL()}, Built: &check.Built{Result: last, Files: files}}
	rep, _ := check.Run(context.Background(), opts)
	s.reportMu.Lock()
	defer s.reportMu.Unlock()
	// Two checks may run at once (an edit came while one ran): the one of
	// an older build does not replace the newer one's report.
	if cur := s.current.Load(); rep != nil && (s.report == nil || cur != nil && cur.version == version) {
		s.report, s.reportOf = rep, version
	}
	if s.reporting == version {
		s.reporting = ""
	}
}

// serveStatus checks the last good build and shows the editors'
// dashboard; while the last build failed it checks the sources afresh.
func (s *Server) serveStatus(w http.ResponseWriter, r *http.Request) {
	root, _ := filepath.Abs(s.opts.Source)
	var rep *check.Report
	var err error
	opts := check.Options{Source: os.DirFS(root), Overrides: config.Overrides{BaseURL: s.URL()}}
	if !s.session.Inspect(func(res *site.Result, files map[string][]byte) {
		opts.Built = &check.Built{Result: res, Files: files}
		rep, err = check.Run(r.Context(), opts)
	}) {
		rep, err = check.Run(r.Context(), opts)
	}
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	snap := s.snapshotFor(r)
	if snap == nil {
		return
	}
	_, _ = w.Write(inject(check.Dashboard(rep), snap))
}
