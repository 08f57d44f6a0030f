//go:build !unix

package main

import (
	"os"
	"time"
)

// cpuTime is not measured where getrusage does not exist; the CPU columns
// then read 0.
func cpuTime() time.Duration { return 0 }

// peakRSS is not measured where getrusage does not exist.
func peakRSS(*os.ProcessState) int64 { return 0 }
