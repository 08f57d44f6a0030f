//go:build race

package cli

// raceSlowdown stretches time limits: the race detector runs code several
// times slower.
const raceSlowdown = 10
