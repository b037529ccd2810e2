package output

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/qorgau/qorgau/generator/internal/paths"
)

// CheckDest refuses output folders that a swap would destroy wrongly: the
// site itself, a folder above it, or a folder that holds a site.
func CheckDest(source, dest string) error {
	src, err := filepath.Abs(source)
	if err != nil {
		return err
	}
	dst, err := filepath.Abs(dest)
	if err != nil {
		return err
	}
	if rel, err := filepath.Rel(dst, src); err == nil && (rel == "." || !strings.HasPrefix(rel, "..")) {
		return fmt.Errorf("--dest %s would replace the site's own folder; choose a folder such as public", dest)
	}
	for _, name := range []string{paths.Config, paths.Content, ".git"} {
		if _, err := os.Stat(filepath.Join(dst, name)); err == nil {
			return fmt.Errorf("--dest %s holds %s and looks like a site or repository; it will not be replaced", dest, name)
		}
	}
	for _, name := range paths.Sources {
		if rel, err := filepath.Rel(filepath.Join(src, name), dst); err == nil && !strings.HasPrefix(rel, "..") {
			return fmt.Errorf("--dest %s is inside the site's %s/ folder; choose a folder such as public", dest, name)
		}
	}
	return nil
}
