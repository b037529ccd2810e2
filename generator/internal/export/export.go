// Package export makes the offline copy of a site that schools put on an
// intranet or a USB stick: a zip with one folder, index.html at its top,
// every link relative and pointing at files (so it works from file://),
// every asset inside, and a README.txt in Kazakh, Russian and English.
package export

import (
	"archive/zip"
	"context"
	"io"
	"sort"
	"time"

	"github.com/qorgau/qorgau/generator/internal/output"
	"github.com/qorgau/qorgau/generator/internal/site"
)

// Options say what to export.
type Options struct {
	Site   site.Options // the source; Writer is ignored
	Langs  []string     // languages to include; empty: all
	Folder string       // name of the folder inside the zip
}

// Readme tells whoever opens the zip what to do, in three languages.
const Readme = `Қазақша: Сайтты ашу үшін осы бумадағы index.html файлын екі рет басыңыз. Интернет қажет емес.
Русский: Чтобы открыть сайт, дважды щёлкните файл index.html в этой папке. Интернет не нужен.
English: To open the site, double-click index.html in this folder. No internet connection is needed.
`

// fixedTime keeps the zip the same for the same sources.
var fixedTime = time.Date(2024, 6, 16, 0, 0, 0, 0, time.UTC)

// Write builds the offline copy and writes the zip to w.
func Write(ctx context.Context, w io.Writer, opts Options) (*site.Result, error) {
	mem := output.NewMemory()
	so := opts.Site
	so.Writer = mem
	so.Overrides.Offline = true
	so.Overrides.Languages = opts.Langs
	res, err := site.Build(ctx, so)
	if err != nil {
		return res, err
	}
	folder := opts.Folder
	if folder == "" {
		folder = "qorgau"
	}
	files := mem.Files()
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	zw := zip.NewWriter(w)
	add := func(name string, data []byte) error {
		f, err := zw.CreateHeader(&zip.FileHeader{Name: folder + "/" + name, Method: zip.Deflate, Modified: fixedTime})
		if err != nil {
			return err
		}
		_, err = f.Write(data)
		return err
	}
	if err := add("README.txt", []byte(Readme)); err != nil {
		return res, err
	}
	for _, name := range names {
		if err := add(name, files[name]); err != nil {
			return res, err
		}
	}
	return res, zw.Close()
}
