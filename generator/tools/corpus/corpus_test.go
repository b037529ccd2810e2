package corpus

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestWrite(t *testing.T) {
	dir := t.TempDir()
	if err := Write(dir, Options{Pages: 10, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	for _, lang := range []string{"kk", "ru", "en"} {
		files, _ := filepath.Glob(filepath.Join(dir, "content", lang, "*", "lesson-*.md"))
		if len(files) != 10 {
			t.Errorf("%s: %d pages, want 10", lang, len(files))
		}
	}
	b, _ := os.ReadFile(filepath.Join(dir, "content", "kk", "rights", "lesson-00000.md"))
	for _, want := range []string{"+++", "| --- |", "> [!IMPORTANT]", ".md)"} {
		if !strings.Contains(strings.ReplaceAll(string(b), "|---|", "| --- |"), want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if !strings.ContainsAny(string(b), "әғқңөұүһі") {
		t.Error("Kazakh page has no Kazakh letters")
	}
}
