package markdown

import (
	"strconv"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/util"
)

// Picture is an image as a page shows it: sized variants in a modern
// format and in the image's own, and the image's width and height, so
// the page does not move as it loads.
type Picture struct {
	File          string   // the source image, site-relative
	Src           string   // the fallback <img src>: its largest variant in its own format
	Width, Height int      // of Src, as shown
	Srcset        string   // the fallback's variants, "url 360w, …"
	Sources       []Source // modern formats, best first
	Sizes         string   // how wide the image is shown, for the browser's choice
	// Below says something the page shows above the body (a cover) fills
	// the first screen: even the body's first image then loads lazily.
	Below bool
}

// Source is a <source> of a <picture>.
type Source struct {
	Type   string // media type: image/webp
	Srcset string
}

// ImageResolver is a Resolver that also processes images: ResolveImage
// returns how an image at dest (relative to file, or a site path) is shown;
// ok is false for what is not one of the site's images (a URL elsewhere, a
// file it does not process), which is left as written. An error says what
// is wrong with the image.
type ImageResolver interface {
	ResolveImage(file, dest string) (pic Picture, ok bool, err error)
}

var (
	pictureAttr = []byte("qorgau-picture")
	eagerAttr   = []byte("qorgau-eager")
)

// pictureRenderer writes images: a <picture> for a processed one, an
// <img> as goldmark writes it otherwise.
type pictureRenderer struct {
	unsafe bool
}

func (r pictureRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindImage, r.render)
}

func (r pictureRenderer) render(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	n := node.(*ast.Image)
	alt := util.EscapeHTML([]byte(plainText(n, src)))
	v, _ := n.AttributeString(string(pictureAttr))
	pic, ok := v.(*Picture)
	if !ok {
		_, _ = w.WriteString(`<img src="`)
		if r.unsafe || !html.IsDangerousURL(n.Destination) {
			_, _ = w.Write(util.EscapeHTML(util.URLEscape(n.Destination, true)))
		}
		_, _ = w.WriteString(`" alt="`)
		_, _ = w.Write(alt)
		_ = w.WriteByte('"')
		writeTitle(w, n.Title)
		_, _ = w.WriteString(">")
		return ast.WalkSkipChildren, nil
	}
	attr := func(name, value string) {
		_, _ = w.WriteString(" " + name + `="`)
		_, _ = w.Write(util.EscapeHTML([]byte(value)))
		_ = w.WriteByte('"')
	}
	_, _ = w.WriteString("<picture>")
	for _, s := range pic.Sources {
		_, _ = w.WriteString("<source")
		attr("type", s.Type)
		attr("srcset", s.Srcset)
		attr("sizes", pic.Sizes)
		_, _ = w.WriteString(">")
	}
	_, _ = w.WriteString("<img")
	attr("src", pic.Src)
	if pic.Srcset != "" {
		attr("srcset", pic.Srcset)
		attr("sizes", pic.Sizes)
	}
	attr("width", strconv.Itoa(pic.Width))
	attr("height", strconv.Itoa(pic.Height))
	_, _ = w.WriteString(` alt="`)
	_, _ = w.Write(alt)
	_ = w.WriteByte('"')
	writeTitle(w, n.Title)
	if _, eager := n.AttributeString(string(eagerAttr)); !eager {
		_, _ = w.WriteString(` loading="lazy"`)
	}
	_, _ = w.WriteString(` decoding="async"></picture>`)
	return ast.WalkSkipChildren, nil
}

func writeTitle(w util.BufWriter, title []byte) {
	if len(title) == 0 {
		return
	}
	_, _ = w.WriteString(` title="`)
	_, _ = w.Write(util.EscapeHTML(title))
	_ = w.WriteByte('"')
}
