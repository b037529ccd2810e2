//go:build linux && !qorgau_portable

package output

import (
	"os"

	"golang.org/x/sys/unix"
)

// writeAll writes parts to f with as few system calls as it can: one
// writev for up to 1,024 pieces (system calls are what writing thousands
// of pages mostly costs), then plain writes for whatever it left.
func writeAll(f *os.File, parts [][]byte) error {
	if len(parts) == 1 {
		_, err := f.Write(parts[0])
		return err
	}
	rc, err := f.SyscallConn()
	if err != nil {
		return writeEach(f, parts)
	}
	parts = append([][]byte(nil), parts...) // trimmed below; the caller's stay whole
	for len(parts) > 0 {
		batch := parts[:min(len(parts), 1024)]
		var n int
		var werr error
		if err := rc.Write(func(fd uintptr) bool {
			n, werr = unix.Writev(int(fd), batch)
			return werr != unix.EAGAIN
		}); err != nil {
			return err
		}
		if werr == unix.EINTR {
			continue
		}
		if werr != nil {
			return &os.PathError{Op: "writev", Path: f.Name(), Err: werr}
		}
		// Drop what was written; a short write leaves the rest of a piece.
		for n > 0 && len(parts) > 0 {
			if n >= len(parts[0]) {
				n -= len(parts[0])
				parts = parts[1:]
			} else {
				parts[0] = parts[0][n:]
				n = 0
			}
		}
		for len(parts) > 0 && len(parts[0]) == 0 {
			parts = parts[1:]
		}
	}
	return nil
}
