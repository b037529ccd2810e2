//go:build race

package serve

// raceEnabled: the race detector makes laying out PDFs some ten times
// slower, so the longest loops run fewer times.
const raceEnabled = true
