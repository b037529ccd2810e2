package images

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

// resize makes a w × h copy of p, area-averaged. While p is at least
// twice as large, with an even width and height, it is halved first, each
// pixel the mean of four: the same average, made with less work.
func (p plane) resize(w, h int) plane {
	if w == p.w && h == p.h {
		return p
	}
	for p.w >= 2*w && p.h >= 2*h && p.w%2 == 0 && p.h%2 == 0 {
		p = p.halve()
	}
	tmp := newPlane(w, p.h, p.ch) // rows resized first
	tx := areaTaps(p.w, w)
	ch := p.ch
	for y := 0; y < p.h; y++ {
		row := p.pix[y*p.stride : y*p.stride+p.w*ch]
		out := tmp.pix[y*tmp.stride : y*tmp.stride+w*ch]
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
	dst := newPlane(w, h, ch)
	ty := areaTaps(p.h, h)
	acc := make([]int32, w*ch)
	for y := range h {
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
func (p plane) halve() plane {
	w, h, ch := p.w/2, p.h/2, p.ch
	dst := newPlane(w, h, ch)
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
func (p plane) orient(o int) plane {
	if o <= 1 || o > 8 {
		return p
	}
	w, h := p.w, p.h
	if o >= 5 {
		w, h = h, w
	}
	dst := newPlane(w, h, p.ch)
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
