package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"

	"github.com/qorgau/qorgau/generator/output"
)

// removeOldCommand is the hidden command that deletes an old output folder
// after a build has swapped the new one in.
const removeOldCommand = "_remove-old-output"

// removeInBackground starts a detached copy of this program that deletes
// dir, so the build returns as soon as the new output is in place: deleting
// thousands of small files is mostly waiting for the disk. If the copy
// cannot start, the caller deletes dir itself; if it is killed, the next
// build removes what is left.
func removeInBackground(dir string) error {
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	cmd := exec.Command(exe, removeOldCommand, dir)
	detach(cmd)
	if err := cmd.Start(); err != nil {
		return err
	}
	return cmd.Process.Release()
}

// runRemoveOld deletes an old output folder; it refuses any other path.
func runRemoveOld(_ context.Context, args []string, _, stderr io.Writer) int {
	if len(args) != 1 || !output.IsOldOutput(args[0]) {
		fmt.Fprintf(stderr, "qorgau: %s takes one old output folder (.<name>.old-<id>)\n", removeOldCommand)
		return exitUsage
	}
	if err := os.RemoveAll(args[0]); err != nil {
		fmt.Fprintf(stderr, "qorgau: %v\n", err)
		return exitContent
	}
	return exitOK
}
