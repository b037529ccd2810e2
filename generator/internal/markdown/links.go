package markdown

import (
	"net/url"
	"path"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"

	"github.com/qorgau/qorgau/generator/internal/diag"
)

// linkExt rewrites links to Markdown files ([x](../penalties/battery.md#a))
// into the URL of the page made from that file, in the same language.
type linkExt struct{}

func (linkExt) Extend(m goldmark.Markdown) {
	m.Parser().AddOptions(parser.WithASTTransformers(util.Prioritized(linkTransformer{}, 600)))
}

type linkTransformer struct{}

// KindImage is the kind of a problem with an image a page shows.
const KindImage = "image"

// Transform resolves every link whose path ends in .md, and every image
// the resolver processes.
func (linkTransformer) Transform(root *ast.Document, reader text.Reader, pc parser.Context) {
	doc, _ := pc.Get(docKey).(*Doc)
	problems, _ := pc.Get(problemsKey).(*diag.Errors)
	if doc == nil || doc.Resolver == nil {
		return
	}
	src := reader.Source()
	images, _ := doc.Resolver.(ImageResolver)
	first := true // the first picture is near the top: it loads at once
	_ = ast.Walk(root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		var destination *[]byte
		switch l := n.(type) {
		case *ast.Link:
			destination = &l.Destination
		case *ast.Image:
			destination = &l.Destination
			if images != nil {
				pic, ok, err := images.ResolveImage(doc.File, string(l.Destination))
				if err != nil {
					line, col := position(n, src, doc)
					if col > 2 {
						col -= 2 // the "!["
					}
					*problems = append(*problems, diag.At(doc.File, line, col,
						"", "%v", err).WithKind(KindImage))
					return ast.WalkSkipChildren, nil
				}
				if ok {
					l.Destination = []byte(pic.Src)
					l.SetAttribute(pictureAttr, &pic)
					if first && !pic.Below {
						l.SetAttribute(eagerAttr, true)
					}
					first = false
					return ast.WalkSkipChildren, nil
				}
			}
		default:
			return ast.WalkContinue, nil
		}
		dest := string(*destination)
		p, frag, isMD := SplitMarkdownLink(dest)
		if !isMD {
			// A link to x.html where x.md is a page (mdBook and sites
			// converted from other tools write these) is a link to it.
			if target, ok := htmlSibling(doc, dest); ok {
				*destination = []byte(target)
				return ast.WalkContinue, nil
			}
			// A relative link to a file beside the page (an image, a
			// handout) points at where the build copies it.
			if rel, ok := relativeFile(dest); ok {
				if u, found := doc.Resolver.ResolveFile(doc.File, rel); found {
					*destination = []byte(u)
				}
			}
			return ast.WalkContinue, nil
		}
		target, found := doc.Resolver.ResolveMarkdownLink(doc.File, p)
		if !found {
			line, col := position(n, src, doc)
			if col > 1 {
				col-- // point at the link's opening bracket
			}
			*problems = append(*problems, diag.At(doc.File, line, col,
				"check the path: it is relative to this file, e.g. ../help/numbers.md",
				"link to %q: no page is made from that file", p).WithKind(diag.KindLink))
			return ast.WalkContinue, nil
		}
		if frag != "" {
			target += "#" + frag
		}
		*destination = []byte(target)
		return ast.WalkContinue, nil
	})
}

// htmlSibling resolves a relative link to name.html as one to name.md
// (for index.html: README.md, _index.md or index.md in that folder) when
// that file is a page.
func htmlSibling(doc *Doc, dest string) (string, bool) {
	p, ok := relativeFile(dest)
	if !ok || !strings.HasSuffix(strings.ToLower(p), ".html") {
		return "", false
	}
	_, frag, _ := strings.Cut(dest, "#")
	stem := p[:len(p)-len(".html")]
	candidates := []string{stem + ".md"}
	if path.Base(stem) == "index" {
		dir := path.Dir(stem)
		candidates = []string{path.Join(dir, "README.md"), path.Join(dir, "_index.md"), path.Join(dir, "index.md")}
	}
	for _, c := range candidates {
		if target, found := doc.Resolver.ResolveMarkdownLink(doc.File, c); found {
			if frag != "" {
				target += "#" + frag
			}
			return target, true
		}
	}
	return "", false
}

// relativeFile returns the unescaped path of a relative link without
// scheme, query or fragment.
func relativeFile(dest string) (string, bool) {
	if dest == "" || strings.HasPrefix(dest, "#") || strings.HasPrefix(dest, "/") || strings.HasPrefix(dest, "//") {
		return "", false
	}
	if i := strings.IndexAny(dest, ":/?#"); i >= 0 && dest[i] == ':' {
		return "", false
	}
	p, _, _ := strings.Cut(dest, "#")
	p, _, _ = strings.Cut(p, "?")
	if u, err := url.PathUnescape(p); err == nil {
		p = u
	}
	return p, p != ""
}

// SplitMarkdownLink reports whether dest is a relative link to a Markdown
// file and splits it into the unescaped path and fragment.
func SplitMarkdownLink(dest string) (path, fragment string, ok bool) {
	if dest == "" || strings.HasPrefix(dest, "#") || strings.HasPrefix(dest, "//") {
		return "", "", false
	}
	if i := strings.IndexAny(dest, ":/?#"); i >= 0 && dest[i] == ':' {
		return "", "", false // has a scheme: mailto:, tel:, https:...
	}
	path, fragment, _ = strings.Cut(dest, "#")
	path, _, _ = strings.Cut(path, "?")
	if p, err := url.PathUnescape(path); err == nil {
		path = p
	}
	if !strings.HasSuffix(strings.ToLower(path), ".md") {
		return "", "", false
	}
	return path, fragment, true
}
