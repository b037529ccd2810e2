// Package output writes a rendered site: it minifies files, makes the
// sitemap, feeds, robots.txt and redirect pages, and writes into a staging
// folder that replaces the output folder only when the whole build worked.
package output

import (
	"errors"
	"fmt"
	"path"
	"strings"
	"sync"
)

// Writer receives the files of a build. Paths are slash-separated and
// relative to the output folder. Implementations are safe for concurrent use.
type Writer interface {
	WriteFile(rel string, data []byte) error
}

// PartsWriter is a Writer that can write a file given in pieces, one after
// the other, without joining them first.
type PartsWriter interface {
	Writer
	WriteParts(rel string, parts [][]byte) error
}

// FileLinker is a Writer that can put a file kept elsewhere on the same disk
// (a resized image in the build's cache) into the output without copying
// its bytes: a hard link, or a copy of data where the file system has none.
type FileLinker interface {
	Writer
	LinkFile(rel, src string, data []byte) error
}

// CheckPath rejects output paths that could leave the output folder: empty,
// absolute, with "..", backslashes or NUL bytes.
func CheckPath(rel string) error {
	switch {
	case rel == "":
		return errors.New("empty output path")
	case strings.HasPrefix(rel, "/"):
		return fmt.Errorf("output path %q is absolute", rel)
	case strings.ContainsAny(rel, "\\\x00"):
		return fmt.Errorf("output path %q contains a backslash or NUL", rel)
	case path.Clean(rel) != rel:
		return fmt.Errorf("output path %q is not clean", rel)
	}
	for _, seg := range strings.Split(rel, "/") {
		if seg == ".." || seg == "." || seg == "" {
			return fmt.Errorf("output path %q leaves the output folder", rel)
		}
	}
	return nil
}

// Memory keeps a build's files in memory, for the preview server and tests.
type Memory struct {
	mu    sync.RWMutex
	files map[string][]byte
}

// NewMemory returns an empty Memory.
func NewMemory() *Memory { return &Memory{files: map[string][]byte{}} }

// WriteFile stores a file.
func (m *Memory) WriteFile(rel string, data []byte) error {
	if err := CheckPath(rel); err != nil {
		return err
	}
	m.mu.Lock()
	m.files[rel] = data
	m.mu.Unlock()
	return nil
}

// Get returns a stored file.
func (m *Memory) Get(rel string) ([]byte, bool) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	b, ok := m.files[rel]
	return b, ok
}

// Files returns the stored files; the map must not be changed.
func (m *Memory) Files() map[string][]byte {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return m.files
}
