package images

import (
	"bytes"
	"encoding/binary"
	"errors"
)

// Orientation is the EXIF orientation of a JPEG (1 to 8; 1 when it has
// none): how the camera was held, which the pixels do not show.
func Orientation(data []byte) int {
	tiff := exifTIFF(data)
	if tiff == nil {
		return 1
	}
	o, ok := ifd0Short(tiff, 0x0112)
	if !ok || o < 1 || o > 8 {
		return 1
	}
	return int(o)
}

// exifTIFF returns the TIFF structure of a JPEG's Exif segment, or nil.
func exifTIFF(data []byte) []byte {
	var found []byte
	_, _ = jpegSegments(data, func(marker byte, seg []byte) bool {
		if marker == 0xE1 && bytes.HasPrefix(seg, []byte("Exif\x00\x00")) {
			found = seg[6:]
			return false
		}
		return true
	})
	return found
}

// ifd0Short reads a SHORT tag of a TIFF structure's first directory.
func ifd0Short(tiff []byte, tag uint16) (uint16, bool) {
	if len(tiff) < 8 {
		return 0, false
	}
	var bo binary.ByteOrder
	switch string(tiff[:4]) {
	case "II*\x00":
		bo = binary.LittleEndian
	case "MM\x00*":
		bo = binary.BigEndian
	default:
		return 0, false
	}
	off := int(bo.Uint32(tiff[4:]))
	if off < 8 || off+2 > len(tiff) {
		return 0, false
	}
	n := int(bo.Uint16(tiff[off:]))
	for i := range n {
		e := off + 2 + i*12
		if e+12 > len(tiff) {
			return 0, false
		}
		if bo.Uint16(tiff[e:]) == tag && bo.Uint16(tiff[e+2:]) == 3 { // SHORT
			return bo.Uint16(tiff[e+8:]), true
		}
	}
	return 0, false
}

var errNotJPEG = errors.New("not a JPEG file")

// jpegSegments calls fn with each marker segment before the image data
// (start of scan), until fn returns false. It returns the offset where the
// image data's segment starts.
func jpegSegments(data []byte, fn func(marker byte, payload []byte) bool) (int, error) {
	if len(data) < 4 || data[0] != 0xFF || data[1] != 0xD8 {
		return 0, errNotJPEG
	}
	i := 2
	for i+4 <= len(data) {
		if data[i] != 0xFF {
			return 0, errors.New("the JPEG's header is damaged")
		}
		marker := data[i+1]
		if marker == 0xFF { // fill byte
			i++
			continue
		}
		if marker == 0xDA { // start of scan: the pixels follow
			return i, nil
		}
		if marker == 0x01 || marker >= 0xD0 && marker <= 0xD7 { // no length
			i += 2
			continue
		}
		n := int(binary.BigEndian.Uint16(data[i+2:]))
		if n < 2 || i+2+n > len(data) {
			return 0, errors.New("the JPEG is cut short")
		}
		if !fn(marker, data[i+4:i+2+n]) {
			return i, nil
		}
		i += 2 + n
	}
	return 0, errors.New("the JPEG is cut short")
}

// Strip returns the file without the metadata a camera or editor puts in
// (EXIF with GPS positions, XMP, comments, thumbnails), losslessly: the
// image data is not re-encoded. A JPEG keeps its JFIF header, colour
// profile and Adobe colour transform, and its orientation as a minimal
// EXIF segment holding that one tag; a PNG keeps the chunks that affect
// how it looks; a WebP drops its EXIF and XMP chunks. Other files come back
// as they are.
func Strip(format string, data []byte) ([]byte, error) {
	switch format {
	case "jpeg":
		return stripJPEG(data)
	case "png":
		return stripPNG(data)
	case "webp":
		return stripWebP(data)
	}
	return data, nil
}

func stripJPEG(data []byte) ([]byte, error) {
	orientation := Orientation(data)
	out := make([]byte, 0, len(data))
	out = append(out, 0xFF, 0xD8)
	if orientation != 1 {
		out = append(out, orientationSegment(orientation)...)
	}
	start, err := jpegSegments(data, func(marker byte, seg []byte) bool {
		keep := marker < 0xE0 || marker > 0xEF && marker != 0xFE // not APPn, not a comment
		switch {
		case marker == 0xE0 && bytes.HasPrefix(seg, []byte("JFIF\x00")),
			marker == 0xE2 && bytes.HasPrefix(seg, []byte("ICC_PROFILE\x00")),
			marker == 0xEE && bytes.HasPrefix(seg, []byte("Adobe")):
			keep = true
		}
		if keep {
			out = append(out, 0xFF, marker, byte((len(seg)+2)>>8), byte(len(seg)+2))
			out = append(out, seg...)
		}
		return true
	})
	if err != nil {
		return nil, err
	}
	return append(out, data[start:]...), nil
}

// orientationSegment is an APP1 Exif segment with only the orientation.
func orientationSegment(o int) []byte {
	tiff := []byte{'M', 'M', 0, '*', 0, 0, 0, 8, 0, 1, // header, one entry
		0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, byte(o), 0, 0, // orientation, SHORT, 1 value
		0, 0, 0, 0} // no next directory
	seg := append([]byte("Exif\x00\x00"), tiff...)
	return append([]byte{0xFF, 0xE1, byte((len(seg) + 2) >> 8), byte(len(seg) + 2)}, seg...)
}

// pngKeep are the ancillary PNG chunks that change how the image looks.
var pngKeep = map[string]bool{"tRNS": true, "gAMA": true, "cHRM": true, "sRGB": true, "iCCP": true, "sBIT": true, "pHYs": true, "PLTE": true, "IHDR": true, "IDAT": true, "IEND": true, "acTL": true, "fcTL": true, "fdAT": true}

func stripPNG(data []byte) ([]byte, error) {
	const sig = "\x89PNG\r\n\x1a\n"
	if !bytes.HasPrefix(data, []byte(sig)) {
		return nil, errors.New("not a PNG file")
	}
	out := append(make([]byte, 0, len(data)), sig...)
	for i := len(sig); i < len(data); {
		if i+12 > len(data) {
			return nil, errors.New("the PNG is cut short")
		}
		n := int(binary.BigEndian.Uint32(data[i:]))
		end := i + 12 + n
		if n < 0 || end > len(data) || end < i {
			return nil, errors.New("the PNG is cut short")
		}
		typ := string(data[i+4 : i+8])
		if pngKeep[typ] {
			out = append(out, data[i:end]...)
		}
		i = end
		if typ == "IEND" {
			break
		}
	}
	return out, nil
}

func stripWebP(data []byte) ([]byte, error) {
	if len(data) < 12 || string(data[:4]) != "RIFF" || string(data[8:12]) != "WEBP" {
		return nil, errors.New("not a WebP file")
	}
	out := append(make([]byte, 0, len(data)), data[:12]...)
	vp8x := -1
	for i := 12; i < len(data); {
		if i+8 > len(data) {
			return nil, errors.New("the WebP is cut short")
		}
		n := int(binary.LittleEndian.Uint32(data[i+4:]))
		end := i + 8 + n + n&1
		if end > len(data) || end < i {
			return nil, errors.New("the WebP is cut short")
		}
		switch string(data[i : i+4]) {
		case "EXIF", "XMP ":
		case "VP8X":
			vp8x = len(out)
			out = append(out, data[i:end]...)
		default:
			out = append(out, data[i:end]...)
		}
		i = end
	}
	if vp8x >= 0 && vp8x+9 <= len(out) {
		out[vp8x+8] &^= 0x08 | 0x04 // the EXIF and XMP flags
	}
	binary.LittleEndian.PutUint32(out[4:], uint32(len(out)-8))
	return out, nil
}
