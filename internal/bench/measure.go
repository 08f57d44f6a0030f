package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"sync"
	"time"

	"github.com/capscore/capscore/internal/assessment"
	"github.com/capscore/capscore/internal/load"
	"github.com/capscore/capscore/internal/report"
	"github.com/capscore/capscore/internal/rubric"
	"github.com/capscore/capscore/internal/score"
	"github.com/capscore/capscore/internal/weights"
	"github.com/capscore/capscore/internal/yamlread"
	"go.yaml.in/yaml/v3"
)

type bench struct {
	r     *rubric.Rubric
	names []string
	bin   string
	data  string
}

// row is one line of the table.
type row struct {
	step   string
	t      timing
	perOne bool   // print the time per assessment
	floor  bool   // print the ratios to the two floors
	rss    int64  // peak resident set of a child, bytes; 0 when not measured
	target string // what the issue asks for
}

func (b *bench) measure(ctx context.Context, reps, starts, samples int) ([]row, error) {
	// The floor, the loader, the in-process pipeline and the binary are
	// timed in turn within each repetition.
	var floor, blockFloor, loadv, pipe, e2e []timing
	var rss int64
	for i := 0; i < reps; i++ {
		t, err := clock(b.floor)
		if err != nil {
			return nil, err
		}
		floor = append(floor, t)
		if t, err = clock(b.blockFloor); err != nil {
			return nil, err
		}
		blockFloor = append(blockFloor, t)
		if t, err = clock(func() error { return b.loadValidate(ctx) }); err != nil {
			return nil, err
		}
		loadv = append(loadv, t)
		if t, err = clock(func() error { return b.pipeline(ctx, io.Discard) }); err != nil {
			return nil, err
		}
		pipe = append(pipe, t)
		t, peak, err := child(b.bin, "score", b.data, "--format", "json")
		if err != nil {
			return nil, err
		}
		e2e = append(e2e, t)
		rss = max(rss, peak)
	}

	// Scoring and rendering are timed on assessments already in memory.
	as, err := b.all()
	if err != nil {
		return nil, err
	}
	w, err := weights.Stack{Rubric: b.r}.Resolve()
	if err != nil {
		return nil, err
	}
	opt := score.Options{}.Resolve(b.r)
	var results []*score.Result
	var scoring, render []timing
	for i := 0; i < reps; i++ {
		t, _ := clock(func() error {
			results = scoreAll(b.r, as, w, opt)
			return nil
		})
		scoring = append(scoring, t)
		if t, err = clock(func() error { return writeJSON(io.Discard, b.r, opt, results) }); err != nil {
			return nil, err
		}
		render = append(render, t)
	}

	var cold []timing
	for i := 0; i < starts; i++ {
		t, _, err := child(b.bin, "score")
		if err != nil {
			return nil, err
		}
		cold = append(cold, t)
	}

	rows := []row{
		{step: "YAML decode floor (read + yaml.v3 → yaml.Node, all cores)", t: median(floor), perOne: true, floor: true},
		{step: "block-reader floor (read + yamlread block path → yaml.Node, all cores)", t: median(blockFloor), perOne: true, floor: true},
		{step: "load + validate (load.Stream, all cores)", t: median(loadv), perOne: true, floor: true},
		{step: "score (in memory, one core)", t: median(scoring), perOne: true},
		{step: "render JSON (one core)", t: median(render), perOne: true},
		{step: "load + validate + score + render (in process)", t: median(pipe), perOne: true, floor: true, target: "≤ 1.25 × floor"},
		{step: "capscore score DIR --format json (binary)", t: median(e2e), perOne: true, floor: true, rss: rss, target: "< 2 s, < 500 MB"},
		{step: fmt.Sprintf("cold start: capscore score, bundled data (median of %d)", starts), t: median(cold), target: "< 30 ms"},
	}
	if samples == 0 {
		return rows, nil
	}
	sens, err := b.sensitivity(ctx, as, w, opt, samples, reps)
	if err != nil {
		return nil, err
	}
	return append(rows, sens...), nil
}

// blockFloor reads and decodes every file with the block reader capscore
// tries first, on all cores, doing nothing else: the floor of capscore's
// own loader. A file it declines is an error here: every generated file
// must take the fast path.
func (b *bench) blockFloor() error {
	errs := make([]error, len(b.names))
	// Decoders are reused from file to file, as the loader's workers do.
	decoders := sync.Pool{New: func() any { return new(yamlread.Buffer) }}
	load.Parallel(len(b.names), func(i int) {
		data, err := load.ReadFile(b.names[i])
		if err == nil {
			buf := decoders.Get().(*yamlread.Buffer)
			// A tree that may revisit nodes came from yaml.v3: the block
			// reader declined the file.
			if rd, root := yamlread.ParseWith(buf, b.names[i], data); root == nil || rd.Revisits() {
				err = fmt.Errorf("%s: declined by the block reader", b.names[i])
			}
			decoders.Put(buf)
		}
		errs[i] = err
	})
	return errors.Join(errs...)
}

// floor reads and decodes every file with yaml.v3 into a yaml.Node, on all
// cores, doing nothing else: no loader can be faster with this decoder.
func (b *bench) floor() error {
	errs := make([]error, len(b.names))
	load.Parallel(len(b.names), func(i int) {
		data, err := load.ReadFile(b.names[i])
		if err == nil {
			var n yaml.Node
			err = yaml.NewDecoder(bytes.NewReader(data)).Decode(&n)
		}
		errs[i] = err
	})
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

func (b *bench) loadValidate(ctx context.Context) error {
	return load.Stream(ctx, b.names, b.r, func(l load.Loaded) error {
		if l.Err != nil {
			return l.Err
		}
		if l.Assessment == nil {
			return fmt.Errorf("%s: %v", l.Name, l.Diags.Errors())
		}
		return nil
	})
}

// pipeline is what `capscore score DIR --format json` does after start-up.
func (b *bench) pipeline(ctx context.Context, out io.Writer) error {
	w, err := weights.Stack{Rubric: b.r}.Resolve()
	if err != nil {
		return err
	}
	opt := score.Options{}.Resolve(b.r)
	// As the command does: each result is written as it is scored.
	st := report.NewScoresStream(out, report.JSON, report.Scores{Rubric: b.r, Aggregation: opt.Aggregation})
	err = load.Stream(ctx, b.names, b.r, func(l load.Loaded) error {
		if l.Assessment == nil {
			return fmt.Errorf("%s: %v %v", l.Name, l.Err, l.Diags.Errors())
		}
		return st.Add(score.Score(b.r, l.Assessment, w, opt))
	})
	if err != nil {
		return err
	}
	return st.Close()
}

// all loads every assessment into memory.
func (b *bench) all() ([]*assessment.Assessment, error) {
	inputs, err := load.Read(b.names)
	if err != nil {
		return nil, err
	}
	as, ds := load.Assessments(inputs, b.r)
	if ds.HasErrors() {
		return nil, ds.Errors()
	}
	return as, nil
}

func scoreAll(r *rubric.Rubric, as []*assessment.Assessment, w *weights.Set, opt score.Options) []*score.Result {
	out := make([]*score.Result, len(as))
	for i, a := range as {
		out[i] = score.Score(r, a, w, opt)
	}
	return out
}

func writeJSON(w io.Writer, r *rubric.Rubric, opt score.Options, results []*score.Result) error {
	return report.WriteScores(w, report.JSON, report.Scores{Rubric: r, Aggregation: opt.Aggregation, Results: results})
}

// clock times fn in this process: wall time and the CPU time of every
// thread (garbage collection included).
func clock(fn func() error) (timing, error) {
	runtime.GC()
	cpu0 := cpuTime()
	start := time.Now()
	err := fn()
	return timing{wall: time.Since(start), cpu: cpuTime() - cpu0}, err
}

// child runs the binary with output to the null device and returns its
// wall and CPU time and its peak resident set in bytes. It is started from
// a fresh copy of this runner (see spawn): Linux counts in a child's peak
// whatever its parent held when it started it, and this process holds
// thousands of assessments by then.
func child(bin string, args ...string) (timing, int64, error) {
	self, err := os.Executable()
	if err != nil {
		return timing{}, 0, err
	}
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(self, append([]string{bin}, args...)...)
	cmd.Env = append(os.Environ(), spawnEnv+"=1")
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return timing{}, 0, fmt.Errorf("%s %v: %w\n%s", bin, args, err, stderr.Bytes())
	}
	var wall, cpu time.Duration
	var rss int64
	if _, err := fmt.Sscan(stdout.String(), &wall, &cpu, &rss); err != nil {
		return timing{}, 0, fmt.Errorf("%s %v: reading the measurement %q: %w", bin, args, stdout.String(), err)
	}
	return timing{wall: wall, cpu: cpu}, rss, nil
}

// spawnEnv, when set, makes the runner a go-between: it runs the command
// its arguments name and prints wall time, CPU time and peak resident set.
const spawnEnv = "CAPSCORE_BENCH_SPAWN"

// spawn is the go-between's work: args are the binary and its arguments.
func spawn(args []string, out io.Writer) error {
	null, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	defer null.Close()
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Stdout, cmd.Stderr = null, os.Stderr
	start := time.Now()
	if err := cmd.Run(); err != nil {
		return err
	}
	wall := time.Since(start)
	st := cmd.ProcessState
	rss := peakRSS(st)
	_, err = fmt.Fprintln(out, int64(wall), int64(st.UserTime()+st.SystemTime()), rss)
	return err
}

func median(ts []timing) timing {
	walls := make([]time.Duration, len(ts))
	cpus := make([]time.Duration, len(ts))
	for i, t := range ts {
		walls[i], cpus[i] = t.wall, t.cpu
	}
	slices.Sort(walls)
	slices.Sort(cpus)
	return timing{wall: walls[len(ts)/2], cpu: cpus[len(ts)/2]}
}

func printTable(w io.Writer, rows []row, n int) {
	var floors []timing
	for _, r := range rows {
		if r.floor && len(floors) < 2 {
			floors = append(floors, r.t)
		}
	}
	fmt.Fprintln(w, "| step | wall | CPU | per assessment (wall) | wall vs yaml.v3 floor | wall vs block-reader floor | CPU vs block-reader floor | peak RSS | target |")
	fmt.Fprintln(w, "|---|--:|--:|--:|--:|--:|--:|--:|---|")
	ratio := func(a, b time.Duration) string { return fmt.Sprintf("%.2f×", float64(a)/float64(b)) }
	for _, r := range rows {
		per, vsV3, vsBlock, cpuBlock, rss := "", "", "", "", ""
		if r.perOne {
			per = fmt.Sprintf("%.1f µs", float64(r.t.wall.Microseconds())/float64(n))
		}
		if r.floor && len(floors) == 2 {
			vsV3, vsBlock, cpuBlock = ratio(r.t.wall, floors[0].wall), ratio(r.t.wall, floors[1].wall), ratio(r.t.cpu, floors[1].cpu)
		}
		if r.rss > 0 {
			rss = fmt.Sprintf("%.0f MB", float64(r.rss)/1e6)
		}
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", r.step, dur(r.t.wall), dur(r.t.cpu), per, vsV3, vsBlock, cpuBlock, rss, r.target)
	}
}

func dur(d time.Duration) string {
	switch {
	case d >= time.Second:
		return fmt.Sprintf("%.2f s", d.Seconds())
	case d >= time.Millisecond:
		return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1e3)
	default:
		return fmt.Sprintf("%d µs", d.Microseconds())
	}
}
