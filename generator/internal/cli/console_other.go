//go:build !windows

package cli

// utf8Console is needed on Windows only: other consoles take UTF-8.
func utf8Console() {}
