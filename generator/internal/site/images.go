package site

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"net/url"
	"path"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/qorgau/qorgau/generator/internal/config"
	"github.com/qorgau/qorgau/generator/internal/content"
	"github.com/qorgau/qorgau/generator/internal/diag"
	"github.com/qorgau/qorgau/generator/internal/images"
	"github.com/qorgau/qorgau/generator/internal/markdown"
	"github.com/qorgau/qorgau/generator/internal/paths"
)

// imageStore is what a session knows of the site's images: each image
// file's header, and the files made of it, kept by the file's stamp (and,
// with a cache folder, on disk by its content), so a build probes and
// processes only images that changed. It is safe for concurrent use.
type imageStore struct {
	open    func() (*images.Cache, error) // opens the cache folder; nil without one
	once    sync.Once
	disk    *images.Cache        // opened when first needed: a site without images gets no folder
	diskErr error                // why it could not be opened
	budget  *budget              // bounds the pixels decoded at once
	free    chan *images.Buffers // memory for the next images.Process, one per core
	keep    bool                 // keep the files made in memory, for the next build of a session

	mu     sync.Mutex
	probes map[string]probed // source path -> its header at a stamp
	made   map[string]madeImage
	flight map[string]*flight // images being made now
}

type probed struct {
	stamp images.Stamp
	info  images.Info
	sum   string // of the content; "" until read
	err   error
}

type madeImage struct {
	key   string // sum and options
	files []images.File
}

func newImageStore(open func() (*images.Cache, error), keep bool) *imageStore {
	return &imageStore{open: open, keep: keep, budget: newBudget(imageMemory), free: make(chan *images.Buffers, runtime.GOMAXPROCS(0)), probes: map[string]probed{}, made: map[string]madeImage{}, flight: map[string]*flight{}}
}

// cache is the cache folder, opened on first use; nil without one.
func (st *imageStore) cache() *images.Cache {
	st.once.Do(func() {
		if st.open != nil {
			st.disk, st.diskErr = st.open()
		}
	})
	return st.disk
}

// imageMemory is about how many bytes of decoded pixels may be held at
// once, whatever the number of cores: a 12-megapixel photo takes 48 MB.
const imageMemory = 160 << 20

// forget drops what the store knows of a changed file.
func (st *imageStore) forget(src string) {
	st.mu.Lock()
	delete(st.probes, src)
	delete(st.made, src)
	st.mu.Unlock()
}

// forgetProbes drops every header read, after config changed: a refusal
// may depend on its options (maxMegapixels).
func (st *imageStore) forgetProbes() {
	st.mu.Lock()
	clear(st.probes)
	st.mu.Unlock()
}

// probe reads an image's header, or recalls it while the file's stamp is
// the same.
func (st *imageStore) probe(fsys fs.FS, src string, o images.Options) (probed, error) {
	fi, err := fs.Stat(fsys, src)
	if err != nil {
		return probed{}, err
	}
	stamp := images.StampOf(fi)
	st.mu.Lock()
	p, ok := st.probes[src]
	st.mu.Unlock()
	if ok && p.stamp == stamp {
		return p, p.err
	}
	if sum, info, ok := st.cache().Lookup(src, stamp); ok && info.Width*info.Height <= o.MaxPixels {
		p = probed{stamp: stamp, info: info, sum: sum}
	} else {
		data, err := fs.ReadFile(fsys, src)
		if err != nil {
			return probed{}, err
		}
		p = probed{stamp: stamp, sum: images.Sum(data)}
		p.info, p.err = images.Probe(src, data, o)
		if p.err == nil {
			st.cache().Remember(src, stamp, p.sum, p.info)
		}
	}
	st.mu.Lock()
	st.probes[src] = p
	st.mu.Unlock()
	return p, p.err
}

// files returns the files of an image: kept from an earlier build, from
// the cache folder, or made now. Callers asking at once for one image (a
// preview's requests for its WebP and its fallback) wait for one making.
func (st *imageStore) files(ctx context.Context, fsys fs.FS, src string, o images.Options) ([]images.File, error) {
	for range 2 { // again once, when the file changed since its header was read
		p, err := st.probe(fsys, src, o)
		if err != nil {
			return nil, err
		}
		key := p.sum + " " + fmt.Sprint(o)
		st.mu.Lock()
		if m, ok := st.made[src]; ok && m.key == key {
			st.mu.Unlock()
			return m.files, nil
		}
		if f, ok := st.flight[src]; ok && f.key == key {
			st.mu.Unlock()
			<-f.done
			return f.files, f.err
		}
		f := &flight{key: key, done: make(chan struct{})}
		st.flight[src] = f
		st.mu.Unlock()

		f.files, f.err = st.make(ctx, fsys, src, p, o)
		st.mu.Lock()
		delete(st.flight, src)
		// A one-shot build with a cache folder reads an image's files from
		// it when a handout asks again, so its memory stays flat.
		if f.err == nil && (st.keep || st.cache() == nil) {
			st.made[src] = madeImage{key: key, files: f.files}
		}
		st.mu.Unlock()
		close(f.done)
		if !errors.Is(f.err, errChanged) {
			return f.files, f.err
		}
		st.forget(src)
	}
	return nil, fmt.Errorf("%s changes while it is being read: save it once more", path.Base(src))
}

// flight is an image being made.
type flight struct {
	key   string
	done  chan struct{}
	files []images.File
	err   error
}

var errChanged = errors.New("changed since its header was read")

// make reads an image's files from the cache folder, or processes it.
func (st *imageStore) make(ctx context.Context, fsys fs.FS, src string, p probed, o images.Options) ([]images.File, error) {
	if files, ok := st.cache().Files(p.sum, o, p.info); ok {
		return files, nil
	}
	b := st.buffers()
	defer st.done(b)
	data, err := b.ReadFile(fsys, src)
	if err != nil {
		return nil, err
	}
	if images.Sum(data) != p.sum {
		return nil, errChanged
	}
	cost := images.Cost(p.info)
	st.budget.acquire(cost)
	files, err := images.Process(ctx, src, data, p.info, o, b)
	st.budget.release(cost)
	if err != nil {
		return nil, err
	}
	// A cache that cannot be written only makes the next build slower; a
	// build says so (makeImages).
	if err := st.cache().Store(p.sum, o, files); err == nil && st.keep {
		_ = st.cache().Save() // a preview makes images one by one, on request
	}
	return files, nil
}

// buffers is a Buffers no other Process is using.
func (st *imageStore) buffers() *images.Buffers {
	select {
	case b := <-st.free:
		return b
	default:
		return &images.Buffers{}
	}
}

// done gives buffers back for the next image, keeping as many as there
// are cores; a preview keeps none between requests (drop).
func (st *imageStore) done(b *images.Buffers) {
	if st.keep {
		return
	}
	select {
	case st.free <- b:
	default:
	}
}

// drop lets the kept buffers go: the build's images are made.
func (st *imageStore) drop() {
	for {
		select {
		case <-st.free:
		default:
			return
		}
	}
}

// budget is a counting semaphore of bytes.
type budget struct {
	mu   sync.Mutex
	cond *sync.Cond
	free int64
	max  int64
}

func newBudget(n int64) *budget {
	b := &budget{free: n, max: n}
	b.cond = sync.NewCond(&b.mu)
	return b
}

// acquire waits until n bytes are free; an image larger than the whole
// budget waits until nothing else is held.
func (b *budget) acquire(n int64) {
	n = min(n, b.max)
	b.mu.Lock()
	for b.free < n {
		b.cond.Wait()
	}
	b.free -= n
	b.mu.Unlock()
}

func (b *budget) release(n int64) {
	n = min(n, b.max)
	b.mu.Lock()
	b.free += n
	b.mu.Unlock()
	b.cond.Broadcast()
}

// imageOptions are the config's image options for the images package.
func imageOptions(c *config.Config) images.Options {
	return images.Options{Widths: c.Images.Widths, Quality: c.Images.Quality, MaxPixels: c.Images.MaxMegapixels * 1_000_000, FallbackMax: c.Images.FallbackMaxWidth}
}

// pictures is a build's use of the images: it resolves what Markdown and
// templates show, and records which images the build must write.
type pictures struct {
	store *imageStore
	fsys  fs.FS
	site  *content.Site
	cfg   *config.Config
	opts  images.Options
	base  string // the site's base path: URLs are base + path

	mu    sync.Mutex
	used  map[string]string            // source path -> output path
	byURL map[string]string            // a picture's Src -> its source path
	tmpl  map[string]map[string]string // a page's output path -> the images its templates showed (a cover): source -> output path
}

// newPictures takes the base path (the renderer's RelURL("/")), not the
// renderer: a renderer refers to the build's pictures, and each build's
// would keep the last one's alive.
func newPictures(store *imageStore, fsys fs.FS, s *content.Site, cfg *config.Config, base string) *pictures {
	return &pictures{store: store, fsys: fsys, site: s, cfg: cfg, opts: imageOptions(cfg), base: base, used: map[string]string{}, byURL: map[string]string{}, tmpl: map[string]map[string]string{}}
}

// source finds the image file dest (relative to file, or a site path
// under static/) and where the build writes it.
func (x *pictures) source(file, dest string) (src, out string, ok bool) {
	if dest == "" || strings.ContainsAny(dest, "?#:") || strings.HasPrefix(dest, "//") || !images.IsImage(dest) {
		return "", "", false
	}
	if u, err := url.PathUnescape(dest); err == nil { // my%20photo.jpg is "my photo.jpg"
		dest = u
	}
	if strings.HasPrefix(dest, "/") {
		rel := strings.TrimPrefix(path.Clean(dest), "/")
		for _, dir := range []string{paths.Static, path.Join(paths.Themes, x.cfg.Theme, "static")} {
			if _, err := fs.Stat(x.fsys, path.Join(dir, rel)); err == nil {
				return path.Join(dir, rel), rel, true
			}
		}
		return "", "", false
	}
	src = path.Join(path.Dir(file), dest)
	out, ok = x.site.ResourceOut(src)
	return src, out, ok
}

// outOf is where the build writes a source image.
func (x *pictures) outOf(src string) (string, bool) {
	if out, ok := x.site.ResourceOut(src); ok {
		return out, true
	}
	for _, dir := range []string{paths.Static, path.Join(paths.Themes, x.cfg.Theme, "static")} {
		if strings.HasPrefix(src, dir+"/") {
			return strings.TrimPrefix(src, dir+"/"), true
		}
	}
	return "", false
}

// picture is how an image is shown, at most maxWidth wide (0: any width).
func (x *pictures) picture(src, out string, maxWidth int) (markdown.Picture, bool, error) {
	p, err := x.store.probe(x.fsys, src, x.opts)
	if err != nil {
		return markdown.Picture{}, false, err
	}
	if !p.info.Processable() {
		return markdown.Picture{}, false, nil
	}
	x.mu.Lock()
	x.used[src] = out
	x.mu.Unlock()
	pic := markdown.Picture{File: src, Sizes: x.cfg.Images.Sizes}
	srcsets := map[string]*strings.Builder{}
	var order []string
	for _, v := range x.opts.Variants(p.info) {
		if maxWidth > 0 && v.Width > maxWidth && pic.Src != "" {
			continue
		}
		b := srcsets[v.Format]
		if b == nil {
			b = &strings.Builder{}
			srcsets[v.Format] = b
			order = append(order, v.Format)
		} else {
			b.WriteString(", ")
		}
		// Escaped: a srcset is split at spaces and commas, which file names may have.
		u := strings.ReplaceAll((&url.URL{Path: x.base + v.Name(out)}).EscapedPath(), ",", "%2C")
		b.WriteString(u + " " + strconv.Itoa(v.Width) + "w")
		if v.Format != "webp" || p.info.Format == "webp" {
			pic.Src, pic.Width, pic.Height = u, v.Width, v.Height
		}
	}
	x.mu.Lock()
	x.byURL[pic.Src] = src
	x.mu.Unlock()
	for _, f := range order {
		if f == "webp" && p.info.Format != "webp" {
			pic.Sources = append(pic.Sources, markdown.Source{Type: "image/webp", Srcset: srcsets[f].String()})
		} else {
			pic.Srcset = srcsets[f].String()
		}
	}
	return pic, true, nil
}

// ResolveImage implements markdown.ImageResolver.
func (x *pictures) ResolveImage(file, dest string) (markdown.Picture, bool, error) {
	src, out, ok := x.source(file, dest)
	if !ok {
		return markdown.Picture{}, false, nil
	}
	pic, ok, err := x.picture(src, out, 0)
	if p := x.site.PageByFile(file); p != nil && p.Cover != "" {
		pic.Below = true // the cover is the first screen's image
	}
	return pic, ok, err
}

// Picture implements render.Images: an image a template shows, such as a
// lesson's cover. Its errors point at the page's cover field when the
// image is the cover.
func (x *pictures) Picture(p *content.Page, dest string, maxWidth int) (*markdown.Picture, error) {
	src, out, ok := x.source(p.File, dest)
	if !ok {
		return nil, diag.At(p.File, p.FieldLine("cover"), 0, "put the image beside the page (in its folder) or under static/, and check the name",
			"image %q: no such image of the page or of static/", dest).WithKind(markdown.KindImage)
	}
	pic, ok, err := x.picture(src, out, maxWidth)
	if ok {
		x.mu.Lock()
		if x.tmpl[p.OutPath] == nil {
			x.tmpl[p.OutPath] = map[string]string{}
		}
		x.tmpl[p.OutPath][src] = out
		x.mu.Unlock()
	}
	if err != nil {
		line := 0
		if dest == p.Cover {
			line = p.FieldLine("cover")
		}
		return nil, diag.At(p.File, line, 0, "", "%v", err).WithKind(markdown.KindImage)
	}
	if !ok {
		return nil, nil
	}
	return &pic, nil
}

// printWidth is the width of the images a printed page shows: about
// 150 dots per inch across the width of an A4 page's text.
const printWidth = 720

// printFile returns the file a handout prints for a picture's Src: its
// fallback (JPEG or PNG, which PDF readers show) at most printWidth wide.
func (x *pictures) printFile(src string) ([]byte, string, bool) {
	x.mu.Lock()
	file, ok := x.byURL[src]
	x.mu.Unlock()
	if !ok {
		return nil, "", false
	}
	files, err := x.store.files(context.Background(), x.fsys, file, x.opts)
	if err != nil {
		return nil, "", false
	}
	var best *images.File
	for i, f := range files {
		if f.Format == "webp" {
			continue
		}
		if best == nil || f.Width <= printWidth && f.Width > best.Width {
			best = &files[i]
		}
	}
	if best == nil {
		return nil, "", false
	}
	return best.Data, map[string]string{"jpeg": "jpg", "png": "png"}[best.Format], true
}

// inherit takes over what the templates of pages the build does not
// render again showed in the last build (prev), so their images are
// written still.
func (x *pictures) inherit(prev *pictures, pages []*content.Page) {
	if prev == nil {
		return
	}
	prev.mu.Lock()
	defer prev.mu.Unlock()
	x.mu.Lock()
	defer x.mu.Unlock()
	for _, p := range pages {
		shown := prev.tmpl[p.OutPath]
		if len(shown) == 0 {
			continue
		}
		x.tmpl[p.OutPath] = maps.Clone(shown)
		for src, out := range shown {
			x.used[src] = out
		}
	}
}

// shows reports whether the build's pages showed the image at src.
func (x *pictures) shows(src string) bool {
	if x == nil {
		return false
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	_, ok := x.used[src]
	return ok
}

// use records images the Markdown stage showed in an earlier build
// (conversions the session kept), so this build writes them too.
func (x *pictures) use(pics []content.Ref) {
	for _, pic := range pics {
		if out, ok := x.outOf(pic.URL); ok {
			x.mu.Lock()
			x.used[pic.URL] = out
			x.mu.Unlock()
		}
	}
}

// problem reports an image that cannot be made where pages show it: the
// Markdown image, or the cover field of the front matter.
func (x *pictures) problem(g *gen, src string, err error) {
	reported := false
	for _, p := range g.site.Pages {
		for _, pic := range g.bodies.Of(p).Pictures {
			if pic.URL == src {
				g.diags.Add(diag.At(p.File, pic.Line, pic.Col, "", "%v", err).WithKind(markdown.KindImage))
				reported = true
			}
		}
	}
	for _, p := range g.site.Pages {
		if _, ok := x.tmpl[p.OutPath][src]; ok {
			g.diags.Add(diag.At(p.File, p.FieldLine("cover"), 0, "", "%v", err).WithKind(markdown.KindImage))
			reported = true
		}
	}
	if !reported {
		g.diags.Add(diag.At(src, 0, 0, "", "%v", err).WithKind(markdown.KindImage))
	}
}

// makeImages writes the files of every image the build's pages show. A
// preview session leaves the images it has not made yet to the first
// request for one of their files.
func makeImages(g *gen) {
	x := g.pics
	if x == nil {
		return
	}
	for _, p := range g.site.Pages {
		x.use(g.bodies.Of(p).Pictures)
	}
	x.mu.Lock()
	used := maps.Clone(x.used)
	x.mu.Unlock()
	srcs := slices.Sorted(maps.Keys(used))
	ctx := context.Background()
	write := func(src string, files []images.File) {
		out := used[src]
		for _, f := range files {
			rel := f.Name(out)
			if err := g.k.claim(rel, src); err != nil {
				g.diags.AddErr(src, err)
				continue
			}
			if err := g.k.putFile(rel, f.Data, f.Path); err != nil {
				g.diags.AddErr(src, err)
			}
			g.made = append(g.made, rel)
		}
	}
	if g.later != nil {
		for _, src := range srcs {
			if files, ok := x.store.ready(src, x.opts); ok {
				write(src, files)
				continue
			}
			g.later[src] = used[src]
		}
		if len(srcs) > 0 { // no images, no cache folder
			_ = x.store.cache().Save()
		}
		return
	}
	made := make([][]images.File, len(srcs))
	errs := make([]error, len(srcs))
	parallel(ctx, len(srcs), func(i int) {
		made[i], errs[i] = x.store.files(ctx, x.fsys, srcs[i], x.opts)
	})
	x.store.drop()
	for i, src := range srcs {
		if errs[i] != nil {
			x.problem(g, src, errs[i])
			continue
		}
		write(src, made[i])
	}
	if len(srcs) > 0 {
		if err := x.store.cache().Save(); err != nil || x.store.diskErr != nil {
			d := diag.At(paths.Cache, 0, 0, "check the folder's permissions, or delete it", "the image cache cannot be kept, so the next build processes every image again: %v", errors.Join(err, x.store.diskErr))
			d.Severity = diag.Warning
			g.diags.Add(d)
		}
	}
}

// ready returns an image's files when the store has them made.
func (st *imageStore) ready(src string, o images.Options) ([]images.File, bool) {
	st.mu.Lock()
	p, probed := st.probes[src]
	m, ok := st.made[src]
	st.mu.Unlock()
	if ok && probed && m.key == p.sum+" "+fmt.Sprint(o) {
		return m.files, true
	}
	if probed && p.err == nil {
		if files, ok := st.cache().Files(p.sum, o, p.info); ok {
			st.mu.Lock()
			st.made[src] = madeImage{key: p.sum + " " + fmt.Sprint(o), files: files}
			st.mu.Unlock()
			return files, true
		}
	}
	return nil, false
}
