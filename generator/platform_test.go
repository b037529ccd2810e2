package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestAwkwardFolders: a site in a folder whose path has spaces and
// Cyrillic letters, with a Cyrillic file name and CRLF line endings (as a
// Windows editor saves), builds and checks with the built-in theme; the
// page's URL keeps its letters.
func TestAwkwardFolders(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "Мектеп сайты", "My Site")
	files := map[string]string{
		"config.toml":                        "title = \"Мектеп\"\r\nbaseURL = \"https://example.org/\"\r\ndefaultLanguage = \"kk\"\r\n\r\n[languages.kk]\r\nname = \"Қазақша\"\r\nlocale = \"kk-KZ\"\r\n",
		"content/kk/_index.md":               "+++\r\ntitle = \"Басты бет\"\r\n+++\r\nСәлем. [Құқықтар](құқықтар/_index.md).\r\n",
		"content/kk/құқықтар/_index.md":      "+++\r\ntitle = \"Құқықтар\"\r\n+++\r\n[Бала құқығы](бала-құқығы.md)\r\n",
		"content/kk/құқықтар/бала-құқығы.md": "+++\r\ntitle = \"Бала құқығы\"\r\ndescription = \"Әр баланың қауіпсіз болуға құқығы бар.\"\r\n+++\r\n\r\n## Бірінші бөлім\r\n\r\nҚысқа мәтін.\r\n",
	}
	for rel, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	dest := filepath.Join(dir, "public")
	if code, _, errs := runCLI("build", "--source", dir, "--dest", dest, "--quiet"); code != 0 {
		t.Fatalf("build: %d\n%s", code, errs)
	}
	page, err := os.ReadFile(filepath.Join(dest, "kk", "құқықтар", "бала-құқығы", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(page), "Бала құқығы") || !strings.Contains(string(page), "Қысқа мәтін.") || strings.Contains(string(page), "\r") {
		t.Errorf("the page is not as written:\n%.1500s", page)
	}
	if code, out, errs := runCLI("check", "--source", dir); code != 0 {
		t.Errorf("check: %d\n%s%s", code, out, errs)
	}
}
