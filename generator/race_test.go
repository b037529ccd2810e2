//go:build race

package main

// raceEnabled: under the race detector, laying out PDFs is some ten times
// slower; the tests that read every handout of the site read fewer.
const raceEnabled = true
