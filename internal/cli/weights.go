package cli

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/capscore/capscore/internal/ahp"
	"github.com/capscore/capscore/internal/diag"
	"github.com/capscore/capscore/internal/load"
	"github.com/capscore/capscore/internal/report"
	"github.com/capscore/capscore/internal/rubric"
	"github.com/capscore/capscore/internal/weights"
	"github.com/spf13/cobra"
)

type weightsOptions struct{}

func (a *app) newWeightsCmd(runF func(*weightsOptions) error) *cobra.Command {
	opts := &weightsOptions{}
	cmd := &cobra.Command{
		Use:   "weights",
		Short: "Show every effective weight and the layer that set it",
		Long: `Show the effective weight of every pillar and criterion: as set (relative),
normalised among its siblings, and as a share of the overall score, with the
layer that set it and where: the rubric file and line, the profile, the
config file, CAPSCORE_WEIGHTS or the --weight flag.

Layers apply in order, each overriding the one before: rubric default,
--profile NAME (the rubric's profiles, then the config file's), the config
file's weights, CAPSCORE_WEIGHTS="id=value,...", then --weight id=value
(repeatable). Keys are pillar or criterion ids.`,
		Example: `  capscore weights
  capscore weights --profile defence-first
  capscore weights --weight offence=2 --weight national-strategy=3
  CAPSCORE_WEIGHTS="offence=2,intelligence=1.5" capscore weights --format json
  capscore weights ahp judgements.yaml`,
		Args: args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if runF != nil {
				return runF(opts)
			}
			return a.runWeights()
		},
	}
	cmd.AddCommand(a.newWeightsAHPCmd(nil))
	return takesFormats(cmd, textFormats)
}

func (a *app) runWeights() error {
	f, err := a.format(textFormats...)
	if err != nil {
		return err
	}
	r, err := a.loadRubric()
	if err != nil {
		return err
	}
	w, err := a.resolveWeights(r)
	if err != nil {
		return err
	}
	doc := report.Weights{Rubric: r, Profile: a.profileInfo(r), Config: a.globals.cfgFile, Entries: w.Effective(r)}
	return a.withOutput(func(out io.Writer) error { return report.WriteWeights(out, f, doc) })
}

// profileInfo describes the --profile in force, nil when none; resolving
// the weights has already refused an unknown name.
func (a *app) profileInfo(r *rubric.Rubric) *report.ProfileInfo {
	name := a.globals.profile
	if name == "" {
		return nil
	}
	if p, ok := a.globals.profiles(r).Find(name); ok {
		return &report.ProfileInfo{Name: name, Reason: p.Reason, Source: p.Source}
	}
	return nil
}

type weightsAHPOptions struct {
	file        string
	force       bool
	saveProfile string
}

func (a *app) newWeightsAHPCmd(runF func(*weightsAHPOptions) error) *cobra.Command {
	opts := &weightsAHPOptions{}
	cmd := &cobra.Command{
		Use:   "ahp FILE",
		Short: "Derive weights from pairwise comparisons (analytic hierarchy process)",
		Long: `Derive weights from an analyst's pairwise comparisons on Saaty's 1–9 scale,
over the seven pillars or over one pillar's criteria. The weights are the
principal eigenvector of the comparison matrix; the consistency ratio
CR = CI/RI, with CI = (λmax − n)/(n − 1) and Saaty's random index RI (1.32
for the seven pillars), says how far the judgements contradict each other.
Above 0.10 the weights are refused unless --force; the least consistent
judgements are listed so they can be revisited.

FILE is YAML:

  over: pillars              # or a pillar id, to weigh its criteria
  comparisons:               # every pair once
    strategy>governance: 3   # strategy matters 3 times as much
    offence>strategy: 1/2    # offence matters half as much
    ...

or, instead of comparisons, a full reciprocal matrix, its rows and columns
in the rubric's order or in the order of an ids list:

  over: pillars
  ids: [strategy, governance, ...]
  matrix:
    - [1, 3, 1/2, ...]

--save-profile NAME writes the weights as a config file holding profile
NAME, for --config FILE --profile NAME or to paste into capscore.yaml.`,
		Example: `  capscore weights ahp judgements.yaml
  capscore weights ahp judgements.yaml --save-profile analyst -o analyst.yaml
  capscore --config analyst.yaml --profile analyst score`,
		Args: args(cobra.ExactArgs(1)),
		ValidArgsFunction: func(_ *cobra.Command, args []string, _ string) ([]string, cobra.ShellCompDirective) {
			if len(args) > 0 {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
			return []string{"yaml", "yml"}, cobra.ShellCompDirectiveFilterFileExt
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.file = args[0]
			if opts.saveProfile != "" && cmd.Flags().Changed("format") {
				return usagef("--save-profile writes a config file (YAML); drop --format")
			}
			if runF != nil {
				return runF(opts)
			}
			return a.runWeightsAHP(opts)
		},
	}
	cmd.Flags().BoolVar(&opts.force, "force", false, "give the weights even when the consistency ratio is above 0.10")
	cmd.Flags().StringVar(&opts.saveProfile, "save-profile", "", "write the weights as a config file with profile `NAME` instead of a table")
	return takesFormats(cmd, textFormats)
}

// maxDiscords is how many inconsistent judgements are shown.
const maxDiscords = 3

func (a *app) runWeightsAHP(opts *weightsAHPOptions) error {
	if opts.saveProfile != "" && !rubric.ValidID(opts.saveProfile) {
		return usagef("--save-profile %q: profile names are lowercase kebab-case, e.g. analyst-2026", opts.saveProfile)
	}
	var f report.Format
	if opts.saveProfile == "" {
		var err error
		if f, err = a.format(textFormats...); err != nil {
			return err
		}
	}
	r, err := a.loadRubric()
	if err != nil {
		return err
	}
	a.outputs.read(opts.file)
	data, err := load.ReadFile(opts.file)
	if err != nil {
		return err
	}
	j, diags := ahp.Parse(opts.file, data, r)
	a.warn(diags.Warnings())
	if diags.HasErrors() {
		return diags.Errors()
	}
	res, err := ahp.Solve(j.Matrix)
	if err != nil {
		return fmt.Errorf("%s: %w", opts.file, err)
	}
	w, err := a.resolveWeights(r)
	if err != nil {
		return err
	}
	doc := report.AHP{File: opts.file, Over: j.Over, IDs: j.IDs, Result: res, Current: current(w, j)}
	for _, d := range ahp.Discords(j.Matrix, res.Weights) {
		if len(doc.Discords) == maxDiscords || d.Factor < 1+1e-9 {
			break
		}
		// Quote each judgement the way round it was written.
		first, second := j.Written(d.I, d.J)
		doc.Discords = append(doc.Discords, report.Discord{Where: j.Pos[first][second].String(), First: j.IDs[first], Second: j.IDs[second],
			Judged: j.Matrix[first][second], Implied: res.Weights[first] / res.Weights[second], Factor: d.Factor})
	}
	if !res.Consistent() {
		if !opts.force {
			return inconsistent(opts.file, res, doc.Discords)
		}
		a.warn(diag.List{{Pos: diag.Pos{File: opts.file}, Severity: diag.Warning,
			Msg: fmt.Sprintf("consistency ratio %.4f is above %.2f; weights given because of --force", res.CR, ahp.MaxCR)}})
	}
	return a.withOutput(func(out io.Writer) error {
		if opts.saveProfile != "" {
			return report.WriteAHPProfile(out, opts.saveProfile, doc)
		}
		return report.WriteAHP(out, f, doc)
	})
}

// current returns the effective weights of the compared items, normalised
// among them.
func current(w *weights.Set, j *ahp.Judgements) []float64 {
	if j.Pillar < 0 {
		return weights.Normalize(w.Pillar)
	}
	return weights.Normalize(w.Criterion[j.Pillar])
}

func inconsistent(file string, res *ahp.Result, ds []report.Discord) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: consistency ratio %.4f is above %.2f (λmax %.4f, CI %.4f, RI %.2f): the judgements contradict each other too much to give weights",
		file, res.CR, ahp.MaxCR, res.LambdaMax, res.CI, res.RI)
	if len(ds) > 0 {
		b.WriteString("; revisit the least consistent:")
		for _, d := range ds {
			fmt.Fprintf(&b, "\n  %s: %s>%s judged %s, the other judgements imply %s", d.Where, d.First, d.Second, ahp.Format(d.Judged), ahp.Format(d.Implied))
		}
	}
	b.WriteString("\nor pass --force to accept them")
	return errors.New(b.String())
}
