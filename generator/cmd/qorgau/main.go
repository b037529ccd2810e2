// Command qorgau is Qorgau, the static-site generator for lessons, as one
// program: `go install github.com/qorgau/qorgau/generator/cmd/qorgau@latest`
// or a release archive gives it this name. It is the same command line as
// `go run ./generator`.
package main

import "github.com/qorgau/qorgau/generator/internal/cli"

func main() { cli.Main() }
