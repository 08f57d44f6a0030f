package cli

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/capscore/capscore/internal/report/textsafe"
	"github.com/spf13/cobra"
)

// commandArgs are the arguments each command needs to reach its --format
// check; commands not named need none.
var commandArgs = map[string][]string{
	"explain":     {"offence"},
	"weights ahp": {"judgements.yaml"},
	"agree":       {"panel/"},
	"compare":     {"japan"},
	"schema":      {"rubric"},
}

// everyCommand lists the path below the root of every command in the tree.
func everyCommand(t *testing.T) []*cobra.Command {
	t.Helper()
	a := &app{io: IO{In: strings.NewReader(""), Out: &bytes.Buffer{}, Err: &bytes.Buffer{}}}
	var out []*cobra.Command
	var walk func(*cobra.Command)
	walk = func(c *cobra.Command) {
		for _, sub := range c.Commands() {
			out = append(out, sub)
			walk(sub)
		}
	}
	walk(a.newRoot())
	if len(out) < 15 {
		t.Fatalf("only %d commands in the tree", len(out))
	}
	return out
}

// For every command, --format is checked against the same list that
// completion offers, and a command without formats refuses the flag.
func TestFormatsOneListPerCommand(t *testing.T) {
	for _, cmd := range everyCommand(t) {
		path := strings.Fields(strings.TrimPrefix(cmd.CommandPath(), "capscore "))
		name := strings.Join(path, " ")
		t.Run(name, func(t *testing.T) {
			formats := commandFormats(cmd)
			offered, _ := complete(t, nil, append(slices.Clone(path), "--format", "")...)
			var names []string
			for _, f := range formats {
				names = append(names, string(f))
			}
			var offeredNames []string
			for _, o := range offered {
				n, _, _ := strings.Cut(o, "\t")
				offeredNames = append(offeredNames, n)
			}
			if !slices.Equal(offeredNames, names) {
				t.Errorf("completion offers %v, the command writes %v", offeredNames, names)
			}
			args := append(slices.Clone(path), commandArgs[name]...)
			if _, ok := cmd.Annotations[annOutput]; !ok {
				res := runCLI(t, nil, append(slices.Clone(args), "-o", "out.txt")...)
				if res.code != ExitUsage || !strings.HasPrefix(res.stderr, "capscore: "+name+" ") || !strings.Contains(res.stderr, "; drop ") {
					t.Errorf("-o: exit %d, stderr %q; want a refusal naming %s", res.code, res.stderr, name)
				}
			}
			if formats != nil {
				res := runCLI(t, nil, append(args, "--format", "bogus")...)
				want := `--format "bogus": use one of ` + strings.Join(names, ", ")
				if res.code != ExitUsage || !strings.Contains(res.stderr, want) {
					t.Errorf("--format bogus: exit %d, stderr %q; want exit 2 saying %q", res.code, res.stderr, want)
				}
				return
			}
			res := runCLI(t, nil, append(args, "--format", "table")...)
			if res.code != ExitUsage || !strings.HasPrefix(res.stderr, "capscore: "+name+" ") || !strings.Contains(res.stderr, "--format") || !strings.Contains(res.stderr, "; drop ") {
				t.Errorf("--format table: exit %d, stderr %q; want a refusal naming %s", res.code, res.stderr, name)
			}
		})
	}
}

func TestFlagsThatDoNotApply(t *testing.T) {
	for _, tt := range []struct {
		args []string
		says string
	}{
		{[]string{"report", "--format", "json"}, "capscore: report writes HTML only; drop --format\nRun 'capscore report --help' for usage.\n"},
		{[]string{"schema", "rubric", "--format", "csv"}, "capscore: schema writes JSON Schema only; drop --format\n"},
		{[]string{"serve", "--format", "table"}, "capscore: serve serves a web page and prints no results; drop --format\n"},
		{[]string{"serve", "-o", "page.html"}, "capscore: serve serves a web page and writes no file; drop --output\n"},
		{[]string{"docs", "--man", "x", "--output", "y"}, "capscore: docs writes into the folder of --man or --markdown; drop --output\n"},
		{[]string{"new", "assessment", "--format", "json", "--country", "X", "--code", "XXX"}, "capscore: new assessment writes YAML only; drop --format\n"},
		{[]string{"weights", "ahp", "j.yaml", "--save-profile", "p", "--format", "csv"}, "capscore: --save-profile writes a config file (YAML); drop --format\n"},
	} {
		res := runCLI(t, nil, tt.args...)
		if res.code != ExitUsage || !strings.HasPrefix(res.stderr, tt.says) || res.stdout != "" {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit 2 saying %q", tt.args, res.code, res.stdout, res.stderr, tt.says)
		}
	}
}

// CAPSCORE_FORMAT and the config file's format are defaults: a command
// that writes one thing leaves them unread.
func TestFormatDefaultsIgnoredWithoutFormats(t *testing.T) {
	cfg := writeFile(t, filepath.Join(t.TempDir(), "capscore.yaml"), "format: csv\n")
	for _, run := range []struct {
		env  map[string]string
		args []string
	}{
		{map[string]string{"CAPSCORE_FORMAT": "csv"}, nil},
		{map[string]string{"CAPSCORE_FORMAT": "xlsx", "CAPSCORE_OUTPUT": "-"}, nil},
		{nil, []string{"--config", cfg}},
	} {
		for _, tt := range []struct {
			args  []string
			start string
		}{
			{[]string{"schema", "assessment"}, "{"},
			{[]string{"report"}, "<!DOCTYPE html>"},
		} {
			res := runCLI(t, run.env, append(slices.Clone(run.args), tt.args...)...)
			if res.code != ExitOK || !strings.HasPrefix(res.stdout, tt.start) {
				t.Errorf("%v %v %v: exit %d, stderr %q, stdout starts %.20q", run.env, run.args, tt.args, res.code, res.stderr, res.stdout)
			}
		}
	}
	_, stderr, stop := serve(t, map[string]string{"CAPSCORE_FORMAT": "csv", "CAPSCORE_OUTPUT": "page.html"}, "--addr", "127.0.0.1:0")
	if code := stop(); code != ExitOK {
		t.Errorf("serve with CAPSCORE_FORMAT: exit %d: %s", code, stderr.String())
	}
}

// A port in use is a failure (exit 1), not wrong usage; a malformed
// address is wrong usage.
func TestServeAddress(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	res := runCLI(t, nil, "serve", "--addr", ln.Addr().String())
	if res.code != ExitInvalid || !strings.Contains(res.stderr, "address already in use") ||
		!strings.Contains(res.stderr, "pick another port") || strings.Contains(res.stderr, "for usage") {
		t.Errorf("port in use: exit %d: %s", res.code, res.stderr)
	}
	for _, addr := range []string{"8080", "localhost:http-alt", "127.0.0.1:-1", "127.0.0.1:65536"} {
		res := runCLI(t, nil, "serve", "--addr", addr)
		if res.code != ExitUsage || !strings.Contains(res.stderr, "--addr "+addr) {
			t.Errorf("%s: exit %d: %s", addr, res.code, res.stderr)
		}
	}
}

func TestUsageHintAndFlagSuggestion(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"score", "--wieght", "offence=2"}, "capscore: unknown flag: --wieght (did you mean --weight?)\nRun 'capscore score --help' for usage.\n"},
		{[]string{"score", "--wieght=offence=2"}, "capscore: unknown flag: --wieght (did you mean --weight?)\n"},
		{[]string{"report", "--sensitivty"}, "capscore: unknown flag: --sensitivty (did you mean --sensitivity?)\nRun 'capscore report --help' for usage.\n"},
		{[]string{"weights", "ahp", "j.yaml", "--forse"}, "capscore: unknown flag: --forse (did you mean --force?)\nRun 'capscore weights ahp --help' for usage.\n"},
		{[]string{"score", "--zzzzzzzz"}, "capscore: unknown flag: --zzzzzzzz\nRun 'capscore score --help' for usage.\n"},
		{[]string{"explain"}, "Run 'capscore explain --help' for usage.\n"},
		{[]string{"wieghts"}, "capscore: unknown command \"wieghts\" for \"capscore\"\n  Did you mean this?\n    weights\nRun 'capscore --help' for usage.\n"},
	} {
		res := runCLI(t, nil, tt.args...)
		if res.code != ExitUsage || !strings.Contains(res.stderr, tt.want) {
			t.Errorf("%v: exit %d, stderr %q; want %q", tt.args, res.code, res.stderr, tt.want)
		}
	}
}

func TestPrintError(t *testing.T) {
	x, y := errors.New("x: first"), errors.New("y: second\n\tdetail")
	for _, tt := range []struct {
		err  error
		want string
	}{
		{errors.New("one line"), "capscore: one line\n"},
		{errors.New("head\n\nDid you mean this?\n\tscore\n"), "capscore: head\n  Did you mean this?\n    score\n"},
		{errors.Join(x, y), "capscore: x: first\ncapscore: y: second\n    detail\n"},
		{&usageError{errors.Join(x, y)}, "capscore: x: first\ncapscore: y: second\n    detail\n"},
		{fmt.Errorf("both: %w", errors.Join(x, y)), "capscore: both: x: first\n  y: second\n    detail\n"},
		{errors.New("bell \a here\nand \x1b]0;title\a"), "capscore: " + textsafe.Clean("bell \a here") + "\n  " + textsafe.Clean("and \x1b]0;title\a") + "\n"},
	} {
		var b bytes.Buffer
		printError(&b, tt.err)
		if b.String() != tt.want {
			t.Errorf("%q: got %q, want %q", tt.err, b.String(), tt.want)
		}
	}
}
