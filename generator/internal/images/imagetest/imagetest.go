// Package imagetest makes images for tests: photo-like JPEGs carrying the
// EXIF a phone writes (GPS position, camera, orientation), diagrams as
// PNG, and the bad files a site must refuse cleanly.
package imagetest

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"math"
)

// GPSMarker is text in the EXIF of Photo's files; no output may hold it.
const GPSMarker = "QorgauTestCamera"

// Photo is a w × h JPEG that compresses like a photograph (smooth shapes
// and fine grain), with an EXIF segment holding a GPS position, the
// camera's name (GPSMarker) and orientation (1 to 8), and an XMP packet.
func Photo(w, h int, seed uint32, orientation int) []byte {
	m := image.NewYCbCr(image.Rect(0, 0, w, h), image.YCbCrSubsampleRatio420)
	s := seed*2654435761 + 1
	fs := float64(seed%7 + 3)
	for y := range h {
		for x := range w {
			s = s*1664525 + 1013904223
			grain := float64(s>>24)/255*24 - 12
			fx, fy := float64(x)/float64(w), float64(y)/float64(h)
			v := 128 + 60*math.Sin(fx*fs+fy*4) + 30*math.Sin(fx*fs*9-fy*13) + grain
			m.Y[y*m.YStride+x] = clamp(v)
		}
	}
	for y := range (h + 1) / 2 {
		for x := range (w + 1) / 2 {
			fx, fy := float64(x*2)/float64(w), float64(y*2)/float64(h)
			m.Cb[y*m.CStride+x] = clamp(128 + 40*math.Cos(fx*5+fy*fs))
			m.Cr[y*m.CStride+x] = clamp(128 + 35*math.Sin(fy*6-fx*fs))
		}
	}
	var b bytes.Buffer
	_ = jpeg.Encode(&b, m, &jpeg.Options{Quality: 88})
	return withMeta(b.Bytes(), orientation)
}

func clamp(v float64) uint8 { return uint8(max(0, min(255, v))) }

// withMeta puts an EXIF segment (orientation, camera, GPS) and an XMP
// segment after a JPEG's start.
func withMeta(j []byte, orientation int) []byte {
	be := binary.BigEndian
	var t bytes.Buffer
	t.WriteString("MM\x00*")
	_ = binary.Write(&t, be, uint32(8))
	// IFD0: orientation, model (ASCII at an offset), GPS IFD pointer.
	model := GPSMarker + "\x00"
	ifd0 := 8
	n := 3
	dataOff := ifd0 + 2 + n*12 + 4
	gpsOff := dataOff + len(model)
	_ = binary.Write(&t, be, uint16(n))
	entry := func(tag, typ uint16, count uint32, value uint32) {
		_ = binary.Write(&t, be, tag)
		_ = binary.Write(&t, be, typ)
		_ = binary.Write(&t, be, count)
		_ = binary.Write(&t, be, value)
	}
	entry(0x0112, 3, 1, uint32(orientation)<<16)
	entry(0x0110, 2, uint32(len(model)), uint32(dataOff))
	entry(0x8825, 4, 1, uint32(gpsOff))
	_ = binary.Write(&t, be, uint32(0))
	t.WriteString(model)
	// GPS IFD: latitude N 43°14'18", longitude E 76°56'42" (Almaty).
	rOff := gpsOff + 2 + 4*12 + 4
	_ = binary.Write(&t, be, uint16(4))
	entry(0x0001, 2, 2, uint32('N')<<24)
	entry(0x0002, 5, 3, uint32(rOff))
	entry(0x0003, 2, 2, uint32('E')<<24)
	entry(0x0004, 5, 3, uint32(rOff+24))
	_ = binary.Write(&t, be, uint32(0))
	for _, v := range []uint32{43, 1, 14, 1, 18, 1, 76, 1, 56, 1, 42, 1} {
		_ = binary.Write(&t, be, v)
	}
	exif := append([]byte("Exif\x00\x00"), t.Bytes()...)
	xmp := []byte("http://ns.adobe.com/xap/1.0/\x00<x:xmpmeta><exif:GPSLatitude>43,14.3N</exif:GPSLatitude><tiff:Model>" + GPSMarker + "</tiff:Model></x:xmpmeta>")
	var out bytes.Buffer
	out.Write(j[:2])
	for _, seg := range []struct {
		m byte
		p []byte
	}{{0xE1, exif}, {0xE1, xmp}, {0xFE, []byte("comment by " + GPSMarker)}} {
		out.Write([]byte{0xFF, seg.m, byte((len(seg.p) + 2) >> 8), byte(len(seg.p) + 2)})
		out.Write(seg.p)
	}
	out.Write(j[2:])
	return out.Bytes()
}

// Diagram is a w × h PNG with flat colours and a transparent corner, with
// a text chunk naming GPSMarker.
func Diagram(w, h int) []byte {
	m := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			c := color.NRGBA{0x1b, 0x4f, 0x9c, 255}
			switch {
			case x < w/8 && y < h/8:
				c = color.NRGBA{}
			case (x/16+y/16)%2 == 0:
				c = color.NRGBA{0xf4, 0xb4, 0x00, 255}
			}
			m.SetNRGBA(x, y, c)
		}
	}
	var b bytes.Buffer
	_ = png.Encode(&b, m)
	p := b.Bytes()
	// A tEXt chunk after IHDR (8 + 25 bytes).
	text := chunk("tEXt", []byte("Author\x00"+GPSMarker))
	return append(append(append([]byte{}, p[:33]...), text...), p[33:]...)
}

func chunk(typ string, data []byte) []byte {
	var b bytes.Buffer
	_ = binary.Write(&b, binary.BigEndian, uint32(len(data)))
	b.WriteString(typ)
	b.Write(data)
	_ = binary.Write(&b, binary.BigEndian, crc32.ChecksumIEEE(append([]byte(typ), data...)))
	return b.Bytes()
}

// Bomb is a small PNG whose header says it is w × h pixels (30,000 ×
// 30,000 makes 3.6 GB once decoded): a "decompression bomb".
func Bomb(w, h int) []byte {
	var ihdr bytes.Buffer
	_ = binary.Write(&ihdr, binary.BigEndian, uint32(w))
	_ = binary.Write(&ihdr, binary.BigEndian, uint32(h))
	ihdr.Write([]byte{8, 6, 0, 0, 0}) // 8-bit RGBA
	out := []byte("\x89PNG\r\n\x1a\n")
	out = append(out, chunk("IHDR", ihdr.Bytes())...)
	// Compressed rows of zeros: a few kilobytes that inflate to gigabytes.
	var z bytes.Buffer
	z.Write([]byte{0x78, 0x01})
	for range 64 {
		z.Write([]byte{0x00, 0x00, 0x80, 0xff, 0x7f}) // stored blocks would be large; these say little
	}
	out = append(out, chunk("IDAT", z.Bytes())...)
	return append(out, chunk("IEND", nil)...)
}

// Truncated is a photo cut in half.
func Truncated(w, h int) []byte {
	p := Photo(w, h, 7, 1)
	return p[:len(p)/2]
}
