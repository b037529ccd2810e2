package data

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/qorgau/qorgau/generator/internal/diag"
)

func TestLoadAndOverride(t *testing.T) {
	fsys := fstest.MapFS{
		"data/services.toml":          {Data: []byte("title = \"Services\"\n[national]\nnumber = \"111\"\nname = \"Contact centre\"\n")},
		"data/kk/services.yaml":       {Data: []byte("title: Қызметтер\nnational:\n  name: Байланыс орталығы\n")},
		"data/regions/almaty.json":    {Data: []byte(`{"centres": [{"name": "A"}]}`)},
		"data/ru/regions/almaty.json": {Data: []byte(`{"centres": []}`)},
		"data/notes.txt":              {Data: []byte("not data")},
	}
	got, err := Load(fsys, "data", []string{"kk", "ru", "en"})
	if err != nil {
		t.Fatal(err)
	}
	kk := got["kk"]["services"].(map[string]any)
	if kk["title"] != "Қызметтер" || kk["national"].(map[string]any)["number"] != "111" || kk["national"].(map[string]any)["name"] != "Байланыс орталығы" {
		t.Errorf("kk services: %v", kk)
	}
	en := got["en"]["services"].(map[string]any)
	if en["title"] != "Services" || en["national"].(map[string]any)["name"] != "Contact centre" {
		t.Errorf("en services (the override leaked?): %v", en)
	}
	if c := got["ru"]["regions"].(map[string]any)["almaty"].(map[string]any)["centres"].([]any); len(c) != 0 {
		t.Errorf("ru almaty: %v", c)
	}
	if c := got["en"]["regions"].(map[string]any)["almaty"].(map[string]any)["centres"].([]any); len(c) != 1 {
		t.Errorf("en almaty: %v", c)
	}
	if _, ok := got["en"]["notes"]; ok {
		t.Error("a .txt file was read")
	}
	if none, err := Load(fstest.MapFS{}, "data", []string{"en"}); err != nil || len(none["en"]) != 0 {
		t.Errorf("no data/: %v %v", none, err)
	}
}

func TestErrorsHavePositions(t *testing.T) {
	fsys := fstest.MapFS{
		"data/a.toml":   {Data: []byte("ok = 1\nbad = \n")},
		"data/b.json":   {Data: []byte("{\n  \"x\": [1, 2,,]\n}")},
		"data/c.yaml":   {Data: []byte("a: 1\nb: [\n")},
		"data/d.toml":   {Data: []byte("x = 1\n")},
		"data/d/e.toml": {Data: []byte("y = 2\n")},
		"data/f.toml":   {Data: []byte("fine = true\n")},
	}
	got, err := Load(fsys, "data", []string{"en"})
	var errs diag.Errors
	if !errors.As(err, &errs) {
		t.Fatalf("got %v", err)
	}
	var lines []string
	for _, e := range errs {
		lines = append(lines, e.Error())
	}
	all := strings.Join(lines, "\n")
	for _, want := range []string{"data/a.toml:2:", "data/b.json:2:15: invalid", "data/c.yaml:2:"} {
		if !strings.Contains(all, want) {
			t.Errorf("no error at %s in:\n%s", want, all)
		}
	}
	if got["en"]["f"] == nil {
		t.Error("a good file beside bad ones was not read")
	}
	// data/d.toml and data/d/e.toml make one table.
	if d, _ := got["en"]["d"].(map[string]any); d["x"] == nil || d["e"] == nil {
		t.Errorf("d: %v", got["en"]["d"])
	}
}
