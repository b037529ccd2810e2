package images

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
)

// Stamp identifies a version of a source file cheaply: its size and
// modification time, as make and rsync do.
type Stamp struct {
	Size    int64
	ModTime int64 // Unix nanoseconds
}

// StampOf is a file's stamp.
func StampOf(fi fs.FileInfo) Stamp { return Stamp{Size: fi.Size(), ModTime: fi.ModTime().UnixNano()} }

// Sum is the hash of a source file's content, naming its processed files.
func Sum(data []byte) string {
	h := sha256.Sum256(data)
	return hex.EncodeToString(h[:16])
}

// Cache keeps processed images in a folder between builds, outside the
// output: files.json maps each source file's stamp to its content's hash
// and header, so a build need not read an unchanged image at all, and
// each image's files are kept under its hash and the options. Deleting
// the folder is always safe: everything in it is made again. It is safe
// for concurrent use.
type Cache struct {
	dir   string
	root  *os.Root
	mu    sync.Mutex
	index map[string]indexEntry // source path -> what it held at a stamp
	dirty bool
}

type indexEntry struct {
	Stamp Stamp  `json:"stamp"`
	Sum   string `json:"sum"`
	Info  Info   `json:"info"`
}

const indexFile = "files.json"

// OpenCache opens (making it when needed) the cache folder dir.
func OpenCache(dir string) (*Cache, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, err
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	c := &Cache{dir: abs, root: root, index: map[string]indexEntry{}}
	if b, err := root.ReadFile(indexFile); err == nil {
		_ = json.Unmarshal(b, &c.index) // a damaged index is an empty one
	}
	if _, err := root.Stat("README.txt"); errors.Is(err, fs.ErrNotExist) {
		_ = root.WriteFile("README.txt", []byte("Images made by Qorgau from the site's photos and diagrams, kept so the next build is fast.\nDeleting this folder is safe: the next build makes them again.\n"), 0o644)
	}
	return c, nil
}

// Close saves the index and closes the folder.
func (c *Cache) Close() error {
	if c == nil {
		return nil
	}
	err := c.Save()
	if cerr := c.root.Close(); err == nil {
		err = cerr
	}
	return err
}

// Lookup returns what a source file held when it had this stamp.
func (c *Cache) Lookup(src string, st Stamp) (sum string, info Info, ok bool) {
	if c == nil {
		return "", Info{}, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.index[src]
	if !ok || e.Stamp != st || e.Sum == "" {
		return "", Info{}, false
	}
	return e.Sum, e.Info, true
}

// Remember records what a source file holds at a stamp.
func (c *Cache) Remember(src string, st Stamp, sum string, info Info) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.index[src]; ok && e.Stamp == st && e.Sum == sum && e.Info == info {
		return
	}
	c.index[src] = indexEntry{Stamp: st, Sum: sum, Info: info}
	c.dirty = true
}

// Save writes the index when it changed, atomically.
func (c *Cache) Save() error {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.dirty {
		return nil
	}
	b, err := json.Marshal(c.index)
	if err != nil {
		return err
	}
	if err := writeAtomic(c.root, indexFile, b); err != nil {
		return err
	}
	c.dirty = false
	return nil
}

// dir is where an image's files made with options o are kept.
func (o Options) dir(sum string) string {
	k := sha256.Sum256([]byte(o.key()))
	return path.Join(sum[:2], sum+"-"+hex.EncodeToString(k[:4]))
}

// Files returns the kept files of an image, or ok=false when one is missing.
func (c *Cache) Files(sum string, o Options, info Info) (files []File, ok bool) {
	if c == nil || len(sum) < 2 {
		return nil, false
	}
	dir := o.dir(sum)
	for _, v := range o.Variants(info) {
		name := path.Join(dir, path.Base(v.Name("x.x")))
		b, err := c.root.ReadFile(name)
		if err != nil {
			return nil, false
		}
		files = append(files, File{Variant: v, Data: b, Path: filepath.Join(c.dir, filepath.FromSlash(name))})
	}
	return files, true
}

// Store keeps an image's files, and sets their Path.
func (c *Cache) Store(sum string, o Options, files []File) error {
	if c == nil || len(sum) < 2 {
		return nil
	}
	dir := o.dir(sum)
	if err := c.root.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for i, f := range files {
		name := path.Join(dir, path.Base(f.Name("x.x")))
		if err := writeAtomic(c.root, name, f.Data); err != nil {
			return err
		}
		files[i].Path = filepath.Join(c.dir, filepath.FromSlash(name))
	}
	return nil
}

var tmpSeq atomic.Int64

// writeAtomic writes a file through a temporary one, so a build that stops
// midway never leaves half a file.
func writeAtomic(root *os.Root, name string, data []byte) error {
	tmp := name + "." + strconv.FormatInt(tmpSeq.Add(1), 10) + ".tmp"
	if err := root.WriteFile(tmp, data, 0o644); err != nil {
		return err
	}
	if err := root.Rename(tmp, name); err != nil {
		_ = root.Remove(tmp)
		return err
	}
	return nil
}
