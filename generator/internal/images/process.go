package images

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/draw"
	"image/jpeg"
	"image/png"
	"math"
	"path"

	"github.com/gen2brain/webp"
)

// File is one variant Process made.
type File struct {
	Variant
	Data []byte
	Path string // where a Cache keeps it, when it does: the output can link to it
}

// Process decodes an image Probe read and makes every variant of it
// (Options.Variants), in that order. It holds the decoded pixels, about
// 4 bytes per pixel of the source at most, until it returns; Cost says
// how much, for callers that bound the memory of many at once.
func Process(ctx context.Context, name string, data []byte, info Info, o Options, b *Buffers) ([]File, error) {
	b.reset()
	vs := o.Variants(info)
	if len(vs) == 0 {
		return nil, nil
	}
	src, err := decodeSource(b, data, info, vs[len(vs)-1])
	if err != nil {
		return nil, fmt.Errorf("%s cannot be read (%v): it may be cut short; open it in an image editor and save it again", path.Base(name), err)
	}
	out := make([]File, len(vs))
	var prev *planes                // the last size made: each smaller one is made from it
	for i := len(vs) - 1; i >= 0; { // largest first
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		v := vs[i]
		var cur planes
		if prev == nil {
			sw, sh := v.Width, v.Height
			if info.Orientation >= 5 {
				sw, sh = sh, sw
			}
			cur = src.resize(b, sw, sh).orient(b, info.Orientation)
			src = planes{} // let the source's pixels go
		} else {
			cur = prev.resize(b, v.Width, v.Height)
		}
		prev = &cur
		for ; i >= 0 && vs[i].Width == v.Width; i-- { // this width's WebP and fallback
			data, err := cur.encode(b, vs[i].Format, o.Quality, info.Format)
			if err != nil {
				return nil, fmt.Errorf("%s: making its %d px %s: %v", path.Base(name), vs[i].Width, formatNames[vs[i].Format], err)
			}
			out[i] = File{Variant: vs[i], Data: data}
		}
	}
	return out, nil
}

// decodeSource reads the pixels Process needs for the largest variant: a JPEG
// at the smallest of 1/8, 1/4 or 1/2 of its size that is at least as
// large (decodeJPEG), other images and other JPEGs whole.
func decodeSource(b *Buffers, data []byte, info Info, largest Variant) (planes, error) {
	if info.Format == "jpeg" {
		w, h, lw, lh := info.Width, info.Height, largest.Width, largest.Height
		if info.Orientation >= 5 { // as stored: before it is turned
			w, h, lw, lh = h, w, lh, lw
		}
		for n := 1; n < 8; n *= 2 {
			if ceilDiv(w*n, 8) >= lw && ceilDiv(h*n, 8) >= lh {
				if p, ok := decodeJPEG(b, data, n); ok {
					return p, nil
				}
				break
			}
		}
	}
	m, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return planes{}, err
	}
	return toPlanes(m), nil
}

// Cost is about how many bytes Process holds for an image.
func Cost(info Info) int64 {
	return int64(info.Width) * int64(info.Height) * 4
}

// planes are an image as Process works on it: Y, Cb and Cr planes (Cb and
// Cr at half width and height, as JPEG and WebP store them), or, for an
// image with transparency or a palette, one premultiplied RGBA plane.
type planes struct {
	y, cb, cr plane
	rgba      plane // used when y.pix is nil
}

func (p planes) ycc() bool { return p.y.pix != nil }

// toPlanes takes the planes of a decoded image, without copying a JPEG's.
func toPlanes(m image.Image) planes {
	b := m.Bounds()
	switch m := m.(type) {
	case *image.YCbCr:
		cw, ch := chromaSize(m.SubsampleRatio, b.Dx(), b.Dy())
		c := m.COffset(b.Min.X, b.Min.Y)
		return planes{
			y:  plane{pix: m.Y[m.YOffset(b.Min.X, b.Min.Y):], w: b.Dx(), h: b.Dy(), stride: m.YStride, ch: 1},
			cb: plane{pix: m.Cb[c:], w: cw, h: ch, stride: m.CStride, ch: 1},
			cr: plane{pix: m.Cr[c:], w: cw, h: ch, stride: m.CStride, ch: 1},
		}
	case *image.Gray:
		cw, ch := (b.Dx()+1)/2, (b.Dy()+1)/2
		neutral := newPlane(cw, ch, 1)
		for i := range neutral.pix {
			neutral.pix[i] = 128
		}
		return planes{y: plane{pix: m.Pix[m.PixOffset(b.Min.X, b.Min.Y):], w: b.Dx(), h: b.Dy(), stride: m.Stride, ch: 1}, cb: neutral, cr: neutral}
	}
	rgba := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(rgba, rgba.Rect, m, b.Min, draw.Src)
	return planes{rgba: plane{pix: rgba.Pix, w: b.Dx(), h: b.Dy(), stride: rgba.Stride, ch: 4}}
}

// chromaSize is the size of a JPEG's Cb and Cr planes.
func chromaSize(r image.YCbCrSubsampleRatio, w, h int) (int, int) {
	switch r {
	case image.YCbCrSubsampleRatio422:
		return (w + 1) / 2, h
	case image.YCbCrSubsampleRatio420:
		return (w + 1) / 2, (h + 1) / 2
	case image.YCbCrSubsampleRatio440:
		return w, (h + 1) / 2
	case image.YCbCrSubsampleRatio411:
		return (w + 3) / 4, h
	case image.YCbCrSubsampleRatio410:
		return (w + 3) / 4, (h + 1) / 2
	}
	return w, h
}

// resize makes a w × h copy, with Cb and Cr at half of it.
func (p planes) resize(b *Buffers, w, h int) planes {
	if !p.ycc() {
		return planes{rgba: p.rgba.resize(b, w, h)}
	}
	cw, ch := (w+1)/2, (h+1)/2
	return planes{y: p.y.resize(b, w, h), cb: p.cb.resize(b, cw, ch), cr: p.cr.resize(b, cw, ch)}
}

func (p planes) orient(b *Buffers, o int) planes {
	if !p.ycc() {
		return planes{rgba: p.rgba.orient(b, o)}
	}
	return planes{y: p.y.orient(b, o), cb: p.cb.orient(b, o), cr: p.cr.orient(b, o)}
}

// encode writes the planes as format: webp, jpeg or png. A WebP of a JPEG
// is lossy; of a PNG or GIF, lossless (diagrams keep their sharp edges).
func (p planes) encode(buf *Buffers, format string, quality int, source string) ([]byte, error) {
	var b bytes.Buffer
	var err error
	switch format {
	case "webp":
		err = webp.Encode(&b, p.webpImage(buf), webp.Options{Quality: quality, Method: 0, Lossless: source == "png" || source == "gif"})
	case "jpeg":
		err = jpeg.Encode(&b, p.image(), &jpeg.Options{Quality: quality})
	case "png":
		err = (&png.Encoder{CompressionLevel: png.DefaultCompression}).Encode(&b, p.image())
	default:
		err = fmt.Errorf("unknown format %q", format)
	}
	return b.Bytes(), err
}

// image is the planes as an image for the standard encoders: a 4:2:0
// YCbCr, or premultiplied RGBA.
func (p planes) image() image.Image {
	if !p.ycc() {
		return &image.RGBA{Pix: p.rgba.pix, Stride: p.rgba.stride, Rect: image.Rect(0, 0, p.rgba.w, p.rgba.h)}
	}
	return &image.YCbCr{Y: p.y.pix, Cb: p.cb.pix, Cr: p.cr.pix, YStride: p.y.stride, CStride: p.cb.stride,
		SubsampleRatio: image.YCbCrSubsampleRatio420, Rect: image.Rect(0, 0, p.y.w, p.y.h)}
}

// Full-range (JPEG) Y, Cb and Cr values in the limited range VP8 stores.
var limitedY, limitedC [256]byte

func init() {
	for i := range 256 {
		limitedY[i] = byte(16 + math.Round(float64(i)*219/255))
		limitedC[i] = byte(128 + math.Round(float64(i-128)*224/255))
	}
}

// webpImage is the planes as the WebP encoder takes them without
// converting: Y, Cb, Cr (limited range) and an opaque alpha plane, one
// after the other in one buffer. An RGBA image goes as non-premultiplied
// RGBA.
func (p planes) webpImage(b *Buffers) image.Image {
	if !p.ycc() {
		n := image.NewNRGBA(image.Rect(0, 0, p.rgba.w, p.rgba.h))
		draw.Draw(n, n.Rect, p.image(), image.Point{}, draw.Src)
		return n
	}
	w, h := p.y.w, p.y.h
	cw, ch := (w+1)/2, (h+1)/2
	buf := b.bytes(2*w*h + 2*cw*ch)
	y, cb, cr, a := buf[:w*h], buf[w*h:w*h+cw*ch], buf[w*h+cw*ch:w*h+2*cw*ch], buf[w*h+2*cw*ch:]
	for r := range h {
		src, dst := p.y.pix[r*p.y.stride:][:w], y[r*w:][:w]
		for i, v := range src {
			dst[i] = limitedY[v]
		}
	}
	for r := range ch {
		s1, s2 := p.cb.pix[r*p.cb.stride:][:cw], p.cr.pix[r*p.cr.stride:][:cw]
		d1, d2 := cb[r*cw:][:cw], cr[r*cw:][:cw]
		for i := range cw {
			d1[i], d2[i] = limitedC[s1[i]], limitedC[s2[i]]
		}
	}
	for i := range a {
		a[i] = 255
	}
	return &image.NYCbCrA{YCbCr: image.YCbCr{Y: y, Cb: cb, Cr: cr, YStride: w, CStride: cw,
		SubsampleRatio: image.YCbCrSubsampleRatio420, Rect: image.Rect(0, 0, w, h)}, A: a, AStride: w}
}
