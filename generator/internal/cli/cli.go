// Package cli is Qorgau's command line, shared by `go run ./generator` and
// the qorgau program (generator/cmd/qorgau): it parses flags and hands each
// command to the package that does the work; nothing else lives here.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/qorgau/qorgau/generator/internal/output"
)

// Exit codes.
const (
	exitOK      = 0 // success
	exitContent = 1 // content, config or template errors, or a failed write
	exitUsage   = 2 // wrong command line
)

// command is one subcommand of the CLI.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, args []string, stdout, stderr io.Writer) int
}

func commands() []command {
	return []command{
		{"build", "build the site from content/ into public/", runBuild},
		{"serve", "preview the site with live reload while you edit", runServe},
		{"check", "report broken links, stale translations and reviews, accessibility and privacy problems", runCheck},
		{"export", "write an offline copy (a zip) that works from a folder or USB stick", runExport},
		{"init", "write a new site into a folder, in the languages you choose", runInit},
		{"new", "create a lesson in every language from the lesson template", runNew},
		{"version", "print the version, the commit it was built from and the Go version", runVersion},
	}
}

// Main runs the command line with the process's arguments and exits.
func Main() {
	utf8Console()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := Run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// ExitUsage is the exit code of a wrong command line.
const ExitUsage = exitUsage

// Run dispatches to a command and returns the process exit code.
func Run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		return noArguments(ctx, stdout, stderr)
	}
	switch args[0] {
	case "-h", "--help", "-help", "help":
		usage(stdout)
		return exitOK
	}
	if args[0] == output.RemoveOldCommand {
		if err := output.RemoveOld(args[1:]); err != nil {
			fmt.Fprintf(stderr, "qorgau: %v\n", err)
			if errors.Is(err, output.ErrNotOldOutput) {
				return exitUsage
			}
			return exitContent
		}
		return exitOK
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return c.run(ctx, args[1:], stdout, stderr)
		}
	}
	fmt.Fprintf(stderr, "qorgau: unknown command %q\n\n", args[0])
	usage(stderr)
	return exitUsage
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "Qorgau builds a multilingual static site of lessons from Markdown.")
	fmt.Fprintln(w, "\nUsage: qorgau <command> [flags]   (in Qorgau's source folder: go run ./generator <command>)\n\nCommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun 'qorgau <command> --help' for a command's flags.")
}
