package cli

import (
	"context"
	"fmt"
	"io"
	"runtime/debug"
)

// version is the release's number, set by release builds with
// -ldflags "-X github.com/qorgau/qorgau/generator/internal/cli.version=v1.2.3".
var version = ""

// Version describes this program: its version, the commit it was built
// from (and whether the tree had changes) and the Go version, from the
// build information Go records.
func Version() string {
	v, commit, when, dirty, goVersion := version, "", "", false, "unknown"
	if info, ok := debug.ReadBuildInfo(); ok {
		goVersion = info.GoVersion
		if v == "" && info.Main.Version != "" && info.Main.Version != "(devel)" {
			v = info.Main.Version // go install …@v1.2.3
		}
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				commit = s.Value
			case "vcs.time":
				when = s.Value
			case "vcs.modified":
				dirty = s.Value == "true"
			}
		}
	}
	if v == "" {
		v = "development build"
	}
	out := "qorgau " + v
	if commit != "" {
		out += ", commit " + commit[:min(12, len(commit))]
		if dirty {
			out += " with uncommitted changes"
		}
		if when != "" {
			out += " (" + when + ")"
		}
	}
	return out + ", " + goVersion
}

func runVersion(_ context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("version", "version", stderr)
	if code := parseFlags(fs, args, stdout); code >= 0 {
		return code
	}
	fmt.Fprintln(stdout, Version())
	return exitOK
}
