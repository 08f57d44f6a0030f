package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/capscore/capscore/internal/assessment"
	"github.com/capscore/capscore/internal/compare"
	"github.com/capscore/capscore/internal/diag"
	"github.com/capscore/capscore/internal/load"
	"github.com/capscore/capscore/internal/report"
	"github.com/capscore/capscore/internal/report/textfmt"
	"github.com/capscore/capscore/internal/report/textsafe"
	"github.com/capscore/capscore/internal/report/xlsx"
	"github.com/capscore/capscore/internal/rubric"
	"github.com/capscore/capscore/internal/weights"
	"github.com/spf13/cobra"
)

type compareOptions struct {
	args     []string
	profiles []string
	profileA string
	profileB string
	weightsA string
	weightsB string
	rubricA  string
	rubricB  string
	against  string
	detail   bool
}

const compareLong = `Set assessments side by side: one table with the pillars as rows and a
column per assessment, each column after the first followed by its change
(Δ), then the overall score and the tier. For every step from one column to
the next it prints the split of the overall's change into evidence and
weights, and every finding that changed: stated and credited level, the
change in that criterion's contribution to the overall, confidence, the
finding's change note, and the evidence added and removed with its sources.

Arguments are assessment files, folders, bundled names (japan@2021,
bundled:assessments/japan/2021.yaml: see capscore export --help), or
country names or codes. A country (japan, JPN) picks every revision of that
country among the files and folders named and the bundled assessments,
ordered by as_of; a file named of the same country and revision as a
bundled one stands in for it. Files are otherwise compared in the order
given.

--against previous (the default) takes each column against the one before
it, which reads a chain of revisions step by step; --against first takes
every column against the first, a common baseline.

Weights: the global --profile and --weight apply to every column.
--profile-a/--weights-a set the first column's weights and --profile-b/
--weights-b every other column's: a column's profile takes the place of
--profile, under the config file's weights, CAPSCORE_WEIGHTS and --weight,
and a column's weights apply after every --weight; the evidence
and weights parts of each change are a symmetric (Shapley) split that sums
to the change. One assessment with any of these options is compared with
itself: a column under the -a weights and one under the -b weights, so the
evidence part is 0 and the whole change is the weights'. --profiles LIST
scores each assessment once per profile.

--detail adds each pillar's weight (its share of the overall) and its
contribution to the overall (in points) to every column, and the change of
the contribution to every column after the first, so a change of weights
shows pillar by pillar. JSON always holds them.

Rubrics: --rubric-a and --rubric-b (default: --rubric) score the first and
the other columns with different rubrics. When two columns' rubrics differ
in version or criteria, or an assessment names a rubric_version other than
the rubric it is scored with, compare warns on stderr and lists the criteria
that are not comparable.`

func (a *app) newCompareCmd(runF func(*compareOptions) error) *cobra.Command {
	opts := &compareOptions{}
	cmd := &cobra.Command{
		Use:   "compare A B [...] | compare COUNTRY",
		Short: "Compare revisions, countries or weightings side by side",
		Long:  compareLong,
		Example: `  capscore compare assessments/japan/2021.yaml assessments/japan/2025.yaml
  capscore compare japan
  capscore compare assessments/japan/2021.yaml --profiles equal,defence-first,military
  capscore compare japan --weights-b offence=2
  capscore compare assessments/japan/2021.yaml --profile-b military --detail
  capscore compare old.yaml new.yaml --rubric-a rubric-1.0.yaml --rubric-b rubric-1.1.yaml
  capscore compare japan --format csv --output japan.csv`,
		Args: args(cobra.MinimumNArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.args = args
			if runF != nil {
				return runF(opts)
			}
			return a.runCompare(cmd.Context(), opts)
		},
		ValidArgsFunction: completeInputs,
	}
	f := cmd.Flags()
	f.StringSliceVar(&opts.profiles, "profiles", nil, "score each assessment under each of these profiles (comma-separated `LIST`)")
	f.StringVar(&opts.profileA, "profile-a", "", "profile for the first column")
	f.StringVar(&opts.profileB, "profile-b", "", "profile for every other column")
	f.StringVar(&opts.weightsA, "weights-a", "", "weights for the first column, `id=value,...`")
	f.StringVar(&opts.weightsB, "weights-b", "", "weights for every other column, `id=value,...`")
	f.StringVar(&opts.rubricA, "rubric-a", "", "rubric `FILE` for the first column (default: --rubric)")
	f.StringVar(&opts.rubricB, "rubric-b", "", "rubric `FILE` for every other column (default: --rubric)")
	f.StringVar(&opts.against, "against", string(compare.Previous), "take each change against the previous column or the first")
	f.BoolVar(&opts.detail, "detail", false, "show each pillar's weight and contribution to the overall in every column")
	for name, fn := range map[string]cobra.CompletionFunc{
		"profiles":  a.completeProfile,
		"profile-a": a.completeProfile,
		"profile-b": a.completeProfile,
		"weights-a": a.completeWeight,
		"weights-b": a.completeWeight,
		"rubric-a":  completeRubric,
		"rubric-b":  completeRubric,
		"against":   cobra.FixedCompletions([]string{string(compare.Previous), string(compare.First)}, cobra.ShellCompDirectiveNoFileComp),
	} {
		// Fails only for a flag that does not exist, which the tests catch.
		_ = cmd.RegisterFlagCompletionFunc(name, fn)
	}
	return takesFormats(cmd, workbookFormats)
}

func (a *app) runCompare(ctx context.Context, opts *compareOptions) error {
	f, err := a.format(workbookFormats...)
	if err != nil {
		return err
	}
	if err := a.needFile(f); err != nil {
		return err
	}
	opt, err := a.options()
	if err != nil {
		return err
	}
	if len(opts.profiles) > 0 && (opts.profileA != "" || opts.profileB != "") {
		return usagef("--profiles sets every column's profile; drop --profile-a and --profile-b, or --profiles")
	}
	against, err := compare.ParseAgainst(opts.against)
	if err != nil {
		return usagef("--%w", err)
	}
	paths, countries := splitArgs(opts.args)
	as, err := a.parseAssessments(ctx, paths)
	if err != nil {
		return err
	}
	if as, err = selectCountries(as, countries); err != nil {
		return err
	}
	rubricFor, err := a.compareRubrics(opts)
	if err != nil {
		return err
	}
	sides, err := a.compareSides(as, opts, rubricFor)
	if err != nil {
		return err
	}
	if len(sides) < 2 {
		return usagef("compare needs two columns or more: name two assessments, a country with several revisions, --profiles, or other weights with --profile-b or --weights-b; got %d", len(sides))
	}
	if err := validateSides(a, sides); err != nil {
		return err
	}
	c := compare.Compare(sides, compare.Options{Score: opt, Against: against})
	a.reportCompareWarnings(c)
	return a.withOutput(func(out io.Writer) error {
		if f == report.XLSX {
			return xlsx.WriteComparison(out, xlsx.Comparison{Comparison: c, Sides: sides,
				Options: opt.Resolve(sides[0].Rubric), Profile: a.globals.profile, Config: a.globals.cfgFile})
		}
		cl := report.ComparisonLayers{Layers: a.layers()}
		for _, s := range sides {
			cl.Columns = append(cl.Columns, textfmt.LabelledWeights{Label: s.Label, Rubric: s.Rubric, Weights: s.Weights})
		}
		return report.WriteComparison(out, f, c, report.ComparisonOptions{Detail: opts.detail, Layers: cl})
	})
}

// splitArgs tells files, folders and bundled names from country names. A
// country name or code that names bundled assessments (japan, JPN) adds
// them to the paths, so that the country is picked among the files named
// and its bundled revisions alike.
func splitArgs(args []string) (paths, countries []string) {
	for _, s := range args {
		if load.IsBundled(s) || strings.Contains(s, "@") || fileOrDir(s) || strings.ContainsAny(s, `/\`) || strings.HasSuffix(s, ".yaml") || strings.HasSuffix(s, ".yml") {
			paths = append(paths, s)
			continue
		}
		countries = append(countries, s)
		if load.IsShortName(s) {
			paths = append(paths, s)
		}
	}
	return paths, countries
}

// parseAssessments reads and parses the named files, folders and bundled
// names; rubric files and config files in a folder are skipped.
// Validation waits until each assessment's rubric is known.
func (a *app) parseAssessments(ctx context.Context, paths []string) ([]*assessment.Assessment, error) {
	inputs, err := a.readInputs(ctx, paths)
	if err != nil {
		return nil, err
	}
	var keep []load.Input
	for _, in := range inputs {
		if load.Sniff(in.Data) != load.RubricFile && filepath.Base(in.Name) != "capscore.yaml" {
			keep = append(keep, in)
		}
	}
	var out []*assessment.Assessment
	var all diag.List
	// Parsed only (no rubric): each column's rubric validates it later.
	err = load.StreamInputs(ctx, keep, nil, func(l load.Loaded) error {
		all = append(all, l.Diags...)
		if l.Assessment != nil {
			out = append(out, l.Assessment)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if all.HasErrors() {
		a.warn(all.Warnings())
		return nil, all.Errors()
	}
	if len(out) == 0 {
		return nil, errNoAssessments(paths)
	}
	return out, nil
}

// selectCountries keeps the assessments of the named countries (by name or
// code, any case), each country's revisions ordered by as_of. A bundled
// revision is left out when a file named has the same country and
// revision: the file named is that revision's newer copy.
func selectCountries(as []*assessment.Assessment, countries []string) ([]*assessment.Assessment, error) {
	if len(countries) == 0 {
		return as, nil
	}
	named := map[[2]string]bool{}
	for _, x := range as {
		if !load.IsBundled(x.File) {
			named[[2]string{x.Code, x.Revision}] = true
		}
	}
	var out []*assessment.Assessment
	seen := map[string]bool{} // by file: japan and JPN name the same files
	for _, want := range countries {
		var found []*assessment.Assessment
		for _, x := range as {
			if (strings.EqualFold(x.Country, want) || strings.EqualFold(x.Code, want)) && !seen[x.File] &&
				!(load.IsBundled(x.File) && named[[2]string{x.Code, x.Revision}]) {
				found = append(found, x)
				seen[x.File] = true
			}
		}
		if len(found) == 0 {
			return nil, fmt.Errorf("%q: no such file or folder, and no assessment of that country among the files named or bundled; countries: %s", want, countryList(as))
		}
		sort.SliceStable(found, func(i, j int) bool {
			if c := found[i].AsOf.Compare(found[j].AsOf); c != 0 {
				return c < 0
			}
			return found[i].File < found[j].File
		})
		out = append(out, found...)
	}
	return out, nil
}

// countryList names the countries of as, then the bundled ones.
func countryList(as []*assessment.Assessment) string {
	seen := map[string]bool{}
	var names []string
	for _, x := range as {
		n := fmt.Sprintf("%s (%s)", x.Country, x.Code)
		if !seen[n] {
			seen[n] = true
			names = append(names, n)
		}
	}
	sort.Strings(names)
	var bundled []string
	for _, s := range load.ShortNames() {
		if !strings.Contains(s[0], "@") {
			bundled = append(bundled, s[0])
		}
	}
	list := strings.Join(names, ", ")
	if len(bundled) > 0 {
		list += "; bundled: " + strings.Join(bundled, ", ")
	}
	return list
}

// compareRubrics loads the rubric of the first column and of the others;
// one file named twice is loaded once, so the two sides share it.
func (a *app) compareRubrics(opts *compareOptions) (func(col int) *rubric.Rubric, error) {
	loaded := map[string]*rubric.Rubric{}
	get := func(file string) (*rubric.Rubric, error) {
		if file == "" {
			file = a.globals.rubric
		}
		if r, ok := loaded[file]; ok {
			return r, nil
		}
		r, warns, err := load.Rubric(file)
		a.outputs.read(file)
		a.warn(warns)
		if err != nil && file == a.globals.rubric {
			return nil, a.globals.fileError("rubric", err)
		} else if err != nil {
			return nil, err
		}
		loaded[file] = r
		return r, nil
	}
	ra, err := get(opts.rubricA)
	if err != nil {
		return nil, err
	}
	rb, err := get(opts.rubricB)
	if err != nil {
		return nil, err
	}
	return func(col int) *rubric.Rubric {
		if col == 0 {
			return ra
		}
		return rb
	}, nil
}

// compareSides builds one column per assessment, or per assessment and
// profile with --profiles, each with its rubric and weights. One
// assessment with a side's profile, weights or rubric makes two columns of
// it, the first side's and the other's.
func (a *app) compareSides(as []*assessment.Assessment, opts *compareOptions, rubricFor func(int) *rubric.Rubric) ([]compare.Side, error) {
	var sides []compare.Side
	if len(as) == 1 && len(opts.profiles) == 0 && opts.sided() {
		as = []*assessment.Assessment{as[0], as[0]}
	}
	add := func(x *assessment.Assessment, profile, extra, extraFlag string) error {
		col := len(sides)
		r := rubricFor(col)
		w, err := a.sideWeights(r, profile, extra, extraFlag)
		if err != nil {
			return err
		}
		label := x.Label()
		if profile != "" {
			label += " · " + profile
		}
		if extra != "" {
			label += " · " + extra
		}
		if col > 0 && x == sides[0].Assessment && r != sides[0].Rubric {
			label += " · " + r.ID + " " + r.Version
		}
		sides = append(sides, compare.Side{Label: label, Profile: profile, Rubric: r, Assessment: x, Weights: w})
		return nil
	}
	for i, x := range as {
		if len(opts.profiles) > 0 {
			for _, p := range opts.profiles {
				extra, flag := opts.weightsB, "--weights-b"
				if len(sides) == 0 {
					extra, flag = opts.weightsA, "--weights-a"
				}
				if err := add(x, strings.TrimSpace(p), extra, flag); err != nil {
					return nil, err
				}
			}
			continue
		}
		profile, extra, flag := opts.profileB, opts.weightsB, "--weights-b"
		if i == 0 {
			profile, extra, flag = opts.profileA, opts.weightsA, "--weights-a"
		}
		if err := add(x, profile, extra, flag); err != nil {
			return nil, err
		}
	}
	return sides, nil
}

// sided reports whether a per-side option is set, which gives one
// assessment a second column.
func (o *compareOptions) sided() bool {
	return o.profileA != "" || o.profileB != "" || o.weightsA != "" || o.weightsB != "" || o.rubricA != "" || o.rubricB != ""
}

// sideWeights resolves one column's weights through the stack of the
// settings: the column's profile (--profile-a/-b, or one of --profiles),
// when given, takes the place of --profile, under the config file's
// weights, CAPSCORE_WEIGHTS and --weight as --profile would be; the
// column's own weights (--weights-a/-b) are a named layer over the flags.
func (a *app) sideWeights(r *rubric.Rubric, profile, extra, flag string) (*weights.Set, error) {
	var st weights.Stack
	var err error
	if profile == "" {
		st, err = a.weightStack(r)
	} else {
		p, perr := a.globals.findProfile(r, profile)
		if perr != nil {
			// Worded as for --profile: a column's profile is a flag too.
			return nil, usagef("--%w", perr)
		}
		st, err = a.stackWith(r, p)
	}
	if err != nil {
		return nil, err
	}
	if extra != "" {
		ov, err := weights.ParseList(extra, weights.Origin{Layer: weights.Flag, Source: flag + " " + extra})
		if err != nil {
			return nil, usagef("%s: %w", flag, err)
		}
		st.Extra = []weights.NamedLayer{{Name: flag, Weights: ov}}
	}
	return resolveStack(st)
}

// validateSides checks each assessment against the rubric of its column,
// once per pair, and fails after reporting every problem.
func validateSides(a *app, sides []compare.Side) error {
	type pair struct {
		r *rubric.Rubric
		x *assessment.Assessment
	}
	seen := map[pair]bool{}
	var all diag.List
	for _, s := range sides {
		k := pair{s.Rubric, s.Assessment}
		if seen[k] {
			continue
		}
		seen[k] = true
		all = append(all, assessment.Validate(s.Assessment, s.Rubric)...)
	}
	all.Sort()
	a.warn(all.Warnings())
	if all.HasErrors() {
		return all.Errors()
	}
	return nil
}

// reportCompareWarnings prints the comparison's warnings and each scored
// assessment's, once per file.
func (a *app) reportCompareWarnings(c *compare.Comparison) {
	seen := map[string]bool{}
	for _, col := range c.Columns {
		for _, d := range col.Result.Diagnostics() {
			key := col.File + "\x00" + d.Msg
			if !seen[key] {
				seen[key] = true
				a.warn(diag.List{d})
			}
		}
	}
	for _, msg := range c.Warnings {
		fmt.Fprintln(a.io.Err, "warning: "+textsafe.Clean(msg))
	}
}

// completeInputs offers, for an argument that takes assessment files, the
// bundled countries by name and by code, their revisions once a country
// and @ are typed (japan@2021), the bundled:… names once b is typed, then
// the folders and YAML files on disk that start with what is typed.
func completeInputs(_ *cobra.Command, _ []string, toComplete string) ([]string, cobra.ShellCompDirective) {
	return completeNames(toComplete, false)
}

// completeRubric is completeInputs for a rubric: its short names
// (iiss-seven-pillars@1.0.0) and bundled:rubrics/… names.
func completeRubric(_ *cobra.Command, _ []string, toComplete string) ([]string, cobra.ShellCompDirective) {
	return completeNames(toComplete, true)
}

func completeNames(toComplete string, rubrics bool) ([]string, cobra.ShellCompDirective) {
	var out []string
	if !strings.ContainsAny(toComplete, `/\`) && !rubrics {
		out = append(out, countryCompletions(toComplete)...)
	}
	if strings.Contains(toComplete, "@") || rubrics {
		for _, s := range load.ShortNames() {
			isRubric := strings.HasPrefix(s[1], load.Bundled+"rubrics/")
			if strings.Contains(s[0], "@") && isRubric == rubrics && strings.HasPrefix(strings.ToLower(s[0]), strings.ToLower(toComplete)) {
				out = append(out, cobra.CompletionWithDesc(toComplete+s[0][len(toComplete):], s[1]))
			}
		}
	}
	if toComplete != "" && (strings.HasPrefix(load.Bundled, toComplete) || load.IsBundled(toComplete)) {
		for _, name := range load.BundledNames() {
			if strings.HasPrefix(name, toComplete) && strings.HasPrefix(name, load.Bundled+"rubrics/") == rubrics {
				out = append(out, cobra.CompletionWithDesc(name, "bundled file"))
			}
		}
	}
	files, dirs := yamlEntries(toComplete)
	out = append(out, dirs...)
	out = append(out, files...)
	directive := cobra.ShellCompDirectiveNoFileComp
	if len(dirs) > 0 && len(dirs) == len(out) {
		// A folder is completed further, not ended with a space.
		directive |= cobra.ShellCompDirectiveNoSpace
	}
	return out, directive
}

// countryCompletions lists each bundled country's name (in lower case) and
// code that start with prefix in any case, described by its revisions. A
// candidate keeps the case of the prefix, since the shell matches it
// exactly: "JA" gives JAPAN, "jp" gives jpn.
func countryCompletions(prefix string) []string {
	type country struct {
		name, code string
		revisions  []string
	}
	var list []*country
	byName := map[string]*country{}
	for _, in := range load.BundledAssessments() {
		x, ds := assessment.Parse(in.Name, in.Data)
		if x == nil || ds.HasErrors() {
			continue
		}
		c := byName[x.Country]
		if c == nil {
			c = &country{name: x.Country, code: x.Code}
			byName[x.Country] = c
			list = append(list, c)
		}
		c.revisions = append(c.revisions, x.Revision)
	}
	sort.Slice(list, func(i, j int) bool { return list[i].name < list[j].name })
	var out []string
	for _, c := range list {
		desc := fmt.Sprintf("%s (%s), bundled revisions %s", c.name, c.code, strings.Join(c.revisions, ", "))
		for _, form := range []string{strings.ToLower(c.name), c.code} {
			if len(form) < len(prefix) || !strings.EqualFold(form[:len(prefix)], prefix) {
				continue
			}
			switch {
			case prefix == "" || strings.HasPrefix(form, prefix):
			case prefix == strings.ToUpper(prefix):
				form = strings.ToUpper(form)
			case prefix == strings.ToLower(prefix):
				form = strings.ToLower(form)
			default:
				form = prefix + form[len(prefix):]
			}
			out = append(out, cobra.CompletionWithDesc(form, desc))
		}
	}
	return out
}

// yamlEntries lists the YAML files and the folders (ending in /) whose
// path starts with prefix; hidden ones only when prefix names them.
func yamlEntries(prefix string) (files, dirs []string) {
	dir, base := "", prefix
	if i := strings.LastIndexAny(prefix, `/\`); i >= 0 {
		dir, base = prefix[:i+1], prefix[i+1:]
	}
	read := dir
	if read == "" {
		read = "."
	}
	entries, err := os.ReadDir(read)
	if err != nil {
		return nil, nil
	}
	for _, e := range entries {
		name := e.Name()
		if !strings.HasPrefix(name, base) || strings.HasPrefix(name, ".") && !strings.HasPrefix(base, ".") {
			continue
		}
		isDir := e.IsDir()
		if e.Type()&os.ModeSymlink != 0 {
			if fi, err := os.Stat(filepath.Join(read, name)); err == nil {
				isDir = fi.IsDir()
			}
		}
		path := dir + name
		if load.IsBundled(path) {
			path = "./" + path // a file on disk, not a bundled name
		}
		switch {
		case isDir:
			dirs = append(dirs, path+"/")
		case strings.HasSuffix(name, ".yaml") || strings.HasSuffix(name, ".yml"):
			files = append(files, path)
		}
	}
	return files, dirs
}
