// Package weights resolves effective weights in layers (rubric default,
// profile, config file, environment, flags, then named layers such as a
// compare column's own weights), each overriding the one before, and
// remembers which layer set every weight. A Stack holds the layers and is
// the one way to resolve them.
package weights

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/capscore/capscore/internal/diag"
	"github.com/capscore/capscore/internal/rubric"
)

// Layer names where a weight was set, from weakest to strongest.
type Layer string

const (
	Default Layer = "rubric"
	Profile Layer = "profile"
	Config  Layer = "config"
	Env     Layer = "env"
	Flag    Layer = "flag"
)

// Layers lists the layers from weakest to strongest: each overrides the
// ones before it.
func Layers() []Layer { return []Layer{Default, Profile, Config, Env, Flag} }

// Rank is a layer's place in Layers, -1 for an unknown layer.
func (l Layer) Rank() int {
	for i, x := range Layers() {
		if x == l {
			return i
		}
	}
	return -1
}

// Origin is where one weight was set: the layer, and the file, profile,
// variable or flag within it.
type Origin struct {
	Layer  Layer
	Source string
	// Name is the profile, config file or variable within the layer that
	// set the weight, as a header names it; "" for the rubric and flags.
	Name string
}

func (o Origin) String() string {
	if o.Source == "" {
		return string(o.Layer)
	}
	return string(o.Layer) + " " + o.Source
}

// Override sets one pillar or criterion weight.
type Override struct {
	ID     string
	Value  float64
	Origin Origin
	// Text is how the user wrote it, for messages ("offence=2").
	Text string
}

// Set holds the effective relative weights of one rubric, indexed like its
// pillars and criteria, with the origin of each.
type Set struct {
	Pillar          []float64
	PillarOrigin    []Origin
	Criterion       [][]float64
	CriterionOrigin [][]Origin
}

// Defaults returns the rubric's own weights: the bottom of every Stack, and
// what a stack with no other layer resolves to for a rubric that parsed.
// Outside this package only tests call it, for a fixture; commands and the
// server resolve a Stack.
func Defaults(r *rubric.Rubric) *Set {
	s := &Set{
		Pillar:          make([]float64, len(r.Pillars)),
		PillarOrigin:    make([]Origin, len(r.Pillars)),
		Criterion:       make([][]float64, len(r.Pillars)),
		CriterionOrigin: make([][]Origin, len(r.Pillars)),
	}
	for p, pl := range r.Pillars {
		s.Pillar[p] = unsigned(pl.Weight)
		s.PillarOrigin[p] = Origin{Layer: Default, Source: pl.Pos.String()}
		s.Criterion[p] = make([]float64, len(pl.Criteria))
		s.CriterionOrigin[p] = make([]Origin, len(pl.Criteria))
		for c, cr := range pl.Criteria {
			s.Criterion[p][c] = unsigned(cr.Weight)
			s.CriterionOrigin[p][c] = Origin{Layer: Default, Source: cr.Pos.String()}
		}
	}
	return s
}

// Clone returns an independent copy.
func (s *Set) Clone() *Set {
	c := &Set{
		Pillar:          append([]float64(nil), s.Pillar...),
		PillarOrigin:    append([]Origin(nil), s.PillarOrigin...),
		Criterion:       make([][]float64, len(s.Criterion)),
		CriterionOrigin: make([][]Origin, len(s.CriterionOrigin)),
	}
	for i := range s.Criterion {
		c.Criterion[i] = append([]float64(nil), s.Criterion[i]...)
		c.CriterionOrigin[i] = append([]Origin(nil), s.CriterionOrigin[i]...)
	}
	return c
}

// Carry carries the weights w of rubric from onto rubric to, by id, with
// their origins; ids that from lacks keep their weight in fallback (a set
// on to). It is w itself when the rubrics are the same.
func Carry(from *rubric.Rubric, w *Set, to *rubric.Rubric, fallback *Set) *Set {
	if from == to {
		return w
	}
	out := fallback.Clone()
	for p, pl := range to.Pillars {
		if ref, ok := from.Lookup(pl.ID); ok && ref.Criterion < 0 {
			out.Pillar[p] = w.Pillar[ref.Pillar]
			out.PillarOrigin[p] = w.PillarOrigin[ref.Pillar]
		}
		for c, cr := range pl.Criteria {
			if ref, ok := from.Lookup(cr.ID); ok && ref.Criterion >= 0 {
				out.Criterion[p][c] = w.Criterion[ref.Pillar][ref.Criterion]
				out.CriterionOrigin[p][c] = w.CriterionOrigin[ref.Pillar][ref.Criterion]
			}
		}
	}
	return out
}

// Error is a problem with one override, naming the layer and what was
// written.
type Error struct {
	Origin Origin
	Text   string
	Err    error
	// In is the named layer of a stack (Stack.Extra) that set the weight,
	// which the message names first: "--weights-b: --weight offense=2: ...".
	In string
}

// Error reads "--weight offence=x: not a number" for a flag, whose source
// already shows what was written, and "env CAPSCORE_WEIGHTS: offence=x: not
// a number" for the other layers.
func (e *Error) Error() string {
	if e.In != "" {
		in := *e
		in.In = ""
		return e.In + ": " + in.Error()
	}
	if e.Origin.Layer == Flag {
		where := e.Origin.Source
		if e.Text != "" {
			where = "--weight " + shown(e.Text)
		}
		return fmt.Sprintf("%s: %v", where, e.Err)
	}
	if e.Text != "" {
		return fmt.Sprintf("%s: %s: %v", e.Origin, shown(e.Text), e.Err)
	}
	return fmt.Sprintf("%s: %v", e.Origin, e.Err)
}

// shown is what was written as a message shows it: as it is when it is
// plain printable text, else quoted with escapes, so that a newline or a
// control character in a variable or flag keeps the message on one line
// and cannot act on the terminal.
func shown(text string) string {
	if q := strconv.Quote(text); q[1:len(q)-1] != text {
		return q
	}
	return text
}

func (e *Error) Unwrap() error { return e.Err }

// ErrAllZero is returned when every weight among siblings is zero.
var ErrAllZero = errors.New("every weight at this level is 0; set at least one above 0")

// apply sets each override as set by layer, refusing unknown ids and bad
// values. Only a Stack applies layers, in its fixed order.
func (s *Set) apply(r *rubric.Rubric, layer Layer, overrides []Override) error {
	var errs []error
	for _, o := range overrides {
		origin := o.Origin
		origin.Layer = layer
		if err := checkValue(o.Value); err != nil {
			errs = append(errs, &Error{Origin: origin, Text: o.Text, Err: err})
			continue
		}
		ref, ok := r.Lookup(o.ID)
		if !ok {
			errs = append(errs, &Error{Origin: origin, Text: o.Text,
				Err: fmt.Errorf("unknown pillar or criterion %q%s", o.ID, diag.DidYouMean(o.ID, r.IDs()))})
			continue
		}
		v := unsigned(o.Value)
		if ref.Criterion < 0 {
			s.Pillar[ref.Pillar] = v
			s.PillarOrigin[ref.Pillar] = origin
		} else {
			s.Criterion[ref.Pillar][ref.Criterion] = v
			s.CriterionOrigin[ref.Pillar][ref.Criterion] = origin
		}
	}
	return errors.Join(errs...)
}

// unsigned turns -0 into 0, which is what a weight of -0 means; it would
// otherwise print as -0 and stay -0 through normalising.
func unsigned(v float64) float64 {
	if v == 0 {
		return 0
	}
	return v
}

func checkValue(v float64) error {
	switch {
	case math.IsNaN(v) || math.IsInf(v, 0):
		return errors.New("not a finite number")
	case v < 0:
		return errors.New("negative; weights are relative and at least 0")
	}
	return nil
}

// Check refuses every level (the pillars, or one pillar's criteria) whose
// weights are all zero, blaming the strongest layer that set one of them.
func (s *Set) Check(r *rubric.Rubric) error {
	return join(s.check(r))
}

func (s *Set) check(r *rubric.Rubric) []*Error {
	var errs []*Error
	// A level with nothing in it has nothing to weigh.
	if len(s.Pillar) > 0 && sum(s.Pillar) == 0 {
		errs = append(errs, &Error{Origin: lastOrigin(s.PillarOrigin), Err: fmt.Errorf("pillars: %w", ErrAllZero)})
	}
	for p := range s.Criterion {
		if len(s.Criterion[p]) > 0 && sum(s.Criterion[p]) == 0 {
			errs = append(errs, &Error{Origin: lastOrigin(s.CriterionOrigin[p]), Err: fmt.Errorf("criteria of pillar %s: %w", r.Pillars[p].ID, ErrAllZero)})
		}
	}
	return errs
}

// lastOrigin picks the strongest layer among siblings, the one to blame;
// among equals, the last sibling.
func lastOrigin(os []Origin) Origin {
	best := os[0]
	for _, o := range os[1:] {
		if o.Layer.Rank() >= best.Layer.Rank() {
			best = o
		}
	}
	return best
}

func sum(xs []float64) float64 {
	t := 0.0
	for _, x := range xs {
		t += x
	}
	return t
}

// Exponent is the power of two that scaling divides sibling weights ws by:
// the largest then lies in [0.5, 1), so a sum of any number of them stays
// finite whatever finite weights were given. It is 0 when every weight is 0.
func Exponent(ws []float64) int {
	m := 0.0
	for _, w := range ws {
		m = max(m, w)
	}
	if m == 0 {
		return 0
	}
	_, e := math.Frexp(m)
	return e
}

// Scale divides sibling weights by 2 to the power e (see Exponent) into
// dst, which must be as long as ws. Dividing by a power of two is exact
// unless a weight falls below the smallest normal float64 relative to the
// largest, so a weighted mean of scaled weights is the very number the
// unscaled weights give when their sum does not overflow. A positive
// weight stays positive: where it would round to 0 it becomes the smallest
// float64, so scaling never changes which weights count.
func Scale(dst, ws []float64, e int) {
	for i, w := range ws {
		dst[i] = ScaleOne(w, e)
	}
}

// ScaleOne divides one weight by 2 to the power e as Scale does: a
// positive weight stays positive.
func ScaleOne(w float64, e int) float64 {
	v := math.Ldexp(w, -e)
	if v == 0 && w > 0 {
		return math.SmallestNonzeroFloat64
	}
	return v
}

// Scaled returns sibling weights scaled by their own largest; see Scale.
func Scaled(ws []float64) []float64 {
	out := make([]float64, len(ws))
	Scale(out, ws, Exponent(ws))
	return out
}

// Normalize scales weights to sum to 1; all-zero input stays zero. They
// are scaled by the largest before summing, so no finite weights overflow.
func Normalize(ws []float64) []float64 {
	out := Scaled(ws)
	t := sum(out)
	if t == 0 {
		return out
	}
	for i, w := range out {
		out[i] = w / t
	}
	return out
}

// ParseAssignment reads one id=value.
func ParseAssignment(text string, origin Origin) (Override, error) {
	id, val, ok := strings.Cut(text, "=")
	id, val = strings.TrimSpace(id), strings.TrimSpace(val)
	if !ok || id == "" {
		return Override{}, &Error{Origin: origin, Text: text, Err: errors.New("write id=value, e.g. offence=2")}
	}
	v, err := strconv.ParseFloat(val, 64)
	if err != nil {
		if errors.Is(err, strconv.ErrRange) {
			return Override{}, &Error{Origin: origin, Text: text, Err: errors.New("not a finite number")}
		}
		if strings.ContainsAny(val, ",=") {
			return Override{}, &Error{Origin: origin, Text: text, Err: errors.New("not a number; give one id=value each")}
		}
		return Override{}, &Error{Origin: origin, Text: text, Err: errors.New("not a number")}
	}
	if err := checkValue(v); err != nil {
		return Override{}, &Error{Origin: origin, Text: text, Err: err}
	}
	return Override{ID: id, Value: unsigned(v), Origin: origin, Text: text}, nil
}

// ParseList reads comma-separated id=value pairs, as in CAPSCORE_WEIGHTS.
func ParseList(text string, origin Origin) ([]Override, error) {
	var out []Override
	var errs []error
	for _, part := range strings.Split(text, ",") {
		if strings.TrimSpace(part) == "" {
			continue
		}
		o, err := ParseAssignment(part, origin)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		out = append(out, o)
	}
	return out, errors.Join(errs...)
}

// FromProfile turns a rubric profile into overrides of the profile layer.
// Each override's source is name followed by the place its weight is
// written: "defence-first (rubrics/iiss-seven-pillars.yaml:62:7)".
func FromProfile(p *rubric.Profile, name string) []Override {
	out := make([]Override, len(p.Weights))
	for i, s := range p.Weights {
		out[i] = Override{ID: s.ID, Value: unsigned(s.Value), Origin: Origin{Layer: Profile, Source: fmt.Sprintf("%s (%s)", name, s.Pos), Name: name},
			Text: fmt.Sprintf("%s=%g", s.ID, unsigned(s.Value))}
	}
	return out
}
