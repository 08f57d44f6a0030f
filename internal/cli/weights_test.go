package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const (
	weightsConfig = "internal/cli/testdata/weights/capscore.yaml"
	protection    = "internal/cli/testdata/weights/protection.yaml"
	cyclic        = "internal/cli/testdata/weights/cyclic.yaml"
	offenceMatrix = "internal/cli/testdata/weights/offence-matrix.yaml"
)

func TestWeightsGolden(t *testing.T) {
	chdirRepo(t)
	for _, tt := range []struct {
		golden string
		env    map[string]string
		args   []string
	}{
		{"weights_table.golden", nil, []string{"weights"}},
		{"weights_profile.golden", nil, []string{"weights", "--profile", "defence-first"}},
		{"weights_markdown.golden", nil, []string{"weights", "--profile", "military", "--format", "markdown"}},
		{"weights_csv.golden", nil, []string{"weights", "--weight", "offence=2", "--format", "csv"}},
		{"weights_json.golden", map[string]string{"CAPSCORE_WEIGHTS": "intelligence=1.5"}, []string{"weights", "--profile", "economic-power", "--weight", "offence=2", "--format", "json"}},
		{"weights_layers.golden", map[string]string{"CAPSCORE_WEIGHTS": "intelligence=1.75,sigint-scale=2"},
			[]string{"weights", "--config", weightsConfig, "--weight", "offence=4"}},
		{"weights_ahp.golden", nil, []string{"weights", "ahp", protection}},
		{"weights_ahp_markdown.golden", nil, []string{"weights", "ahp", protection, "--format", "markdown"}},
		{"weights_ahp_csv.golden", nil, []string{"weights", "ahp", protection, "--format", "csv"}},
		{"weights_ahp_json.golden", nil, []string{"weights", "ahp", protection, "--format", "json"}},
		{"weights_ahp_matrix.golden", nil, []string{"weights", "ahp", offenceMatrix}},
		{"weights_ahp_profile.golden", nil, []string{"weights", "ahp", protection, "--save-profile", "protection"}},
		{"weights_ahp_forced.golden", nil, []string{"weights", "ahp", cyclic, "--force"}},
	} {
		t.Run(tt.golden, func(t *testing.T) {
			res := runCLI(t, tt.env, tt.args...)
			if res.code != ExitOK {
				t.Fatalf("exit %d: %s", res.code, res.stderr)
			}
			golden(t, tt.golden, res.stdout)
		})
	}
}

// effectiveDoc is the JSON of `capscore weights`.
type effectiveDoc struct {
	Rubric  struct{ ID, Version, File string }
	Profile *struct{ Name, Reason, Source string }
	Config  string
	Pillars []effectiveEntry
}

type effectiveEntry struct {
	ID, Title, Layer, Origin, Reason string
	Relative, Normalised             float64
	OfOverall                        float64 `json:"of_overall"`
	Criteria                         []effectiveEntry
}

func effective(t *testing.T, env map[string]string, args ...string) (effectiveDoc, map[string]effectiveEntry) {
	t.Helper()
	res := runCLI(t, env, append([]string{"weights", "--format", "json"}, args...)...)
	if res.code != ExitOK {
		t.Fatalf("exit %d: %s", res.code, res.stderr)
	}
	var doc effectiveDoc
	if err := json.Unmarshal([]byte(res.stdout), &doc); err != nil {
		t.Fatal(err)
	}
	byID := map[string]effectiveEntry{}
	for _, p := range doc.Pillars {
		byID[p.ID] = p
		for _, c := range p.Criteria {
			byID[c.ID] = c
		}
	}
	return doc, byID
}

// Every bundled profile shows with its reason, and every weight it sets
// names the profile and the line of the rubric that sets it.
func TestWeightsBundledProfiles(t *testing.T) {
	chdirRepo(t)
	for name, set := range map[string]map[string]float64{
		"equal":          {"strategy": 1, "governance": 1, "intelligence": 1, "empowerment": 1, "resilience": 1, "leadership": 1, "offence": 1},
		"defence-first":  {"resilience": 2, "intelligence": 1.5},
		"economic-power": {"empowerment": 2, "leadership": 1.5},
		"military":       {"offence": 2, "intelligence": 1.5, "governance": 1.5, "military-cyber-command": 2, "military-doctrine": 2},
	} {
		t.Run(name, func(t *testing.T) {
			doc, byID := effective(t, nil, "--profile", name)
			if doc.Profile == nil || doc.Profile.Name != name || doc.Profile.Reason == "" ||
				!strings.HasPrefix(doc.Profile.Source, "rubric bundled:rubrics/iiss-seven-pillars.yaml:") {
				t.Fatalf("profile %+v", doc.Profile)
			}
			for id, e := range byID {
				want, inProfile := set[id]
				switch {
				case inProfile && (e.Relative != want || e.Layer != "profile" ||
					!strings.HasPrefix(e.Origin, "profile "+name+" (bundled:rubrics/iiss-seven-pillars.yaml:")):
					t.Errorf("%s = %g from %s, want %g from the profile", id, e.Relative, e.Origin, want)
				case !inProfile && e.Layer != "rubric":
					t.Errorf("%s set by %s", id, e.Origin)
				}
			}
		})
	}
}

// Each layer overrides the one before and every weight keeps the origin of
// the layer that set it last.
func TestWeightsLayerPrecedence(t *testing.T) {
	chdirRepo(t)
	env := map[string]string{"CAPSCORE_WEIGHTS": "intelligence=1.75,sigint-scale=2"}
	doc, byID := effective(t, env, "--config", weightsConfig, "--weight", "offence=4")
	if doc.Config != weightsConfig || doc.Profile == nil || doc.Profile.Name != "hawk" ||
		doc.Profile.Source != "config "+weightsConfig+":8:3" || doc.Profile.Reason != "Offence and intelligence first." {
		t.Fatalf("config %q, profile %+v", doc.Config, doc.Profile)
	}
	for _, tt := range []struct {
		id     string
		value  float64
		origin string
	}{
		{"offence", 4, "flag --weight offence=4"},                                       // profile 3, config 2.5, flag 4
		{"intelligence", 1.75, "env CAPSCORE_WEIGHTS"},                                  // profile 2, env 1.75
		{"sigint-scale", 2, "env CAPSCORE_WEIGHTS"},                                     // env only
		{"national-strategy", 3, "config " + weightsConfig + ":6:3"},                    // config only
		{"leadership", 0.5, "profile hawk (" + weightsConfig + ":13:7)"},                // profile only
		{"strategy", 1, "rubric bundled:rubrics/iiss-seven-pillars.yaml:113:5"},         // nobody
		{"strategy-renewal", 1, "rubric bundled:rubrics/iiss-seven-pillars.yaml:130:9"}, // nobody
	} {
		e := byID[tt.id]
		if e.Relative != tt.value || e.Origin != tt.origin {
			t.Errorf("%s = %g from %q, want %g from %q", tt.id, e.Relative, e.Origin, tt.value, tt.origin)
		}
	}
	// Without the flag, the env layer wins for intelligence and the config
	// layer for offence.
	_, byID = effective(t, env, "--config", weightsConfig)
	if e := byID["offence"]; e.Relative != 2.5 || e.Layer != "config" {
		t.Errorf("offence without the flag: %+v", e)
	}
	// Without the env too, the profile's intelligence shows.
	_, byID = effective(t, nil, "--config", weightsConfig)
	if e := byID["intelligence"]; e.Relative != 2 || e.Layer != "profile" {
		t.Errorf("intelligence without env: %+v", e)
	}
	// --profile on the command line beats the config's profile setting.
	doc, byID = effective(t, nil, "--config", weightsConfig, "--profile", "equal")
	if doc.Profile.Name != "equal" || byID["leadership"].Relative != 1 || byID["offence"].Layer != "config" {
		t.Errorf("profile %+v, leadership %+v", doc.Profile, byID["leadership"])
	}
}

func TestWeightsErrors(t *testing.T) {
	chdirRepo(t)
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	typo := write("typo.yaml", "weights:\n  offense: 2\n")
	upper := write("upper.yaml", "weights:\n  Offence: 2\n")
	dotted := write("dotted.yaml", "weights.offence: 2\n")
	badProfile := write("profile.yaml", "profiles:\n  hawk: {ofence: 2}\n")
	zeroOffence := "offensive-legal-room=0,offensive-intent=0,offensive-organisation=0,military-cyber-personnel=0,offensive-technical-means=0,independent-offensive-response=0"
	var allZero []string
	for _, p := range []string{"strategy", "governance", "intelligence", "empowerment", "resilience", "leadership", "offence"} {
		allZero = append(allZero, "--weight", p+"=0")
	}
	for _, tt := range []struct {
		name string
		env  map[string]string
		args []string
		code int
		want []string
	}{
		{"flag not a number", nil, []string{"--weight", "offence=x"}, ExitUsage, []string{"capscore: --weight offence=x: not a number"}},
		{"flag typo", nil, []string{"--weight", "offense=2"}, ExitUsage,
			[]string{`capscore: --weight offense=2: unknown pillar or criterion "offense" (did you mean "offence"?)`}},
		{"every flag problem", nil, []string{"--weight", "offence=x", "--weight", "strategy=-1", "--weight", "governance=NaN"}, ExitUsage,
			[]string{"--weight offence=x: not a number", "--weight strategy=-1: negative", "--weight governance=NaN: not a finite number"}},
		{"flag list", nil, []string{"--weight", "offence=2,strategy=1"}, ExitUsage, []string{"--weight offence=2,strategy=1: not a number; give one id=value each"}},
		{"flag all zero", nil, allZero, ExitUsage, []string{"capscore: --weight offence=0: pillars: every weight at this level is 0; set at least one above 0"}},
		{"env not a number", map[string]string{"CAPSCORE_WEIGHTS": "offence=lots"}, nil, ExitInvalid, []string{"capscore: env CAPSCORE_WEIGHTS: offence=lots: not a number"}},
		{"env typo", map[string]string{"CAPSCORE_WEIGHTS": "offense=2"}, nil, ExitInvalid,
			[]string{`capscore: env CAPSCORE_WEIGHTS: offense=2: unknown pillar or criterion "offense" (did you mean "offence"?)`}},
		{"env criteria zero", map[string]string{"CAPSCORE_WEIGHTS": zeroOffence}, nil, ExitInvalid,
			[]string{"capscore: env CAPSCORE_WEIGHTS: criteria of pillar offence: every weight at this level is 0"}},
		{"config typo", nil, []string{"--config", typo}, ExitInvalid,
			[]string{`capscore: config ` + typo + `:2:3: offense=2: unknown pillar or criterion "offense" (did you mean "offence"?)`}},
		{"config uppercase id", nil, []string{"--config", upper}, ExitInvalid,
			[]string{upper + `:2:3: weights: id "Offence": ids are lowercase kebab-case without dots; write "offence"`}},
		{"config dotted key", nil, []string{"--config", dotted}, ExitInvalid,
			[]string{dotted + `:1:1: config key "weights.offence": keys are lowercase without dots`}},
		{"config profile typo", nil, []string{"--config", badProfile, "--profile", "hawk"}, ExitInvalid,
			[]string{`capscore: profile hawk (` + badProfile + `:2:10): ofence=2: unknown pillar or criterion "ofence" (did you mean "offence"?)`}},
		{"unknown profile", nil, []string{"--profile", "defense-first"}, ExitUsage,
			[]string{`--profile "defense-first": no such profile (did you mean "defence-first"?); profiles: defence-first, economic-power, equal, military`}},
		{"missing config", nil, []string{"--config", filepath.Join(dir, "none.yaml")}, ExitInvalid, []string{"none.yaml: not found"}},
		{"bad format", nil, []string{"--format", "html"}, ExitUsage, []string{`--format "html": use one of table, markdown, csv, json`}},
		{"argument", nil, []string{"offence"}, ExitUsage, []string{`unknown command "offence" for "capscore weights"`}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			res := runCLI(t, tt.env, append([]string{"weights"}, tt.args...)...)
			if res.code != tt.code {
				t.Errorf("exit %d, want %d; stderr:\n%s", res.code, tt.code, res.stderr)
			}
			if res.stdout != "" {
				t.Errorf("printed on failure:\n%s", res.stdout)
			}
			for _, w := range tt.want {
				if !strings.Contains(res.stderr, w) {
					t.Errorf("stderr lacks %q:\n%s", w, res.stderr)
				}
			}
		})
	}
}

func TestWeightsAHPRefusal(t *testing.T) {
	chdirRepo(t)
	res := runCLI(t, nil, "weights", "ahp", cyclic)
	if res.code != ExitInvalid || res.stdout != "" {
		t.Fatalf("exit %d, stdout %q", res.code, res.stdout)
	}
	golden(t, "weights_ahp_refused.golden", res.stderr)
	res = runCLI(t, nil, "weights", "ahp", cyclic, "--force")
	if res.code != ExitOK || !strings.Contains(res.stderr, "warning: consistency ratio 0.2190 is above 0.10; weights given because of --force") {
		t.Errorf("--force: exit %d, stderr %s", res.code, res.stderr)
	}
}

func TestWeightsAHPErrors(t *testing.T) {
	chdirRepo(t)
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte("over: pillars\ncomparisons:\n  strategy>offense: 3\n  governance>strategy: 12\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		args []string
		code int
		want []string
	}{
		{"every problem with its place", []string{bad}, ExitInvalid, []string{
			bad + `:3:3: comparisons.strategy>offense: "offense" is not one of the pillars (did you mean "offence"?)`,
			bad + `:4:24: comparisons.governance>strategy: "12" is not on Saaty's scale`,
			"capscore: 2 error(s)"}},
		{"no file", []string{filepath.Join(dir, "none.yaml")}, ExitInvalid, []string{"none.yaml: no such file or directory"}},
		{"no argument", nil, ExitUsage, []string{"accepts 1 arg(s), received 0"}},
		{"bad profile name", []string{protection, "--save-profile", "My Profile"}, ExitUsage,
			[]string{`--save-profile "My Profile": profile names are lowercase kebab-case`}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			res := runCLI(t, nil, append([]string{"weights", "ahp"}, tt.args...)...)
			if res.code != tt.code || res.stdout != "" {
				t.Errorf("exit %d (want %d), stdout %q", res.code, tt.code, res.stdout)
			}
			for _, w := range tt.want {
				if !strings.Contains(res.stderr, w) {
					t.Errorf("stderr lacks %q:\n%s", w, res.stderr)
				}
			}
		})
	}
}

// A saved profile, used as a config file, gives back the AHP weights.
func TestWeightsAHPProfileRoundTrip(t *testing.T) {
	chdirRepo(t)
	out := filepath.Join(t.TempDir(), "analyst.yaml")
	res := runCLI(t, nil, "weights", "ahp", protection, "--save-profile", "analyst", "--output", out)
	if res.code != ExitOK || res.stdout != "" {
		t.Fatalf("exit %d: %s%s", res.code, res.stdout, res.stderr)
	}
	var ahpDoc struct {
		Weights []struct {
			ID     string
			Weight float64
		}
	}
	js := runCLI(t, nil, "weights", "ahp", protection, "--format", "json")
	if err := json.Unmarshal([]byte(js.stdout), &ahpDoc); err != nil {
		t.Fatal(err)
	}
	doc, byID := effective(t, nil, "--config", out, "--profile", "analyst")
	if doc.Profile == nil || !strings.HasPrefix(doc.Profile.Reason, "AHP over the pillars from "+protection+": CR 0.0107") {
		t.Fatalf("profile %+v", doc.Profile)
	}
	for _, w := range ahpDoc.Weights {
		e := byID[w.ID]
		if d := e.Normalised - w.Weight; d > 1e-5 || d < -1e-5 || e.Layer != "profile" {
			t.Errorf("%s: normalised %g from %s, AHP weight %g", w.ID, e.Normalised, e.Origin, w.Weight)
		}
	}
}

// --output replaces the file only when the command succeeds.
func TestWeightsOutputAtomic(t *testing.T) {
	chdirRepo(t)
	out := filepath.Join(t.TempDir(), "weights.csv")
	res := runCLI(t, nil, "weights", "--format", "csv", "--output", out)
	if res.code != ExitOK || res.stdout != "" {
		t.Fatalf("exit %d: %s", res.code, res.stderr)
	}
	got, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if want := runCLI(t, nil, "weights", "--format", "csv").stdout; string(got) != want {
		t.Errorf("file differs from standard output:\n%s", got)
	}
	res = runCLI(t, nil, "weights", "ahp", cyclic, "--output", out)
	if res.code != ExitInvalid {
		t.Fatalf("exit %d", res.code)
	}
	if again, _ := os.ReadFile(out); string(again) != string(got) {
		t.Error("a refused run changed the output file")
	}
	entries, _ := os.ReadDir(filepath.Dir(out))
	if len(entries) != 1 {
		t.Errorf("left behind: %v", entries)
	}
}

func TestWeightsFlags(t *testing.T) {
	var got *weightsAHPOptions
	a := &app{io: IO{In: strings.NewReader(""), Out: &strings.Builder{}, Err: &strings.Builder{}}, getenv: func(string) (string, bool) { return "", false }}
	cmd := a.newWeightsAHPCmd(func(o *weightsAHPOptions) error { got = o; return nil })
	cmd.SetArgs([]string{"j.yaml", "--force", "--save-profile", "analyst"})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	if got.file != "j.yaml" || !got.force || got.saveProfile != "analyst" {
		t.Errorf("%+v", got)
	}
}
