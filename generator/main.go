// Command generator is Qorgau's command line inside its repository:
// `go run ./generator <command>`. The same program, named qorgau, is
// generator/cmd/qorgau.
package main

import "github.com/qorgau/qorgau/generator/internal/cli"

func main() { cli.Main() }
