package handout

import (
	"bytes"
	"image"
	"image/jpeg"
	"image/png"

	"golang.org/x/image/draw"
)

// distinctWidth returns an image's bytes with a pixel width no other image
// of the file has: the same bytes when its width is new, else the image
// scaled to the widest free width below it (a 720 px photo after another
// becomes 719 px), which prints at the same size. fpdf writes a file's
// images sorted by their width and, among equal widths, in Go's map order,
// which changes from run to run; with no two widths alike, the same
// sources make the same bytes. ok is false when the image cannot be read.
func (d *doc) distinctWidth(data []byte, kind string) ([]byte, bool) {
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil || cfg.Width < 1 || cfg.Height < 1 {
		return nil, false
	}
	if d.widths == nil {
		d.widths = map[int]bool{}
	}
	if !d.widths[cfg.Width] {
		d.widths[cfg.Width] = true
		return data, true
	}
	w := cfg.Width - 1
	for w > 1 && d.widths[w] {
		w--
	}
	src, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, false
	}
	h := max(1, (cfg.Height*w+cfg.Width/2)/cfg.Width)
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.CatmullRom.Scale(dst, dst.Rect, src, src.Bounds(), draw.Src, nil)
	var b bytes.Buffer
	if kind == "png" {
		err = png.Encode(&b, dst)
	} else {
		err = jpeg.Encode(&b, dst, &jpeg.Options{Quality: 85})
	}
	if err != nil {
		return nil, false
	}
	d.widths[w] = true
	return b.Bytes(), true
}
