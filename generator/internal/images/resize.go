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

// resize makes a w × h copy of p, area-averaged.
func (p plane) resize(w, h int) plane {
	if w == p.w && h == p.h {
		return p
	}
	tmp := newPlane(w, p.h, p.ch) // rows resized first
	tx := areaTaps(p.w, w)
	ch := p.ch
	for y := 0; y < p.h; y++ {
		row := p.pix[y*p.stride:]
		out := tmp.pix[y*tmp.stride:]
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
			for i := range acc {
				acc[i] += int32(row[i]) * wt
			}
		}
		out := dst.pix[y*dst.stride:]
		for i, a := range acc {
			out[i] = byte((a + one/2) >> 14)
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
