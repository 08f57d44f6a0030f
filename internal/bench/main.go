// Command bench measures capscore at the size of an index — every country,
// every revision — and prints a table of the figures:
//
//	go run ./internal/bench                     # 200 countries × 10 revisions
//	go run ./internal/bench -countries 20 -revisions 5 -reps 3
//	go run ./internal/bench -sizes 1000,4000,16000 -reps 3
//
// It generates a corpus of Japan-sized assessments in a temporary folder,
// builds the capscore binary, and times, on all cores: the YAML decoder
// alone on the same files (the floor), loading and validation, scoring,
// JSON rendering, the whole pipeline in process, `capscore score DIR
// --format json` end to end with its peak memory, the cold start of
// `capscore score` on the bundled data, and the sensitivity engine and
// command over the same assessments. With -sizes it times only `capscore
// score DIR --format json` at each corpus size. Timed steps alternate between
// repetitions so that load from other processes falls on all of them
// alike; the figures are medians. It is a development tool and no part of
// the capscore binary.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"time"

	"github.com/capscore/capscore/internal/load"
	"github.com/capscore/capscore/internal/testcorpus/corpus"
)

func main() {
	if os.Getenv(spawnEnv) != "" {
		if err := spawn(os.Args[1:], os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, "bench:", err)
			os.Exit(1)
		}
		return
	}
	var o corpus.Options
	flag.IntVar(&o.Countries, "countries", 200, "countries in the generated corpus")
	flag.IntVar(&o.Revisions, "revisions", 10, "revisions per country")
	flag.Uint64Var(&o.Seed, "seed", 1, "corpus seed")
	reps := flag.Int("reps", 5, "repetitions of each timed step (the median is printed)")
	starts := flag.Int("starts", 21, "runs of the cold-start measurement")
	samples := flag.Int("samples", 100_000, "Monte Carlo samples for the sensitivity figures (0 skips them)")
	keep := flag.String("keep", "", "write the corpus and binary here and keep them (default: a temporary folder, removed)")
	sizes := flag.String("sizes", "", "comma-separated corpus sizes (files, in whole revisions): time `capscore score DIR --format json` at each and nothing else")
	flag.Parse()
	var err error
	if *sizes != "" {
		err = scale(o, *sizes, *reps, os.Stdout)
	} else {
		err = run(o, *reps, *starts, *samples, *keep, os.Stdout)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func run(o corpus.Options, reps, starts, samples int, keep string, out io.Writer) error {
	dir := keep
	if dir == "" {
		tmp, err := os.MkdirTemp("", "capscore-bench-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		dir = tmp
	}
	r, _, err := load.Rubric("")
	if err != nil {
		return err
	}
	data := filepath.Join(dir, "corpus")
	if err := os.RemoveAll(data); err != nil {
		return err
	}
	n, size, err := corpus.Write(data, r, o)
	if err != nil {
		return err
	}
	bin := filepath.Join(dir, "capscore")
	if err := build(bin); err != nil {
		return err
	}
	names, err := load.Expand([]string{data})
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "corpus: %d assessments (%d countries × %d revisions, seed %d), %.1f MB, %.1f KB each\n",
		n, o.Countries, o.Revisions, o.Seed, float64(size)/1e6, float64(size)/float64(n)/1e3)
	gc := debug.SetGCPercent(-1)
	debug.SetGCPercent(gc)
	fmt.Fprintf(out, "machine: %s/%s, %d cores (GOMAXPROCS %d), %s, GC percent %d; load average before: %s\n\n",
		runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), runtime.GOMAXPROCS(0), runtime.Version(), gc, loadAvg())

	b := &bench{r: r, names: names, bin: bin, data: data}
	rows, err := b.measure(context.Background(), reps, starts, samples)
	if err != nil {
		return err
	}
	printTable(out, rows, n)
	fmt.Fprintf(out, "\nload average after: %s\n", loadAvg())
	return nil
}

// build compiles cmd/capscore from the module this command runs in.
func build(bin string) error {
	gomod, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return fmt.Errorf("go env GOMOD: %w", err)
	}
	cmd := exec.Command("go", "build", "-o", bin, "./cmd/capscore")
	cmd.Dir = filepath.Dir(strings.TrimSpace(string(gomod)))
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("building capscore: %w", err)
	}
	return nil
}

// loadAvg is the one-minute load average, which says how much other work
// shared the cores while the figures were taken.
func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	return strings.Join(strings.Fields(string(b))[:3], " ")
}

// timing is one step's median wall and CPU time.
type timing struct {
	wall, cpu time.Duration
}
