// Package cli wires cobra commands and viper configuration to the engine.
// It holds no state beyond one invocation: everything a command needs is
// in the app value built by Main.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/capscore/capscore/internal/diag"
	"github.com/capscore/capscore/internal/report"
	"github.com/capscore/capscore/internal/report/textsafe"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// IO holds the streams a command reads and writes.
type IO struct {
	In  io.Reader
	Out io.Writer
	Err io.Writer
}

// Exit statuses, documented in the root help.
const (
	ExitOK      = 0
	ExitInvalid = 1
	ExitUsage   = 2
)

// usageError marks wrong usage: exit status 2.
type usageError struct{ err error }

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return e.err }

func usagef(format string, args ...any) error {
	return &usageError{fmt.Errorf(format, args...)}
}

// app is one invocation's context: streams, environment and settings.
type app struct {
	io      IO
	getenv  func(string) (string, bool)
	globals globals
	// ctx is the invocation's context, cancelled by an interrupt.
	ctx context.Context
	// out is io.Out, which remembers a failed write.
	out *latch
	// outputs is the --output file being written, if any.
	outputs *pendingOutput
	// args is the command line as given, for a flag whose value may
	// follow it as the next argument (sensitivity --levels panel).
	args []string
}

func newApp(stdio IO, getenv func(string) (string, bool)) *app {
	out := &latch{w: stdio.Out}
	return &app{io: IO{In: stdio.In, Out: out, Err: stdio.Err}, getenv: getenv, out: out, outputs: &pendingOutput{}}
}

// context is the invocation's context; never nil.
func (a *app) context() context.Context {
	if a.ctx == nil {
		return context.Background()
	}
	return a.ctx
}

// stopGrace is how long a command has to stop by itself after SIGINT or
// SIGTERM before Main ends it.
const stopGrace = 400 * time.Millisecond

// Main runs capscore with args and returns the exit status, ending the
// command on SIGINT or SIGTERM (see supervise).
func Main(args []string, stdio IO, getenv func(string) (string, bool)) int {
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sigs)
	a := newApp(stdio, getenv)
	return a.supervise(sigs, stopGrace, func(ctx context.Context) int { return a.run(ctx, args) })
}

// supervise runs cmd and returns its exit status. The first signal cancels
// cmd's context; if cmd has not returned within grace, or at a second
// signal, supervise returns without it, once no --output file can appear
// any more.
func (a *app) supervise(sigs <-chan os.Signal, grace time.Duration, cmd func(context.Context) int) int {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan int, 1)
	go func() { done <- cmd(ctx) }()
	select {
	case code := <-done:
		return code
	case <-sigs:
		cancel()
	}
	timer := time.NewTimer(grace)
	defer timer.Stop()
	select {
	case code := <-done:
		return code
	case <-sigs:
	case <-timer.C:
	}
	if a.outputs.abandon() {
		// The output was already in place: the command is all but done.
		return <-done
	}
	fmt.Fprintln(a.io.Err, "capscore: interrupted; nothing was written")
	return ExitInvalid
}

// Run is Main without signal handling, for tests.
func Run(ctx context.Context, args []string, stdio IO, getenv func(string) (string, bool)) int {
	return newApp(stdio, getenv).run(ctx, args)
}

func (a *app) run(ctx context.Context, args []string) int {
	a.ctx = ctx
	a.args = args
	stderr := a.io.Err
	root := a.newRoot()
	root.SetArgs(args)
	root.SetIn(a.io.In)
	root.SetOut(a.io.Out)
	root.SetErr(stderr)
	cmd, err := root.ExecuteContextC(ctx)
	if werr := a.out.failed(); werr != nil {
		// Whatever the command made of it, a failed write fails the run.
		serr := fmt.Errorf("standard output: %w; the output is incomplete", unwrapPath(werr))
		if err == nil || errors.Is(err, werr) {
			err = serr
		} else {
			err = errors.Join(err, serr)
		}
	}
	if err == nil {
		return ExitOK
	}
	if ctx.Err() != nil && (errors.Is(err, ctx.Err()) || errors.Is(err, errInterrupted)) {
		fmt.Fprintln(stderr, "capscore: interrupted; nothing was written")
		return ExitInvalid
	}
	printError(stderr, err)
	if isUsage(err) {
		fmt.Fprintln(stderr, usageHint(cmd))
		return ExitUsage
	}
	return ExitInvalid
}

func isUsage(err error) bool {
	var ue *usageError
	if errors.As(err, &ue) {
		return true
	}
	msg := err.Error()
	return strings.HasPrefix(msg, "unknown command") || strings.HasPrefix(msg, "unknown flag") ||
		strings.HasPrefix(msg, "unknown shorthand flag") || strings.Contains(msg, "flag needs an argument") ||
		strings.Contains(msg, "flags in the group") || strings.HasPrefix(msg, "required flag")
}

// printError prints every line of an error, a diagnostic list as one
// problem per line, never a stack trace.
func printError(w io.Writer, err error) {
	// Problems joined into one error are each printed as an error, unless
	// something wraps them with words of its own.
	var joined interface{ Unwrap() []error }
	if errors.As(err, &joined) {
		if e, ok := joined.(error); ok && e.Error() == err.Error() {
			for _, e := range joined.Unwrap() {
				printError(w, e)
			}
			return
		}
	}
	var l diag.List
	if errors.As(err, &l) {
		// Messages quote file names and text from input files: cleaned,
		// they cannot move the cursor or retitle the terminal.
		fmt.Fprintln(w, textsafe.Clean(l.Error()))
		n := len(l.Errors())
		fmt.Fprintf(w, "capscore: %d error(s); fix them and run again\n", n)
		return
	}
	// The first line carries the prefix; the lines that continue it (a
	// list of suggestions, a wrapped list of problems) are indented under
	// it, and blank ones are dropped.
	for i, line := range strings.Split(err.Error(), "\n") {
		line = strings.TrimRight(line, " \t")
		switch {
		case i == 0:
			fmt.Fprintln(w, "capscore: "+textsafe.Clean(line))
		case line != "":
			fmt.Fprintln(w, "  "+textsafe.Clean(strings.ReplaceAll(line, "\t", "  ")))
		}
	}
}

// usageHint points at the help of the command that was misused, or the
// root's when the command itself is unknown.
func usageHint(cmd *cobra.Command) string {
	path := "capscore"
	if cmd != nil {
		path = cmd.CommandPath()
	}
	return "Run '" + path + " --help' for usage."
}

const rootLong = `capscore scores national cyber capability: it applies a rubric (seven
pillars of criteria, each judged on an ordinal scale) to an assessment (the
evidence for one country at one date) and prints weighted scores, tiers and
comparisons. Every number traces back to cited evidence and every weight to
the layer that set it.

Settings come from flags, then CAPSCORE_* environment variables, then the
config file (--config, ./capscore.yaml or the user config directory), then
defaults. Weights come in layers: rubric default, --profile, config weights,
CAPSCORE_WEIGHTS, --weight.

Exit status:
  0  success (warnings go to stderr)
  1  the input is invalid or the command failed
  2  wrong usage (unknown flag, malformed --weight, a flag the command
     does not take)`

func (a *app) newRoot() *cobra.Command {
	root := &cobra.Command{
		Use:           "capscore",
		Short:         "Score national cyber capability against a seven-pillar rubric",
		Long:          rootLong,
		SilenceErrors: true,
		SilenceUsage:  true,
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			if cmd == cmd.Root() {
				// Only --version and help run here; neither reads settings.
				return nil
			}
			if err := checkApplies(cmd); err != nil {
				return err
			}
			return a.globals.load(a, cmd)
		},
		RunE: func(cmd *cobra.Command, _ []string) error {
			if v, _ := cmd.Flags().GetBool("version"); v {
				return a.printVersion(report.Table)
			}
			return cmd.Help()
		},
	}
	root.Flags().Bool("version", false, "print the version, VCS revision, Go version and bundled rubric")
	root.SetFlagErrorFunc(flagError)
	a.globals.register(root)
	a.registerCompletions(root)
	root.AddCommand(
		a.newScoreCmd(nil),
		a.newValidateCmd(nil),
		a.newExplainCmd(nil),
		a.newSchemaCmd(),
		a.newWeightsCmd(nil),
		a.newReportCmd(nil),
		a.newServeCmd(nil),
		a.newCompareCmd(nil),
		a.newSensitivityCmd(nil),
		a.newNewCmd(nil),
		a.newAgreeCmd(nil),
		a.newAuditCmd(nil),
		a.newVersionCmd(),
		a.newDocsCmd(),
		a.newExportCmd(nil),
	)
	completeInputsOf(root)
	return root
}

// args wraps a cobra argument check so its failure is a usage error.
func args(check cobra.PositionalArgs) cobra.PositionalArgs {
	return func(cmd *cobra.Command, a []string) error {
		if err := check(cmd, a); err != nil {
			return &usageError{err}
		}
		return nil
	}
}

// flagError makes a flag parsing error a usage error, suggesting the
// nearest of the command's flags for one it does not know:
// "unknown flag: --wieght (did you mean --weight?)".
func flagError(cmd *cobra.Command, err error) error {
	const unknown = "unknown flag: --"
	msg := err.Error()
	if name, ok := strings.CutPrefix(msg, unknown); ok {
		name, _, _ = strings.Cut(name, "=")
		var names []string
		cmd.Flags().VisitAll(func(f *pflag.Flag) {
			if !f.Hidden {
				names = append(names, f.Name)
			}
		})
		if s := diag.Suggest(name, names); s != "" {
			err = fmt.Errorf("%s (did you mean --%s?)", msg, s)
		}
	}
	return &usageError{err}
}
