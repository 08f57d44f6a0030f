package cli

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/capscore/capscore/internal/diag"
	"github.com/capscore/capscore/internal/load"
	"github.com/capscore/capscore/internal/report"
	"github.com/capscore/capscore/internal/report/textfmt"
	"github.com/capscore/capscore/internal/report/textsafe"
	"github.com/capscore/capscore/internal/rubric"
	"github.com/capscore/capscore/internal/score"
	"github.com/capscore/capscore/internal/weights"
	"github.com/capscore/capscore/internal/yamlread"
	"github.com/spf13/cobra"
	"github.com/spf13/viper"
	"go.yaml.in/yaml/v3"
)

// globals are the settings every command shares.
type globals struct {
	rubric      string
	config      string
	profile     string
	weights     []string
	format      string
	output      string
	aggregation string
	missing     string
	noConfig    bool

	cfg     *viper.Viper // nil when there is no config file
	cfgFile string
	// cfgSHA256 is the SHA-256 of the config file's bytes as read.
	cfgSHA256 string
	// rubricIn names the rubric loadRubric read, with its SHA-256.
	rubricIn load.Input
	// cfgWeights holds the config file's weights and profiles, read with
	// positions (viper would fold their keys' case and split them on dots).
	cfgWeights *weights.ConfigFile
	// origin says where each setting not left at its default came from, so
	// a bad value is blamed on the flag, variable or file that set it.
	origin map[string]source
	// cfgAt is where each setting of the config file is written; a setting
	// left empty (null) there is not in it.
	cfgAt map[string]diag.Pos
	// configFrom names what chose the config file: "--config",
	// "CAPSCORE_CONFIG" or "" when it was found in a standard place.
	configFrom string
}

// source is where one setting came from: a flag, a CAPSCORE_ variable, or
// a place in the config file.
type source struct {
	flag bool
	env  string   // the variable's name
	at   diag.Pos // the value's place in the config file
}

// settingKeys are the config file's keys; each but weights and profiles
// also has a flag and a CAPSCORE_ variable.
func settingKeys() []string {
	return []string{"rubric", "profile", "format", "aggregation", "missing", "weights", "profiles"}
}

func (g *globals) register(root *cobra.Command) {
	f := root.PersistentFlags()
	f.StringVar(&g.rubric, "rubric", "", "rubric `FILE` (default: the bundled seven-pillar rubric)")
	f.StringVar(&g.config, "config", "", "config `FILE` (default: ./capscore.yaml, then the user config directory)")
	f.BoolVar(&g.noConfig, "no-config", false, "read no config file (also CAPSCORE_NO_CONFIG=1)")
	f.StringVar(&g.profile, "profile", "", "named weight profile from the rubric or the config file")
	f.StringArrayVar(&g.weights, "weight", nil, "override a pillar or criterion weight, `id=value` (repeatable)")
	f.StringVar(&g.format, "format", "table", "output format: table, markdown, csv or json; xlsx (score, compare, sensitivity) with -o")
	f.StringVarP(&g.output, "output", "o", "", "write to `FILE` atomically instead of standard output")
	f.StringVar(&g.aggregation, "aggregation", "", "pillars to overall: arithmetic or geometric (default: the rubric's)")
	f.StringVar(&g.missing, "missing", "", "criteria without a finding: exclude or zero (default: the rubric's)")
}

// load reads the config file and fills every setting not given as a flag
// from the environment, then the config file.
func (g *globals) load(a *app, cmd *cobra.Command) error {
	if err := g.readConfig(a, cmd); err != nil {
		return err
	}
	g.origin = map[string]source{}
	for _, s := range []struct {
		name string
		dst  *string
	}{{"rubric", &g.rubric}, {"profile", &g.profile}, {"format", &g.format}, {"output", &g.output},
		{"aggregation", &g.aggregation}, {"missing", &g.missing}} {
		if cmd.Flags().Changed(s.name) {
			g.origin[s.name] = source{flag: true}
			continue
		}
		env := "CAPSCORE_" + strings.ToUpper(s.name)
		if v, ok := a.getenv(env); ok && v != "" {
			*s.dst = v
			g.origin[s.name] = source{env: env}
			continue
		}
		if at, ok := g.cfgAt[s.name]; ok && g.cfg != nil {
			v := g.cfg.GetString(s.name)
			if s.name == "rubric" && v != "" && !filepath.IsAbs(v) && !load.IsBundled(v) {
				// A rubric named in a config file is relative to that
				// file; a bundled name is the same everywhere.
				if p := filepath.Join(filepath.Dir(g.cfgFile), v); !load.IsShortName(v) || fileOrDir(p) {
					if load.IsBundled(p) {
						p = "./" + p // joined from ./bundled:…, a file on disk
					}
					v = p
				}
			}
			*s.dst = v
			g.origin[s.name] = source{at: at}
		}
	}
	return nil
}

// settingError blames a bad setting on where it came from: wrong usage
// (exit 2) for a flag, invalid input (exit 1) for a variable or the config
// file, there at the value's place. err reads "NAME ...", as in
// `format "yaml": use one of ...`.
func (g *globals) settingError(name string, err error) error {
	switch src := g.origin[name]; {
	case src.env != "":
		return fmt.Errorf("%s: %w", src.env, err)
	case src.at.File != "":
		return diag.List{{Pos: src.at, Severity: diag.Error, Msg: err.Error()}}
	}
	return &usageError{fmt.Errorf("--%w", err)}
}

// fileError blames a file setting that cannot be read (err names the file)
// on the variable or the config file's place that named it; a flag's
// value is in err already.
func (g *globals) fileError(name string, err error) error {
	var l diag.List
	if errors.As(err, &l) {
		return err // problems inside the file, placed there
	}
	switch src := g.origin[name]; {
	case src.env != "":
		return fmt.Errorf("%s: %w", src.env, err)
	case src.at.File != "":
		return diag.List{{Pos: src.at, Severity: diag.Error, Msg: name + ": " + err.Error()}}
	}
	return err
}

func (g *globals) readConfig(a *app, cmd *cobra.Command) error {
	path := g.config
	g.configFrom = ""
	if off, err := g.configOff(a, cmd); off || err != nil {
		return err
	}
	if cmd.Flags().Changed("config") {
		g.configFrom = "--config"
	} else if v, ok := a.getenv("CAPSCORE_CONFIG"); ok {
		path, g.configFrom = v, "CAPSCORE_CONFIG"
	}
	if path == "" {
		path = findConfig(a.getenv)
		if path == "" {
			return nil
		}
	}
	// A variable is named before the file it names; --config is plain.
	blame := func(err error) error {
		if g.configFrom == "CAPSCORE_CONFIG" {
			return fmt.Errorf("CAPSCORE_CONFIG: %w", err)
		}
		return err
	}
	// Read through the size limit and the YAML guards first: viper would
	// read /dev/zero forever and decode an alias bomb or a deep document.
	a.outputs.read(path)
	data, err := load.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return blame(fmt.Errorf("config %s: not found", path))
	} else if err != nil {
		return blame(fmt.Errorf("config %w", err))
	}
	if ds := yamlread.Check(path, data); len(ds) > 0 {
		return ds
	}
	// Every key and value is checked with its place before viper, which
	// keeps none, reads the file.
	at, diags := configSettings(path, data)
	cw, wdiags := weights.ParseConfig(path, data)
	if diags = merge(diags, wdiags); diags.HasErrors() {
		return diags.Errors()
	}
	v := viper.New()
	v.SetConfigFile(path)
	v.SetConfigType("yaml")
	if err := v.ReadConfig(bytes.NewReader(data)); err != nil {
		return fmt.Errorf("config %s: %w; fix the YAML", path, err)
	}
	sum := sha256.Sum256(data)
	g.cfg, g.cfgFile, g.cfgWeights, g.cfgAt = v, path, cw, at
	g.cfgSHA256 = hex.EncodeToString(sum[:])
	return nil
}

// configOff reports whether --no-config or CAPSCORE_NO_CONFIG turns every
// config file off. --config with --no-config contradicts itself.
func (g *globals) configOff(a *app, cmd *cobra.Command) (bool, error) {
	if g.noConfig {
		if cmd.Flags().Changed("config") {
			return true, usagef("--config names a config file and --no-config reads none: give one of them")
		}
		return true, nil
	}
	v, ok := a.getenv("CAPSCORE_NO_CONFIG")
	if !ok || v == "" {
		return false, nil
	}
	off, err := strconv.ParseBool(v)
	if err != nil {
		return false, fmt.Errorf("CAPSCORE_NO_CONFIG %q: use 1 to read no config file, or 0", v)
	}
	if off && cmd.Flags().Changed("config") {
		return true, usagef("--config names a config file and CAPSCORE_NO_CONFIG=%s reads none: unset the variable or drop --config", v)
	}
	return off, nil
}

// textSettings are the config file's keys whose value is text.
var textSettings = []string{"rubric", "profile", "format", "aggregation", "missing"}

// configSettings finds where each text setting of the config file is
// written, refusing unknown keys and values that are not text at their
// place. Keys that viper would change and the weights and profiles are
// weights.ParseConfig's to check. A setting left null is left out.
func configSettings(path string, data []byte) (map[string]diag.Pos, diag.List) {
	at := map[string]diag.Pos{}
	rd, root := yamlread.Parse(path, data)
	if root == nil {
		return at, nil // Check has said why, or the file sets nothing
	}
	rd.Entries(root, "config", func(key string, k, v *yaml.Node) {
		switch {
		case key != strings.ToLower(key) || strings.Contains(key, "."), key == "weights", key == "profiles":
		case slices.Contains(textSettings, key):
			if rd.IsNull(v) {
				return
			}
			if _, ok := rd.String(v, key); ok {
				at[key] = rd.Pos(v)
			}
		case key == "output":
			rd.Errorf(k, "output is not a config file setting, so that no command writes a file unasked; give --output or CAPSCORE_OUTPUT")
		default:
			hint := diag.DidYouMean(key, settingKeys())
			if hint == "" {
				hint = "; the keys are " + strings.Join(settingKeys(), ", ")
			}
			rd.Errorf(k, "unknown config key %q%s", key, hint)
		}
	})
	return at, rd.Diags
}

// merge joins two readers' problems in file order, each once: both walk
// the same top-level mapping.
func merge(a, b diag.List) diag.List {
	out := append(diag.List{}, a...)
	for _, d := range b {
		if !slices.Contains(out, d) {
			out = append(out, d)
		}
	}
	out.Sort()
	return out
}

// fileOrDir reports whether anything exists at name.
func fileOrDir(name string) bool {
	_, err := os.Stat(name)
	return err == nil
}

// findConfig looks in the documented places only: ./capscore.yaml, then
// capscore/capscore.yaml in the user config directory.
func findConfig(getenv func(string) (string, bool)) string {
	if st, err := os.Stat("capscore.yaml"); err == nil && !st.IsDir() {
		return "capscore.yaml"
	}
	if dir, ok := userConfigDir(getenv); ok {
		p := filepath.Join(dir, "capscore", "capscore.yaml")
		if st, err := os.Stat(p); err == nil && !st.IsDir() {
			return p
		}
	}
	return ""
}

// loadRubric reads the chosen rubric and prints its warnings.
// The rubric's name as printed and the SHA-256 of the bytes parsed are
// kept for outputs that record their inputs.
func (a *app) loadRubric() (*rubric.Rubric, error) {
	r, in, warns, err := load.RubricInput(a.globals.rubric)
	a.outputs.read(in.Name)
	a.warn(warns)
	if err != nil {
		return nil, a.globals.fileError("rubric", err)
	}
	a.globals.rubricIn = in
	return r, nil
}

// warn prints warnings to stderr.
func (a *app) warn(l diag.List) {
	for _, d := range l {
		fmt.Fprintln(a.io.Err, textsafe.Clean(d.String()))
	}
}

// options returns the engine options from --aggregation and --missing.
func (a *app) options() (score.Options, error) {
	var o score.Options
	var err error
	if s := a.globals.aggregation; s != "" {
		if o.Aggregation, err = rubric.ParseAggregation(s); err != nil {
			return o, a.globals.settingError("aggregation", err)
		}
	}
	if s := a.globals.missing; s != "" {
		if o.Missing, err = rubric.ParseMissing(s); err != nil {
			return o, a.globals.settingError("missing", err)
		}
	}
	return o, nil
}

// format checks --format against what the command supports.
func (a *app) format(supported ...report.Format) (report.Format, error) {
	f, err := report.ParseFormat(a.globals.format, supported...)
	if err != nil {
		return "", a.globals.settingError("format", err)
	}
	return f, nil
}

// weightStack gathers the weight layers of the settings into the one
// stack: the profile (--profile, CAPSCORE_PROFILE or the config file's),
// the config file's weights, CAPSCORE_WEIGHTS and --weight. The stack, not
// this function, puts them in order.
func (a *app) weightStack(r *rubric.Rubric) (weights.Stack, error) {
	g := &a.globals
	var p *weights.ProfileLayer
	if g.profile != "" {
		var err error
		if p, err = g.findProfile(r, g.profile); err != nil {
			return weights.Stack{}, g.settingError("profile", err)
		}
	}
	return a.stackWith(r, p)
}

// stackWith is the stack of the settings with profile p (nil for none) in
// place of the one they name.
func (a *app) stackWith(r *rubric.Rubric, p *weights.ProfileLayer) (weights.Stack, error) {
	st := weights.Stack{Rubric: r, Profile: p}
	if cw := a.globals.cfgWeights; cw != nil {
		st.Config = cw.Weights
	}
	if v, ok := a.getenv("CAPSCORE_WEIGHTS"); ok && v != "" {
		ov, err := weights.ParseList(v, weights.Origin{Layer: weights.Env, Source: "CAPSCORE_WEIGHTS", Name: "CAPSCORE_WEIGHTS"})
		if err != nil {
			return st, err
		}
		st.Env = ov
	}
	var flagErrs []error
	for _, text := range a.globals.weights {
		o, err := weights.ParseAssignment(text, weights.Origin{Layer: weights.Flag, Source: "--weight " + text})
		if err != nil {
			flagErrs = append(flagErrs, err)
			continue
		}
		st.Flags = append(st.Flags, o)
	}
	if err := errors.Join(flagErrs...); err != nil {
		return st, &usageError{err}
	}
	return st, nil
}

// resolveWeights resolves the stack of the settings.
func (a *app) resolveWeights(r *rubric.Rubric) (*weights.Set, error) {
	st, err := a.weightStack(r)
	if err != nil {
		return nil, err
	}
	return resolveStack(st)
}

// resolveStack resolves a stack; a problem with a weight set by a flag
// (--weight, or a compare column's --weights-a/-b) is wrong usage.
func resolveStack(st weights.Stack) (*weights.Set, error) {
	set, err := st.Resolve()
	if err != nil {
		var we *weights.Error
		if errors.As(err, &we) && we.Origin.Layer == weights.Flag {
			return nil, &usageError{err}
		}
		return nil, err
	}
	return set, nil
}

// profiles lists the profiles of the rubric and the config file.
func (g *globals) profiles(r *rubric.Rubric) weights.ProfileList {
	return weights.ProfilesOf(r, g.cfgWeights)
}

// findProfile finds a profile in the rubric, then in the config file; the
// error reads "profile NAME: ..." for the caller to blame on whatever named
// it.
func (g *globals) findProfile(r *rubric.Rubric, name string) (*weights.ProfileLayer, error) {
	ps := g.profiles(r)
	if p, ok := ps.Find(name); ok {
		return p, nil
	}
	if len(ps) == 0 {
		return nil, fmt.Errorf("profile %q: the rubric and the config file define no profiles; add one under profiles: in either", name)
	}
	names := ps.SortedNames()
	return nil, fmt.Errorf("profile %q: no such profile%s; profiles: %s", name, diag.DidYouMean(name, names), strings.Join(names, ", "))
}

// scoring is what a command needs before it scores anything: the rubric,
// the engine options and the effective weights, all from the settings.
type scoring struct {
	rubric *rubric.Rubric
	opt    score.Options
	w      *weights.Set
}

// prepare checks --aggregation and --missing, reads the rubric and resolves
// the weights, in that order, so every command reports the same mistake
// the same way.
func (a *app) prepare() (scoring, error) {
	opt, err := a.options()
	if err != nil {
		return scoring{}, err
	}
	r, err := a.loadRubric()
	if err != nil {
		return scoring{}, err
	}
	w, err := a.resolveWeights(r)
	if err != nil {
		return scoring{}, err
	}
	return scoring{rubric: r, opt: opt.Resolve(r), w: w}, nil
}

// layers names the config file read and every setting that changes
// numbers with where it came from, for the header of every output of
// scores.
func (a *app) layers() textfmt.Layers {
	g := &a.globals
	var l textfmt.Layers
	if g.cfgFile != "" {
		l.Config = &textfmt.ConfigFile{File: g.cfgFile, SHA256: g.cfgSHA256}
	}
	for _, s := range []struct {
		name, value string
	}{{"rubric", g.rubric}, {"profile", g.profile}, {"aggregation", g.aggregation}, {"missing", g.missing}} {
		src, ok := g.origin[s.name]
		if !ok || s.value == "" {
			continue
		}
		set := textfmt.Setting{Name: s.name, Value: s.value}
		switch {
		case src.env != "":
			set.Origin, set.From = "env "+src.env, "env "+src.env
		case src.at.File != "":
			set.Origin, set.From = "config "+src.at.String(), "config "+src.at.File
		default:
			set.Origin, set.From = "flag --"+s.name, "flag --"+s.name
		}
		l.Settings = append(l.Settings, set)
	}
	return l
}
