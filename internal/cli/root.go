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

	"github.com/capscore/capscore/internal/diag"
	"github.com/capscore/capscore/internal/report"
	"github.com/spf13/cobra"
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
	// args is the command line as given, for a flag whose value may
	// follow it as the next argument (sensitivity --levels panel).
	args []string
}

// Main runs capscore with args and returns the exit status.
func Main(args []string, stdio IO, getenv func(string) (string, bool)) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return Run(ctx, args, stdio, getenv)
}

// Run is Main without signal handling, for tests.
func Run(ctx context.Context, args []string, stdio IO, getenv func(string) (string, bool)) int {
	a := &app{io: stdio, getenv: getenv}
	a.args = args
	root := a.newRoot()
	root.SetArgs(args)
	root.SetIn(stdio.In)
	root.SetOut(stdio.Out)
	root.SetErr(stdio.Err)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return ExitOK
	}
	if ctx.Err() != nil && errors.Is(err, ctx.Err()) {
		fmt.Fprintln(stdio.Err, "capscore: interrupted; nothing was written")
		return ExitInvalid
	}
	printError(stdio.Err, err)
	if isUsage(err) {
		fmt.Fprintln(stdio.Err, "Run 'capscore --help' for usage.")
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
	var l diag.List
	if errors.As(err, &l) {
		// Messages quote file names and text from input files: cleaned,
		// they cannot move the cursor or retitle the terminal.
		fmt.Fprintln(w, report.Clean(l.Error()))
		n := len(l.Errors())
		fmt.Fprintf(w, "capscore: %d error(s); fix them and run again\n", n)
		return
	}
	for _, line := range strings.Split(err.Error(), "\n") {
		fmt.Fprintln(w, "capscore: "+report.Clean(line))
	}
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
  2  wrong usage (unknown flag, malformed --weight)`

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
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return &usageError{err} })
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
	)
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
