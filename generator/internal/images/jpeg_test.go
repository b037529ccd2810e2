package images

import (
	"bytes"
	"image"
	"image/jpeg"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/qorgau/qorgau/generator/internal/images/imagetest"
)

// goTestdata is the folder of image test files that ships with Go: JPEGs
// of every chroma subsampling, with restart markers, grey, progressive,
// CMYK and RGB — files written by other encoders than image/jpeg's.
func goTestdata(t testing.TB) string {
	out, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		t.Fatalf("go env GOROOT: %v", err)
	}
	dir := filepath.Join(strings.TrimSpace(string(out)), "src", "image", "testdata")
	if _, err := os.Stat(dir); err != nil {
		t.Fatalf("Go's image test files: %v", err)
	}
	return dir
}

// reference is image/jpeg's decoding of a file, area-averaged to the size
// decodeJPEG makes at n/8: what the reduced decoding stands for.
func reference(t *testing.T, data []byte, n int) planes {
	m, err := jpeg.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	p := toPlanes(m)
	if m, ok := m.(*image.Gray); ok {
		p = planes{y: plane{pix: m.Pix, w: m.Rect.Dx(), h: m.Rect.Dy(), stride: m.Stride, ch: 1}}
	}
	k := 8 / n
	scale := func(q plane) plane { // each k × k square's mean, cut at the edges
		if q.pix == nil {
			return q
		}
		out := newPlane(ceilDiv(q.w, k), ceilDiv(q.h, k), 1)
		for y := range out.h {
			for x := range out.w {
				sum, count := 0, 0
				for j := y * k; j < min(y*k+k, q.h); j++ {
					for i := x * k; i < min(x*k+k, q.w); i++ {
						sum += int(q.pix[j*q.stride+i])
						count++
					}
				}
				out.pix[y*out.stride+x] = byte((sum + count/2) / count)
			}
		}
		return out
	}
	return planes{y: scale(p.y), cb: scale(p.cb), cr: scale(p.cr)}
}

// difference is the mean and largest difference of two planes' pixels.
func difference(a, b plane) (mean float64, most int) {
	sum := 0
	for y := range a.h {
		for x := range a.w {
			d := int(a.pix[y*a.stride+x]) - int(b.pix[y*b.stride+x])
			if d < 0 {
				d = -d
			}
			sum += d
			most = max(most, d)
		}
	}
	return float64(sum) / float64(a.w*a.h), most
}

// TestDecodeJPEG holds the reduced decoding to image/jpeg's full one made
// smaller: the same picture, pixel for pixel within what leaving out the
// highest frequencies changes, for every kind of baseline JPEG; the
// kinds it leaves to image/jpeg are refused, not decoded wrongly.
func TestDecodeJPEG(t *testing.T) {
	dir := goTestdata(t)
	files := map[string][]byte{"photo (image/jpeg, 4:2:0)": imagetest.Photo(1203, 797, 3, 1)}
	baseline := []string{"video-001.jpeg", "video-001.q50.410.jpeg", "video-001.q50.411.jpeg", "video-001.q50.420.jpeg",
		"video-001.q50.422.jpeg", "video-001.q50.440.jpeg", "video-001.q50.444.jpeg", "video-001.restart2.jpeg",
		"video-001.221212.jpeg", "video-005.gray.jpeg", "video-005.gray.q50.jpeg", "video-005.gray.q50.2x2.jpeg"}
	for _, name := range baseline {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		files[name] = b
	}
	for name, data := range files {
		for _, n := range []int{4, 2, 1} {
			got, ok := decodeJPEG(nil, data, n)
			if !ok {
				t.Errorf("%s at %d/8: not decoded", name, n)
				continue
			}
			want := reference(t, data, n)
			for i, pair := range [][2]plane{{got.y, want.y}, {got.cb, want.cb}, {got.cr, want.cr}} {
				g, w := pair[0], pair[1]
				if w.pix == nil { // grey: neutral chroma
					if g.pix[0] != 128 {
						t.Errorf("%s: grey image with chroma %d", name, g.pix[0])
					}
					continue
				}
				if g.w != w.w || g.h != w.h {
					t.Errorf("%s at %d/8, plane %d: %d × %d, want %d × %d", name, n, i, g.w, g.h, w.w, w.h)
					continue
				}
				mean, most := difference(g, w)
				// Measured: a mean of at most 1.5 for the photo, 2.8 for
				// Go's small files full of fine detail (what the reduced
				// size drops); exactly the block means, within 0.5, at 1/8.
				// A coefficient in the wrong place or of the wrong sign
				// makes it 10 or more.
				limit := 3.5
				if strings.HasPrefix(name, "photo") {
					limit = 2
				}
				if n == 1 {
					limit = 1
				}
				if mean > limit || most > 64 {
					t.Errorf("%s at %d/8, plane %d: differs from image/jpeg's by %.2f on average, %d at most", name, n, i, mean, most)
				}
				t.Logf("%s at %d/8, plane %d: mean %.3f, max %d", name, n, i, mean, most)
			}
		}
	}
	// One scan per component, progressive, CMYK, RGB: left to image/jpeg.
	for _, name := range []string{"video-001.separate.dc.progression.jpeg", "video-001.progressive.jpeg", "video-001.cmyk.jpeg", "video-001.rgb.jpeg", "video-001.q50.420.progressive.jpeg"} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := decodeJPEG(nil, b, 4); ok {
			t.Errorf("%s: decoded, but it is not a kind decodeJPEG reads", name)
		}
	}
	// Cut short or damaged: refused (image/jpeg then says what is wrong).
	photo := imagetest.Photo(640, 480, 1, 1)
	for _, cut := range []int{len(photo) / 2, len(photo) - 600} {
		if _, ok := decodeJPEG(nil, photo[:cut], 4); ok {
			t.Errorf("a photo cut short at %d of %d bytes was decoded", cut, len(photo))
		}
	}
}

// TestIDCTMatrix: a block's n × n pixels are the means of its full-size
// pixels for the frequencies kept — checked against the inverse DCT's
// definition for a block of one frequency each.
func TestIDCTMatrix(t *testing.T) {
	for _, n := range []int{1, 2, 4} {
		m := idctMatrix(n)
		for u := range n {
			for v := range n {
				var coef [64]int32
				coef[v*n+u] = 80
				dst := make([]byte, n*n)
				writeBlock(dst, n, &coef, u == 0 && v == 0, n, &m)
				k := 8 / n
				for y := range n {
					for x := range n {
						sum := 0.0
						for j := range k {
							for i := range k {
								sum += full(80, u, v, x*k+i, y*k+j)
							}
						}
						want := sum/float64(k*k) + 128
						if d := math.Abs(float64(dst[y*n+x]) - want); d > 0.51 {
							t.Errorf("n %d, frequency (%d,%d), pixel (%d,%d): %d, want %.2f", n, u, v, x, y, dst[y*n+x], want)
						}
					}
				}
			}
		}
	}
}

// full is the inverse DCT's pixel (x, y) of a block whose one coefficient
// at frequency (u, v) is c, as the JPEG standard defines it.
func full(c float64, u, v, x, y int) float64 {
	cu, cv := 1.0, 1.0
	if u == 0 {
		cu = 1 / math.Sqrt2
	}
	if v == 0 {
		cv = 1 / math.Sqrt2
	}
	return c / 4 * cu * cv * math.Cos(float64(2*x+1)*float64(u)*math.Pi/16) * math.Cos(float64(2*y+1)*float64(v)*math.Pi/16)
}

func BenchmarkDecodeJPEG(b *testing.B) {
	data := imagetest.Photo(4000, 3000, 1, 1)
	b.Run("image/jpeg", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			if _, err := jpeg.Decode(bytes.NewReader(data)); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("half", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			if _, ok := decodeJPEG(nil, data, 4); !ok {
				b.Fatal("not decoded")
			}
		}
	})
}
