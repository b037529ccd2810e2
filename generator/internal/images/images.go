// Package images makes the site's photos and diagrams light enough for an
// old phone on a slow connection: each image is resized to a few widths
// (never larger than it is), written as WebP with its own format as the
// fallback, turned the way the camera was held, and stripped of the
// metadata a camera puts in (a photo must never tell where it was taken).
//
// Probe reads only an image's header, so a page can be rendered with its
// width and height before the pixels are processed; Process makes the
// files; Cache keeps them between builds, keyed by the source's content
// and the options. A file that is not the image its name says, is cut
// short, or has more pixels than Options.MaxPixels is refused before it is
// decoded, so no image can exhaust memory.
package images

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"image/gif"
	"path"
	"strconv"
	"strings"

	_ "image/jpeg" // decoders for image.DecodeConfig
	_ "image/png"

	_ "golang.org/x/image/webp"
)

// Options are how images are processed.
type Options struct {
	Widths    []int // widths to make, in pixels, smallest first
	Quality   int   // JPEG and lossy WebP quality, 1–100
	MaxPixels int   // larger images are refused (a "decompression bomb")
	// FallbackMax is the widest fallback (JPEG or PNG) made, 0 for every
	// width: the browsers without WebP are old phones' (iOS before 14),
	// which never need more than 720 px, and the largest fallback costs
	// as much time to make as all the smaller ones together. The smallest
	// width always has one.
	FallbackMax int
}

// DefaultOptions are the options of a site that sets none.
var DefaultOptions = Options{Widths: []int{360, 720, 1080}, Quality: 75, MaxPixels: 50_000_000, FallbackMax: 720}

// key is the part of the options that changes the files made.
func (o Options) key() string {
	var b strings.Builder
	fmt.Fprintf(&b, "v2 q%d f%d", o.Quality, o.FallbackMax) // v2: JPEGs decoded at a reduction
	for _, w := range o.Widths {
		fmt.Fprintf(&b, " %d", w)
	}
	return b.String()
}

// Info is what an image's header says.
type Info struct {
	Format        string // jpeg, png, gif or webp
	Width, Height int    // as shown: with the orientation applied
	Orientation   int    // EXIF orientation, 1–8
	Animated      bool   // a GIF of several frames: copied, not resized
}

// Processable reports whether Process makes variants of the image.
func (i Info) Processable() bool { return !i.Animated }

// Extensions maps the file name extensions of images to their formats.
var Extensions = map[string]string{".jpg": "jpeg", ".jpeg": "jpeg", ".png": "png", ".gif": "gif", ".webp": "webp"}

// IsImage reports whether a file name is one of an image Probe reads.
func IsImage(name string) bool {
	_, ok := Extensions[strings.ToLower(path.Ext(name))]
	return ok
}

// formatNames are the formats as a person names them.
var formatNames = map[string]string{"jpeg": "JPEG", "png": "PNG", "gif": "GIF", "webp": "WebP"}

// ErrTooLarge is the error of an image with more pixels than allowed.
var ErrTooLarge = errors.New("too many pixels")

// Probe reads an image's header: its format (which must match the name's
// extension), its size and orientation. It decodes no pixels.
func Probe(name string, data []byte, o Options) (Info, error) {
	want := Extensions[strings.ToLower(path.Ext(name))]
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return Info{}, fmt.Errorf("%s is not a %s image, or it is damaged (%v): open it in an image editor and save it again", path.Base(name), formatNames[want], err)
	}
	if want != "" && format != want {
		ext := map[string]string{"jpeg": ".jpg", "png": ".png", "gif": ".gif", "webp": ".webp"}[format]
		return Info{}, fmt.Errorf("%s is a %s image, not %s: rename it to %s", path.Base(name), formatNames[format], formatNames[want],
			strings.TrimSuffix(path.Base(name), path.Ext(name))+ext)
	}
	info := Info{Format: format, Width: cfg.Width, Height: cfg.Height, Orientation: 1}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return Info{}, fmt.Errorf("%s has no pixels (%d × %d)", path.Base(name), cfg.Width, cfg.Height)
	}
	if o.MaxPixels > 0 && int64(cfg.Width)*int64(cfg.Height) > int64(o.MaxPixels) {
		return Info{}, fmt.Errorf("%s is %d × %d pixels, more than the %d megapixels an image may have: make it smaller in an image editor first: %w",
			path.Base(name), cfg.Width, cfg.Height, o.MaxPixels/1_000_000, ErrTooLarge)
	}
	if !complete(format, data) {
		return Info{}, fmt.Errorf("%s is cut short (only part of it was copied or downloaded): copy it again, or open it in an image editor and save it again", path.Base(name))
	}
	switch format {
	case "jpeg":
		info.Orientation = Orientation(data)
		if info.Orientation >= 5 { // turned a quarter: width and height swap
			info.Width, info.Height = info.Height, info.Width
		}
	case "gif":
		info.Animated = gifFrames(data) > 1
	}
	return info, nil
}

// complete reports whether an image file ends as its format says a whole
// file does: a JPEG's end-of-image marker after its image data, a PNG's
// IEND chunk, a GIF's trailer, a WebP's RIFF length. A file cut short
// fails here, before any pixel is decoded.
func complete(format string, data []byte) bool {
	switch format {
	case "jpeg":
		sos, err := jpegSegments(data, func(byte, []byte) bool { return true })
		return err == nil && bytes.LastIndex(data, []byte{0xFF, 0xD9}) > sos
	case "png":
		return bytes.HasSuffix(bytes.TrimRight(data, "\x00"), []byte("IEND\xaeB`\x82"))
	case "gif":
		return len(data) > 0 && bytes.LastIndexByte(data, 0x3B) > len(data)-16
	case "webp":
		return len(data) >= 12 && int(binary.LittleEndian.Uint32(data[4:]))+8 <= len(data)
	}
	return true
}

// gifFrames counts a GIF's frames, decoding it (GIFs are small; Probe has
// checked its size).
func gifFrames(data []byte) int {
	g, err := gif.DecodeAll(bytes.NewReader(data))
	if err != nil {
		return 0
	}
	return len(g.Image)
}

// Variant is one file Process makes of an image.
type Variant struct {
	Width, Height int
	Format        string // webp, or the fallback's: jpeg or png
}

// Variants are the files Process makes of an image: for each configured
// width it has (and its own width when it lies between them, or is below
// the smallest), a WebP and a fallback in its own format (PNG for a GIF;
// none for a WebP, which is its own). Each width's WebP comes first.
func (o Options) Variants(info Info) []Variant {
	if !info.Processable() {
		return nil
	}
	var widths []int
	for _, w := range o.Widths {
		if w < info.Width {
			widths = append(widths, w)
		}
	}
	if len(widths) == 0 || len(widths) < len(o.Widths) {
		widths = append(widths, info.Width) // its own width: never upscaled
	}
	fallback := info.Format
	if fallback == "gif" {
		fallback = "png"
	}
	var out []Variant
	for i, w := range widths {
		h := max(1, (info.Height*w+info.Width/2)/info.Width)
		out = append(out, Variant{Width: w, Height: h, Format: "webp"})
		if fallback != "webp" && (o.FallbackMax == 0 || w <= o.FallbackMax || i == 0) {
			out = append(out, Variant{Width: w, Height: h, Format: fallback})
		}
	}
	return out
}

// Name is the file name of a variant of the image at rel:
// photo.jpg → photo.720w.webp.
func (v Variant) Name(rel string) string {
	ext := map[string]string{"webp": ".webp", "jpeg": ".jpg", "png": ".png"}[v.Format]
	return strings.TrimSuffix(rel, path.Ext(rel)) + "." + strconv.Itoa(v.Width) + "w" + ext
}

// MediaType is a variant's media type, for <source type>.
func (v Variant) MediaType() string { return "image/" + v.Format }
