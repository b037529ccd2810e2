package serve

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/fsnotify/fsnotify"

	"github.com/qorgau/qorgau/generator/internal/paths"
	"github.com/qorgau/qorgau/generator/internal/site"
)

// Quiet and MaxDelay bound how a burst of events is coalesced: a batch is
// sent once no event came for Quiet, or MaxDelay after its first event.
// An editor's save (a few events within a millisecond or two) and a git
// checkout (hundreds) both become one rebuild without a long fixed delay.
const (
	Quiet    = 5 * time.Millisecond
	MaxDelay = 400 * time.Millisecond
)

// watcher watches a site's folders recursively (fsnotify does not recurse:
// folders are added as they appear) and sends batches of changed paths,
// slash-separated and relative to the site root.
type watcher struct {
	root    string
	fw      *fsnotify.Watcher
	batches chan []string
	errs    chan error
}

func newWatcher(root string) (*watcher, error) {
	fw, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, err
	}
	w := &watcher{root: root, fw: fw, batches: make(chan []string, 1), errs: make(chan error, 8)}
	if err := fw.Add(root); err != nil {
		fw.Close()
		return nil, err
	}
	for _, d := range paths.Sources {
		w.addTree(filepath.Join(root, d), nil)
	}
	return w, nil
}

// addTree watches dir and every folder below it; found files are appended
// to files when it is not nil (a folder that appears may already hold files).
func (w *watcher) addTree(dir string, files *[]string) {
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if p != dir && paths.Ignored(d.Name()) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			if err := w.fw.Add(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
				select {
				case w.errs <- err:
				default:
				}
			}
		} else if files != nil {
			*files = append(*files, w.rel(p))
		}
		return nil
	})
}

func (w *watcher) rel(p string) string {
	r, err := filepath.Rel(w.root, p)
	if err != nil {
		return p
	}
	return filepath.ToSlash(r)
}

// relevant reports whether a changed path can change the site.
func relevant(rel string) bool { return paths.Watched(rel) }

// run turns events into batches until ctx ends.
func (w *watcher) run(ctx context.Context) {
	defer w.fw.Close()
	pending := map[string]bool{}
	var first time.Time
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	flush := func() {
		if len(pending) == 0 {
			return
		}
		batch := make([]string, 0, len(pending))
		for p := range pending {
			batch = append(batch, p)
		}
		clear(pending)
		select {
		case w.batches <- batch:
		case <-ctx.Done():
		}
	}
	for {
		select {
		case <-ctx.Done():
			return
		case err, ok := <-w.fw.Errors:
			if !ok {
				return
			}
			select {
			case w.errs <- err:
			default:
			}
			// Events may have been lost (e.g. the kernel's queue overflowed):
			// read everything again.
			if len(pending) == 0 {
				first = time.Now()
			}
			pending[site.Everything] = true
			timer.Reset(Quiet)
		case ev, ok := <-w.fw.Events:
			if !ok {
				return
			}
			rel := w.rel(ev.Name)
			if ev.Has(fsnotify.Create) {
				if info, err := os.Lstat(ev.Name); err == nil && info.IsDir() && relevant(rel) {
					var files []string
					w.addTree(ev.Name, &files)
					for _, f := range files {
						pending[f] = true
					}
				}
			}
			if ev.Has(fsnotify.Remove) || ev.Has(fsnotify.Rename) {
				_ = w.fw.Remove(ev.Name) // a removed folder; an error for files is expected
			}
			if !relevant(rel) {
				continue
			}
			if len(pending) == 0 {
				first = time.Now()
			}
			pending[rel] = true
			wait := Quiet
			if left := MaxDelay - time.Since(first); left < wait {
				wait = max(left, 0)
			}
			timer.Reset(wait)
		case <-timer.C:
			flush()
		}
	}
}
