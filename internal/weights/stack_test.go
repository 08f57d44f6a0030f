package weights

import (
	"errors"
	"strings"
	"testing"

	"github.com/capscore/capscore/internal/rubric"
)

// one is a single override of id to v with the given origin.
func one(id string, v float64, o Origin) []Override {
	return []Override{{ID: id, Value: v, Origin: o, Text: id + "=x"}}
}

// Every layer overrides the ones before it: with the layers up to and
// including the last one filled all setting offence, offence has the last
// one's value and origin.
func TestStackOrder(t *testing.T) {
	r := bundled(t)
	profile := Origin{Layer: Profile, Source: "navy (c.yaml:5:3)", Name: "navy"}
	config := Origin{Layer: Config, Source: "c.yaml:2:3", Name: "c.yaml"}
	env := Origin{Layer: Env, Source: "CAPSCORE_WEIGHTS", Name: "CAPSCORE_WEIGHTS"}
	flagO := Origin{Layer: Flag, Source: "--weight offence=5"}
	sideA := Origin{Layer: Flag, Source: "--weights-b offence=6"}
	sideB := Origin{Layer: Flag, Source: "--page offence=7"}
	fill := []func(*Stack){
		func(s *Stack) { s.Profile = &ProfileLayer{Name: "navy", Weights: one("offence", 2, profile)} },
		func(s *Stack) { s.Config = one("offence", 3, config) },
		func(s *Stack) { s.Env = one("offence", 4, env) },
		func(s *Stack) { s.Flags = one("offence", 5, flagO) },
		func(s *Stack) {
			s.Extra = append(s.Extra, NamedLayer{Name: "--weights-b", Weights: one("offence", 6, sideA)})
		},
		func(s *Stack) { s.Extra = append(s.Extra, NamedLayer{Name: "page", Weights: one("offence", 7, sideB)}) },
	}
	for _, tt := range []struct {
		name   string
		upTo   int // fill layers 0..upTo; -1 for the rubric alone
		value  float64
		origin Origin
	}{
		{"rubric", -1, 1, Origin{Layer: Default, Source: r.Pillars[6].Pos.String()}},
		{"profile over rubric", 0, 2, profile},
		{"config over profile", 1, 3, config},
		{"env over config", 2, 4, env},
		{"flag over env", 3, 5, flagO},
		{"named layer over flag", 4, 6, sideA},
		{"later named layer over earlier", 5, 7, sideB},
	} {
		t.Run(tt.name, func(t *testing.T) {
			st := Stack{Rubric: r}
			for i := 0; i <= tt.upTo; i++ {
				fill[i](&st)
			}
			s, err := st.Resolve()
			if err != nil {
				t.Fatal(err)
			}
			if s.Pillar[6] != tt.value || s.PillarOrigin[6] != tt.origin {
				t.Errorf("offence = %g from %+v, want %g from %+v", s.Pillar[6], s.PillarOrigin[6], tt.value, tt.origin)
			}
		})
	}
}

// Each layer's weight keeps its origin, layer kind, name and place, and
// Uses names every layer in force, weakest first.
func TestStackRecordsEveryOrigin(t *testing.T) {
	r := bundled(t)
	prof, _ := r.Profile("military")
	st := Stack{
		Rubric:  r,
		Profile: &ProfileLayer{Name: "military", Weights: FromProfile(prof, "military")},
		Config:  one("strategy", 3, Origin{Layer: Config, Source: "c.yaml:2:3", Name: "c.yaml"}),
		Env:     one("intelligence", 4, Origin{Layer: Env, Source: "CAPSCORE_WEIGHTS", Name: "CAPSCORE_WEIGHTS"}),
		Flags:   one("empowerment", 5, Origin{Layer: Flag, Source: "--weight empowerment=5"}),
		Extra:   []NamedLayer{{Name: "--weights-b", Weights: one("resilience", 6, Origin{Layer: Flag, Source: "--weights-b resilience=6"})}},
	}
	s, err := st.Resolve()
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		id     string
		value  float64
		origin string
		layer  Layer
		name   string
	}{
		{"governance", 1.5, "profile military (bundled:rubrics/iiss-seven-pillars.yaml:107:7)", Profile, "military"},
		{"strategy", 3, "config c.yaml:2:3", Config, "c.yaml"},
		{"intelligence", 4, "env CAPSCORE_WEIGHTS", Env, "CAPSCORE_WEIGHTS"},
		{"empowerment", 5, "flag --weight empowerment=5", Flag, ""},
		{"resilience", 6, "flag --weights-b resilience=6", Flag, ""},
		{"national-strategy", 2, "rubric bundled:rubrics/iiss-seven-pillars.yaml:118:9", Default, ""},
	} {
		ref, _ := r.Lookup(tt.id)
		v, o := s.Pillar[ref.Pillar], s.PillarOrigin[ref.Pillar]
		if ref.Criterion >= 0 {
			v, o = s.Criterion[ref.Pillar][ref.Criterion], s.CriterionOrigin[ref.Pillar][ref.Criterion]
		}
		if v != tt.value || o.String() != tt.origin || o.Layer != tt.layer || o.Name != tt.name {
			t.Errorf("%s = %g from %+v, want %g from %q (%s %q)", tt.id, v, o, tt.value, tt.origin, tt.layer, tt.name)
		}
	}
	var got []string
	for _, u := range s.Uses(r) {
		got = append(got, strings.TrimSpace(string(u.Layer)+" "+u.Name))
	}
	want := "rubric|profile military|config c.yaml|env CAPSCORE_WEIGHTS|flag"
	if strings.Join(got, "|") != want {
		t.Errorf("uses %q, want %q", strings.Join(got, "|"), want)
	}
}

// The layer an origin records is the stack's slot, whatever the override
// said: an override cannot pass for a stronger or weaker layer.
func TestStackStampsTheLayer(t *testing.T) {
	r := bundled(t)
	liar := Origin{Layer: Flag, Source: "c.yaml:2:3", Name: "c.yaml"}
	for _, tt := range []struct {
		name  string
		stack Stack
		want  Layer
	}{
		{"config", Stack{Config: one("offence", 2, liar)}, Config},
		{"env", Stack{Env: one("offence", 2, liar)}, Env},
		{"profile", Stack{Profile: &ProfileLayer{Name: "p", Weights: one("offence", 2, liar)}}, Profile},
		{"flag", Stack{Flags: one("offence", 2, Origin{Layer: Config})}, Flag},
		{"named", Stack{Extra: []NamedLayer{{Name: "x", Weights: one("offence", 2, Origin{Layer: Env})}}}, Flag},
	} {
		t.Run(tt.name, func(t *testing.T) {
			tt.stack.Rubric = r
			s, err := tt.stack.Resolve()
			if err != nil {
				t.Fatal(err)
			}
			if got := s.PillarOrigin[6].Layer; got != tt.want {
				t.Errorf("offence set by %s, want %s", got, tt.want)
			}
		})
	}
}

// A problem with a named layer's weight names the layer first; the
// others read as before.
func TestStackNamedLayerErrors(t *testing.T) {
	r := bundled(t)
	side := func(text string) []NamedLayer {
		ov, err := ParseList(text, Origin{Layer: Flag, Source: "--weights-b " + text})
		if err != nil {
			t.Fatal(err)
		}
		return []NamedLayer{{Name: "--weights-b", Weights: ov}}
	}
	var zero []string
	for _, p := range r.Pillars {
		zero = append(zero, p.ID+"=0")
	}
	allZero := strings.Join(zero, ",")
	var zeroFlags []Override
	for _, z := range zero {
		zeroFlags = append(zeroFlags, flag(z)...)
	}
	for _, tt := range []struct {
		name  string
		stack Stack
		want  string
		in    string
	}{
		{"unknown id", Stack{Extra: side("offense=2")}, `--weights-b: --weight offense=2: unknown pillar or criterion "offense" (did you mean "offence"?)`, "--weights-b"},
		{"all zero", Stack{Extra: side(allZero)}, "--weights-b: --weights-b " + allZero + ": pillars: every weight at this level is 0", "--weights-b"},
		{"all zero by the flags", Stack{Flags: zeroFlags, Extra: side("national-strategy=1")}, "--weight offence=0: pillars:", ""},
		{"flag typo", Stack{Flags: flag("offense=2"), Extra: side("offence=1")}, "--weight offense=2: unknown", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			tt.stack.Rubric = r
			_, err := tt.stack.Resolve()
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Fatalf("got %v\nwant %s", err, tt.want)
			}
			var we *Error
			if !errors.As(err, &we) || we.In != tt.in || we.Origin.Layer != Flag {
				t.Fatalf("%#v: want a flag's *weights.Error in %q", err, tt.in)
			}
		})
	}
}

// A named layer can lift what the layers under it set to zero: only the
// final weights must leave a level above zero.
func TestStackChecksOnlyTheResult(t *testing.T) {
	r := bundled(t)
	var zero []Override
	for _, p := range r.Pillars {
		zero = append(zero, flag(p.ID+"=0")...)
	}
	s, err := Stack{Rubric: r, Flags: zero, Extra: []NamedLayer{{Name: "x", Weights: flag("offence=1")}}}.Resolve()
	if err != nil {
		t.Fatal(err)
	}
	if n := Normalize(s.Pillar); n[6] != 1 {
		t.Errorf("offence's share %g, want 1", n[6])
	}
}

func TestStackNeedsARubric(t *testing.T) {
	if _, err := (Stack{}).Resolve(); err == nil {
		t.Fatal("a stack without a rubric resolved")
	}
}

// The rubric's profiles come first and win over the config file's of the
// same name; the config file's others follow in file order.
func TestProfilesOf(t *testing.T) {
	r := bundled(t)
	cfg, diags := ParseConfig("c.yaml", []byte("profiles:\n  military:\n    offence: 9\n  navy:\n    reason: sea\n    weights:\n      offence: 4\n"))
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	ps := ProfilesOf(r, cfg)
	if got, want := len(ps), len(r.Profiles)+1; got != want {
		t.Fatalf("%d profiles, want %d: %v", got, want, ps.Names())
	}
	m, _ := ps.Find("military")
	if m.Config || !strings.HasPrefix(m.Source, "rubric bundled:rubrics/iiss-seven-pillars.yaml:") {
		t.Errorf("military is %+v, want the rubric's", m)
	}
	n, ok := ps.Find("navy")
	if !ok || !n.Config || n.Source != "config c.yaml:4:3" || n.Reason != "sea" || n.Weights[0].Value != 4 || ps[len(ps)-1].Name != "navy" {
		t.Errorf("navy is %+v", n)
	}
	if _, ok := ps.Find("nope"); ok {
		t.Error("found a profile that is not there")
	}
	if names := ps.SortedNames(); !strings.HasPrefix(strings.Join(names, ","), "defence-first,") {
		t.Errorf("sorted names %v", names)
	}
	if len(ProfilesOf(r, nil)) != len(r.Profiles) {
		t.Error("without a config file, not the rubric's profiles")
	}
}

// A rubric with an empty level resolves: there is nothing there to weigh.
func TestStackEmptyLevels(t *testing.T) {
	for _, r := range []*rubric.Rubric{{}, {Pillars: []rubric.Pillar{{ID: "p", Weight: 1}}}} {
		s, err := Stack{Rubric: r}.Resolve()
		if err != nil || len(s.Pillar) != len(r.Pillars) {
			t.Errorf("%d pillars: %v, %v", len(r.Pillars), s, err)
		}
	}
}
