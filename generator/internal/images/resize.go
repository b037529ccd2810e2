package images

import (
	"io"
	"io/fs"
)

// plane is 8-bit pixels of ch interleaved channels (1 for a Y, Cb or Cr
// plane, 4 for premultiplied RGBA), w × h, rows stride bytes apart.
type plane struct {
	pix          []byte
	w, h, stride int
	ch           int
}

func newPlane(w, h, ch int) plane {
	return plane{pix: make([]byte, w*h*ch), w: w, h: h, stride: w * ch, ch: ch}
}

// Buffers is memory Process reuses from one image to the next: the pixels
// of the sizes it makes and the data it decodes, about 15 MB for a photo
// of 12 megapixels. Without it, making a hundred photos allocates a
// hundred times that, and the garbage collector runs for every few: each
// time it must wait for the WebP encoder (WebAssembly, which Go cannot
// interrupt) to finish, with every other core stopped meanwhile. One
// Process at a time uses a Buffers; nil allocates anew.
type Buffers struct {
	bufs [][]byte
	next int
	file []byte // ReadFile's
}

// ReadFile reads a file into memory kept for it: the bytes stay valid
// until the next ReadFile, and Process does not write to them.
func (b *Buffers) ReadFile(fsys fs.FS, name string) ([]byte, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	buf := b.file[:0]
	if fi, err := f.Stat(); err == nil && int64(cap(buf)) < fi.Size()+1 {
		buf = make([]byte, 0, fi.Size()+512) // +1 at least: the end is found without growing
	}
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := f.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			b.file = buf
			return buf, nil
		}
		if err != nil {
			return nil, err
		}
	}
}

// bytes is a buffer of n bytes, not cleared: its user writes every byte.
func (b *Buffers) bytes(n int) []byte {
	if b == nil {
		return make([]byte, n)
	}
	if b.next < len(b.bufs) && cap(b.bufs[b.next]) >= n {
		buf := b.bufs[b.next][:n]
		b.next++
		return buf
	}
	buf := make([]byte, n)
	if b.next < len(b.bufs) {
		b.bufs[b.next] = buf
	} else {
		b.bufs = append(b.bufs, buf)
	}
	b.next++
	return buf
}

// plane is a w × h plane of ch channels from the buffers, not cleared.
func (b *Buffers) plane(w, h, ch int) plane {
	return plane{pix: b.bytes(w * h * ch), w: w, h: h, stride: w * ch, ch: ch}
}

// reset makes every buffer free again, for the next image.
func (b *Buffers) reset() {
	if b != nil {
		b.next = 0
	}
}

// taps are the source pixels and weights (summing to 1<<14) of each
// output pixel of one dimension.
type taps struct {
	start []int32 // first source pixel of each output pixel
	n     []int32 // how many
	w     []int32 // weights, n[i] for output pixel i, one after the other
	off   []int32 // where output pixel i's weights start in w
}

const one = 1 << 14

// areaTaps averages the source pixels each output pixel covers, by the
// area it covers of each: the right filter for making an image smaller.
func areaTaps(src, dst int) taps {
	t := taps{start: make([]int32, dst), n: make([]int32, dst), off: make([]int32, dst)}
	s := float64(src) / float64(dst)
	for i := range dst {
		a, b := float64(i)*s, float64(i+1)*s
		j0, j1 := int(a), int(b)
		if float64(j1) < b {
			j1++
		}
		j1 = min(j1, src)
		j0 = min(j0, j1-1)
		t.start[i], t.n[i], t.off[i] = int32(j0), int32(j1-j0), int32(len(t.w))
		sum := int32(0)
		for j := j0; j < j1; j++ {
			cover := min(b, float64(j+1)) - max(a, float64(j))
			wt := int32(cover/s*one + 0.5)
			if j == j1-1 {
				wt = one - sum // the weights sum to exactly one
			}
			t.w = append(t.w, wt)
			sum += wt
		}
	}
	return t
}

// tap3 is an output pixel made from three source pixels from start, some
// of them perhaps of weight 0.
type tap3 struct {
	start int
	w     [3]int32
}

// three gives the taps as tap3, or nil when some pixel needs more than
// three (an image made less than half as large) or src is too narrow.
func (t taps) three(src int) []tap3 {
	if src < 3 {
		return nil
	}
	out := make([]tap3, len(t.start))
	for x := range out {
		n := int(t.n[x])
		if n > 3 {
			return nil
		}
		start := min(int(t.start[x]), src-3)
		out[x].start = start
		for k := range n {
			out[x].w[int(t.start[x])-start+k] = t.w[int(t.off[x])+k]
		}
	}
	return out
}

// resize makes a w × h copy of p, area-averaged. While p is at least
// twice as large, with an even width and height, it is halved first, each
// pixel the mean of four: the same average, made with less work.
func (p plane) resize(b *Buffers, w, h int) plane {
	if w == p.w && h == p.h {
		return p
	}
	for p.w >= 2*w && p.h >= 2*h && p.w%2 == 0 && p.h%2 == 0 {
		p = p.halve(b)
	}
	tmp := b.plane(w, p.h, p.ch) // rows resized first
	tx := areaTaps(p.w, w)
	ch := p.ch
	var t3 []tap3
	if ch == 1 {
		t3 = tx.three(p.w)
	}
	for y := 0; y < p.h; y++ {
		row := p.pix[y*p.stride : y*p.stride+p.w*ch]
		out := tmp.pix[y*tmp.stride : y*tmp.stride+w*ch]
		if t3 != nil { // at most three source pixels each: unrolled
			for x := range out {
				t := &t3[x]
				src := row[t.start : t.start+3 : t.start+3]
				out[x] = byte((int32(src[0])*t.w[0] + int32(src[1])*t.w[1] + int32(src[2])*t.w[2] + one/2) >> 14)
			}
			continue
		}
		if ch == 1 { // Y, Cb and Cr planes: the common case, without the channel loop
			for x := range out {
				ws := tx.w[tx.off[x] : tx.off[x]+tx.n[x]]
				src := row[tx.start[x]:]
				src = src[:len(ws)]
				var acc int32
				for k, wt := range ws {
					acc += int32(src[k]) * wt
				}
				out[x] = byte((acc + one/2) >> 14)
			}
			continue
		}
		for x := range w {
			ws := tx.w[tx.off[x] : tx.off[x]+tx.n[x]]
			base := int(tx.start[x]) * ch
			for c := range ch {
				var acc int32
				for k, wt := range ws {
					acc += int32(row[base+k*ch+c]) * wt
				}
				out[x*ch+c] = byte((acc + one/2) >> 14)
			}
		}
	}
	dst := b.plane(w, h, ch)
	ty := areaTaps(p.h, h)
	acc := make([]int32, w*ch)
	for y := range h {
		if n := int(ty.n[y]); n <= 3 && int(ty.start[y])+n <= p.h { // unrolled: no sums kept between rows
			ws := ty.w[ty.off[y] : int(ty.off[y])+n]
			r0 := tmp.pix[int(ty.start[y])*tmp.stride:][:w*ch]
			r1, r2 := r0, r0
			var w1, w2 int32
			if n > 1 {
				r1, w1 = tmp.pix[(int(ty.start[y])+1)*tmp.stride:][:w*ch], ws[1]
			}
			if n > 2 {
				r2, w2 = tmp.pix[(int(ty.start[y])+2)*tmp.stride:][:w*ch], ws[2]
			}
			w0 := ws[0]
			out := dst.pix[y*dst.stride:][:w*ch]
			for i := range out {
				out[i] = byte((int32(r0[i])*w0 + int32(r1[i])*w1 + int32(r2[i])*w2 + one/2) >> 14)
			}
			continue
		}
		clear(acc)
		for k := range ty.n[y] {
			wt := ty.w[ty.off[y]+k]
			row := tmp.pix[(int(ty.start[y])+int(k))*tmp.stride:]
			row = row[:len(acc)]
			for i, v := range row {
				acc[i] += int32(v) * wt
			}
		}
		out := dst.pix[y*dst.stride:]
		for i, a := range acc {
			out[i] = byte((a + one/2) >> 14)
		}
	}
	return dst
}

// halve makes a copy of half the width and height, which must be even.
func (p plane) halve(b *Buffers) plane {
	w, h, ch := p.w/2, p.h/2, p.ch
	dst := b.plane(w, h, ch)
	for y := range h {
		a := p.pix[2*y*p.stride : 2*y*p.stride+2*w*ch]
		b := p.pix[(2*y+1)*p.stride : (2*y+1)*p.stride+2*w*ch]
		out := dst.pix[y*dst.stride : y*dst.stride+w*ch]
		if ch == 1 {
			for x := range out {
				out[x] = byte((int(a[2*x]) + int(a[2*x+1]) + int(b[2*x]) + int(b[2*x+1]) + 2) >> 2)
			}
			continue
		}
		for x := range w {
			for c := range ch {
				i, j := 2*x*ch+c, (2*x+1)*ch+c
				out[x*ch+c] = byte((int(a[i]) + int(a[j]) + int(b[i]) + int(b[j]) + 2) >> 2)
			}
		}
	}
	return dst
}

// orient turns a plane the way EXIF orientation o says the camera was held.
func (p plane) orient(b *Buffers, o int) plane {
	if o <= 1 || o > 8 {
		return p
	}
	w, h := p.w, p.h
	if o >= 5 {
		w, h = h, w
	}
	dst := b.plane(w, h, p.ch)
	for y := 0; y < p.h; y++ {
		for x := 0; x < p.w; x++ {
			var dx, dy int
			switch o {
			case 2: // mirrored
				dx, dy = p.w-1-x, y
			case 3: // upside down
				dx, dy = p.w-1-x, p.h-1-y
			case 4: // upside down, mirrored
				dx, dy = x, p.h-1-y
			case 5: // transposed
				dx, dy = y, x
			case 6: // turned right: the top row becomes the right column
				dx, dy = p.h-1-y, x
			case 7: // transversed
				dx, dy = p.h-1-y, p.w-1-x
			case 8: // turned left
				dx, dy = y, p.w-1-x
			}
			copy(dst.pix[dy*dst.stride+dx*p.ch:][:p.ch], p.pix[y*p.stride+x*p.ch:][:p.ch])
		}
	}
	return dst
}
