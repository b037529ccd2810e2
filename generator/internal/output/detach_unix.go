//go:build unix && !qorgau_portable

package output

import (
	"os/exec"
	"syscall"
)

// detach starts cmd in a session of its own, so it outlives the build and
// a Ctrl-C in the terminal.
func detach(cmd *exec.Cmd) { cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true} }
