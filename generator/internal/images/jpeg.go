package images

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math"
)

// decodeJPEG decodes a baseline JPEG at a reduction: n of every 8 pixels
// of each side (n = 4, 2 or 1 gives a half, a quarter, an eighth), as a
// camera photo is made smaller anyway. Each 8 × 8 block of coefficients
// is turned into n × n pixels by an inverse DCT of only its n × n lowest
// frequencies, so most of the work of decoding at full size (the inverse
// transforms, the 12 MP of a 4000 × 3000 photo's planes) is not done; the
// pixels are the block's area average without the frequencies that the
// smaller image cannot hold. It also reads the entropy-coded data faster
// than image/jpeg: the bytes are unstuffed once, and each coefficient's
// code and value are read from one 64-bit window.
//
// ok is false for a file this does not decode: progressive, 12-bit,
// arithmetic-coded, CMYK or RGB, one scan per component, or damaged.
// image/jpeg decodes those (or says what is wrong with them).
func decodeJPEG(b *Buffers, data []byte, n int) (p planes, ok bool) {
	d := &jpegDecoder{n: n, b: b}
	if n != 1 && n != 2 && n != 4 {
		return planes{}, false
	}
	sos, err := jpegSegments(data, d.segment)
	if err != nil || d.bad || d.frame == 0 || sos+4 > len(data) {
		return planes{}, false
	}
	l := int(binary.BigEndian.Uint16(data[sos+2:]))
	if l < 2 || sos+2+l > len(data) || !d.scanHeader(data[sos+4:sos+2+l]) {
		return planes{}, false
	}
	d.unstuff(data[sos+2+l:])
	if d.decode() != nil {
		return planes{}, false
	}
	return d.planes(), true
}

// jpegComponent is one component (Y, Cb or Cr) of the frame.
type jpegComponent struct {
	id     byte
	h, v   int // sampling factors
	tq     int // quantization table
	td, ta int // DC and AC Huffman tables
	w, hgt int // size in pixels at full scale
	bx, by int // blocks of the scan's grid, across and down
	out    plane
	pred   int32
	inScan bool
}

type jpegDecoder struct {
	n        int // output pixels per 8 of a block's side
	frame    byte
	width    int
	height   int
	comps    []jpegComponent
	scan     []*jpegComponent
	quant    [4][64]int32 // zigzag order
	haveQ    [4]bool
	dc, ac   [4]huffman
	restart  int
	adobeRGB bool
	bad      bool
	b        *Buffers

	buf   []byte // entropy-coded data, unstuffed, padded with zeros
	marks []int  // where each restart interval ends in buf
	end   int    // bytes of data in buf
}

// segment reads one marker segment of the header.
func (d *jpegDecoder) segment(marker byte, p []byte) bool {
	switch {
	case marker == 0xC0 || marker == 0xC1: // baseline, extended sequential (Huffman)
		if d.frame != 0 || len(p) < 6 || p[0] != 8 {
			d.bad = true
			return false
		}
		d.frame = marker
		d.height, d.width = int(binary.BigEndian.Uint16(p[1:])), int(binary.BigEndian.Uint16(p[3:]))
		nc := int(p[5])
		if (nc != 1 && nc != 3) || len(p) < 6+3*nc || d.width == 0 || d.height == 0 {
			d.bad = true
			return false
		}
		for i := range nc {
			c := p[6+3*i:]
			h, v, tq := int(c[1]>>4), int(c[1]&15), int(c[2])
			if h < 1 || h > 4 || v < 1 || v > 4 || tq > 3 {
				d.bad = true
				return false
			}
			d.comps = append(d.comps, jpegComponent{id: c[0], h: h, v: v, tq: tq})
		}
	case marker >= 0xC2 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC:
		d.bad = true // progressive, lossless or arithmetic-coded: image/jpeg's
		return false
	case marker == 0xDB: // quantization tables
		for len(p) > 0 {
			pq, tq := p[0]>>4, int(p[0]&15)
			if tq > 3 || pq > 1 || len(p) < 1+64*(1+int(pq)) {
				d.bad = true
				return false
			}
			for k := range 64 {
				if pq == 0 {
					d.quant[tq][k] = int32(p[1+k])
				} else {
					d.quant[tq][k] = int32(binary.BigEndian.Uint16(p[1+2*k:]))
				}
			}
			d.haveQ[tq] = true
			p = p[1+64*(1+int(pq)):]
		}
	case marker == 0xC4: // Huffman tables
		for len(p) > 0 {
			if len(p) < 17 || p[0]>>4 > 1 || p[0]&15 > 3 {
				d.bad = true
				return false
			}
			t := &d.dc[p[0]&15]
			if p[0]>>4 == 1 {
				t = &d.ac[p[0]&15]
			}
			m, ok := t.build(p[1:17], p[17:])
			if !ok {
				d.bad = true
				return false
			}
			p = p[17+m:]
		}
	case marker == 0xDD: // restart interval
		if len(p) < 2 {
			d.bad = true
			return false
		}
		d.restart = int(binary.BigEndian.Uint16(p))
	case marker == 0xEE: // Adobe: transform 0 means the components are RGB
		if len(p) >= 12 && string(p[:5]) == "Adobe" && p[11] == 0 {
			d.adobeRGB = true
		}
	}
	return true
}

// scanHeader reads the start of scan: all components in one scan.
func (d *jpegDecoder) scanHeader(p []byte) bool {
	nc := len(d.comps)
	if len(p) < 1 || int(p[0]) != nc || len(p) < 1+2*nc+3 {
		return false
	}
	if nc == 3 && (d.adobeRGB || d.comps[0].id == 'R' && d.comps[1].id == 'G' && d.comps[2].id == 'B') {
		return false
	}
	hmax, vmax := 1, 1
	for _, c := range d.comps {
		hmax, vmax = max(hmax, c.h), max(vmax, c.v)
	}
	for i := range nc {
		id, tables := p[1+2*i], p[2+2*i]
		var c *jpegComponent
		for j := range d.comps {
			if d.comps[j].id == id && !d.comps[j].inScan {
				c = &d.comps[j]
			}
		}
		if c == nil {
			return false
		}
		c.inScan, c.td, c.ta = true, int(tables>>4), int(tables&15)
		if c.td > 3 || c.ta > 3 || !d.dc[c.td].ok || !d.ac[c.ta].ok || !d.haveQ[c.tq] || hmax%c.h != 0 || vmax%c.v != 0 {
			return false
		}
		d.scan = append(d.scan, c)
	}
	// Baseline: spectral selection 0–63, no successive approximation.
	if q := p[1+2*nc:]; q[0] != 0 || q[1] != 63 || q[2] != 0 {
		return false
	}
	for i := range d.comps {
		c := &d.comps[i]
		c.w, c.hgt = ceilDiv(d.width*c.h, hmax), ceilDiv(d.height*c.v, vmax)
		if nc == 1 { // one component: not interleaved, blocks cover only the image
			c.bx, c.by = ceilDiv(c.w, 8), ceilDiv(c.hgt, 8)
		} else {
			c.bx, c.by = ceilDiv(d.width, 8*hmax)*c.h, ceilDiv(d.height, 8*vmax)*c.v
		}
		c.out = d.b.plane(c.bx*d.n, c.by*d.n, 1)
	}
	return true
}

func ceilDiv(a, b int) int { return (a + b - 1) / b }

// pad is how many zero bytes follow the data in buf: more than one block
// can read (64 codes of at most 16 + 15 bits), so that reading past the
// end is found after the block rather than by an index out of range.
const pad = 64*4 + 16

// unstuff copies the entropy-coded data without its stuffed zero bytes,
// noting where each restart marker was, up to the next other marker.
func (d *jpegDecoder) unstuff(src []byte) {
	d.buf = d.b.bytes(len(src) + pad)[:0]
	for {
		i := bytes.IndexByte(src, 0xFF)
		if i < 0 || i+1 >= len(src) {
			d.buf = append(d.buf, src...) // cut short: decode will find out
			break
		}
		d.buf = append(d.buf, src[:i]...)
		m := src[i+1]
		switch {
		case m == 0x00:
			d.buf = append(d.buf, 0xFF)
			src = src[i+2:]
			continue
		case m >= 0xD0 && m <= 0xD7:
			d.marks = append(d.marks, len(d.buf))
			src = src[i+2:]
			continue
		case m == 0xFF: // fill byte before a marker
			src = src[i+1:]
			continue
		}
		break
	}
	d.end = len(d.buf)
	d.buf = d.buf[:d.end+pad]
	clear(d.buf[d.end:])
}

var errJPEGData = errors.New("damaged JPEG data")

// decode reads every block of the scan.
func (d *jpegDecoder) decode() error {
	mx, my := d.scan[0].bx/d.scan[0].h, d.scan[0].by/d.scan[0].v
	if len(d.scan) == 1 {
		mx, my = d.scan[0].bx, d.scan[0].by
	}
	idct := idctMatrix(d.n)
	r := bitReader{buf: d.buf, end: uint(d.end) * 8}
	interval := 0
	var coef [64]int32
	for mcu, total := 0, mx*my; mcu < total; mcu++ {
		if d.restart > 0 && mcu > 0 && mcu%d.restart == 0 {
			if interval >= len(d.marks) {
				return errJPEGData
			}
			r.pos, r.end = uint(d.marks[interval])*8, uint(d.end)*8
			if interval+1 < len(d.marks) {
				r.end = uint(d.marks[interval+1]) * 8
			}
			interval++
			for _, c := range d.scan {
				c.pred = 0
			}
		} else if d.restart > 0 && mcu == 0 && len(d.marks) > 0 {
			r.end = uint(d.marks[0]) * 8
		}
		x, y := mcu%mx, mcu/mx
		for _, c := range d.scan {
			h, v := c.h, c.v
			if len(d.scan) == 1 {
				h, v = 1, 1
			}
			for by := range v {
				for bx := range h {
					dcOnly, err := d.block(&r, c, &coef)
					if err != nil {
						return err
					}
					ox, oy := (x*h+bx)*d.n, (y*v+by)*d.n
					writeBlock(c.out.pix[oy*c.out.stride+ox:], c.out.stride, &coef, dcOnly, d.n, &idct)
				}
			}
		}
	}
	return nil
}

// block reads one block's coefficients, dequantized, into coef (natural
// order; only the n × n kept), and says whether only the DC one is set.
func (d *jpegDecoder) block(r *bitReader, c *jpegComponent, coef *[64]int32) (dcOnly bool, err error) {
	q := &d.quant[c.tq]
	n := d.n
	// DC: the difference from the previous block's.
	bits := r.peek()
	s, l, ok := d.dc[c.td].decode(bits)
	if !ok || s > 15 {
		return false, errJPEGData
	}
	var diff int32
	if s > 0 {
		diff = extend(bits<<l, uint(s))
	}
	r.pos += l + uint(s)
	c.pred += diff
	clear(coef[:n*n])
	coef[0] = c.pred * q[0]
	dcOnly = true
	keep := &keepOf[n>>1]
	ac := &d.ac[c.ta]
	buf, pos := r.buf, r.pos // in locals, not written back for each code
	for k := 1; k < 64; {
		bits := binary.BigEndian.Uint64(buf[pos>>3:]) << (pos & 7)
		if e := ac.short[bits>>(64-fastBits)]; e != 0 { // code and value in the window's first bits
			k += int(e >> 8 & 15)
			if k > 63 {
				return false, errJPEGData
			}
			coef[keep[k]] = (e >> 16) * q[k] // no branch: a coefficient left out goes to coef[63]
			pos += uint(e & 255)
			k++
			continue
		}
		rs, l, ok := ac.decode(bits)
		if !ok {
			return false, errJPEGData
		}
		run, size := int(rs>>4), uint(rs&15)
		if size == 0 {
			pos += l
			if run != 15 {
				break // end of block
			}
			k += 16
			continue
		}
		k += run
		if k > 63 {
			return false, errJPEGData
		}
		coef[keep[k]] = extend(bits<<l, size) * q[k]
		pos += l + size
		k++
	}
	r.pos = pos
	for _, v := range coef[1 : n*n] {
		if v != 0 {
			dcOnly = false
			break
		}
	}
	if r.pos > r.end {
		return false, errJPEGData // read past the data: cut short
	}
	return dcOnly, nil
}

// extend is the signed value of the size bits at the top of b.
func extend(b uint64, size uint) int32 {
	v := int32(b >> (64 - size))
	if v < 1<<(size-1) {
		v -= 1<<size - 1
	}
	return v
}

// zigzag is the natural index of the k-th coefficient in the order a
// JPEG stores them.
var zigzag = [64]int{
	0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5,
	12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28,
	35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51,
	58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
}

// keepOf[n/2][k] is where the k-th stored coefficient goes in an n × n
// block (row × n + column), or 63, a slot no transform reads, when it is
// one of those left out.
var keepOf [3][64]uint8

func init() {
	for i, n := range []int{1, 2, 4} {
		for k, z := range zigzag {
			row, col := z/8, z%8
			keepOf[i][k] = 63
			if row < n && col < n {
				keepOf[i][k] = uint8(row*n + col)
			}
		}
	}
}

// idctMatrix gives output pixel m of a side from frequency u: the mean of
// the 8/n pixels of the full-size inverse DCT (with its ½·C(u) scaling)
// that output pixel stands for.
func idctMatrix(n int) [4][4]float32 {
	var m [4][4]float32
	k := 8 / n
	for x := range n {
		for u := range n {
			c := 1.0
			if u == 0 {
				c = 1 / math.Sqrt2
			}
			sum := 0.0
			for j := range k {
				sum += math.Cos(float64(2*(k*x+j)+1) * float64(u) * math.Pi / 16)
			}
			m[x][u] = float32(0.5 * c * sum / float64(k))
		}
	}
	return m
}

// writeBlock writes the n × n pixels of a block's kept coefficients.
func writeBlock(dst []byte, stride int, coef *[64]int32, dcOnly bool, n int, m *[4][4]float32) {
	switch {
	case dcOnly:
		v := clampByte(float32(coef[0])/8 + 128)
		for y := range n {
			row := dst[y*stride : y*stride+n]
			for x := range row {
				row[x] = v
			}
		}
	case n == 4:
		idct4(dst, stride, coef, m)
	default:
		idct2(dst, stride, coef, m)
	}
}

// idct4 is the 4 × 4 inverse transform: rows (one per vertical frequency,
// skipped when all zero, as most high ones are), then columns.
func idct4(dst []byte, stride int, c *[64]int32, m *[4][4]float32) {
	var t [16]float32 // t[v*4+x]
	for v := range 4 {
		c0, c1, c2, c3 := float32(c[v*4]), float32(c[v*4+1]), float32(c[v*4+2]), float32(c[v*4+3])
		if c0 == 0 && c1 == 0 && c2 == 0 && c3 == 0 {
			continue
		}
		t[v*4+0] = c0*m[0][0] + c1*m[0][1] + c2*m[0][2] + c3*m[0][3]
		t[v*4+1] = c0*m[1][0] + c1*m[1][1] + c2*m[1][2] + c3*m[1][3]
		t[v*4+2] = c0*m[2][0] + c1*m[2][1] + c2*m[2][2] + c3*m[2][3]
		t[v*4+3] = c0*m[3][0] + c1*m[3][1] + c2*m[3][2] + c3*m[3][3]
	}
	for y := range 4 {
		a0, a1, a2, a3 := m[y][0], m[y][1], m[y][2], m[y][3]
		row := dst[y*stride : y*stride+4 : y*stride+4]
		row[0] = clampByte(a0*t[0] + a1*t[4] + a2*t[8] + a3*t[12] + 128)
		row[1] = clampByte(a0*t[1] + a1*t[5] + a2*t[9] + a3*t[13] + 128)
		row[2] = clampByte(a0*t[2] + a1*t[6] + a2*t[10] + a3*t[14] + 128)
		row[3] = clampByte(a0*t[3] + a1*t[7] + a2*t[11] + a3*t[15] + 128)
	}
}

// idct2 is the 2 × 2 inverse transform.
func idct2(dst []byte, stride int, c *[64]int32, m *[4][4]float32) {
	c0, c1, c2, c3 := float32(c[0]), float32(c[1]), float32(c[2]), float32(c[3])
	t0, t1 := c0*m[0][0]+c1*m[0][1], c0*m[1][0]+c1*m[1][1] // vertical frequency 0
	t2, t3 := c2*m[0][0]+c3*m[0][1], c2*m[1][0]+c3*m[1][1] // and 1
	for y := range 2 {
		a0, a1 := m[y][0], m[y][1]
		row := dst[y*stride : y*stride+2 : y*stride+2]
		row[0] = clampByte(a0*t0 + a1*t2 + 128)
		row[1] = clampByte(a0*t1 + a1*t3 + 128)
	}
}

func clampByte(f float32) byte {
	return byte(min(max(int32(f+0.5), 0), 255))
}

// planes are the decoded components, cut to the image's size.
func (d *jpegDecoder) planes() planes {
	crop := func(c *jpegComponent) plane {
		p := c.out
		p.w, p.h = ceilDiv(c.w*d.n, 8), ceilDiv(c.hgt*d.n, 8)
		return p
	}
	y := crop(&d.comps[0])
	if len(d.comps) == 1 {
		cw, ch := (y.w+1)/2, (y.h+1)/2
		neutral := newPlane(cw, ch, 1)
		for i := range neutral.pix {
			neutral.pix[i] = 128
		}
		return planes{y: y, cb: neutral, cr: neutral}
	}
	return planes{y: y, cb: crop(&d.comps[1]), cr: crop(&d.comps[2])}
}

// bitReader reads bits of unstuffed entropy-coded data, most significant
// first.
type bitReader struct {
	buf      []byte
	pos, end uint // in bits
}

// peek is the next 57 bits or more, at the top of the word.
func (r *bitReader) peek() uint64 {
	return binary.BigEndian.Uint64(r.buf[r.pos>>3:]) << (r.pos & 7)
}

const fastBits = 10

// huffman is one Huffman table: codes of up to fastBits bits are looked
// up at once, longer ones by their length.
type huffman struct {
	fast [1 << fastBits]uint16 // length<<8 | symbol; 0: not a short code
	// short holds, for an AC table, the coefficients whose code and value
	// together fit in fastBits: value<<16 | run<<8 | their length; 0: not.
	short   [1 << fastBits]int32
	maxcode [17]int32 // the largest code of each length, -1 if none
	mincode [17]int32
	valptr  [17]int32
	vals    [256]byte
	ok      bool
}

// build makes the table from the counts of codes of each length and the
// symbols, and says how many symbol bytes it read.
func (t *huffman) build(counts, syms []byte) (int, bool) {
	*t = huffman{}
	total := 0
	for _, c := range counts {
		total += int(c)
	}
	if total == 0 || total > 256 || total > len(syms) {
		return 0, false
	}
	copy(t.vals[:], syms[:total])
	code, k := int32(0), int32(0)
	for l := 1; l <= 16; l++ {
		c := int32(counts[l-1])
		t.mincode[l], t.valptr[l], t.maxcode[l] = code, k, -1
		if c > 0 {
			t.maxcode[l] = code + c - 1
		}
		for range c {
			if code >= 1<<l {
				return 0, false // more codes than the length allows
			}
			if l <= fastBits {
				shift := fastBits - l
				for j := code << shift; j < (code+1)<<shift; j++ {
					t.fast[j] = uint16(l)<<8 | uint16(t.vals[k])
					run, size := int32(t.vals[k]>>4), int(t.vals[k]&15)
					if size > 0 && l+size <= fastBits {
						v := extend(uint64(j)<<(64-fastBits+l), uint(size))
						t.short[j] = v<<16 | run<<8 | int32(l+size)
					}
				}
			}
			code++
			k++
		}
		code <<= 1
	}
	t.ok = true
	return total, true
}

// decode reads a symbol from the top of b and says its code's length.
func (t *huffman) decode(b uint64) (sym byte, length uint, ok bool) {
	if e := t.fast[b>>(64-fastBits)]; e != 0 {
		return byte(e), uint(e >> 8), true
	}
	for l := fastBits + 1; l <= 16; l++ {
		code := int32(b >> (64 - l))
		if code <= t.maxcode[l] {
			return t.vals[t.valptr[l]+code-t.mincode[l]], uint(l), true
		}
	}
	return 0, 0, false
}
