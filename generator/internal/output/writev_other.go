//go:build !linux || qorgau_portable

package output

import "os"

// writeAll writes parts to f one after the other.
func writeAll(f *os.File, parts [][]byte) error { return writeEach(f, parts) }
