package output

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// Staging writes a build into a hidden sibling of the output folder and
// swaps it in on Commit, so a failed or killed build never leaves the
// output folder half-written, and a good one leaves no stale files.
type Staging struct {
	dest string // the output folder
	tmp  string // the staging folder beside it
	dirs sync.Map

	// RemoveOld removes the old output once it has been moved aside; nil
	// means os.RemoveAll. The build command hands it to a background
	// process, as deleting thousands of files mostly waits on the disk.
	RemoveOld func(dir string) error
}

// IsOldOutput reports whether dir is an old output folder that Commit
// moved aside for deletion (".<name>.del-<random>"), the only kind
// RemoveOld is given.
func IsOldOutput(dir string) bool {
	base := filepath.Base(filepath.Clean(dir))
	i := strings.Index(base, ".del-")
	return strings.HasPrefix(base, ".") && i > 1 && i+len(".del-") < len(base)
}

// keep lists files of the old output folder that survive a swap: the
// placeholder that keeps an otherwise ignored public/ folder in git.
var keep = []string{".gitkeep"}

// siblings names the folders beside dest: the staging folder (tmp), the
// old output during a swap (old), which a killed swap gets back, and the
// old output after it (del), which is only ever deleted.
func siblings(dest string) (dir, tmpPrefix, oldPrefix string) {
	dir, base := filepath.Split(filepath.Clean(dest))
	if dir == "" {
		dir = "."
	}
	return dir, "." + base + ".tmp-", "." + base + ".old-"
}

func delPrefix(dest string) string {
	return "." + filepath.Base(filepath.Clean(dest)) + ".del-"
}

// Stage prepares a staging folder for dest. It first cleans up what an
// earlier interrupted build left: staging folders are removed, and if dest
// is missing while an old copy exists (killed between the two renames of a
// swap), the old copy is put back.
func Stage(dest string) (*Staging, error) {
	dest = filepath.Clean(dest)
	dir, tmpPrefix, oldPrefix := siblings(dest)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("cannot create the folder %s for the output: %w; choose another --dest", dir, err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	_, destErr := os.Stat(dest)
	del := delPrefix(dest)
	for _, e := range entries {
		name := e.Name()
		full := filepath.Join(dir, name)
		switch {
		case strings.HasPrefix(name, tmpPrefix), strings.HasPrefix(name, del):
			_ = os.RemoveAll(full)
		case strings.HasPrefix(name, oldPrefix):
			if errors.Is(destErr, os.ErrNotExist) {
				if err := os.Rename(full, dest); err == nil {
					destErr = nil
					continue
				}
			}
			_ = os.RemoveAll(full)
		}
	}
	tmp, err := os.MkdirTemp(dir, tmpPrefix)
	if err != nil {
		return nil, fmt.Errorf("cannot create a staging folder beside %s: %w", dest, err)
	}
	return &Staging{dest: dest, tmp: tmp}, nil
}

// Dir is the staging folder.
func (s *Staging) Dir() string { return s.tmp }

// WriteFile writes one file into the staging folder.
func (s *Staging) WriteFile(rel string, data []byte) error {
	return s.WriteParts(rel, [][]byte{data})
}

// LinkFile puts the file src, which holds data, into the staging folder at
// rel as a hard link, or writes data where src cannot be linked (another
// disk, a file system without links).
func (s *Staging) LinkFile(rel, src string, data []byte) error {
	if err := CheckPath(rel); err != nil {
		return err
	}
	full := filepath.Join(s.tmp, filepath.FromSlash(rel))
	if err := s.mkdir(filepath.Dir(full)); err != nil {
		return err
	}
	if err := os.Link(src, full); err == nil {
		return nil
	}
	return s.WriteParts(rel, [][]byte{data})
}

// WriteParts writes one file of the staging folder from pieces.
func (s *Staging) WriteParts(rel string, parts [][]byte) error {
	if err := CheckPath(rel); err != nil {
		return err
	}
	full := filepath.Join(s.tmp, filepath.FromSlash(rel))
	if err := s.mkdir(filepath.Dir(full)); err != nil {
		return err
	}
	f, err := os.OpenFile(full, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	err = writeAll(f, parts)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// mkdir makes a folder of the staging folder and its missing parents,
// remembering what exists: one system call for a new folder whose parent
// is known, where os.MkdirAll would also stat both.
func (s *Staging) mkdir(dir string) error {
	if _, ok := s.dirs.Load(dir); ok || dir == s.tmp {
		return nil
	}
	err := os.Mkdir(dir, 0o755)
	if errors.Is(err, fs.ErrNotExist) {
		if err = s.mkdir(filepath.Dir(dir)); err == nil {
			err = os.Mkdir(dir, 0o755)
		}
	}
	if err != nil && !errors.Is(err, fs.ErrExist) {
		return err
	}
	s.dirs.Store(dir, true)
	return nil
}

// Commit replaces the output folder with the staging folder.
func (s *Staging) Commit() error {
	_, _, oldPrefix := siblings(s.dest)
	for _, k := range keep {
		if b, err := os.ReadFile(filepath.Join(s.dest, k)); err == nil {
			_ = os.WriteFile(filepath.Join(s.tmp, k), b, 0o644)
		}
	}
	old := ""
	if _, err := os.Stat(s.dest); err == nil {
		dir, _, _ := siblings(s.dest)
		o, err := os.MkdirTemp(dir, oldPrefix)
		if err != nil {
			return err
		}
		if err := os.Remove(o); err != nil {
			return err
		}
		if err := os.Rename(s.dest, o); err != nil {
			return fmt.Errorf("cannot move the old output aside: %w", err)
		}
		old = o
	}
	if err := os.Rename(s.tmp, s.dest); err != nil {
		if old != "" {
			_ = os.Rename(old, s.dest)
		}
		return fmt.Errorf("cannot move the new output into place: %w", err)
	}
	if old == "" {
		return nil
	}
	// Renamed first, so that a build killed later never mistakes a folder
	// half deleted for an old output to put back.
	dir, _, oldPrefix := siblings(s.dest)
	gone := filepath.Join(dir, delPrefix(s.dest)+strings.TrimPrefix(filepath.Base(old), oldPrefix))
	if err := os.Rename(old, gone); err != nil {
		return os.RemoveAll(old)
	}
	if s.RemoveOld != nil {
		if err := s.RemoveOld(gone); err == nil {
			return nil
		}
	}
	return os.RemoveAll(gone)
}

// Abort removes the staging folder and leaves the output folder as it was.
func (s *Staging) Abort() { _ = os.RemoveAll(s.tmp) }

// writeEach writes parts to f one after the other.
func writeEach(f *os.File, parts [][]byte) error {
	for _, p := range parts {
		if _, err := f.Write(p); err != nil {
			return err
		}
	}
	return nil
}
