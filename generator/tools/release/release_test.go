package main

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// TestArchivesAreReproducible: the same binary gives the same archive
// bytes, with the binary executable and the README in it.
func TestArchivesAreReproducible(t *testing.T) {
	bin := []byte("not really a binary")
	for _, goos := range []string{"windows", "linux", "darwin"} {
		name1, a, err := Archive("v1.0.0", goos, "arm64", bin, []byte("MIT License\n"))
		if err != nil {
			t.Fatal(err)
		}
		_, b, _ := Archive("v1.0.0", goos, "arm64", bin, []byte("MIT License\n"))
		if !bytes.Equal(a, b) {
			t.Errorf("%s: two archives of the same binary differ", goos)
		}
		names := entries(t, name1, a)
		want := "qorgau-v1.0.0-" + goos + "-arm64/qorgau"
		if goos == "windows" {
			want += ".exe"
		}
		if !strings.Contains(names, want+" 755") || !strings.Contains(names, "/README.txt 644") || !strings.Contains(names, "/LICENSE.txt 644") || !strings.Contains(names, "/FONT-LICENSE.txt 644") {
			t.Errorf("%s: entries %s", name1, names)
		}
	}
}

func entries(t *testing.T, name string, data []byte) string {
	t.Helper()
	var out []string
	if strings.HasSuffix(name, ".zip") {
		r, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range r.File {
			out = append(out, f.Name+" "+strings.TrimPrefix(f.Mode().Perm().String(), "-"))
		}
	} else {
		gz, err := gzip.NewReader(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		tr := tar.NewReader(gz)
		for {
			h, err := tr.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, h.Name+" "+strings.TrimPrefix(os.FileMode(h.Mode).Perm().String(), "-"))
		}
	}
	perm := strings.NewReplacer("rwxr-xr-x", "755", "rw-r--r--", "644")
	return perm.Replace(strings.Join(out, ", "))
}

// TestReleaseForThisMachine builds the release for this machine's
// platform, runs its version command and checks the size and the sums.
func TestReleaseForThisMachine(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the program")
	}
	out := t.TempDir()
	target := runtime.GOOS + "/" + runtime.GOARCH
	if err := Release("v0.0.1-test", out, []string{target}); err != nil {
		t.Fatal(err)
	}
	license, err := License()
	if err != nil || !bytes.HasPrefix(license, []byte("MIT License")) {
		t.Fatalf("license: %.40q %v", license, err)
	}
	sums, _ := os.ReadFile(filepath.Join(out, "SHA256SUMS"))
	if !strings.Contains(string(sums), "qorgau-v0.0.1-test-"+runtime.GOOS+"-"+runtime.GOARCH) {
		t.Fatalf("SHA256SUMS: %s", sums)
	}
	bin, err := Build("v0.0.1-test", runtime.GOOS, runtime.GOARCH)
	if err != nil {
		t.Fatal(err)
	}
	if len(bin) > MaxSize {
		t.Fatalf("binary is %d bytes", len(bin))
	}
	exe := filepath.Join(t.TempDir(), "qorgau")
	if err := os.WriteFile(exe, bin, 0o755); err != nil {
		t.Fatal(err)
	}
	got, err := exec.Command(exe, "version").Output()
	if err != nil || !strings.HasPrefix(string(got), "qorgau v0.0.1-test") || !strings.Contains(string(got), runtime.Version()) {
		t.Fatalf("version: %q %v", got, err)
	}
	if bytes.Contains(bin, []byte("libwebp.so")) {
		t.Error("the binary would load a libwebp found on the machine (build with -tags nodynamic)")
	}
	if bytes.Contains(bin, []byte(os.Getenv("HOME")+"/")) && os.Getenv("HOME") != "" {
		t.Error("the binary holds a path of this machine (-trimpath)")
	}
}
