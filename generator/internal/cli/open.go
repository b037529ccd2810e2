package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
)

// browserCommand is the command that opens url in the default browser on
// goos (a variable so tests run nothing).
var browserCommand = func(goos, url string) *exec.Cmd {
	switch goos {
	case "windows":
		return exec.Command("rundll32", "url.dll,FileProtocolHandler", url)
	case "darwin":
		return exec.Command("open", url)
	}
	return exec.Command("xdg-open", url)
}

// openBrowser opens url in the default browser without waiting for it.
func openBrowser(url string) error {
	cmd := browserCommand(runtime.GOOS, url)
	if err := cmd.Start(); err != nil {
		return err
	}
	go func() { _ = cmd.Wait() }()
	return nil
}

// noArguments is what the program does when started with no arguments,
// as a double-click in a file manager starts it: in a site's folder it
// previews the site in the browser; elsewhere it says how to start.
func noArguments(ctx context.Context, stdout, stderr io.Writer) int {
	if _, err := os.Stat("config.toml"); err == nil {
		fmt.Fprintln(stdout, "Qorgau: previewing the site in this folder (close this window or press Ctrl-C to stop).")
		return runServe(ctx, []string{"--open"}, stdout, stderr)
	}
	dir, _ := os.Getwd()
	fmt.Fprintf(stderr, "Qorgau found no site in %s: a site is a folder with config.toml and content/.\n", dir)
	fmt.Fprintln(stderr, "Put qorgau in your site's folder and start it there. To make a new site, run:")
	fmt.Fprintln(stderr, "\n  qorgau init my-site --langs kk,ru,en")
	fmt.Fprintln(stderr, "\nThe commands:")
	fmt.Fprintln(stderr)
	usage(stderr)
	return exitUsage
}
