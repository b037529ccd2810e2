package site

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"regexp"

	"github.com/qorgau/qorgau/generator/internal/config"
	"github.com/qorgau/qorgau/generator/internal/images"
	"github.com/qorgau/qorgau/generator/internal/images/imagetest"
	"github.com/qorgau/qorgau/generator/internal/output"
)

const imagesPage = "content/en/lessons/photos/index.md"

// imageSite is the golden site "images" with the page's body replaced.
func imageSite(t testing.TB, body string, extra map[string][]byte) fstest.MapFS {
	m := siteFS(t, "images")
	m[imagesPage] = &fstest.MapFile{Data: []byte("+++\ntitle = \"Photos\"\ncover = \"cover.jpg\"\n+++\n" + body)}
	for p, b := range extra {
		m[p] = &fstest.MapFile{Data: b}
	}
	return m
}

// TestBadImages checks that a decompression bomb, a file cut short and a
// PNG named .jpg are each refused with the position of the Markdown that
// shows it, all in one build, without decoding the bomb, and that a
// preview keeps its last good output.
func TestBadImages(t *testing.T) {
	dir := "content/en/lessons/photos/"
	bad := map[string][]byte{
		dir + "bomb.png":  imagetest.Bomb(30000, 30000),
		dir + "cut.jpg":   imagetest.Truncated(900, 600),
		dir + "wrong.jpg": imagetest.Diagram(100, 100),
	}
	body := "Text.\n\n![A bomb](bomb.png)\n\nMore: ![cut](cut.jpg)\n\n![Wrong](wrong.jpg)\n"
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	res, err := Build(context.Background(), Options{Source: imageSite(t, body, bad), Writer: output.NewMemory()})
	runtime.ReadMemStats(&after)
	if err == nil {
		t.Fatal("the build with bad images succeeded")
	}
	var got []string
	for _, d := range res.Diagnostics {
		got = append(got, d.Error())
	}
	all := strings.Join(got, "\n")
	for _, want := range []string{
		imagesPage + ":7:1: bomb.png is 30000 × 30000 pixels, more than the 50 megapixels",
		imagesPage + ":9:7: cut.jpg is cut short",
		imagesPage + ":11:1: wrong.jpg is a PNG image, not JPEG: rename it to wrong.png",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("no diagnostic %q in:\n%s", want, all)
		}
	}
	if grew := after.TotalAlloc - before.TotalAlloc; grew > 400<<20 {
		t.Errorf("the build allocated %d MB: the bomb was decoded", grew>>20)
	}

	// A file whose header reads but whose pixels do not fails when it is
	// processed, and is reported where the page shows it.
	damaged := append(imagetest.Truncated(900, 600)[:3000], 0xFF, 0xD9)
	res, err = Build(context.Background(), Options{Source: imageSite(t, "Text.\n\n![Damaged](damaged.jpg)\n", map[string][]byte{dir + "damaged.jpg": damaged}), Writer: output.NewMemory()})
	if err == nil || len(res.Diagnostics) == 0 || !strings.HasPrefix(res.Diagnostics[0].Error(), imagesPage+":7:1: damaged.jpg cannot be read") {
		t.Errorf("a damaged image: %v", res.Diagnostics)
	}

	// A preview: a good build, then the bad images; the output stays.
	m := imageSite(t, "![A poster](poster.jpg)\n", nil)
	s := NewSession(Options{Source: m})
	if _, err := s.Build(context.Background()); err != nil {
		t.Fatal(err)
	}
	good := s.Files()
	for p, b := range bad {
		m[p] = &fstest.MapFile{Data: b}
	}
	m[imagesPage] = &fstest.MapFile{Data: []byte("+++\ntitle = \"Photos\"\n+++\n" + body)}
	if _, err := s.Update(context.Background(), []string{imagesPage, dir + "bomb.png"}); err == nil {
		t.Fatal("the update with bad images succeeded")
	}
	now := s.Files()
	if len(now) != len(good) {
		t.Fatalf("the failed update changed the output: %d files, was %d", len(now), len(good))
	}
	for p, b := range good {
		if !bytes.Equal(now[p], b) {
			t.Errorf("the failed update changed %s", p)
		}
	}
}

// TestImagesInPreview checks that a preview session makes an image's files
// when first asked for, that a changed image is shown with its new size,
// and that no file it serves holds the camera's metadata.
func TestImagesInPreview(t *testing.T) {
	dir := "content/en/lessons/photos/"
	m := imageSite(t, "![A poster](poster.jpg)\n", nil)
	s := NewSession(Options{Source: m})
	if _, err := s.Build(context.Background()); err != nil {
		t.Fatal(err)
	}
	files, later := s.Snapshot()
	name := "en/lessons/photos/poster.360w.webp"
	if _, ok := files.Get(name); ok {
		t.Fatalf("%s was made before it was asked for", name)
	}
	make, ok := later[name]
	if !ok {
		t.Fatalf("%s is not offered: %v", name, keys(later))
	}
	if b := make(); !bytes.HasPrefix(b, []byte("RIFF")) {
		t.Fatalf("%s is not a WebP: %.20q", name, b)
	}
	page := func() string {
		b, _ := s.Files()["en/lessons/photos/index.html"]
		return string(b)
	}
	if !strings.Contains(page(), `width="720" height="540"`) {
		t.Fatalf("the page does not give the poster's size:\n%s", page())
	}
	// The poster is replaced by a portrait photo of the same name.
	m[dir+"poster.jpg"] = &fstest.MapFile{Data: imagetest.Photo(600, 800, 9, 1), ModTime: time.Now()}
	if _, err := s.Update(context.Background(), []string{dir + "poster.jpg"}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(page(), `width="600" height="800"`) {
		t.Fatalf("after the change the page does not give the new size:\n%s", page())
	}
	for p, b := range s.Files() {
		if bytes.Contains(b, []byte(imagetest.GPSMarker)) {
			t.Errorf("%s holds the camera's metadata", p)
		}
	}
}

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// TestImageCache checks that a second build with the cache folder reads
// no image: every file comes from the cache, the same bytes as the first.
func TestImageCache(t *testing.T) {
	dir := t.TempDir()
	src := imageSite(t, "![A poster](poster.jpg)\n\n![Turned](turned.jpg)\n", nil)
	build := func() map[string][]byte {
		mem := output.NewMemory()
		if _, err := Build(context.Background(), Options{Source: src, Writer: mem, CacheDir: dir}); err != nil {
			t.Fatal(err)
		}
		return mem.Files()
	}
	first := build()
	if _, err := os.Stat(filepath.Join(dir, "images", "files.json")); err != nil {
		t.Fatalf("no cache index: %v", err)
	}
	// The sources change, the stamps do not: a build that read the images
	// would make other files.
	for _, f := range []string{"poster.jpg", "turned.jpg"} {
		p := "content/en/lessons/photos/" + f
		old := src[p]
		src[p] = &fstest.MapFile{Data: append(imagetest.Photo(10, 10, 1, 1), make([]byte, len(old.Data)-len(imagetest.Photo(10, 10, 1, 1)))...), ModTime: old.ModTime}
	}
	second := build()
	for p, b := range first {
		if !bytes.Equal(second[p], b) {
			t.Errorf("%s differs in the second build: the image was read again", p)
		}
	}
}

// TestHandoutPrintsImages checks that a lesson's PDF handout prints its
// photos from their 720 px files, not the originals, without their EXIF,
// and that the same sources make the same bytes: fpdf writes images of one
// width in Go's map order, so each image of a file gets a width of its own.
func TestHandoutPrintsImages(t *testing.T) {
	if raceEnabled {
		t.Skip("lays out a PDF: slow under the race detector")
	}
	body := "![A poster](poster.jpg)\n\n![Turned](turned.jpg)\n\n![Two](two.jpg)\n\n![Three](three.jpg)\n\n![A poster again](poster.jpg)\n"
	dir := "content/en/lessons/photos/"
	extra := map[string][]byte{dir + "two.jpg": imagetest.Photo(1200, 900, 7, 1), dir + "three.jpg": imagetest.Photo(1600, 1200, 8, 1)}
	var first []byte
	for run := range 4 {
		mem := output.NewMemory()
		src := imageSite(t, body, extra)
		_, err := Build(context.Background(), Options{Source: src, Writer: mem, Config: func(c *config.Config) { c.Handouts.Enabled = true }})
		if err != nil {
			t.Fatal(err)
		}
		pdf := mem.Files()["en/lessons/photos/handout.pdf"]
		if len(pdf) == 0 {
			t.Fatal("no handout")
		}
		if run > 0 {
			if !bytes.Equal(pdf, first) {
				t.Fatalf("build %d made another handout from the same sources", run+1)
			}
			continue
		}
		first = pdf
		var sizes []string
		for _, m := range regexp.MustCompile(`/Width (\d+)\s*/Height (\d+)`).FindAllSubmatch(pdf, -1) {
			sizes = append(sizes, string(m[1])+"×"+string(m[2]))
		}
		// Listed by width: the poster (720 × 540) first in the lesson, then the
		// turned photo (720 × 960), two and three, each a pixel narrower than
		// the last; the poster shown again is the same image.
		if got := strings.Join(sizes, " "); got != "717×538 718×539 719×959 720×540" {
			t.Errorf("the handout prints images of %v, want four of their 720 px files, each of its own width", sizes)
		}
		if bytes.Contains(pdf, []byte(imagetest.GPSMarker)) || bytes.Contains(pdf, []byte("/Width 1200")) {
			t.Error("the handout prints an original photo")
		}
	}
}

// TestImageNames checks that a photo whose name has Cyrillic letters, a
// space and a comma is shown with URLs a srcset can hold.
func TestImageNames(t *testing.T) {
	dir := "content/en/lessons/photos/"
	mem := output.NewMemory()
	src := imageSite(t, "![A poster](<Сабақ 1, фото.jpg>)\n", map[string][]byte{dir + "Сабақ 1, фото.jpg": imagetest.Photo(500, 400, 5, 1)})
	if _, err := Build(context.Background(), Options{Source: src, Writer: mem}); err != nil {
		t.Fatal(err)
	}
	page := string(mem.Files()["en/lessons/photos/index.html"])
	want := `srcset="/en/lessons/photos/%D0%A1%D0%B0%D0%B1%D0%B0%D2%9B%201%2C%20%D1%84%D0%BE%D1%82%D0%BE.360w.jpg 360w, `
	if !strings.Contains(page, want) {
		t.Errorf("no escaped srcset %s in:\n%s", want, page)
	}
	if _, ok := mem.Files()["en/lessons/photos/Сабақ 1, фото.360w.webp"]; !ok {
		t.Error("the 360 px WebP is not written under the photo's name")
	}
}

// TestImageMadeOnce checks that requests for one image at the same time
// wait for one making of it (the preview asks for a WebP and its fallback).
func TestImageMadeOnce(t *testing.T) {
	src := "content/en/lessons/photos/poster.jpg"
	fsys := fstest.MapFS{src: &fstest.MapFile{Data: imagetest.Photo(800, 600, 2, 1)}}
	st := newImageStore(nil, true)
	var wg sync.WaitGroup
	got := make([][]images.File, 4)
	for i := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			files, err := st.files(context.Background(), fsys, src, images.DefaultOptions)
			if err != nil {
				t.Error(err)
			}
			got[i] = files
		}()
	}
	wg.Wait()
	for i := range got {
		if len(got[i]) == 0 || &got[i][0] != &got[0][0] {
			t.Fatalf("request %d got files of another making", i)
		}
	}
}

// TestCoverKeptAfterOtherEdits checks that a preview keeps writing the
// files of a cover (shown by a template, not the Markdown) after edits that
// do not render its page again: another page's body, another page's title.
func TestCoverKeptAfterOtherEdits(t *testing.T) {
	m := imageSite(t, "![A poster](poster.jpg)\n", nil)
	other := "content/en/lessons/other.md"
	m[other] = &fstest.MapFile{Data: []byte("+++\ntitle = \"Other\"\n+++\nText.\n")}
	s := NewSession(Options{Source: m})
	if _, err := s.Build(context.Background()); err != nil {
		t.Fatal(err)
	}
	cover := "en/lessons/photos/cover.360w.webp"
	has := func(when string) {
		t.Helper()
		if _, ok := s.Files()[cover]; !ok {
			t.Fatalf("after %s the cover's %s is gone", when, cover)
		}
	}
	has("the first build")
	m[other] = &fstest.MapFile{Data: []byte("+++\ntitle = \"Other\"\n+++\nNew text.\n")}
	if _, err := s.Update(context.Background(), []string{other}); err != nil {
		t.Fatal(err)
	}
	has("a body edit of another page")
	m[other] = &fstest.MapFile{Data: []byte("+++\ntitle = \"Other, renamed\"\n+++\nNew text.\n")}
	if _, err := s.Update(context.Background(), []string{other}); err != nil {
		t.Fatal(err)
	}
	has("a title edit of another page")
	// The cover changes: the page shows its new size.
	m["content/en/lessons/photos/cover.jpg"] = &fstest.MapFile{Data: imagetest.Photo(900, 1200, 7, 1), ModTime: time.Now()}
	if _, err := s.Update(context.Background(), []string{"content/en/lessons/photos/cover.jpg"}); err != nil {
		t.Fatal(err)
	}
	if page := string(s.Files()["en/lessons/photos/index.html"]); !strings.Contains(page, `width="360" height="480"`) {
		t.Errorf("the page does not show the new cover's size:\n%s", page)
	}
}
