package cli

import (
	"strings"

	"github.com/capscore/capscore/internal/load"
	"github.com/capscore/capscore/internal/rubric"
	"github.com/spf13/cobra"
)

// registerCompletions completes the values of the global flags: ids as
// `id=` after --weight, profile names after --profile, and the fixed
// choices of --format, --aggregation and --missing.
func (a *app) registerCompletions(root *cobra.Command) {
	for name, fn := range map[string]cobra.CompletionFunc{
		"weight":      a.completeWeight,
		"profile":     a.completeProfile,
		"format":      cobra.FixedCompletions([]string{"table", "markdown", "csv", "json", "html"}, cobra.ShellCompDirectiveNoFileComp),
		"aggregation": cobra.FixedCompletions([]string{string(rubric.Arithmetic), string(rubric.Geometric)}, cobra.ShellCompDirectiveNoFileComp),
		"missing":     cobra.FixedCompletions([]string{string(rubric.Exclude), string(rubric.Zero)}, cobra.ShellCompDirectiveNoFileComp),
		"rubric":      yamlFiles,
		"config":      yamlFiles,
	} {
		// Fails only for a flag that does not exist, which the tests catch.
		_ = root.RegisterFlagCompletionFunc(name, fn)
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

// completeWeight offers `id=` for every pillar and criterion, with its title.
func (a *app) completeWeight(cmd *cobra.Command, _ []string, toComplete string) ([]string, cobra.ShellCompDirective) {
	if strings.Contains(toComplete, "=") {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	r := a.completionRubric(cmd)
	if r == nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	var out []string
	for _, p := range r.Pillars {
		if strings.HasPrefix(p.ID, toComplete) {
			out = append(out, cobra.CompletionWithDesc(p.ID+"=", p.Title))
		}
	}
	for _, p := range r.Pillars {
		for _, c := range p.Criteria {
			if strings.HasPrefix(c.ID, toComplete) {
				out = append(out, cobra.CompletionWithDesc(c.ID+"=", c.Title))
			}
		}
	}
	return out, cobra.ShellCompDirectiveNoSpace | cobra.ShellCompDirectiveNoFileComp
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
