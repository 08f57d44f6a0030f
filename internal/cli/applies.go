package cli

import (
	"strings"

	"github.com/capscore/capscore/internal/report"
	"github.com/spf13/cobra"
)

// The formats a command writes, each list named once: the command's run
// function checks --format against it and completion offers it, so the
// two cannot drift.
var (
	textFormats     = []report.Format{report.Table, report.Markdown, report.CSV, report.JSON}
	workbookFormats = []report.Format{report.Table, report.Markdown, report.CSV, report.JSON, report.XLSX}
	versionFormats  = []report.Format{report.Table, report.JSON}
)

// Annotations that say which of the global --format and --output a command
// takes. A command without them refuses the flag when it is given; a
// CAPSCORE_FORMAT, CAPSCORE_OUTPUT or config default is a default, not a
// demand, and is left unread by a command that has no use for it.
const (
	annFormats  = "capscore/formats"   // comma-separated formats
	annNoFormat = "capscore/no-format" // what the command writes instead
	annOutput   = "capscore/output"    // present: --output applies
	annNoOutput = "capscore/no-output" // why --output does not apply
)

// takesFormats records the formats cmd writes, and that it takes --output.
func takesFormats(cmd *cobra.Command, formats []report.Format) *cobra.Command {
	names := make([]string, len(formats))
	for i, f := range formats {
		names[i] = string(f)
	}
	annotate(cmd, annFormats, strings.Join(names, ","))
	return takesOutput(cmd)
}

// writesOnly records that cmd takes no --format because it writes one kind
// of output, said as in "writes HTML only".
func writesOnly(cmd *cobra.Command, what string) *cobra.Command {
	return annotate(cmd, annNoFormat, what)
}

// takesOutput records that cmd writes through --output.
func takesOutput(cmd *cobra.Command) *cobra.Command {
	return annotate(cmd, annOutput, "")
}

// writesNoFile records why cmd takes no --output, said as in "writes no file".
func writesNoFile(cmd *cobra.Command, why string) *cobra.Command {
	return annotate(cmd, annNoOutput, why)
}

func annotate(cmd *cobra.Command, key, value string) *cobra.Command {
	if cmd.Annotations == nil {
		cmd.Annotations = map[string]string{}
	}
	cmd.Annotations[key] = value
	return cmd
}

// commandFormats returns the formats cmd writes, none when it takes no
// --format.
func commandFormats(cmd *cobra.Command) []report.Format {
	s, ok := cmd.Annotations[annFormats]
	if !ok || s == "" {
		return nil
	}
	var out []report.Format
	for _, name := range strings.Split(s, ",") {
		out = append(out, report.Format(name))
	}
	return out
}

// checkApplies refuses --format and --output given to a command that does
// not take them, naming what the command writes instead.
func checkApplies(cmd *cobra.Command) error {
	// "report", "weights ahp": the message is printed after "capscore: ".
	name := strings.TrimPrefix(cmd.CommandPath(), cmd.Root().Name()+" ")
	if cmd.Flags().Changed("format") && commandFormats(cmd) == nil {
		if what, ok := cmd.Annotations[annNoFormat]; ok {
			return usagef("%s %s; drop --format", name, what)
		}
		return usagef("%s takes no --format; drop it", name)
	}
	if cmd.Flags().Changed("output") {
		if _, ok := cmd.Annotations[annOutput]; !ok {
			if why, ok := cmd.Annotations[annNoOutput]; ok {
				return usagef("%s %s; drop --output", name, why)
			}
			return usagef("%s takes no --output; drop it", name)
		}
	}
	return nil
}
