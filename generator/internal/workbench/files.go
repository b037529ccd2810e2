package workbench

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/qorgau/qorgau/generator/internal/content"
)

// errPath is a path the workbench will not touch.
var errPath = errors.New("only Markdown files inside content/ can be edited")

// checkFile turns a site-relative path from a request into the file on
// disk, refusing anything outside content/: "..", backslashes, control
// characters, encoded or doubled separators, hidden names, and symbolic
// links anywhere on the way.
func (wb *Workbench) checkFile(rel string) (string, error) {
	if rel == "" || !strings.HasPrefix(rel, content.Dir+"/") || !strings.HasSuffix(rel, ".md") ||
		strings.ContainsAny(rel, "\\%\x00") || path.Clean(rel) != rel {
		return "", errPath
	}
	for _, r := range rel {
		if r < 0x20 || r == 0x7f {
			return "", errPath
		}
	}
	parts := strings.Split(rel, "/")
	dir := wb.opts.Root
	for i, part := range parts {
		if part == "" || part == "." || part == ".." || (i > 0 && strings.HasPrefix(part, ".")) {
			return "", errPath
		}
		dir = filepath.Join(dir, part)
		info, err := os.Lstat(dir)
		if errors.Is(err, fs.ErrNotExist) {
			break // what is missing is made by the write
		}
		if err != nil {
			return "", err
		}
		if info.Mode()&fs.ModeSymlink != 0 {
			return "", fmt.Errorf("%s: %w (a symbolic link is on the way)", rel, errPath)
		}
	}
	return filepath.Join(wb.opts.Root, filepath.FromSlash(rel)), nil
}

// version names a file's bytes, so a save can tell the file changed on
// disk since the form was opened ("" for a missing file).
func version(b []byte, exists bool) string {
	if !exists {
		return ""
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:12])
}

// read returns a file's bytes and whether it exists.
func read(file string) ([]byte, bool, error) {
	b, err := os.ReadFile(file)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, false, nil
	}
	return b, err == nil, err
}

// write saves data into rel atomically and keeps the file's bytes before
// it, for one-step undo.
func (wb *Workbench) write(rel, file string, data []byte) error {
	old, existed, err := read(file)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		return err
	}
	if err := content.WriteAtomic(file, data); err != nil {
		return err
	}
	wb.mu.Lock()
	if existed {
		wb.undo[rel] = old
	} else {
		wb.undo[rel] = nil
	}
	wb.mu.Unlock()
	return nil
}

// undoLast puts back a file as it was before its last save in this
// session; a file the save created is removed.
func (wb *Workbench) undoLast(rel, file string) error {
	wb.mu.Lock()
	old, ok := wb.undo[rel]
	delete(wb.undo, rel)
	wb.mu.Unlock()
	if !ok {
		return errors.New("there is no save of this file to undo in this session")
	}
	if old == nil {
		return os.Remove(file)
	}
	return content.WriteAtomic(file, old)
}

// canUndo reports whether rel has a save to undo.
func (wb *Workbench) canUndo(rel string) bool {
	wb.mu.Lock()
	defer wb.mu.Unlock()
	_, ok := wb.undo[rel]
	return ok
}

// remove deletes a lesson's file and keeps its bytes to restore.
func (wb *Workbench) remove(rel, file string) error {
	b, ok, err := read(file)
	if err != nil || !ok {
		return fmt.Errorf("%s cannot be read: %v", rel, err)
	}
	if err := os.Remove(file); err != nil {
		return err
	}
	wb.mu.Lock()
	wb.deleted[rel] = b
	wb.mu.Unlock()
	return nil
}

// restore puts back a file deleted in this session.
func (wb *Workbench) restore(rel, file string) error {
	wb.mu.Lock()
	b, ok := wb.deleted[rel]
	delete(wb.deleted, rel)
	wb.mu.Unlock()
	if !ok {
		return errors.New("this file was not deleted in this session")
	}
	if _, exists, _ := read(file); exists {
		return errors.New("a file of that name exists again; nothing was restored")
	}
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		return err
	}
	return content.WriteAtomic(file, b)
}
