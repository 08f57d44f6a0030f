package weights

import (
	"strings"
	"testing"
)

func TestParseConfig(t *testing.T) {
	const file = "capscore.yaml"
	data := `rubric: my-rubric.yaml
format: json
weights:
  offence: 2
  national-strategy: 0.5
profiles:
  hawk: {offence: 3, intelligence: 2}
  analyst:
    reason: From pairwise comparisons.
    weights:
      resilience: 1.5
`
	c, diags := ParseConfig(file, []byte(data))
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	if len(c.Weights) != 2 {
		t.Fatalf("weights %+v", c.Weights)
	}
	if o := c.Weights[0]; o.ID != "offence" || o.Value != 2 || o.Origin.String() != "config capscore.yaml:4:3" || o.Text != "offence=2" {
		t.Errorf("first weight %+v", o)
	}
	if got := strings.Join(c.ProfileNames(), ","); got != "hawk,analyst" {
		t.Errorf("profiles %s", got)
	}
	hawk, _ := c.Profile("hawk")
	if len(hawk.Weights) != 2 || hawk.Weights[1].Origin.String() != "profile hawk (capscore.yaml:7:22)" || hawk.Pos.String() != "capscore.yaml:7:3" {
		t.Errorf("hawk %+v", hawk)
	}
	analyst, _ := c.Profile("analyst")
	if analyst.Reason != "From pairwise comparisons." || len(analyst.Weights) != 1 || analyst.Weights[0].Origin.Layer != Profile {
		t.Errorf("analyst %+v", analyst)
	}
	if _, ok := c.Profile("dove"); ok {
		t.Error("found a profile that is not there")
	}
}

func TestParseConfigEmpty(t *testing.T) {
	for _, data := range []string{"", "  \n", "# nothing\n", "~\n", "---\n", "weights:\nprofiles:\n", "format: csv\n"} {
		c, diags := ParseConfig("c.yaml", []byte(data))
		if diags.HasErrors() || c == nil || len(c.Weights)+len(c.Profiles) != 0 {
			t.Errorf("%q: %v %+v", data, diags, c)
		}
	}
}

// Viper folds case and splits on dots; a key it would change is an error at
// its position rather than a weight that silently moves or vanishes.
func TestParseConfigRefusesWhatViperWouldChange(t *testing.T) {
	for _, tt := range []struct {
		name, data, want string
	}{
		{"uppercase id", "weights:\n  Offence: 2\n", `c.yaml:2:3: weights: id "Offence": ids are lowercase kebab-case without dots; write "offence"`},
		{"dotted id", "weights:\n  cyber.offence: 2\n", `c.yaml:2:3: weights: id "cyber.offence": ids are lowercase kebab-case without dots; write "cyber-offence"`},
		{"dotted top-level key", "weights.offence: 2\n", `c.yaml:1:1: config key "weights.offence": keys are lowercase without dots (viper would read it as weights → offence); nest it instead: weights: {offence: ...}`},
		{"uppercase top-level key", "Weights:\n  offence: 2\n", `c.yaml:1:1: config key "Weights": keys are lowercase without dots (viper would read it as weights); write "weights"`},
		{"uppercase profile", "profiles:\n  Hawk: {offence: 2}\n", `c.yaml:2:3: profile name "Hawk": use lowercase kebab-case without dots; write "hawk"`},
		{"uppercase id in profile", "profiles:\n  hawk: {Offence: 2}\n", `c.yaml:2:10: profiles.hawk: id "Offence": ids are lowercase kebab-case without dots; write "offence"`},
		{"not a number", "weights:\n  offence: lots\n", `c.yaml:2:12: weights.offence: expected a number, got "lots"`},
		{"negative", "weights:\n  offence: -2\n", `c.yaml:2:12: weights.offence: -2 is negative; weights are relative and at least 0`},
		{"nan", "weights:\n  offence: .nan\n", `c.yaml:2:12: weights.offence: ".nan" is not a finite number`},
		{"not a mapping", "weights: [offence]\n", `c.yaml:1:10: weights: expected a mapping`},
		{"duplicate", "weights:\n  offence: 2\n  offence: 3\n", `c.yaml:3:3: weights: duplicate key "offence"`},
		{"profile without weights", "profiles:\n  hawk:\n    reason: no weights\n", `c.yaml:3:5: profiles.hawk: missing required key "weights"`},
		{"syntax", "weights: {offence: 2\n", `c.yaml`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, diags := ParseConfig("c.yaml", []byte(tt.data))
			if !diags.HasErrors() {
				t.Fatal("accepted")
			}
			if got := diags.Errors()[0].String(); !strings.HasPrefix(got, tt.want) {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

func FuzzParseConfig(f *testing.F) {
	for _, s := range []string{"weights: {offence: 2}\n", "profiles: {hawk: {reason: x, weights: {a: 1}}}\n", "Weights.x: 1\n", "weights: {a: &x 1, b: *x}\n", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data string) {
		c, diags := ParseConfig("f.yaml", []byte(data))
		if diags.HasErrors() {
			for _, d := range diags.Errors() {
				if d.Pos.File != "f.yaml" || d.Msg == "" {
					t.Fatalf("problem without a place or message: %+v", d)
				}
			}
			return
		}
		if c == nil {
			t.Fatal("no config and no error")
		}
		all := append([]Override(nil), c.Weights...)
		for _, p := range c.Profiles {
			all = append(all, p.Weights...)
		}
		for _, o := range all {
			if o.Value < 0 || o.Value != o.Value || o.ID == "" || o.Origin.Source == "" {
				t.Fatalf("accepted %+v", o)
			}
		}
	})
}
