package cli

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// errFull stands for a full disk or a closed pipe.
var errFull = errors.New("no space left on device")

// failWriter takes n bytes, then fails every write.
type failWriter struct{ n int }

func (w *failWriter) Write(p []byte) (int, error) {
	if len(p) <= w.n {
		w.n -= len(p)
		return len(p), nil
	}
	k := w.n
	w.n = 0
	return k, errFull
}

// writingCommands are command lines that print to standard output; each is
// run in every format.
var writingCommands = [][]string{
	{"score"},
	{"score", "--detail"},
	{"validate"},
	{"weights"},
	{"weights", "ahp", protection},
	{"explain", "national-strategy", japan2021},
	{"explain", "offence", japan2021},
	{"compare", ruritania1, ruritania2},
	{"sensitivity", japan2021, "--samples", "200", "--sobol", "0"},
	{"schema", "rubric"},
	{"schema", "assessment"},
	{"completion", "bash"},
	{"completion", "zsh"},
	{"completion", "fish"},
	{"completion", "powershell"},
	{"new", "assessment", "--country", "Ruritania", "--code", "RUR", "--as-of", "2026-01-01"},
	{"report"},
	{"report", "-o", "-"},
	{"--help"},
	{"score", "--help"},
}

// TestFailedWriteFails runs every command in every format against a
// standard output that fails at once and one that fails halfway: each must
// exit 1 and say so, whatever its renderer made of the error.
func TestFailedWriteFails(t *testing.T) {
	chdirRepo(t)
	getenv := func(string) (string, bool) { return "", false }
	for _, cmd := range writingCommands {
		formats := 0
		for _, format := range []string{"", "table", "markdown", "csv", "json", "html"} {
			args := cmd
			if format != "" {
				args = append(append([]string{}, cmd...), "--format", format)
			}
			name := strings.Join(args, " ")
			good := runCLI(t, nil, args...)
			if good.code != ExitOK {
				continue // a format the command does not have
			}
			formats++
			if len(good.stdout) < 2 {
				t.Errorf("%s: printed %d bytes; nothing to fail", name, len(good.stdout))
				continue
			}
			for _, n := range []int{0, len(good.stdout) / 2, len(good.stdout) - 1} {
				var errb strings.Builder
				code := Run(context.Background(), args, IO{In: strings.NewReader(""), Out: &failWriter{n: n}, Err: &errb}, getenv)
				want := "capscore: standard output: no space left on device; the output is incomplete"
				if code != ExitInvalid || !strings.Contains(errb.String(), want) {
					t.Errorf("%s, failing after %d of %d bytes: exit %d, stderr %q; want exit 1 and %q", name, n, len(good.stdout), code, errb.String(), want)
				}
			}
		}
		if formats == 0 {
			t.Errorf("%s: fails in every format", strings.Join(cmd, " "))
		}
	}
}
