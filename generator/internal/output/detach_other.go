//go:build !unix || qorgau_portable

package output

import "os/exec"

// detach leaves cmd as it is where sessions do not exist.
func detach(cmd *exec.Cmd) {}
