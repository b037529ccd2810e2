package images

import (
	"bytes"
	"image/jpeg"
	"os"
	"path/filepath"
	"testing"

	"github.com/qorgau/qorgau/generator/internal/images/imagetest"
)

// FuzzImage feeds any bytes to the code that reads the headers of the
// images a site is given: Probe never panics and refuses what it cannot
// read, and what it accepts Strip keeps with its orientation and without
// more EXIF than that. (Decoding and encoding pixels is the standard
// library's, x/image's and libwebp's, each fuzzed where it is made;
// TestProcess and TestBadImages cover how Process uses them.)
func FuzzImage(f *testing.F) {
	f.Add("a.jpg", imagetest.Photo(40, 30, 1, 6))
	f.Add("a.png", imagetest.Diagram(20, 10))
	f.Add("a.png", imagetest.Bomb(30000, 30000))
	f.Add("a.jpg", imagetest.Truncated(40, 30))
	f.Add("a.webp", []byte("RIFF\x1a\x00\x00\x00WEBPVP8X\x0a\x00\x00\x00\x08\x00\x00\x00\x00\x00\x00\x00\x00\x00EXIF\x02\x00\x00\x00ab"))
	f.Add("a.gif", []byte("GIF89a\x01\x00\x01\x00\x00\x00\x00;"))
	o := Options{Widths: []int{8, 16}, Quality: 50, MaxPixels: 1 << 16}
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		_ = Orientation(data)
		info, err := Probe(name, data, o)
		if err != nil {
			return
		}
		if info.Width <= 0 || info.Height <= 0 || info.Width*info.Height > o.MaxPixels || info.Orientation < 1 || info.Orientation > 8 {
			t.Fatalf("Probe accepted %+v", info)
		}
		s, err := Strip(info.Format, data)
		if err == nil && info.Format == "jpeg" {
			if tiff := exifTIFF(s); len(tiff) > 40 {
				t.Fatalf("the stripped JPEG keeps %d bytes of EXIF", len(tiff))
			}
			if Orientation(s) != info.Orientation {
				t.Fatalf("Strip changed the orientation: %d, was %d", Orientation(s), info.Orientation)
			}
		}
	})
}

// FuzzJPEG feeds any bytes to decodeJPEG, Qorgau's own reduced decoder of
// baseline JPEGs: it never panics, reads no more than the file holds, and
// what it decodes has the planes its header's size says.
func FuzzJPEG(f *testing.F) {
	f.Add(imagetest.Photo(40, 30, 1, 1))
	f.Add(imagetest.Truncated(40, 30))
	dir := goTestdata(f)
	for _, name := range []string{"video-001.q50.420.jpeg", "video-001.restart2.jpeg", "video-005.gray.q50.2x2.jpeg", "video-001.q50.411.jpeg"} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := jpeg.DecodeConfig(bytes.NewReader(data))
		if err != nil || cfg.Width*cfg.Height > 1<<20 { // Probe refuses more than MaxPixels first
			return
		}
		for _, n := range []int{4, 2, 1} {
			p, ok := decodeJPEG(nil, data, n)
			if !ok {
				continue
			}
			if p.y.w != ceilDiv(cfg.Width*n, 8) || p.y.h != ceilDiv(cfg.Height*n, 8) || p.cb.pix == nil || p.cr.pix == nil {
				t.Fatalf("%d × %d at %d/8: planes of %d × %d", cfg.Width, cfg.Height, n, p.y.w, p.y.h)
			}
		}
	})
}
