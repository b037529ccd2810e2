package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"

	"github.com/qorgau/qorgau/generator/internal/output"
	"github.com/qorgau/qorgau/generator/internal/serve"
)

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("serve", "serve [--source DIR] [--bind 127.0.0.1] [--port 1313] [--drafts] [--render-to-disk DIR] [--no-edit] [--edit-password P] [--open]", stderr)
	source := fs.String("source", ".", "the site's folder (with config.toml)")
	bind := fs.String("bind", "127.0.0.1", "address to listen on; only this machine by default")
	port := fs.Int("port", 1313, "port to listen on; the next free one is used when it is taken")
	drafts := fs.Bool("drafts", false, "include pages with draft = true")
	disk := fs.String("render-to-disk", "", "also write each good build to this folder (public/ is never touched otherwise)")
	noEdit := fs.Bool("no-edit", false, "turn the editors' workbench at /_edit/ off")
	open := fs.Bool("open", false, "open the preview in the default browser once it is ready")
	password := fs.String("edit-password", "", "password for the workbench when --bind is not a loopback address (else editing is off there)")
	if code := parseFlags(fs, args, stdout); code >= 0 {
		return code
	}
	if _, err := os.Stat(filepath.Join(*source, "config.toml")); err != nil {
		fmt.Fprintf(stderr, "qorgau: %s has no config.toml: run in the site's folder or pass --source DIR\n", *source)
		return exitContent
	}
	if *disk != "" {
		if err := output.CheckDest(*source, *disk); err != nil {
			fmt.Fprintf(stderr, "qorgau: %v\n", err)
			return exitUsage
		}
	}
	// The server logs from its own goroutines while this one writes too.
	stdout = &lockedWriter{w: stdout}
	srv := serve.New(serve.Options{Source: *source, Bind: *bind, Port: *port, Drafts: *drafts, RenderToDisk: *disk, Log: stdout, NoEdit: *noEdit, EditPassword: *password})
	if err := srv.Start(ctx); err != nil {
		if ctx.Err() != nil { // Ctrl-C before the first page could be served
			fmt.Fprintln(stdout, "Stopped.")
			return exitOK
		}
		fmt.Fprintf(stderr, "qorgau: %v\n", err)
		return exitContent
	}
	fmt.Fprintf(stdout, "Serving every language at %s — press Ctrl-C to stop.\n", srv.URL())
	if *open {
		if err := openBrowser(srv.URL()); err != nil {
			fmt.Fprintf(stderr, "qorgau: could not open a browser (%v): open %s yourself\n", err, srv.URL())
		}
	}
	if srv.Editing() {
		fmt.Fprintf(stdout, "Edit lessons at %s_edit/\n", srv.URL())
	}
	srv.Wait()
	fmt.Fprintln(stdout, "Stopped.")
	return exitOK
}

// lockedWriter serialises writes to w from several goroutines.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
