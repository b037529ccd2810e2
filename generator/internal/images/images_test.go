package images

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/qorgau/qorgau/generator/internal/images/imagetest"
	xwebp "golang.org/x/image/webp"
)

func TestProbe(t *testing.T) {
	o := DefaultOptions
	for _, tc := range []struct {
		name   string
		data   []byte
		want   Info
		errHas string
	}{
		{"photo.jpg", imagetest.Photo(400, 300, 1, 1), Info{Format: "jpeg", Width: 400, Height: 300, Orientation: 1}, ""},
		{"turned.JPG", imagetest.Photo(400, 300, 1, 6), Info{Format: "jpeg", Width: 300, Height: 400, Orientation: 6}, ""},
		{"upside.jpeg", imagetest.Photo(400, 300, 1, 3), Info{Format: "jpeg", Width: 400, Height: 300, Orientation: 3}, ""},
		{"chart.png", imagetest.Diagram(200, 100), Info{Format: "png", Width: 200, Height: 100, Orientation: 1}, ""},
		{"chart.jpg", imagetest.Diagram(200, 100), Info{}, "chart.jpg is a PNG image, not JPEG: rename it to chart.png"},
		{"notes.png", []byte("# not an image\n"), Info{}, "notes.png is not a PNG image, or it is damaged"},
		{"bomb.png", imagetest.Bomb(30000, 30000), Info{}, "bomb.png is 30000 × 30000 pixels, more than the 50 megapixels"},
		{"empty.jpg", nil, Info{}, "empty.jpg is not a JPEG image"},
	} {
		got, err := Probe("content/en/x/"+tc.name, tc.data, o)
		if tc.errHas != "" {
			if err == nil || !strings.Contains(err.Error(), tc.errHas) {
				t.Errorf("%s: error %v, want one containing %q", tc.name, err, tc.errHas)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("%s: %+v, %v; want %+v", tc.name, got, err, tc.want)
		}
	}
	if _, err := Probe("bomb.png", imagetest.Bomb(30000, 30000), o); !errors.Is(err, ErrTooLarge) {
		t.Errorf("bomb: %v is not ErrTooLarge", err)
	}
}

func TestVariants(t *testing.T) {
	o := DefaultOptions
	widths := func(info Info) (out []int) {
		for _, v := range o.Variants(info) {
			if v.Format == "webp" {
				out = append(out, v.Width)
			}
		}
		return out
	}
	for _, tc := range []struct {
		w, h int
		want []int
	}{
		{4000, 3000, []int{360, 720, 1080}},
		{1080, 720, []int{360, 720, 1080}},
		{800, 600, []int{360, 720, 800}},
		{720, 480, []int{360, 720}},
		{200, 100, []int{200}},
	} {
		got := widths(Info{Format: "jpeg", Width: tc.w, Height: tc.h})
		if !equal(got, tc.want) {
			t.Errorf("%d × %d: widths %v, want %v (never upscaled)", tc.w, tc.h, got, tc.want)
		}
	}
	vs := o.Variants(Info{Format: "jpeg", Width: 4000, Height: 3000})
	want := []Variant{{360, 270, "webp"}, {360, 270, "jpeg"}, {720, 540, "webp"}, {720, 540, "jpeg"}, {1080, 810, "webp"}}
	if fmt.Sprint(vs) != fmt.Sprint(want) {
		t.Errorf("variants %v, want %v (no fallback wider than FallbackMax)", vs, want)
	}
	every := o
	every.FallbackMax = 0
	if vs := every.Variants(Info{Format: "jpeg", Width: 4000, Height: 3000}); len(vs) != 6 || vs[5] != (Variant{1080, 810, "jpeg"}) {
		t.Errorf("FallbackMax 0: variants %v, want a fallback at every width", vs)
	}
	narrow := o
	narrow.FallbackMax = 100
	if vs := narrow.Variants(Info{Format: "png", Width: 4000, Height: 3000}); len(vs) != 4 || vs[1] != (Variant{360, 270, "png"}) {
		t.Errorf("FallbackMax below the smallest width: variants %v, want the smallest width's fallback", vs)
	}
	if n := vs[2].Name("en/rights/photo.jpg"); n != "en/rights/photo.720w.webp" {
		t.Errorf("name %q", n)
	}
	if vs := o.Variants(Info{Format: "webp", Width: 2000, Height: 1000}); len(vs) != 3 {
		t.Errorf("a WebP has only WebP variants: %v", vs)
	}
	if vs := o.Variants(Info{Format: "gif", Width: 500, Height: 500, Animated: true}); vs != nil {
		t.Errorf("an animated GIF is copied, not resized: %v", vs)
	}
}

func equal(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestProcess(t *testing.T) {
	o := DefaultOptions
	for _, tc := range []struct {
		name string
		data []byte
	}{
		{"photo.jpg", imagetest.Photo(1600, 1200, 2, 1)},
		{"turned.jpg", imagetest.Photo(1600, 1200, 2, 6)},
		{"mirrored.jpg", imagetest.Photo(801, 601, 3, 7)},
		{"chart.png", imagetest.Diagram(900, 500)},
	} {
		info, err := Probe(tc.name, tc.data, o)
		if err != nil {
			t.Fatal(err)
		}
		files, err := Process(context.Background(), tc.name, tc.data, info, o, nil)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		vs := o.Variants(info)
		if len(files) != len(vs) {
			t.Fatalf("%s: %d files for %d variants", tc.name, len(files), len(vs))
		}
		for i, f := range files {
			if f.Variant != vs[i] {
				t.Errorf("%s: file %d is %v, want %v", tc.name, i, f.Variant, vs[i])
			}
			m, format, err := decode(f.Data)
			if err != nil {
				t.Fatalf("%s %v: %v", tc.name, f.Variant, err)
			}
			if format != f.Format || m.Bounds().Dx() != f.Width || m.Bounds().Dy() != f.Height {
				t.Errorf("%s: %v is a %s of %v", tc.name, f.Variant, format, m.Bounds())
			}
			if bytes.Contains(f.Data, []byte(imagetest.GPSMarker)) || bytes.Contains(f.Data, []byte("Exif")) {
				t.Errorf("%s: %v keeps the camera's metadata", tc.name, f.Variant)
			}
			if f.Format == "webp" && info.Format == "jpeg" && bytes.Contains(f.Data, []byte("ALPH")) {
				t.Errorf("%s: %v has an alpha channel a photo does not need", tc.name, f.Variant)
			}
		}
	}
}

func decode(b []byte) (image.Image, string, error) {
	switch {
	case bytes.HasPrefix(b, []byte("RIFF")):
		m, err := xwebp.Decode(bytes.NewReader(b))
		return m, "webp", err
	case bytes.HasPrefix(b, []byte("\x89PNG")):
		m, err := png.Decode(bytes.NewReader(b))
		return m, "png", err
	}
	m, err := jpeg.Decode(bytes.NewReader(b))
	return m, "jpeg", err
}

// TestOrientation checks that a photo taken with the phone turned comes
// out upright: a bright mark in the stored image's top-left corner is
// where the orientation says it is seen.
func TestOrientation(t *testing.T) {
	for o, corner := range map[int]image.Point{1: {0, 0}, 2: {1, 0}, 3: {1, 1}, 4: {0, 1}, 5: {0, 0}, 6: {1, 0}, 7: {1, 1}, 8: {0, 1}} {
		p := plane{pix: make([]byte, 6*4), w: 6, h: 4, stride: 6, ch: 1}
		p.pix[0] = 255
		q := p.orient(nil, o)
		x, y := corner.X*(q.w-1), corner.Y*(q.h-1)
		if q.pix[y*q.stride+x] != 255 {
			t.Errorf("orientation %d: the mark is not at %v of %d × %d", o, corner, q.w, q.h)
		}
		if (o >= 5) != (q.w == 4) {
			t.Errorf("orientation %d: %d × %d", o, q.w, q.h)
		}
	}
}

func TestResizeAverages(t *testing.T) {
	// Halved twice, then averaged: each output pixel is the mean of its 4 × 4.
	h := newPlane(8, 4, 1)
	for i := range h.pix {
		h.pix[i] = byte(i % 8 / 4 * 100) // left half 0, right half 100
	}
	if q := h.resize(nil, 2, 1); q.pix[0] != 0 || q.pix[1] != 100 {
		t.Errorf("halving: %v, want [0 100]", q.pix)
	}

	p := newPlane(9, 3, 1)
	for i := range p.pix {
		p.pix[i] = byte(i % 9 * 30)
	}
	q := p.resize(nil, 3, 1)
	for x, want := range []byte{30, 120, 210} { // the mean of each third
		if q.pix[x] != want {
			t.Errorf("pixel %d is %d, want %d", x, q.pix[x], want)
		}
	}
}

func TestBadImages(t *testing.T) {
	o := DefaultOptions
	cut := imagetest.Truncated(1200, 900)
	if _, err := Probe("cut.jpg", cut, o); err == nil || !strings.Contains(err.Error(), "cut.jpg is cut short") {
		t.Errorf("a truncated JPEG passes Probe: %v", err)
	}
	cut = imagetest.Truncated(1200, 900)[:2000]
	if _, err := Probe("cut.png", imagetest.Diagram(300, 300)[:500], o); err == nil || !strings.Contains(err.Error(), "cut.png is cut short") {
		t.Errorf("a truncated PNG passes Probe: %v", err)
	}
	// Cut short, with an end marker put back: the header reads, the pixels do not.
	data := append(cut, 0xFF, 0xD9)
	info, err := Probe("damaged.jpg", data, o)
	if err != nil {
		t.Fatalf("the header of a damaged file reads: %v", err)
	}
	if _, err := Process(context.Background(), "damaged.jpg", data, info, o, nil); err == nil || !strings.Contains(err.Error(), "damaged.jpg cannot be read") {
		t.Errorf("a damaged JPEG: %v", err)
	}
}

func TestStrip(t *testing.T) {
	photo := imagetest.Photo(300, 200, 4, 6)
	s, err := Strip("jpeg", photo)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(s, []byte(imagetest.GPSMarker)) || bytes.Contains(s, []byte("xmpmeta")) {
		t.Error("the stripped JPEG keeps the camera's metadata")
	}
	if Orientation(s) != 6 {
		t.Errorf("the stripped JPEG's orientation is %d, want 6", Orientation(s))
	}
	if tiff := exifTIFF(s); len(tiff) > 40 {
		t.Errorf("the stripped JPEG's EXIF holds more than the orientation: %d bytes", len(tiff))
	}
	a, _ := jpeg.Decode(bytes.NewReader(photo))
	b, err := jpeg.Decode(bytes.NewReader(s))
	if err != nil || a.Bounds() != b.Bounds() || a.At(10, 10) != b.At(10, 10) {
		t.Errorf("the stripped JPEG's pixels changed: %v", err)
	}
	if up, _ := Strip("jpeg", imagetest.Photo(30, 20, 4, 1)); exifTIFF(up) != nil {
		t.Error("an upright photo keeps an EXIF segment")
	}
	d, err := Strip("png", imagetest.Diagram(64, 64))
	if err != nil || bytes.Contains(d, []byte(imagetest.GPSMarker)) {
		t.Errorf("PNG: %v", err)
	}
	if _, err := png.Decode(bytes.NewReader(d)); err != nil {
		t.Errorf("the stripped PNG does not read: %v", err)
	}
}

func BenchmarkProcess(b *testing.B) {
	o := DefaultOptions
	data := imagetest.Photo(4000, 3000, 1, 1)
	info, err := Probe("photo.jpg", data, o)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	bufs := &Buffers{} // as a build's workers do
	for b.Loop() {
		if _, err := Process(context.Background(), "photo.jpg", data, info, o, bufs); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkResize(b *testing.B) {
	p := newPlane(4000, 3000, 1)
	for i := range p.pix {
		p.pix[i] = byte(i * 7)
	}
	b.SetBytes(int64(len(p.pix)))
	for b.Loop() {
		p.resize(nil, 1080, 810)
	}
}

// TestResizeUnrolled: the unrolled passes for at most three source
// pixels per output pixel give exactly what summing every tap gives.
func TestResizeUnrolled(t *testing.T) {
	reference := func(p plane, w, h int) plane {
		tx, ty := areaTaps(p.w, w), areaTaps(p.h, h)
		tmp := newPlane(w, p.h, 1)
		for y := range p.h {
			for x := range w {
				var acc int32
				for k := range tx.n[x] {
					acc += int32(p.pix[y*p.stride+int(tx.start[x]+k)]) * tx.w[tx.off[x]+k]
				}
				tmp.pix[y*w+x] = byte((acc + one/2) >> 14)
			}
		}
		out := newPlane(w, h, 1)
		for y := range h {
			for x := range w {
				var acc int32
				for k := range ty.n[y] {
					acc += int32(tmp.pix[int(ty.start[y]+k)*w+x]) * ty.w[ty.off[y]+k]
				}
				out.pix[y*w+x] = byte((acc + one/2) >> 14)
			}
		}
		return out
	}
	for _, tc := range [][4]int{{2000, 1500, 1080, 810}, {1080, 810, 720, 540}, {1001, 777, 300, 200}, {5, 4, 3, 3}, {7, 9, 4, 5}} {
		p := newPlane(tc[0], tc[1], 1)
		for i := range p.pix {
			p.pix[i] = byte(i*7 + i/tc[0]*13)
		}
		got, want := p.resize(&Buffers{}, tc[2], tc[3]), reference(p, tc[2], tc[3])
		if got.w != want.w || got.h != want.h {
			t.Fatalf("%v: %d × %d", tc, got.w, got.h)
		}
		for y := range want.h {
			if g, w := got.pix[y*got.stride:][:got.w], want.pix[y*want.w:][:want.w]; !bytes.Equal(g, w) {
				t.Fatalf("%v: row %d differs", tc, y)
			}
		}
	}
}

// TestBuffersReused: memory reused from other images (larger, smaller,
// turned, a diagram) changes no byte of what Process makes.
func TestBuffersReused(t *testing.T) {
	o := DefaultOptions
	inputs := []struct {
		name string
		data []byte
	}{
		{"a.jpg", imagetest.Photo(1600, 1200, 1, 1)},
		{"b.jpg", imagetest.Photo(900, 1300, 2, 6)},
		{"c.png", imagetest.Diagram(800, 300)},
		{"d.jpg", imagetest.Photo(2400, 1000, 3, 3)},
	}
	process := func(i int, b *Buffers) []File {
		info, err := Probe(inputs[i].name, inputs[i].data, o)
		if err != nil {
			t.Fatal(err)
		}
		files, err := Process(context.Background(), inputs[i].name, inputs[i].data, info, o, b)
		if err != nil {
			t.Fatal(err)
		}
		return files
	}
	bufs := &Buffers{}
	for _, i := range []int{3, 0, 1, 2, 0, 3, 1} {
		got, want := process(i, bufs), process(i, nil)
		for k := range want {
			if !bytes.Equal(got[k].Data, want[k].Data) {
				t.Errorf("%s, %v: differs when made with reused buffers", inputs[i].name, want[k].Variant)
			}
		}
	}
}

// TestBuffersReadFile: a file read into kept memory is the file, whether
// the memory was larger, smaller or empty before.
func TestBuffersReadFile(t *testing.T) {
	fsys := fstest.MapFS{"big": {Data: bytes.Repeat([]byte("abc"), 5000)}, "small": {Data: []byte("xy")}, "empty": {Data: nil}}
	b := &Buffers{}
	for _, name := range []string{"small", "big", "small", "empty", "big"} {
		got, err := b.ReadFile(fsys, name)
		if err != nil || !bytes.Equal(got, fsys[name].Data) {
			t.Errorf("%s: %d bytes, %v; want %d", name, len(got), err, len(fsys[name].Data))
		}
	}
	if _, err := b.ReadFile(fsys, "missing"); err == nil {
		t.Error("a missing file read without an error")
	}
}
