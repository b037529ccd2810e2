package render

import (
	"bytes"
	"fmt"
	"html/template"
	"strconv"
	"strings"
	"sync"

	"github.com/qorgau/qorgau/generator/internal/content"
)

// Cached partials.
//
// {{cached "partials/footer.html" .}} renders a partial once per language;
// {{cached "partials/section-pages.html" . .Page.Section}} once per
// language and key (a page stands for its URL). The template's author
// promises that the partial shows nothing else of the page.
//
// A page's HTML holds a placeholder element for each cached partial until
// it is finished: then the minifier, when there is one, shrinks only what
// is particular to the page, and each partial is minified once and copied
// into every page that shows it. Placeholders are elements, so only a
// partial used as HTML text survives html/template's escaping as one. A
// page that used one elsewhere (in a script or an attribute) has an
// escaped placeholder; it is rendered again with the partials' HTML in
// place, escaped for where it stands as any value is.

// fragment is one rendered cached partial.
type fragment struct {
	id    int
	html  []byte // its HTML, with the placeholders of partials it uses expanded
	reads *Reads // what it read

	minOnce sync.Once
	min     []byte // minified, made on first use
}

// fragments stores the cached partials of one Renderer.
type fragments struct {
	byKey sync.Map // key -> *fragment
	mu    sync.Mutex
	byID  []*fragment
	fresh []string // keys of fragments rendered since NewFragmentReads last ran
}

const (
	placeholderOpen  = "<qorgau-cached-"
	placeholderClose = "</qorgau-cached-"
)

func placeholder(id int) string {
	n := strconv.Itoa(id)
	return placeholderOpen + n + ">" + placeholderClose + n + ">"
}

// cacheKey names a cached partial for a language and extra keys.
func cacheKey(lang, partial string, keys []any) string {
	var b strings.Builder
	b.WriteString(lang)
	b.WriteByte(0)
	b.WriteString(partial)
	for _, k := range keys {
		b.WriteByte(0)
		switch k := k.(type) {
		case *content.Page:
			if k != nil {
				b.WriteString(k.URL)
			}
		case *PageView:
			if k != nil {
				b.WriteString(k.p.URL)
			}
		case string:
			b.WriteString(k)
		default:
			fmt.Fprint(&b, k)
		}
	}
	return b.String()
}

// cached renders a partial once per language and keys and returns its
// placeholder.
func (r *Renderer) cached(set *template.Template, partial string, v *View, keys []any) (template.HTML, error) {
	key := cacheKey(v.Lang.l.Code, partial, keys)
	v.rec.add(Read{FragKey(key), 0})
	if f, ok := r.frags.byKey.Load(key); ok {
		return r.frags.use(f.(*fragment), v), nil
	}
	// The partial records its reads of its own: it is shown by pages that
	// did not render it, and is made again when what it read changes.
	fr := newReads(nil, r.site, r.bodies, r.downloads, r.images, r.record)
	fv := r.newView(v.Page.p, fr)
	fv.inline = v.inline
	var b bytes.Buffer
	if err := set.ExecuteTemplate(&b, partial, fv); err != nil {
		return "", err
	}
	f := &fragment{html: r.frags.expand(b.Bytes(), false, nil), reads: fr} // b is this call's own
	r.frags.mu.Lock()
	if prev, ok := r.frags.byKey.Load(key); ok { // rendered meanwhile by another page
		r.frags.mu.Unlock()
		return r.frags.use(prev.(*fragment), v), nil
	}
	f.id = len(r.frags.byID)
	r.frags.byID = append(r.frags.byID, f)
	r.frags.byKey.Store(key, f)
	r.frags.fresh = append(r.frags.fresh, key)
	r.frags.mu.Unlock()
	return r.frags.use(f, v), nil
}

// use is what a page's template gets for a fragment: its placeholder, or
// its HTML for a page rendered with cached partials in place.
func (fs *fragments) use(f *fragment, v *View) template.HTML {
	if v.inline {
		return template.HTML(f.html)
	}
	return template.HTML(placeholder(f.id))
}

// lookup returns the fragment with an id, or nil.
func (fs *fragments) lookup(id int) *fragment {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	if id < 0 || id >= len(fs.byID) {
		return nil
	}
	return fs.byID[id]
}

// escaped reports whether src holds a placeholder that is not verbatim:
// one html/template escaped because a cached partial was used outside
// HTML text.
func (fs *fragments) escaped(src []byte) bool {
	all := bytes.Count(src, []byte(placeholderOpen[1:]))
	if all == 0 {
		return false
	}
	verbatim := bytes.Count(src, []byte(placeholderOpen)) + bytes.Count(src, []byte(placeholderClose))
	return all != verbatim
}

// split cuts src at its placeholders and returns the pieces: src's own
// bytes between placeholders, and each fragment's HTML, or its minified
// HTML when minified is true (made with min on first use). The pieces
// share memory with src and the fragments; nobody may change them.
func (fs *fragments) split(src []byte, minified bool, min func([]byte) []byte) [][]byte {
	var parts [][]byte
	prev := 0
	for off := 0; ; {
		i := bytes.Index(src[off:], []byte(placeholderOpen))
		if i < 0 {
			break
		}
		start := off + i
		rest := src[start+len(placeholderOpen):]
		off = start + len(placeholderOpen)
		j := 0
		for j < len(rest) && rest[j] >= '0' && rest[j] <= '9' {
			j++
		}
		if j == 0 || j >= len(rest) || rest[j] != '>' {
			continue // not one of ours: keep the text
		}
		closing := placeholderClose + string(rest[:j]) + ">"
		if !bytes.HasPrefix(rest[j+1:], []byte(closing)) {
			continue
		}
		id, _ := strconv.Atoi(string(rest[:j]))
		f := fs.lookup(id)
		if f == nil {
			continue
		}
		html := f.html
		if minified {
			f.minOnce.Do(func() { f.min = min(bytes.Clone(f.html)) }) // min may write into its input
			html = f.min
		}
		if start > prev {
			parts = append(parts, src[prev:start])
		}
		if len(html) > 0 {
			parts = append(parts, html)
		}
		off += j + 1 + len(closing)
		prev = off
	}
	if prev < len(src) || len(parts) == 0 {
		parts = append(parts, src[prev:])
	}
	return parts
}

// expand returns src with each placeholder replaced as split does, in one
// new slice, or src itself when it has no placeholder.
func (fs *fragments) expand(src []byte, minified bool, min func([]byte) []byte) []byte {
	parts := fs.split(src, minified, min)
	if len(parts) == 1 && len(src) > 0 && len(parts[0]) == len(src) && &parts[0][0] == &src[0] {
		return src
	}
	return Join(parts)
}

// Join concatenates pieces of a page into one new slice.
func Join(parts [][]byte) []byte {
	n := 0
	for _, p := range parts {
		n += len(p)
	}
	out := make([]byte, 0, n)
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// NewFragmentReads returns what each cached partial rendered since the
// last call read, by its key as Reads name it (FragKey).
func (r *Renderer) NewFragmentReads() map[string][]Read {
	r.frags.mu.Lock()
	keys := r.frags.fresh
	r.frags.fresh = nil
	r.frags.mu.Unlock()
	out := make(map[string][]Read, len(keys))
	for _, k := range keys {
		if f, ok := r.frags.byKey.Load(k); ok {
			out[FragKey(k)] = f.(*fragment).reads.List()
		}
	}
	return out
}

// ForgetFragments drops cached partials (by FragKey) so that the next page
// showing one renders it again: what it read changed.
func (r *Renderer) ForgetFragments(keys []string) {
	for _, k := range keys {
		r.frags.byKey.Delete(strings.TrimPrefix(k, "frag:"))
	}
}
