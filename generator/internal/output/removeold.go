package output

import (
	"fmt"
	"os"
	"os/exec"
)

// RemoveOldCommand is the hidden command of the program that deletes an
// old output folder after a build swapped the new one in; the program's
// main hands it to RemoveOld.
const RemoveOldCommand = "_remove-old-output"

// RemoveInBackground starts a detached copy of this program that deletes
// dir, so a build returns as soon as the new output is in place: deleting
// thousands of small files is mostly waiting for the disk. If the copy
// cannot start, the caller deletes dir itself; if it is killed, the next
// build removes what is left. Use it as Staging.RemoveOld.
func RemoveInBackground(dir string) error {
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	cmd := exec.Command(exe, RemoveOldCommand, dir)
	detach(cmd)
	if err := cmd.Start(); err != nil {
		return err
	}
	return cmd.Process.Release()
}

// ErrNotOldOutput is returned by RemoveOld for anything but one old output folder.
var ErrNotOldOutput = fmt.Errorf("%s takes one old output folder (.<name>.old-<id>)", RemoveOldCommand)

// RemoveOld deletes an old output folder, the one argument of the hidden
// command; it refuses any other path with ErrNotOldOutput.
func RemoveOld(args []string) error {
	if len(args) != 1 || !IsOldOutput(args[0]) {
		return ErrNotOldOutput
	}
	return os.RemoveAll(args[0])
}
