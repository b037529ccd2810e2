package cli

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestNoArgumentsOutsideASite: started with no arguments where there is no
// site, the program says what a site is and how to start.
func TestNoArgumentsOutsideASite(t *testing.T) {
	t.Chdir(t.TempDir())
	var out, errs bytes.Buffer
	if code := Run(context.Background(), nil, &out, &errs); code != exitUsage || !strings.Contains(errs.String(), "no site") || !strings.Contains(errs.String(), "config.toml") {
		t.Fatalf("%d %q", code, errs.String())
	}
}

// TestNoArgumentsInASite: in a site's folder, no arguments preview it and
// open the browser at the preview's address.
func TestNoArgumentsInASite(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"config.toml", "content/en/_index.md"} {
		p := filepath.Join(dir, filepath.FromSlash(f))
		_ = os.MkdirAll(filepath.Dir(p), 0o755)
		data := "+++\ntitle = \"Home\"\n+++\nHello.\n"
		if f == "config.toml" {
			data = "title = \"T\"\nbaseURL = \"https://example.org/\"\ndefaultLanguage = \"en\"\n[languages.en]\nname = \"English\"\n"
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Chdir(dir)
	opened := make(chan string, 1)
	was := browserCommand
	browserCommand = func(goos, url string) *exec.Cmd {
		opened <- url
		return exec.Command("true")
	}
	defer func() { browserCommand = was }()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int)
	var out, errs bytes.Buffer
	go func() { done <- Run(ctx, nil, &out, &errs) }()
	select {
	case url := <-opened:
		if !strings.HasPrefix(url, "http://127.0.0.1:") {
			t.Errorf("opened %q", url)
		}
	case code := <-done:
		t.Fatalf("exited %d: %s", code, errs.String())
	case <-time.After(20 * time.Second):
		t.Fatal("no browser was opened")
	}
	cancel()
	if code := <-done; code != exitOK {
		t.Errorf("exit %d: %s", code, errs.String())
	}
}
