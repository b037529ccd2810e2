package site

import (
	"errors"
	"io"
	"io/fs"
	"path"
	"time"
)

// FS returns the set as a file system of its files (no folders: opening a
// folder's path fails), whose files read their pieces as they are, without
// joining them. It serves the preview through the standard library.
func (f *FileSet) FS() fs.FS { return setFS{f} }

type setFS struct{ set *FileSet }

func (s setFS) Open(name string) (fs.File, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	c, ok := s.set.Get(name)
	if !ok {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return c.File(name), nil
}

// File returns the content as an open file named name, which reads and
// seeks across its pieces.
func (c Content) File(name string) fs.File {
	return &contentFile{name: name, c: c, size: int64(c.Len())}
}

// contentFile is an open Content: fs.File and io.ReadSeeker.
type contentFile struct {
	name string
	c    Content
	size int64
	off  int64
}

func (f *contentFile) Stat() (fs.FileInfo, error) { return contentInfo{f}, nil }
func (f *contentFile) Close() error               { return nil }

func (f *contentFile) Read(b []byte) (int, error) {
	if f.off >= f.size {
		return 0, io.EOF
	}
	n, skip := 0, f.off
	for _, p := range f.c {
		if skip >= int64(len(p)) {
			skip -= int64(len(p))
			continue
		}
		m := copy(b[n:], p[skip:])
		n += m
		skip = 0
		if n == len(b) {
			break
		}
	}
	f.off += int64(n)
	return n, nil
}

func (f *contentFile) Seek(offset int64, whence int) (int64, error) {
	switch whence {
	case io.SeekCurrent:
		offset += f.off
	case io.SeekEnd:
		offset += f.size
	}
	if offset < 0 {
		return 0, errors.New("seek before the start of the file")
	}
	f.off = offset
	return offset, nil
}

// contentInfo describes a contentFile.
type contentInfo struct{ f *contentFile }

func (i contentInfo) Name() string       { return path.Base(i.f.name) }
func (i contentInfo) Size() int64        { return i.f.size }
func (i contentInfo) Mode() fs.FileMode  { return 0o444 }
func (i contentInfo) ModTime() time.Time { return time.Time{} }
func (i contentInfo) IsDir() bool        { return false }
func (i contentInfo) Sys() any           { return nil }
