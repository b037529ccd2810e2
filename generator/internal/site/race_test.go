//go:build race

package site

// raceEnabled: under the race detector, laying out PDFs is some ten times
// slower; the randomized tests then build without handouts.
const raceEnabled = true
