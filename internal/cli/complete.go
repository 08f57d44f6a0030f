package cli

import (
	"strings"

	"github.com/capscore/capscore/internal/load"
	"github.com/capscore/capscore/internal/report"
	"github.com/capscore/capscore/internal/rubric"
	"github.com/spf13/cobra"
)

// registerCompletions completes the values of the global flags: ids as
// `id=` after --weight, profile names after --profile, the formats the
// command writes after --format, and the fixed choices of --aggregation
// and --missing.
func (a *app) registerCompletions(root *cobra.Command) {
	for name, fn := range map[string]cobra.CompletionFunc{
		"weight":      a.completeWeight,
		"profile":     a.completeProfile,
		"format":      completeFormat,
		"aggregation": cobra.FixedCompletions([]string{string(rubric.Arithmetic), string(rubric.Geometric)}, cobra.ShellCompDirectiveNoFileComp),
		"missing":     cobra.FixedCompletions([]string{string(rubric.Exclude), string(rubric.Zero)}, cobra.ShellCompDirectiveNoFileComp),
		"rubric":      completeRubric,
		"config":      yamlFiles,
	} {
		// Fails only for a flag that does not exist, which the tests catch.
		_ = root.RegisterFlagCompletionFunc(name, fn)
	}
}

// completeInputsOf gives every command whose arguments are input files
// (its usage line says [FILE|DIR...] or FILE...) the completion of completeInputs,
// unless it has one of its own.
func completeInputsOf(root *cobra.Command) {
	for _, cmd := range root.Commands() {
		completeInputsOf(cmd)
		if cmd.ValidArgsFunction == nil && (strings.Contains(cmd.Use, "[FILE|DIR...]") || strings.Contains(cmd.Use, "FILE...")) {
			cmd.ValidArgsFunction = completeInputs
		}
	}
}

func yamlFiles(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
	return []string{"yaml", "yml"}, cobra.ShellCompDirectiveFilterFileExt
}

// completionRubric loads the rubric the command would use. Completion runs
// no pre-run hook, so the config file and CAPSCORE_* variables are read
// here; a broken config or rubric just completes nothing.
func (a *app) completionRubric(cmd *cobra.Command) *rubric.Rubric {
	_ = a.globals.load(a, cmd)
	r, _, err := load.Rubric(a.globals.rubric)
	if err != nil {
		return nil
	}
	return r
}

// completeFormat offers the formats the command writes: none for a
// command that takes no --format.
func completeFormat(cmd *cobra.Command, _ []string, _ string) ([]string, cobra.ShellCompDirective) {
	var out []string
	for _, f := range commandFormats(cmd) {
		if f == report.XLSX {
			out = append(out, cobra.CompletionWithDesc(string(f), "workbook; needs -o FILE.xlsx"))
			continue
		}
		out = append(out, string(f))
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}

// completeWeight offers `id=` for every pillar and criterion, with its title.
func (a *app) completeWeight(cmd *cobra.Command, _ []string, toComplete string) ([]string, cobra.ShellCompDirective) {
	if strings.Contains(toComplete, "=") {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	return a.completeID(cmd, toComplete, "="), cobra.ShellCompDirectiveNoSpace | cobra.ShellCompDirectiveNoFileComp
}

// completeExplain offers a pillar or criterion id first, then an
// assessment file.
func (a *app) completeExplain(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
	if len(args) > 0 {
		return completeInputs(cmd, args, toComplete)
	}
	return a.completeID(cmd, toComplete, ""), cobra.ShellCompDirectiveNoFileComp
}

// completeID lists the rubric's pillar ids, then its criterion ids, that
// start with prefix, each followed by suffix and described by its title.
func (a *app) completeID(cmd *cobra.Command, prefix, suffix string) []string {
	r := a.completionRubric(cmd)
	if r == nil {
		return nil
	}
	var out []string
	for _, p := range r.Pillars {
		if strings.HasPrefix(p.ID, prefix) {
			out = append(out, cobra.CompletionWithDesc(p.ID+suffix, p.Title))
		}
	}
	for _, p := range r.Pillars {
		for _, c := range p.Criteria {
			if strings.HasPrefix(c.ID, prefix) {
				out = append(out, cobra.CompletionWithDesc(c.ID+suffix, c.Title))
			}
		}
	}
	return out
}

// completeProfile offers the rubric's profiles, then the config file's,
// each with its reason.
func (a *app) completeProfile(cmd *cobra.Command, _ []string, toComplete string) ([]string, cobra.ShellCompDirective) {
	var out []string
	add := func(name, reason string) {
		if strings.HasPrefix(name, toComplete) {
			out = append(out, cobra.CompletionWithDesc(name, reason))
		}
	}
	if r := a.completionRubric(cmd); r != nil {
		for _, p := range r.Profiles {
			add(p.Name, p.Reason)
		}
	}
	if cw := a.globals.cfgWeights; cw != nil {
		for _, p := range cw.Profiles {
			add(p.Name, p.Reason)
		}
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}
