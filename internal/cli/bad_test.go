package cli

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/capscore/capscore/internal/yamlread"
)

// updateBad rewrites the goldens of the bad-input corpus:
// go test ./internal/cli -run TestBadInputs -update-bad
var updateBad = flag.Bool("update-bad", false, "rewrite testdata/bad/*/golden.txt at the repository root")

// badLimits are what any bad input may cost at most.
const (
	badTime  = 2 * time.Second
	badBytes = 200 << 20
)

// TestBadInputs runs every case of the corpus under testdata/bad/ at the
// repository root and compares exit status, standard output and standard
// error with the case's golden.txt. A case is a folder holding:
//
//	*.yaml, *.yml, other files   the inputs
//	args                         the command line, one argument a line
//	                             (default: --rubric ../mini.yaml validate FILES...)
//	env                          CAPSCORE_* variables, NAME=value a line
//	generate                     NAME FILE: a generated input too big to commit
//	fifo                         paths to make named pipes at, one a line
//	                             (git cannot hold one; the case is skipped
//	                             where there are none)
//
// Each runs in a copy of the case in a temporary folder beside a copy of
// mini.yaml, so names in messages are short and nothing is written to the
// repository. Every case must finish within badTime, allocate under
// badBytes, and print no Go stack trace.
func TestBadInputs(t *testing.T) {
	_, self, _, _ := runtime.Caller(0)
	root := filepath.Join(filepath.Dir(self), "..", "..", "testdata", "bad")
	entries, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	mini, err := os.ReadFile(filepath.Join(root, "mini.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	cases := 0
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		cases++
		t.Run(e.Name(), func(t *testing.T) {
			runBadCase(t, filepath.Join(root, e.Name()), mini)
		})
	}
	if cases < 60 {
		t.Errorf("the corpus has %d cases, want at least 60", cases)
	}
	// The README counts the cases; the count stays true.
	readme, err := os.ReadFile(filepath.Join(root, "..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	if want := fmt.Sprintf("`testdata/bad/`: %d broken", cases); !strings.Contains(string(readme), want) {
		t.Errorf("README.md does not say %q: it must give the number of cases", want)
	}
}

func runBadCase(t *testing.T, dir string, mini []byte) {
	tmp := t.TempDir()
	work := filepath.Join(tmp, filepath.Base(dir))
	if err := os.CopyFS(work, os.DirFS(dir)); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(tmp, "mini.yaml"), mini, 0o644); err != nil {
		t.Fatal(err)
	}
	if spec, err := os.ReadFile(filepath.Join(dir, "generate")); err == nil {
		name, file, _ := strings.Cut(strings.TrimSpace(string(spec)), " ")
		gen, ok := generators[name]
		if !ok {
			t.Fatalf("generate: no generator %q", name)
		}
		if err := os.WriteFile(filepath.Join(work, file), gen(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, name := range lines(filepath.Join(dir, "fifo")) {
		mkfifo(t, filepath.Join(work, name))
	}
	args := lines(filepath.Join(dir, "args"))
	if args == nil {
		args = []string{"--rubric", "../mini.yaml", "validate"}
		names, _ := filepath.Glob(filepath.Join(work, "*.y*ml"))
		sort.Strings(names)
		for _, n := range names {
			args = append(args, filepath.Base(n))
		}
	}
	env := map[string]string{}
	for _, kv := range lines(filepath.Join(dir, "env")) {
		k, v, _ := strings.Cut(kv, "=")
		// A value written as a Go string literal ("a\nb") holds what a
		// line cannot, such as a newline.
		if strings.HasPrefix(v, `"`) {
			u, err := strconv.Unquote(v)
			if err != nil {
				t.Fatalf("env: %s: %v", kv, err)
			}
			v = u
		}
		env[k] = v
	}
	t.Chdir(work)

	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	res := runCLI(t, env, args...)
	elapsed := time.Since(start)
	runtime.ReadMemStats(&after)

	if elapsed > badTime*raceSlowdown {
		t.Errorf("took %v, over %v", elapsed, badTime*raceSlowdown)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > badBytes {
		t.Errorf("allocated %d MB, over %d MB", alloc>>20, badBytes>>20)
	}
	for _, s := range []string{"goroutine ", "panic:", ".go:"} {
		if strings.Contains(res.stdout+res.stderr, s) {
			t.Errorf("output holds %q, a Go stack trace or source position", s)
		}
	}
	got := fmt.Sprintf("$ capscore %s\nexit %d\n-- stdout --\n%s-- stderr --\n%s", strings.Join(args, " "), res.code, res.stdout, res.stderr)
	path := filepath.Join(dir, "golden.txt")
	if *updateBad {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/cli -run TestBadInputs -update-bad)", err)
	}
	if got != string(want) {
		t.Errorf("output differs from %s (-update-bad to accept):\n--- got ---\n%s--- want ---\n%s", path, got, want)
	}
}

// lines reads a file of one item a line, nil when there is no file.
func lines(path string) []string {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	return strings.Split(strings.TrimRight(string(data), "\n"), "\n")
}

// generators make inputs too big to commit.
var generators = map[string]func() []byte{
	// One byte over the size limit.
	"oversize": func() []byte {
		return append([]byte("# "), bytes.Repeat([]byte("x"), yamlread.MaxFileSize-1)...)
	},
	// Under the size limit, but a list of a million items.
	"items": func() []byte {
		return append([]byte("country: X\nfindings: {}\nassessors: ["), bytes.Repeat([]byte("a,"), 4<<20-100)...)
	},
	// Twenty thousand nested lists.
	"deep": func() []byte {
		return []byte("country: X\nfindings: {}\nsummary: " + strings.Repeat("[", 20000) + strings.Repeat("]", 20000) + "\n")
	},
	// A hundred thousand short items on one line after a character
	// outside ASCII: columns must not be counted from the line's start
	// for each.
	"long-line": func() []byte {
		return []byte("country: X\nfindings: {}\nassessors: [é" + strings.Repeat(", a", 100_000) + "]\n")
	},
	// Twenty thousand nested lists from the first byte, past the YAML
	// library's own limit, which gives no line there.
	"deep-root": func() []byte {
		return []byte(strings.Repeat("[", 20000) + strings.Repeat("]", 20000) + "\n")
	},
	// Twenty thousand compact lists, "- - - x", on one line.
	"deep-compact": func() []byte {
		return []byte(strings.Repeat("- ", 20000) + "x\n")
	},
	// Two thousand nested block mappings, each line a level deeper.
	"deep-block": func() []byte {
		var b strings.Builder
		b.WriteString("country: X\nfindings:\n")
		for i := 0; i < 2000; i++ {
			fmt.Fprintf(&b, "%sk%d:\n", strings.Repeat(" ", i+1), i)
		}
		return []byte(b.String())
	},
}
