package starter

import (
	"testing"
	"unicode/utf8"

	"github.com/pelletier/go-toml/v2"
)

// FuzzTOMLString: every text written as a TOML string reads back as itself.
func FuzzTOMLString(f *testing.F) {
	for _, s := range []string{"", "Мектеп \"Q\"", `back\slash`, "tab\tnew\nline", "\x00\x1f\x7f", "'single'", "ә ғ қ ң ө ұ ү һ і"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return
		}
		var got struct{ K string }
		if err := toml.Unmarshal([]byte("K = "+tomlString(s)+"\n"), &got); err != nil {
			t.Fatalf("%q: %v", tomlString(s), err)
		}
		if got.K != s {
			t.Fatalf("read back %q, wrote %q", got.K, s)
		}
	})
}
