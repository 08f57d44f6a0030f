package cli

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/capscore/capscore/internal/testgen"
)

// The property test of the whole command line: generated rubrics,
// assessments, config files and weight settings, valid and broken, through
// every command in every format. Run more cases, another seed or one case:
//
//	go test ./internal/cli -run TestCommandLineProperties -prop.n 2000
//	go test ./internal/cli -run TestCommandLineProperties -prop.seed 7 -prop.case 12 -prop.keep /tmp/case
var (
	propN    = flag.Int("prop.n", 0, "property test: number of generated cases (default 40, or $CAPSCORE_PROP_N)")
	propSeed = flag.Uint64("prop.seed", 1, "property test: seed of the generated cases")
	propCase = flag.Int("prop.case", -1, "property test: run only this case of the seed")
	propKeep = flag.String("prop.keep", "", "property test: keep the files of every failing case under `DIR`")
	propLog  = flag.String("prop.log", "", "property test: append the running count of cases per failure class to `FILE` after each child run")
	propList = flag.String("prop.cases", "", "property test (child process): the case indices to run, comma-separated")
)

const propDefaultCases = 40

func propCases() int {
	if *propN > 0 {
		return *propN
	}
	if v, err := strconv.Atoi(os.Getenv("CAPSCORE_PROP_N")); err == nil && v > 0 {
		return v
	}
	return propDefaultCases
}

// TestCommandLineProperties runs the cases in a child process: a panic in
// a goroutine a command starts cannot be recovered in-process and would
// end the test binary without naming the case. The child records each
// case it starts and finishes; after a crash the parent names the cases
// that were running and resumes after them.
func TestCommandLineProperties(t *testing.T) {
	// Its cases run in child processes, beside the other slow tests.
	t.Parallel()
	if progress := os.Getenv("CAPSCORE_PROP_PROGRESS"); progress != "" {
		runPropCases(t, progress)
		return
	}
	first, n := 0, propCases()
	if *propCase >= 0 {
		first, n = *propCase, 1
	}
	progress := filepath.Join(t.TempDir(), "progress")
	done := map[int]bool{}
	crashed := map[int]bool{}
	var suspects []int
	classes := map[string]map[int]bool{}
	for restarts := 0; ; restarts++ {
		var todo []string
		for i := first; i < first+n; i++ {
			if !done[i] && !crashed[i] {
				todo = append(todo, strconv.Itoa(i))
			}
		}
		if len(suspects) > 0 {
			// Cases that were running beside a crash run alone, so the
			// crash is blamed on the case that causes it.
			todo = []string{strconv.Itoa(suspects[0])}
			suspects = suspects[1:]
		}
		if len(todo) == 0 {
			break
		}
		// Each restart finishes or blames at least one case.
		if restarts > 3*n+10 {
			t.Fatalf("gave up after %d crashes of the child process", restarts)
		}
		os.Remove(progress)
		cmd := exec.Command(os.Args[0], "-test.run=^TestCommandLineProperties$", "-test.count=1", "-test.timeout=0",
			"-prop.seed="+strconv.FormatUint(*propSeed, 10), "-prop.keep="+*propKeep, "-prop.cases="+strings.Join(todo, ","))
		cmd.Env = append(os.Environ(), "CAPSCORE_PROP_PROGRESS="+progress)
		out, err := cmd.CombinedOutput()
		started := map[int]bool{}
		data, _ := os.ReadFile(progress)
		for _, line := range strings.Split(string(data), "\n") {
			f := strings.SplitN(line, " ", 3)
			if len(f) < 2 {
				continue
			}
			i, _ := strconv.Atoi(f[1])
			switch f[0] {
			case "start":
				started[i] = true
			case "done":
				done[i] = true
			case "class":
				if classes[f[2]] == nil {
					classes[f[2]] = map[int]bool{}
				}
				classes[f[2]][i] = true
			}
		}
		if *propLog != "" {
			logClasses(*propLog, len(done)+len(crashed), n, classes)
		}
		if err == nil {
			continue
		}
		var inFlight []int
		for i := range started {
			if !done[i] {
				inFlight = append(inFlight, i)
			}
		}
		sort.Ints(inFlight)
		if len(started) == 0 {
			t.Fatalf("the child process ran no case: %v\n%s", err, out)
		}
		if len(inFlight) == 0 {
			// Every case ran; the child's report names what broke.
			t.Errorf("%s", childReport(out))
			continue
		}
		if len(inFlight) > 1 {
			suspects = append(suspects, inFlight...)
			continue
		}
		crashed[inFlight[0]] = true
		kept := ""
		if *propKeep != "" {
			keep := filepath.Join(*propKeep, fmt.Sprintf("seed-%d-case-%d", *propSeed, inFlight[0]))
			if err := writeCase(keep, testgen.Generate(*propSeed, inFlight[0])); err != nil {
				t.Error(err)
			}
			kept = "files kept in " + keep + "\n"
		}
		c := "crash/unrecovered-panic"
		if classes[c] == nil {
			classes[c] = map[int]bool{}
		}
		classes[c][inFlight[0]] = true
		t.Errorf("case %d of seed %d crashed the process (a panic outside the command's own goroutine); rerun it with\n  go test ./internal/cli -run TestCommandLineProperties -prop.seed %d -prop.case %d -prop.keep DIR\n%s%s",
			inFlight[0], *propSeed, *propSeed, inFlight[0], kept, childReport(out))
	}
	if len(classes) > 0 {
		var names []string
		for k := range classes {
			names = append(names, k)
		}
		sort.Strings(names)
		var b strings.Builder
		for _, k := range names {
			var ids []int
			for i := range classes[k] {
				ids = append(ids, i)
			}
			sort.Ints(ids)
			fmt.Fprintf(&b, "  %-45s %4d case(s), first %v\n", k, len(ids), ids[:min(len(ids), 5)])
		}
		t.Errorf("seed %d, %d case(s): cases per failure class:\n%s", *propSeed, n, b.String())
	}
}

// logClasses appends a summary of the run so far to file, for long runs.
func logClasses(file string, finished, n int, classes map[string]map[int]bool) {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %d of %d cases finished\n", time.Now().Format(time.TimeOnly), finished, n)
	var names []string
	for k := range classes {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		fmt.Fprintf(&b, "  %-45s %d\n", k, len(classes[k]))
	}
	if f, err := os.OpenFile(file, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644); err == nil {
		f.WriteString(b.String())
		f.Close()
	}
}

// childReport is the child's output without the test runner's lines, cut
// to its first 30,000 bytes.
func childReport(out []byte) string {
	var keep []string
	for _, line := range strings.Split(string(out), "\n") {
		if strings.HasPrefix(line, "=== RUN") || line == "FAIL" || line == "PASS" || strings.HasPrefix(line, "--- FAIL: TestCommandLineProperties") {
			continue
		}
		keep = append(keep, line)
	}
	s := strings.Join(keep, "\n")
	if len(s) > 30000 {
		s = s[:30000] + "…"
	}
	return s
}

// runPropCases is the child: it runs the cases listed in -prop.cases on
// every core and reports each broken property.
func runPropCases(t *testing.T, progressFile string) {
	progress, err := os.OpenFile(progressFile, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	defer progress.Close()
	var mu sync.Mutex
	note := func(format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprintf(progress, format+"\n", args...)
	}
	var indices []int
	for _, s := range strings.Split(*propList, ",") {
		if i, err := strconv.Atoi(s); err == nil {
			indices = append(indices, i)
		}
	}
	root := t.TempDir()
	type outcome struct {
		c     *testgen.Case
		dir   string
		fails []propFailure
	}
	outcomes := make([]outcome, len(indices))
	var wg sync.WaitGroup
	next := make(chan int)
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range next {
				i := indices[k]
				note("start %d", i)
				c := testgen.Generate(*propSeed, i)
				dir := filepath.Join(root, fmt.Sprintf("case-%d", i))
				fails := checkCase(dir, c)
				outcomes[k] = outcome{c, dir, fails}
				for _, f := range fails {
					note("class %d %s", i, f.class)
				}
				note("done %d", i)
			}
		}()
	}
	for k := range indices {
		next <- k
	}
	close(next)
	wg.Wait()

	shown := 0
	for _, o := range outcomes {
		if len(o.fails) == 0 {
			continue
		}
		var b strings.Builder
		fmt.Fprintf(&b, "case %d of seed %d (mutation %q) broke %d propert(ies); rerun it with\n  go test ./internal/cli -run TestCommandLineProperties -prop.seed %d -prop.case %d -prop.keep DIR\n",
			o.c.Index, o.c.Seed, o.c.Mutation, len(o.fails), o.c.Seed, o.c.Index)
		for _, f := range o.fails {
			fmt.Fprintf(&b, "- [%s] %s\n    %s\n", f.class, f.cmd, strings.ReplaceAll(f.msg, "\n", "\n    "))
		}
		if *propKeep != "" {
			keep := filepath.Join(*propKeep, fmt.Sprintf("seed-%d-case-%d", o.c.Seed, o.c.Index))
			if err := writeCase(keep, o.c); err != nil {
				t.Error(err)
			}
			fmt.Fprintf(&b, "files kept in %s\n", keep)
		} else {
			fmt.Fprintf(&b, "files were in %s (removed after the test; -prop.keep DIR keeps them)\n", o.dir)
		}
		if shown < 2 || len(indices) == 1 {
			for _, name := range sortedNames(o.c.Files) {
				fmt.Fprintf(&b, "--- %s ---\n%s", name, o.c.Files[name])
			}
			shown++
		}
		t.Error(b.String())
	}
}

// propFailure is one broken property of one command line.
type propFailure struct {
	class string // short name, e.g. "nonfinite" or "panic/score"
	cmd   string // the command line, runnable from the case folder
	msg   string
}

// propRun is one in-process run with its streams and --output file.
type propRun struct {
	args     []string
	env      map[string]string
	stdout   string
	stderr   string
	code     int
	panicked string
	timedOut bool
}

func writeCase(dir string, c *testgen.Case) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for name, text := range c.Files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			return err
		}
	}
	return nil
}

func sortedNames(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// runProp runs capscore in-process, turning a panic into a result, and
// gives up after a minute (an interrupted run reports the timeout).
func runProp(args []string, env map[string]string) (r propRun) {
	r.args, r.env = args, env
	var out, errb bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	defer func() {
		if p := recover(); p != nil {
			// The panic and the frames nearest to it, from the panic on.
			stack := strings.Split(string(debug.Stack()), "\n")
			for i, line := range stack {
				if strings.HasPrefix(line, "panic(") {
					stack = stack[i+2:]
					break
				}
			}
			r.panicked = fmt.Sprintf("%v\n%s", p, strings.Join(stack[:min(len(stack), 16)], "\n"))
		}
		r.stdout, r.stderr = out.String(), errb.String()
		r.timedOut = ctx.Err() != nil
	}()
	getenv := func(k string) (string, bool) {
		v, ok := env[k]
		return v, ok
	}
	r.code = Run(ctx, args, IO{In: strings.NewReader(""), Out: &out, Err: &errb}, getenv)
	return r
}

// commandLine prints a run as a shell line from the case folder.
func commandLine(dir string, r propRun) string {
	var parts []string
	for _, k := range sortedKeysOf(r.env) {
		parts = append(parts, k+"="+shellQuote(strings.ReplaceAll(r.env[k], dir+string(filepath.Separator), "")))
	}
	parts = append(parts, "capscore")
	for _, a := range r.args {
		parts = append(parts, shellQuote(strings.ReplaceAll(a, dir+string(filepath.Separator), "")))
	}
	return strings.Join(parts, " ")
}

func sortedKeysOf(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func shellQuote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_=./,+:", r))
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

var formats = []string{"table", "markdown", "csv", "json"}

// checkCase writes the case's files into dir, runs every command in every
// format and returns every property that did not hold.
func checkCase(dir string, c *testgen.Case) (fails []propFailure) {
	if err := writeCase(dir, c); err != nil {
		return []propFailure{{"setup", "", err.Error()}}
	}
	p := func(name string) string { return filepath.Join(dir, name) }
	env := map[string]string{}
	for k, v := range c.Env {
		env[k] = v
	}
	var globals []string
	switch c.RubricVia {
	case "flag":
		globals = append(globals, "--rubric", p(testgen.RubricFile))
	case "env":
		env["CAPSCORE_RUBRIC"] = p(testgen.RubricFile)
	}
	switch {
	case c.Config == nil:
	case c.ConfigVia == "env":
		env["CAPSCORE_CONFIG"] = p(testgen.ConfigFile)
	default:
		globals = append(globals, "--config", p(testgen.ConfigFile))
	}
	globals = append(globals, c.Flags...)
	var files []string
	for _, a := range c.Assessments {
		files = append(files, p(a.Name))
	}
	ck := &caseCheck{c: c, dir: dir, files: files}
	ordinary := c.Mutation == "" && c.Ordinary()

	type command struct {
		name string
		args []string
	}
	var cmds []command
	for _, f := range formats {
		ff := []string{"--format", f}
		cmds = append(cmds,
			command{"score", append(append([]string{"score"}, files...), ff...)},
			command{"score --detail", append(append([]string{"score", "--detail"}, files...), ff...)},
			command{"validate", append(append([]string{"validate", p(testgen.RubricFile)}, files...), ff...)},
			command{"weights", append([]string{"weights"}, ff...)},
			command{"explain pillar", append([]string{"explain", c.ExplainPillar, files[0]}, ff...)},
			command{"explain criterion", append([]string{"explain", c.ExplainCriterion, files[1]}, ff...)},
			command{"compare", append([]string{"compare", files[0], files[1]}, ff...)},
			command{"sensitivity", append(append([]string{"sensitivity", "--samples", "40", "--sobol", "8", "--seed", strconv.Itoa(c.Index)}, files...), ff...)},
		)
		if c.ProfileB != "" {
			cmds = append(cmds, command{"compare --profile-b", append([]string{"compare", files[0], files[1], "--profile-b", c.ProfileB}, ff...)})
		} else {
			cmds = append(cmds, command{"compare --weights-b", append([]string{"compare", files[0], files[1], "--weights-b", "offence=2"}, ff...)})
		}
	}
	cmds = append(cmds,
		command{"sensitivity --criteria --levels", append([]string{"sensitivity", "--samples", "40", "--sobol", "0", "--criteria", "--levels", "--format", "json"}, files...)},
		command{"sensitivity --dirichlet", append([]string{"sensitivity", "--samples", "40", "--sobol", "8", "--dirichlet", "5", "--format", "json"}, files...)},
		command{"report", append(append([]string{"report"}, files...), "-o", p("report.html"))},
		command{"report --sensitivity", append(append([]string{"report", "--sensitivity", "--samples", "30"}, files...), "-o", p("report-s.html"))},
		command{"schema rubric", []string{"schema", "rubric"}},
		command{"schema assessment", []string{"schema", "assessment"}},
	)
	for i, cmd := range cmds {
		args := append(append([]string{}, cmd.args...), globals...)
		output := ""
		switch {
		case cmd.name == "report" || cmd.name == "report --sensitivity":
			output = args[slicesIndex(args, "-o")+1]
		case i%5 == 3:
			// A share of the runs write through --output instead.
			output = p(fmt.Sprintf("out-%d", i))
			args = append(args, "--output", output)
		}
		r := runProp(args, env)
		if output != "" && r.code == 0 && r.panicked == "" {
			data, err := os.ReadFile(output)
			if err != nil {
				fails = append(fails, propFailure{"output-missing", commandLine(dir, r), err.Error()})
			}
			r.stdout += string(data)
		}
		format := "table"
		if k := slicesIndex(args, "--format"); k >= 0 {
			format = args[k+1]
		}
		fails = append(fails, ck.check(cmd.name, format, r, ordinary)...)
	}
	fails = append(fails, ck.crossCheck()...)
	return fails
}

func slicesIndex(xs []string, x string) int {
	for i, v := range xs {
		if v == x {
			return i
		}
	}
	return -1
}

// caseCheck holds what one case's runs printed, for checks across commands.
type caseCheck struct {
	c     *testgen.Case
	dir   string
	files []string
	// From score --format json: each file's overall (nil when null) and
	// tier id ("" for none).
	scored  map[string]scoredFile
	explain []explained
	sens    []sensed
}

type scoredFile struct {
	overall *float64
	tier    string
}

type explained struct {
	cmd, file string
	overall   *float64
	tier      string
}

type sensed struct {
	cmd, file string
	nominal   *float64
	tier      string
}

var (
	nonFinite   = regexp.MustCompile(`(?i)(^|[^a-z])[+-]?(nan|inf|infinity)([^a-z]|$)`)
	summaryLine = regexp.MustCompile(`^capscore: \d+ error\(s\)|^Run 'capscore --help' for usage\.$`)
)

// check applies every property to one run.
func (ck *caseCheck) check(name, format string, r propRun, ordinary bool) (fails []propFailure) {
	cmd := commandLine(ck.dir, r)
	fail := func(class, format string, args ...any) {
		fails = append(fails, propFailure{class + "/" + name, cmd, fmt.Sprintf(format, args...)})
	}
	if r.panicked != "" {
		fail("panic", "%s", r.panicked)
		return fails
	}
	if r.timedOut {
		fail("hang", "still running after a minute")
		return fails
	}
	if strings.Contains(r.stderr, "goroutine ") || strings.Contains(r.stderr, "panic:") {
		fail("stack-trace", "stderr:\n%s", r.stderr)
	}
	for _, s := range []struct{ what, text string }{{"stdout", r.stdout}, {"stderr", r.stderr}} {
		if r.code != 0 {
			// A message may quote the non-finite input it refuses.
			for _, lit := range ck.c.Literals {
				s.text = strings.ReplaceAll(s.text, lit, "")
			}
		}
		if m := nonFinite.FindStringIndex(s.text); m != nil {
			fail("nonfinite", "%s prints a non-finite number: %q", s.what, excerpt(s.text, m[0]))
		}
	}
	switch r.code {
	case 0:
	case 1, 2:
		if msg := ck.unlocated(r); msg != "" {
			fail("unlocated", "exit %d with a message that names no file, flag or variable: %q\nstderr:\n%s", r.code, msg, r.stderr)
		}
	default:
		fail("exit", "exit status %d", r.code)
	}
	// sensitivity refuses, with the file named, an assessment in which no
	// pillar can be scored: there is nothing to perturb.
	refusesUnscored := strings.Contains(name, "sensitivity") && strings.Contains(r.stderr, "no pillar can be scored")
	if r.code != 0 && ordinary && !refusesUnscored {
		fail("refused-valid", "a valid case with weights at most 1e6 exits %d:\n%s", r.code, r.stderr)
	}
	if name == "validate" && ck.c.ValidateFails && r.code != 1 {
		fail("accepted-invalid", "mutation %s: validate exits %d, want 1:\n%s%s", ck.c.Mutation, r.code, r.stdout, r.stderr)
	}
	if r.code != 0 {
		return fails
	}
	switch {
	case strings.HasPrefix(name, "schema"), format == "json":
		var doc any
		dec := json.NewDecoder(strings.NewReader(r.stdout))
		dec.UseNumber()
		if err := dec.Decode(&doc); err != nil {
			fail("json", "output is not JSON: %v\n%s", err, excerpt(r.stdout, 0))
			return fails
		}
		for _, msg := range walkNumbers(doc, "") {
			fail("json-number", "%s", msg)
		}
		if !strings.HasPrefix(name, "schema") {
			for _, f := range ck.checkJSON(name, doc) {
				fail(f.class, "%s", f.msg)
			}
		}
	case format == "csv":
		rd := csv.NewReader(strings.NewReader(r.stdout))
		rd.FieldsPerRecord = -1
		if _, err := rd.ReadAll(); err != nil {
			fail("csv", "output is not CSV: %v", err)
		}
	}
	return fails
}

func excerpt(s string, at int) string {
	from, to := max(at-80, 0), min(at+80, len(s))
	return s[from:to]
}

// unlocated returns the first line of an error that names no place: no
// input file, no flag, no CAPSCORE_ variable. Summary lines are exempt.
func (ck *caseCheck) unlocated(r propRun) string {
	placed := func(line string) bool {
		if strings.Contains(line, "--") || strings.Contains(line, "CAPSCORE_") {
			return true
		}
		for name := range ck.c.Files {
			if strings.Contains(line, name) {
				return true
			}
		}
		return false
	}
	someLine := false
	for _, line := range strings.Split(strings.TrimSpace(r.stderr), "\n") {
		if line == "" || summaryLine.MatchString(line) {
			continue
		}
		if !placed(line) {
			return line
		}
		someLine = true
	}
	if !someLine && !placed(r.stdout) {
		return strings.TrimSpace(r.stderr)
	}
	return ""
}

// walkNumbers checks every number of a JSON document: finite, and the
// scores, coverage and shares within their ranges.
func walkNumbers(v any, key string) (msgs []string) {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			msgs = append(msgs, walkNumbers(e, k)...)
		}
	case []any:
		for _, e := range x {
			msgs = append(msgs, walkNumbers(e, key)...)
		}
	case json.Number:
		f, err := strconv.ParseFloat(string(x), 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return []string{fmt.Sprintf("%s: %s is not a finite float64", key, x)}
		}
		lo, hi := math.Inf(-1), math.Inf(1)
		switch key {
		case "score", "overall", "contribution", "nominal", "mean", "p05", "p50", "p95":
			lo, hi = 0, 100
		case "coverage", "normalised", "of_overall":
			lo, hi = 0, 1
		}
		if f < lo-1e-9 || f > hi+1e-9 {
			return []string{fmt.Sprintf("%s: %v is outside [%v, %v]", key, f, lo, hi)}
		}
	}
	return msgs
}

// num reads a JSON number, nil for null or absent.
func num(v any) *float64 {
	n, ok := v.(json.Number)
	if !ok {
		return nil
	}
	f, err := n.Float64()
	if err != nil {
		return nil
	}
	return &f
}

func obj(v any) map[string]any { m, _ := v.(map[string]any); return m }

func list(v any) []any { l, _ := v.([]any); return l }

func tierID(v any) string {
	if m := obj(v); m != nil {
		s, _ := m["id"].(string)
		return s
	}
	return ""
}

// expectedTiers applies the rubric's tier rule to printed scores, as
// DESIGN.md words it: the first tier whose conditions all hold; no tier
// when none holds, or when there is no overall score. A score within 1e-9
// under a threshold may count either way (the engine allows that much
// rounding), so the answer is a set of acceptable tier ids.
func expectedTiers(tiers []testgen.Tier, overall *float64, pillars []*float64) map[string]bool {
	rule := func(tol float64) string {
		if overall == nil {
			return ""
		}
		atLeast := func(s *float64, x float64) bool { return s != nil && *s >= x-tol }
		for _, t := range tiers {
			ok := true
			if t.OverallAtLeast != nil && !atLeast(overall, *t.OverallAtLeast) {
				ok = false
			}
			if t.EveryPillarAtLeast != nil {
				for _, p := range pillars {
					ok = ok && atLeast(p, *t.EveryPillarAtLeast)
				}
			}
			if c := t.PillarsAtLeast; c != nil {
				n := 0
				for _, p := range pillars {
					if atLeast(p, c.Score) {
						n++
					}
				}
				ok = ok && n >= c.Count
			}
			if ok {
				return t.ID
			}
		}
		return ""
	}
	return map[string]bool{rule(0): true, rule(1e-9): true}
}

func tierName(id string) string {
	if id == "" {
		return "no tier"
	}
	return "tier " + strconv.Quote(id)
}

type jsonFailure struct{ class, msg string }

// sumsToOne checks normalised sibling weights: they sum to 1 unless every
// relative weight among them is 0 (allZero).
func sumsToOne(ws []float64, allZero bool, what string) []jsonFailure {
	if len(ws) == 0 || allZero {
		return nil
	}
	t := 0.0
	for _, w := range ws {
		t += w
	}
	if math.Abs(t-1) <= 1e-9 {
		return nil
	}
	return []jsonFailure{{"weights-sum", fmt.Sprintf("%s: normalised weights %v sum to %v, not 1", what, ws, t)}}
}

func allZero(ws []float64) bool {
	for _, w := range ws {
		if w != 0 {
			return false
		}
	}
	return true
}

// checkJSON applies the properties each command's JSON must have.
func (ck *caseCheck) checkJSON(name string, doc any) (fails []jsonFailure) {
	fail := func(class, format string, args ...any) {
		fails = append(fails, jsonFailure{class, fmt.Sprintf(format, args...)})
	}
	tiers := ck.c.Rubric.Tiers
	// The weights the layers give, for a valid case: what every printed
	// normalised weight must equal.
	valid := ck.c.Mutation == ""
	effP, effC := ck.c.Effective()
	checkTier := func(what string, printed any, overall *float64, pillars []*float64) {
		want := expectedTiers(tiers, overall, pillars)
		if got := tierID(printed); !want[got] {
			var ws []string
			for id := range want {
				ws = append(ws, tierName(id))
			}
			sort.Strings(ws)
			fail("tier", "%s: printed %s, the rule gives %s for overall %v and pillars %v", what, tierName(got), strings.Join(ws, " or "), deref(overall), derefs(pillars))
		}
	}
	d := obj(doc)
	switch {
	case strings.HasPrefix(name, "score"):
		if ck.scored == nil {
			ck.scored = map[string]scoredFile{}
		}
		for _, a := range list(d["assessments"]) {
			a := obj(a)
			file, _ := a["file"].(string)
			overall := num(a["overall"])
			var pillars []*float64
			var pw []float64
			// Coverage is the weighted share of criteria credited from
			// findings, under the weights the layers give.
			coverage := 0.0
			for i, p := range list(a["pillars"]) {
				for j, c := range list(obj(p)["criteria"]) {
					if num(obj(c)["level"]) != nil && valid && i < len(effC) && j < len(effC[i]) {
						coverage += normalised(effP, i) * normalised(effC[i], j)
					}
				}
			}
			if got := num(a["coverage"]); valid && got != nil && math.Abs(*got-min(coverage, 1)) > 1e-9 {
				fail("coverage", "%s: coverage %v, want %v from the weights and the credited criteria", file, *got, coverage)
			}
			for i, p := range list(a["pillars"]) {
				p := obj(p)
				pillars = append(pillars, num(p["score"]))
				if w := num(p["weight"]); w != nil {
					pw = append(pw, *w)
					if valid && i < len(effP) {
						if want := normalised(effP, i); math.Abs(*w-want) > 1e-9 {
							fail("weights-value", "%s: pillar %v weight %v, want %v from weights %v", file, p["id"], *w, want, effP)
						}
					}
				}
				var cw []float64
				for j, c := range list(p["criteria"]) {
					if w := num(obj(c)["weight"]); w != nil {
						cw = append(cw, *w)
						if valid && i < len(effC) && j < len(effC[i]) {
							if want := normalised(effC[i], j); math.Abs(*w-want) > 1e-9 {
								fail("weights-value", "%s: criterion %v weight %v, want %v from weights %v", file, obj(c)["id"], *w, want, effC[i])
							}
						}
					}
					if l := num(obj(c)["level"]); l != nil && (*l < float64(ck.c.Rubric.Min) || *l > float64(ck.c.Rubric.Max)) {
						fail("level-range", "%s: credited level %v is off the scale", file, *l)
					}
				}
				fails = append(fails, sumsToOne(cw, valid && i < len(effC) && allZero(effC[i]), file+": criteria of "+fmt.Sprint(p["id"]))...)
			}
			fails = append(fails, sumsToOne(pw, valid && allZero(effP), file+": pillars")...)
			if valid {
				for _, msg := range meanBounds(a, overall, effP, effC) {
					fail("mean-bounds", "%s: %s", file, msg)
				}
			}
			checkTier(file, a["tier"], overall, pillars)
			if name == "score" {
				ck.scored[file] = scoredFile{overall, tierID(a["tier"])}
			}
		}
	case name == "weights":
		var pw, pr []float64
		for i, p := range list(d["pillars"]) {
			p := obj(p)
			w, rel := num(p["normalised"]), num(p["relative"])
			if w == nil || rel == nil {
				fail("weights-json", "pillar %v has no relative or normalised weight", p["id"])
				continue
			}
			pw, pr = append(pw, *w), append(pr, *rel)
			if valid && i < len(effP) {
				if want := normalised(effP, i); math.Abs(*w-want) > 1e-9 {
					fail("weights-value", "pillar %v: normalised %v, want %v from weights %v", p["id"], *w, want, effP)
				}
			}
			var cw, cr []float64
			for j, c := range list(p["criteria"]) {
				w, rel := num(obj(c)["normalised"]), num(obj(c)["relative"])
				if w == nil || rel == nil {
					fail("weights-json", "criterion %v has no relative or normalised weight", obj(c)["id"])
					continue
				}
				cw, cr = append(cw, *w), append(cr, *rel)
				if valid && i < len(effC) && j < len(effC[i]) {
					if want := normalised(effC[i], j); math.Abs(*w-want) > 1e-9 {
						fail("weights-value", "criterion %v: normalised %v, want %v from weights %v", obj(c)["id"], *w, want, effC[i])
					}
				}
			}
			fails = append(fails, sumsToOne(cw, allZero(cr), fmt.Sprintf("criteria of %v", p["id"]))...)
		}
		fails = append(fails, sumsToOne(pw, allZero(pr), "pillars")...)
	case strings.HasPrefix(name, "explain"):
		file, _ := d["file"].(string)
		ck.explain = append(ck.explain, explained{name, file, num(d["overall"]), tierID(d["tier"])})
	case strings.HasPrefix(name, "compare"):
		for _, col := range list(d["columns"]) {
			col := obj(col)
			var pillars []*float64
			for _, p := range list(col["pillars"]) {
				pillars = append(pillars, num(obj(p)["score"]))
			}
			checkTier(fmt.Sprint(col["label"]), col["tier"], num(col["overall"]), pillars)
		}
		for _, s := range list(d["steps"]) {
			s := obj(s)
			rows := append([]any{s["overall"]}, list(s["pillars"])...)
			for _, row := range rows {
				if ch := num(obj(row)["change"]); ch != nil && math.Abs(*ch) > 100+1e-9 {
					fail("range", "step change %v is outside [-100, 100]", *ch)
				}
			}
		}
	case strings.HasPrefix(name, "sensitivity"):
		w := obj(d["weights"])
		var pw []float64
		for _, p := range list(w["pillars"]) {
			if x := num(obj(p)["normalised"]); x != nil {
				pw = append(pw, *x)
			}
		}
		fails = append(fails, sumsToOne(pw, valid && allZero(effP), "sensitivity pillars")...)
		byPillar := map[string][]float64{}
		for _, c := range list(w["criteria"]) {
			if x := num(obj(c)["normalised"]); x != nil {
				p := fmt.Sprint(obj(c)["pillar"])
				byPillar[p] = append(byPillar[p], *x)
			}
		}
		for p, cw := range byPillar {
			zero := false
			if i := slicesIndex(testgen.PillarIDs, p); valid && i >= 0 {
				zero = allZero(effC[i])
			}
			fails = append(fails, sumsToOne(cw, zero, "sensitivity criteria of "+p)...)
		}
		for _, a := range list(d["assessments"]) {
			a := obj(a)
			file, _ := a["file"].(string)
			ck.sens = append(ck.sens, sensed{name, file, num(obj(a["overall"])["nominal"]), tierID(a["tier"])})
			t := 0.0
			for _, x := range list(a["tier_probability"]) {
				if v := num(obj(x)["probability"]); v != nil {
					t += *v
				} else if v := num(x); v != nil {
					t += *v
				}
			}
			if v := num(a["no_tier"]); v != nil {
				t += *v
			}
			if len(list(a["tier_probability"])) > 0 && math.Abs(t-1) > 1e-9 {
				fail("probability", "%s: tier probabilities sum to %v", file, t)
			}
		}
	}
	return fails
}

// meanBounds checks that every weighted mean lies between the smallest and
// the largest of what it averages with a weight above 0: a pillar score
// among its counted criteria's scores, the overall (arithmetic or
// geometric) among the scored pillars'.
func meanBounds(a map[string]any, overall *float64, effP []float64, effC [][]float64) (msgs []string) {
	within := func(x float64, xs []float64) bool {
		if len(xs) == 0 {
			return true
		}
		lo, hi := xs[0], xs[0]
		for _, v := range xs {
			lo, hi = min(lo, v), max(hi, v)
		}
		return x >= lo-1e-9 && x <= hi+1e-9
	}
	var scored []float64
	for i, p := range list(a["pillars"]) {
		p := obj(p)
		ps := num(p["score"])
		if ps == nil || i >= len(effC) {
			continue
		}
		if effP[i] > 0 {
			scored = append(scored, *ps)
		}
		var cs []float64
		for j, c := range list(p["criteria"]) {
			if s := num(obj(c)["score"]); s != nil && obj(c)["counted"] == true && j < len(effC[i]) && effC[i][j] > 0 {
				cs = append(cs, *s)
			}
		}
		if !within(*ps, cs) {
			msgs = append(msgs, fmt.Sprintf("pillar %v scores %v, outside the scores %v of its counted criteria of weight above 0", p["id"], *ps, cs))
		}
	}
	if overall != nil && !within(*overall, scored) {
		msgs = append(msgs, fmt.Sprintf("overall %v is outside the scores %v of the scored pillars of weight above 0", *overall, scored))
	}
	return msgs
}

// normalised is w[i] / Σw computed without overflow: scaled by the
// largest weight first.
func normalised(ws []float64, i int) float64 {
	m := 0.0
	for _, w := range ws {
		m = max(m, w)
	}
	if m == 0 {
		return 0
	}
	t := 0.0
	for _, w := range ws {
		t += w / m
	}
	return ws[i] / m / t
}

// crossCheck holds explain and sensitivity to what score printed for the
// same file under the same settings.
func (ck *caseCheck) crossCheck() (fails []propFailure) {
	for _, e := range ck.explain {
		s, ok := ck.scored[e.file]
		if !ok {
			continue
		}
		if e.tier != s.tier || !propSameNumber(e.overall, s.overall) {
			fails = append(fails, propFailure{"disagree/" + e.cmd, e.file,
				fmt.Sprintf("explain prints overall %v, %s; score printed %v, %s", deref(e.overall), tierName(e.tier), deref(s.overall), tierName(s.tier))})
		}
	}
	for _, x := range ck.sens {
		s, ok := ck.scored[x.file]
		if !ok {
			continue
		}
		if x.tier != s.tier || !propSameNumber(x.nominal, s.overall) {
			fails = append(fails, propFailure{"disagree/" + x.cmd, x.file,
				fmt.Sprintf("sensitivity's nominal is %v, %s; score printed %v, %s", deref(x.nominal), tierName(x.tier), deref(s.overall), tierName(s.tier))})
		}
	}
	return fails
}

func propSameNumber(a, b *float64) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return math.Abs(*a-*b) <= 1e-9
}

func deref(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}

func derefs(ps []*float64) []any {
	out := make([]any, len(ps))
	for i, p := range ps {
		out[i] = deref(p)
	}
	return out
}
