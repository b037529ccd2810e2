package site

import (
	"bytes"
	"context"
	"crypto/sha256"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"testing/fstest"

	"image"

	"github.com/qorgau/qorgau/generator/internal/images"
	"github.com/qorgau/qorgau/generator/internal/images/imagetest"
	"github.com/qorgau/qorgau/generator/internal/output"
	_ "golang.org/x/image/webp"
)

var update = flag.Bool("update", false, "rewrite golden files")

// siteFS loads testdata/sites/<name> into memory with the shared test
// theme mounted at themes/test.
func siteFS(t testing.TB, name string) fstest.MapFS {
	t.Helper()
	m := fstest.MapFS{}
	add := func(root, prefix string) {
		err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(root, p)
			m[prefix+filepath.ToSlash(rel)] = &fstest.MapFile{Data: b, Mode: 0o644}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	add(filepath.Join("testdata", "sites", name), "")
	add(filepath.Join("testdata", "theme"), "themes/test/")
	if gen := generated[name]; gen != nil {
		for p, b := range gen() {
			m[p] = &fstest.MapFile{Data: b, Mode: 0o644}
		}
	}
	return m
}

// generated are the binary files of test sites, made by the test rather
// than kept in the repository.
var generated = map[string]func() map[string][]byte{
	"images": func() map[string][]byte {
		dir := "content/en/lessons/photos/"
		return map[string][]byte{
			dir + "cover.jpg":       imagetest.Photo(1600, 1200, 1, 1),
			dir + "poster.jpg":      imagetest.Photo(800, 600, 2, 1),
			dir + "turned.jpg":      imagetest.Photo(1200, 900, 3, 6),
			dir + "chart.png":       imagetest.Diagram(500, 300),
			"static/img/logo.png":   imagetest.Diagram(200, 100),
			"static/img/unused.jpg": imagetest.Photo(64, 48, 4, 1),
		}
	},
}

// describeImage is how a golden file records an image: its format and
// size, and whether it holds camera metadata (never).
func describeImage(b []byte) string {
	cfg, format, err := image.DecodeConfig(bytes.NewReader(b))
	if err != nil {
		return "not an image: " + err.Error() + "\n"
	}
	meta := ""
	if bytes.Contains(b, []byte(imagetest.GPSMarker)) {
		meta = ", WITH CAMERA METADATA"
	}
	return fmt.Sprintf("%s image, %d × %d%s\n", format, cfg.Width, cfg.Height, meta)
}

// TestGoldenSites builds each test site and compares every output file, and
// the diagnostics, with testdata/sites/<name>.golden.
func TestGoldenSites(t *testing.T) {
	entries, err := os.ReadDir(filepath.Join("testdata", "sites"))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		name := e.Name()
		t.Run(name, func(t *testing.T) {
			mem := output.NewMemory()
			res, err := Build(context.Background(), Options{Source: siteFS(t, name), Writer: mem})
			var got strings.Builder
			got.WriteString("# diagnostics\n")
			for _, d := range res.Diagnostics {
				got.WriteString(d.Error() + "\n")
			}
			if (err != nil) != (len(res.Diagnostics) > 0 && name == "errors") {
				t.Errorf("Build error = %v", err)
			}
			files := mem.Files()
			paths := make([]string, 0, len(files))
			for p := range files {
				paths = append(paths, p)
			}
			sort.Strings(paths)
			for _, p := range paths {
				got.WriteString("\n== " + p + "\n")
				if strings.HasSuffix(p, ".pdf") {
					// Binary: its size and hash show that it is made and
					// that the same sources make the same bytes.
					fmt.Fprintf(&got, "PDF, %d bytes, sha256 %x\n", len(files[p]), sha256.Sum256(files[p]))
					continue
				}
				if images.IsImage(p) {
					got.WriteString(describeImage(files[p]))
					continue
				}
				got.Write(files[p])
			}
			compareGolden(t, filepath.Join("testdata", "sites", name+".golden"), got.String())
		})
	}
}

func compareGolden(t *testing.T, golden, got string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test ./generator/site -update to create it)", err)
	}
	if got != string(want) {
		gl, wl := strings.Split(got, "\n"), strings.Split(string(want), "\n")
		for i := 0; i < len(gl) || i < len(wl); i++ {
			var g, w string
			if i < len(gl) {
				g = gl[i]
			}
			if i < len(wl) {
				w = wl[i]
			}
			if g != w {
				t.Fatalf("%s: first difference at line %d:\n got: %q\nwant: %q\n(run with -update if the change is intended)", golden, i+1, g, w)
			}
		}
	}
}
