package weights

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/capscore/capscore/internal/load"
	"github.com/capscore/capscore/internal/rubric"
)

func bundled(t testing.TB) *rubric.Rubric {
	t.Helper()
	in := load.BundledRubric()
	r, diags := rubric.Parse(in.Name, in.Data)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	return r
}

func flag(text string) []Override {
	o, err := ParseAssignment(text, Origin{Layer: Flag, Source: "--weight " + text})
	if err != nil {
		panic(err)
	}
	return []Override{o}
}

func TestDefaultsCarryRubricPositions(t *testing.T) {
	r := bundled(t)
	s := Defaults(r)
	for p, pl := range r.Pillars {
		if s.Pillar[p] != pl.Weight {
			t.Errorf("%s: weight %g, rubric says %g", pl.ID, s.Pillar[p], pl.Weight)
		}
		want := Origin{Layer: Default, Source: pl.Pos.String()}
		if s.PillarOrigin[p] != want {
			t.Errorf("%s: origin %v, want %v", pl.ID, s.PillarOrigin[p], want)
		}
		for c, cr := range pl.Criteria {
			if s.Criterion[p][c] != cr.Weight || s.CriterionOrigin[p][c].Source != cr.Pos.String() {
				t.Errorf("%s: %g from %v", cr.ID, s.Criterion[p][c], s.CriterionOrigin[p][c])
			}
		}
	}
	if got := s.PillarOrigin[6].String(); !strings.HasPrefix(got, "rubric bundled:rubrics/iiss-seven-pillars.yaml:") {
		t.Errorf("origin reads %q", got)
	}
}

func TestResolveLayers(t *testing.T) {
	r := bundled(t)
	prof, _ := r.Profile("military")
	env, err := ParseList("offence=3,intelligence=1.25", Origin{Layer: Env, Source: "CAPSCORE_WEIGHTS"})
	if err != nil {
		t.Fatal(err)
	}
	cfg := []Override{{ID: "offence", Value: 2.5, Origin: Origin{Layer: Config, Source: "capscore.yaml:2:3"}}}
	s, err := Stack{Rubric: r, Profile: &ProfileLayer{Name: "military", Weights: FromProfile(prof, "military")}, Config: cfg, Env: env, Flags: flag("offence=4")}.Resolve()
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		id     string
		value  float64
		origin string
	}{
		{"offence", 4, "flag --weight offence=4"},
		{"intelligence", 1.25, "env CAPSCORE_WEIGHTS"},
		{"governance", 1.5, "profile military (bundled:rubrics/iiss-seven-pillars.yaml:107:7)"},
		{"military-cyber-command", 2, "profile military (bundled:rubrics/iiss-seven-pillars.yaml:108:7)"},
		{"strategy", 1, "rubric bundled:rubrics/iiss-seven-pillars.yaml:113:5"},
	} {
		ref, _ := r.Lookup(tt.id)
		v, o := s.Pillar[ref.Pillar], s.PillarOrigin[ref.Pillar]
		if ref.Criterion >= 0 {
			v, o = s.Criterion[ref.Pillar][ref.Criterion], s.CriterionOrigin[ref.Pillar][ref.Criterion]
		}
		if v != tt.value || o.String() != tt.origin {
			t.Errorf("%s = %g from %q, want %g from %q", tt.id, v, o, tt.value, tt.origin)
		}
	}
	// Resolving leaves the rubric's defaults alone.
	if d := Defaults(r); d.Pillar[6] != 1 {
		t.Errorf("defaults changed: offence %g", d.Pillar[6])
	}
}

func TestErrorsNameTheLayer(t *testing.T) {
	r := bundled(t)
	envList := func(s string) []Override {
		l, err := ParseList(s, Origin{Layer: Env, Source: "CAPSCORE_WEIGHTS"})
		if err != nil {
			t.Fatal(err)
		}
		return l
	}
	var zero []Override
	for _, p := range r.Pillars {
		zero = append(zero, flag(p.ID+"=0")...)
	}
	var zeroOffence []Override
	for _, c := range r.Pillars[6].Criteria {
		zeroOffence = append(zeroOffence, envList(c.ID+"=0")...)
	}
	for _, tt := range []struct {
		name  string
		stack Stack
		want  string
	}{
		{"flag typo", Stack{Flags: flag("offense=2")}, `--weight offense=2: unknown pillar or criterion "offense" (did you mean "offence"?)`},
		{"env typo", Stack{Env: envList("inteligence=2")}, `env CAPSCORE_WEIGHTS: inteligence=2: unknown pillar or criterion "inteligence" (did you mean "intelligence"?)`},
		{"config unknown", Stack{Config: []Override{{ID: "cyber", Value: 1, Origin: Origin{Layer: Config, Source: "c.yaml:3:3"}, Text: "cyber=1"}}},
			`config c.yaml:3:3: cyber=1: unknown pillar or criterion "cyber"`},
		{"all pillars zero", Stack{Flags: zero}, "--weight offence=0: pillars: every weight at this level is 0; set at least one above 0"},
		{"criteria zero", Stack{Env: zeroOffence}, "env CAPSCORE_WEIGHTS: criteria of pillar offence: every weight at this level is 0"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			tt.stack.Rubric = r
			_, err := tt.stack.Resolve()
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Fatalf("got %v\nwant %s", err, tt.want)
			}
			var we *Error
			if !errors.As(err, &we) {
				t.Fatalf("%T is not a *weights.Error", err)
			}
		})
	}
	_, err := Stack{Rubric: r, Flags: zero}.Resolve()
	if !errors.Is(err, ErrAllZero) {
		t.Errorf("all-zero error does not wrap ErrAllZero: %v", err)
	}
}

func TestParseAssignment(t *testing.T) {
	origin := Origin{Layer: Flag, Source: "--weight"}
	for _, tt := range []struct {
		text  string
		id    string
		value float64
		err   string
	}{
		{"offence=2", "offence", 2, ""},
		{" national-strategy = 0.5 ", "national-strategy", 0.5, ""},
		{"offence=0", "offence", 0, ""},
		{"offence=x", "", 0, "--weight offence=x: not a number"},
		{"offence=2,strategy=1", "", 0, "--weight offence=2,strategy=1: not a number; give one id=value each"},
		{"offence", "", 0, "--weight offence: write id=value, e.g. offence=2"},
		{"=2", "", 0, "--weight =2: write id=value"},
		{"offence=-1", "", 0, "--weight offence=-1: negative; weights are relative and at least 0"},
		{"offence=NaN", "", 0, "--weight offence=NaN: not a finite number"},
		{"offence=Inf", "", 0, "--weight offence=Inf: not a finite number"},
		{"offence=1e400", "", 0, "--weight offence=1e400: not a finite number"},
		{"offence=1.7976931348623157e308", "offence", math.MaxFloat64, ""},
		{"offence=5e-324", "offence", math.SmallestNonzeroFloat64, ""},
		// A newline or a control character is shown escaped, on one line.
		{"offence=2\nstrategy=x", "", 0, `--weight "offence=2\nstrategy=x": not a number; give one id=value each`},
		{"off\x1bence=x", "", 0, `--weight "off\x1bence=x": not a number`},
	} {
		o, err := ParseAssignment(tt.text, origin)
		switch {
		case tt.err == "" && err != nil:
			t.Errorf("%q: %v", tt.text, err)
		case tt.err == "" && (o.ID != tt.id || o.Value != tt.value || o.Text != tt.text):
			t.Errorf("%q: got %+v", tt.text, o)
		case tt.err != "" && (err == nil || !strings.HasPrefix(err.Error(), tt.err)):
			t.Errorf("%q: got %v, want %s", tt.text, err, tt.err)
		}
	}
}

func TestParseListReportsEveryProblem(t *testing.T) {
	list, err := ParseList("offence=2, ,intelligence=x,strategy=-1,governance=1", Origin{Layer: Env, Source: "CAPSCORE_WEIGHTS"})
	if len(list) != 2 || list[0].ID != "offence" || list[1].ID != "governance" {
		t.Errorf("kept %+v", list)
	}
	msg := err.Error()
	for _, want := range []string{"env CAPSCORE_WEIGHTS: intelligence=x: not a number", "env CAPSCORE_WEIGHTS: strategy=-1: negative"} {
		if !strings.Contains(msg, want) {
			t.Errorf("missing %q in:\n%s", want, msg)
		}
	}
}

func TestFromProfileNamesEachSetting(t *testing.T) {
	r := bundled(t)
	p, ok := r.Profile("defence-first")
	if !ok {
		t.Fatal("no defence-first profile")
	}
	ov := FromProfile(p, "defence-first")
	if len(ov) != len(p.Weights) {
		t.Fatalf("%d overrides for %d settings", len(ov), len(p.Weights))
	}
	for i, o := range ov {
		want := "profile defence-first (" + p.Weights[i].Pos.String() + ")"
		if o.Origin.String() != want || o.ID != p.Weights[i].ID || o.Value != p.Weights[i].Value {
			t.Errorf("%+v, want origin %s", o, want)
		}
	}
}

func TestEffective(t *testing.T) {
	r := bundled(t)
	s, err := Stack{Rubric: r, Flags: append(flag("offence=3"), flag("offensive-intent=0")...)}.Resolve()
	if err != nil {
		t.Fatal(err)
	}
	es := s.Effective(r)
	n := len(r.Pillars)
	for _, p := range r.Pillars {
		n += len(p.Criteria)
	}
	if len(es) != n {
		t.Fatalf("%d entries, want %d", len(es), n)
	}
	var pillars, overall float64
	for _, e := range es {
		if e.Criterion < 0 {
			pillars += e.Normalised
			continue
		}
		overall += e.OfOverall
		want := es[indexOf(es, r.Pillars[e.Pillar].ID)].Normalised * e.Normalised
		if math.Abs(e.OfOverall-want) > 1e-15 {
			t.Errorf("%s: of overall %g, want %g", e.ID, e.OfOverall, want)
		}
	}
	if math.Abs(pillars-1) > 1e-12 || math.Abs(overall-1) > 1e-12 {
		t.Errorf("pillars sum to %g, criteria of overall to %g", pillars, overall)
	}
	off := es[indexOf(es, "offence")]
	if off.Relative != 3 || off.Normalised != 3.0/9 || off.Origin.Layer != Flag {
		t.Errorf("offence: %+v", off)
	}
	if in := es[indexOf(es, "offensive-intent")]; in.Normalised != 0 || in.OfOverall != 0 {
		t.Errorf("offensive-intent: %+v", in)
	}
}

func indexOf(es []Effective, id string) int {
	for i, e := range es {
		if e.ID == id {
			return i
		}
	}
	return -1
}

func TestLayerRank(t *testing.T) {
	for i, l := range Layers() {
		if l.Rank() != i {
			t.Errorf("%s ranks %d, want %d", l, l.Rank(), i)
		}
	}
	if Layer("nope").Rank() != -1 {
		t.Error("unknown layer ranks")
	}
}

func TestCloneIsIndependent(t *testing.T) {
	r := bundled(t)
	s := Defaults(r)
	c := s.Clone()
	c.Pillar[0], c.Criterion[0][0] = 9, 9
	c.PillarOrigin[0].Layer = Flag
	if s.Pillar[0] == 9 || s.Criterion[0][0] == 9 || s.PillarOrigin[0].Layer == Flag {
		t.Error("clone shares storage with the original")
	}
}

// A weight of -0, from any layer, is 0: it prints and normalises as 0.
func TestNegativeZeroIsZero(t *testing.T) {
	r := bundled(t)
	o, err := ParseAssignment("offence=-0", Origin{Layer: Flag})
	if err != nil || math.Signbit(o.Value) {
		t.Fatalf("ParseAssignment: %+v, %v", o, err)
	}
	negZero := math.Copysign(0, -1)
	s, err := Stack{Rubric: r,
		Config: []Override{{ID: "strategy", Value: negZero, Origin: Origin{Layer: Config}, Text: "strategy=-0"}},
		Flags:  []Override{{ID: "national-strategy", Value: negZero, Origin: Origin{Layer: Flag}, Text: "national-strategy=-0"}},
	}.Resolve()
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range s.Effective(r) {
		if math.Signbit(e.Relative) || math.Signbit(e.Normalised) || math.Signbit(e.OfOverall) {
			t.Errorf("%s: %v %v %v has a negative sign", e.ID, e.Relative, e.Normalised, e.OfOverall)
		}
	}
	p := &rubric.Profile{Weights: []rubric.Setting{{ID: "offence", Value: negZero}}}
	if got := FromProfile(p, "x")[0]; math.Signbit(got.Value) || got.Text != "offence=0" {
		t.Errorf("FromProfile: %+v", got)
	}
}

// Sibling weights anywhere in the float64 range normalise to finite shares
// that sum to 1, in the ratios given.
func TestNormalizeExtremes(t *testing.T) {
	const (
		tiny = math.SmallestNonzeroFloat64
		top  = math.MaxFloat64
	)
	for _, tt := range []struct {
		in, want []float64
	}{
		{[]float64{1.7e308, 1.7e308}, []float64{0.5, 0.5}},
		{[]float64{top, top, top, top}, []float64{0.25, 0.25, 0.25, 0.25}},
		{[]float64{1e308, 1e308, 0}, []float64{0.5, 0.5, 0}},
		{[]float64{tiny, tiny}, []float64{0.5, 0.5}},
		{[]float64{tiny, 3 * tiny}, []float64{0.25, 0.75}},
		{[]float64{0, tiny, 1e308, 1.7e308, top}, []float64{0, 0, 1e308 / (1e308 + 1.7e308 + top), 1.7e308 / (1e308 + 1.7e308 + top), top / (1e308 + 1.7e308 + top)}},
		{[]float64{0, 0}, []float64{0, 0}},
	} {
		got := Normalize(tt.in)
		sum := 0.0
		for i := range got {
			sum += got[i]
			if !(got[i] >= 0 && got[i] <= 1) || math.Abs(got[i]-tt.want[i]) > 1e-15 {
				t.Errorf("Normalize(%v) = %v, want %v", tt.in, got, tt.want)
				break
			}
		}
		if tt.want[0]+tt.want[1] > 0 && math.Abs(sum-1) > 1e-15 {
			t.Errorf("Normalize(%v) sums to %v", tt.in, sum)
		}
		scaled := Scaled(tt.in)
		for i, w := range scaled {
			if !(w >= 0 && w < 1) || (w > 0) != (tt.in[i] > 0) {
				t.Errorf("Scaled(%v) = %v: not in [0, 1) or a positive weight lost", tt.in, scaled)
				break
			}
		}
	}
}
