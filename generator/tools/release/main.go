// Command release cross-compiles the qorgau program for the platforms
// schools use and packs each into an archive with a README and the
// license (generator/LICENSE), plus a checksum file:
//
//	go run ./generator/tools/release --version v1.0.0 [--out public/release]
//
// Builds are reproducible: -trimpath, no build ID, CGO off, and archives
// whose entries, times and modes do not depend on the machine.
package main

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/qorgau/qorgau/generator/internal/handout"
)

// Targets are the platforms a release is built for.
var Targets = []string{"windows/amd64", "windows/arm64", "darwin/arm64", "darwin/amd64", "linux/amd64", "linux/arm64"}

// MaxSize is the largest a binary may be.
const MaxSize = 30 << 20

// epoch is the time every archive entry has, so archives do not depend on
// when they were made.
var epoch = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

func main() {
	version := flag.String("version", "", "the release's version, e.g. v1.0.0 (required)")
	out := flag.String("out", filepath.Join("public", "release"), "folder for the archives and SHA256SUMS")
	only := flag.String("targets", strings.Join(Targets, ","), "comma-separated GOOS/GOARCH list")
	flag.Parse()
	if !strings.HasPrefix(*version, "v") {
		fmt.Fprintln(os.Stderr, "release: give --version v1.2.3")
		os.Exit(2)
	}
	if err := Release(*version, *out, strings.Split(*only, ",")); err != nil {
		fmt.Fprintln(os.Stderr, "release:", err)
		os.Exit(1)
	}
}

// Release builds every target into out.
func Release(version, out string, targets []string) error {
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	license, err := License()
	if err != nil {
		return err
	}
	var sums strings.Builder
	for _, t := range targets {
		goos, goarch, ok := strings.Cut(t, "/")
		if !ok {
			return fmt.Errorf("target %q is not GOOS/GOARCH", t)
		}
		bin, err := Build(version, goos, goarch)
		if err != nil {
			return fmt.Errorf("%s: %w", t, err)
		}
		if len(bin) > MaxSize {
			return fmt.Errorf("%s: the binary is %d MB, over %d MB", t, len(bin)>>20, MaxSize>>20)
		}
		name, data, err := Archive(version, goos, goarch, bin, license)
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(out, name), data, 0o644); err != nil {
			return err
		}
		fmt.Fprintf(&sums, "%x  %s\n", sha256.Sum256(data), name)
		fmt.Printf("%s: %s, binary %.1f MB\n", t, name, float64(len(bin))/(1<<20))
	}
	return os.WriteFile(filepath.Join(out, "SHA256SUMS"), []byte(sums.String()), 0o644)
}

// Build compiles the program for one platform and returns the binary.
func Build(version, goos, goarch string) ([]byte, error) {
	tmp, err := os.MkdirTemp("", "qorgau-release-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	bin := filepath.Join(tmp, "qorgau")
	// nodynamic: the WebP encoder runs its built-in WebAssembly libwebp,
	// never a libwebp.dll or .dylib found on the machine (on Windows,
	// LoadLibrary looks in the folder the program was started from).
	cmd := exec.Command("go", "build", "-trimpath", "-buildvcs=true", "-tags", "nodynamic",
		"-ldflags", "-s -w -buildid= -X github.com/qorgau/qorgau/generator/internal/cli.version="+version,
		"-o", bin, "github.com/qorgau/qorgau/generator/cmd/qorgau")
	cmd.Env = append(os.Environ(), "GOOS="+goos, "GOARCH="+goarch, "CGO_ENABLED=0", "GOFLAGS=")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("go build: %v\n%s", err, stderr.String())
	}
	return os.ReadFile(bin)
}

// License is the program's license, generator/LICENSE in the module.
func License() ([]byte, error) {
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}").Output()
	if err != nil {
		return nil, fmt.Errorf("finding the module's folder: go list -m: %v", err)
	}
	return os.ReadFile(filepath.Join(strings.TrimSpace(string(out)), "generator", "LICENSE"))
}

// Archive packs a binary with the README and the license: a zip for
// Windows, a .tar.gz for the others.
func Archive(version, goos, goarch string, bin, license []byte) (string, []byte, error) {
	base := fmt.Sprintf("qorgau-%s-%s-%s", version, goos, goarch)
	exe := "qorgau"
	if goos == "windows" {
		exe += ".exe"
	}
	nl := func(s string) []byte {
		if goos == "windows" {
			s = strings.ReplaceAll(s, "\n", "\r\n")
		}
		return []byte(s)
	}
	files := []file{{base + "/" + exe, bin, 0o755}, {base + "/README.txt", nl(readme(version, goos)), 0o644},
		{base + "/LICENSE.txt", nl(strings.ReplaceAll(string(license), "\r\n", "\n")), 0o644},
		{base + "/FONT-LICENSE.txt", nl(string(handout.FontLicense)), 0o644}}
	if goos == "windows" {
		data, err := zipOf(files)
		return base + ".zip", data, err
	}
	data, err := tgzOf(files)
	return base + ".tar.gz", data, err
}

type file struct {
	name string
	data []byte
	mode os.FileMode
}

func zipOf(files []file) ([]byte, error) {
	var b bytes.Buffer
	w := zip.NewWriter(&b)
	for _, f := range files {
		h := &zip.FileHeader{Name: f.name, Method: zip.Deflate, Modified: epoch}
		h.SetMode(f.mode)
		fw, err := w.CreateHeader(h)
		if err == nil {
			_, err = fw.Write(f.data)
		}
		if err != nil {
			return nil, err
		}
	}
	err := w.Close()
	return b.Bytes(), err
}

func tgzOf(files []file) ([]byte, error) {
	var b bytes.Buffer
	gz, _ := gzip.NewWriterLevel(&b, gzip.BestCompression) // a valid level: no error
	gz.ModTime = epoch
	tw := tar.NewWriter(gz)
	for _, f := range files {
		h := &tar.Header{Name: f.name, Mode: int64(f.mode), Size: int64(len(f.data)), ModTime: epoch, Format: tar.FormatPAX, Uname: "qorgau", Gname: "qorgau"}
		if err := tw.WriteHeader(h); err != nil {
			return nil, err
		}
		if _, err := io.Copy(tw, bytes.NewReader(f.data)); err != nil {
			return nil, err
		}
	}
	err := errors.Join(tw.Close(), gz.Close())
	return b.Bytes(), err
}

// readme is the archive's first page for an educator.
func readme(version, goos string) string {
	start := "Double-click qorgau in the folder of your site (the folder with config.toml)."
	if goos != "windows" {
		start = "Put qorgau in the folder of your site (the folder with config.toml) and run ./qorgau there."
	}
	return "Qorgau " + version + "\n\n" +
		"Qorgau makes a fast, private website of lessons in Kazakh, Russian and English.\n\n" +
		"To preview your site: " + start + "\n" +
		"Your browser opens the preview. Lessons can be edited at /_edit/ in the same browser.\n" +
		"Press Ctrl-C in the window to stop.\n\n" +
		"To start a new site: qorgau init my-site --langs kk,ru,en\n\n" +
		"Other commands (in a terminal): qorgau build, qorgau check, qorgau export, qorgau version.\n" +
		"qorgau help lists them all.\n\n" +
		"Qorgau is free software under the MIT License: see LICENSE.txt. The font of the PDF handouts,\n" +
		"Noto Sans, is under the SIL Open Font License: see FONT-LICENSE.txt.\n"
}
