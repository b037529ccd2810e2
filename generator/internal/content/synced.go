package content

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// SyncedDir keeps, for each sourceHash a translation records, a copy of
// the original's file as it was when the translation was marked synced:
// the workbench shows a translator what changed since. It is small (one
// file per synced version of an original, pruned as syncs move on), needs
// no git, and is never built: content/ ignores folders starting with ".".
const SyncedDir = Dir + "/.synced"

// ErrBadHash is returned for a sourceHash that is not one TextHash makes.
var ErrBadHash = errors.New("not a text hash")

func syncedName(hash string) (string, error) {
	if len(hash) != 16 || strings.Trim(hash, "0123456789abcdef") != "" {
		return "", ErrBadHash
	}
	return SyncedDir + "/" + hash + ".md", nil
}

// SaveSynced keeps original, the original's file, as the text of hash, in
// the site folder root. An existing copy is kept.
func SaveSynced(root, hash string, original []byte) error {
	name, err := syncedName(hash)
	if err != nil {
		return err
	}
	file := filepath.Join(root, filepath.FromSlash(name))
	if _, err := os.Stat(file); err == nil {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		return err
	}
	return WriteAtomic(file, original)
}

// ReadSynced returns the original's file as it was for hash, or an error
// wrapping fs.ErrNotExist when no copy was kept.
func ReadSynced(fsys fs.FS, hash string) ([]byte, error) {
	name, err := syncedName(hash)
	if err != nil {
		return nil, err
	}
	return fs.ReadFile(fsys, name)
}

// PruneSynced removes the copies no translation records any more.
func PruneSynced(root string, keep map[string]bool) error {
	dir := filepath.Join(root, filepath.FromSlash(SyncedDir))
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	for _, e := range entries {
		hash := strings.TrimSuffix(e.Name(), ".md")
		if _, err := syncedName(hash); err == nil && !keep[hash] {
			if err := os.Remove(filepath.Join(dir, e.Name())); err != nil {
				return err
			}
		}
	}
	return nil
}

// WriteAtomic writes a file through a temporary file in its folder and a
// rename, keeping the file's mode: a reader sees the old or the new file,
// never a part.
func WriteAtomic(file string, data []byte) error {
	mode := os.FileMode(0o644)
	if info, err := os.Stat(file); err == nil {
		mode = info.Mode().Perm()
	}
	tmp, err := os.CreateTemp(filepath.Dir(file), "."+filepath.Base(file)+".*.tmp")
	if err != nil {
		return err
	}
	name := tmp.Name()
	_, err = tmp.Write(data)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(name, mode)
	}
	if err == nil {
		err = os.Rename(name, file)
	}
	if err != nil {
		_ = os.Remove(name)
	}
	return err
}
