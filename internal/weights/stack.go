package weights

import (
	"errors"
	"sort"

	"github.com/capscore/capscore/internal/rubric"
)

// Stack is every layer of weights for one rubric. Resolve applies them in
// the one fixed order, rubric → profile → config → env → flag → the named
// layers, whatever order they were filled in; it is the only way to
// resolve effective weights (no command, compare column or page builds
// them otherwise).
type Stack struct {
	Rubric *rubric.Rubric
	// Profile is the profile in force, nil for none. A compare column's
	// --profile-a/-b or the page's profile takes the place of --profile.
	Profile *ProfileLayer
	Config  []Override // the config file's weights
	Env     []Override // CAPSCORE_WEIGHTS
	Flags   []Override // --weight
	// Extra are layers stronger than the flags, in order: a compare
	// column's --weights-a or --weights-b, the page's own weights. Their
	// weights count as set by a flag wherever an origin is shown, and a
	// problem with one names its layer first.
	Extra []NamedLayer
}

// NamedLayer is one layer of Stack.Extra.
type NamedLayer struct {
	Name    string
	Weights []Override
}

// ProfileLayer is a named profile: the profile layer of a stack.
type ProfileLayer struct {
	Name   string
	Reason string
	// Source is where the profile is defined: "rubric FILE:LINE:COL" or
	// "config FILE:LINE:COL".
	Source  string
	Config  bool // from the config file, not the rubric
	Weights []Override
}

// ProfileList is the profiles a stack can take.
type ProfileList []ProfileLayer

// ProfilesOf lists the rubric's profiles, then the config file's (cfg may
// be nil) whose names the rubric does not use: a rubric's profile wins over
// a config file's of the same name.
func ProfilesOf(r *rubric.Rubric, cfg *ConfigFile) ProfileList {
	var out ProfileList
	for i := range r.Profiles {
		p := &r.Profiles[i]
		out = append(out, ProfileLayer{Name: p.Name, Reason: p.Reason, Source: "rubric " + p.Pos.String(), Weights: FromProfile(p, p.Name)})
	}
	if cfg != nil {
		for _, p := range cfg.Profiles {
			if _, clash := r.Profile(p.Name); !clash {
				out = append(out, ProfileLayer{Name: p.Name, Reason: p.Reason, Source: "config " + p.Pos.String(), Config: true, Weights: p.Weights})
			}
		}
	}
	return out
}

// Find returns the profile called name.
func (l ProfileList) Find(name string) (*ProfileLayer, bool) {
	for i := range l {
		if l[i].Name == name {
			return &l[i], true
		}
	}
	return nil, false
}

// Names lists the profiles' names in list order.
func (l ProfileList) Names() []string {
	out := make([]string, len(l))
	for i, p := range l {
		out[i] = p.Name
	}
	return out
}

// SortedNames lists the profiles' names alphabetically, as messages give
// them.
func (l ProfileList) SortedNames() []string {
	out := l.Names()
	sort.Strings(out)
	return out
}

// Resolve applies every layer over the rubric's own weights, in the
// stack's order, and checks that no level is left all zero. Each weight
// remembers its origin; the layer it records is the one the stack put the
// override in, whatever the override said. It stops at the first layer
// with a problem, returning every problem of that layer.
func (s Stack) Resolve() (*Set, error) {
	if s.Rubric == nil {
		return nil, errors.New("weights: a stack needs a rubric")
	}
	set := Defaults(s.Rubric)
	if s.Profile != nil {
		if err := set.apply(s.Rubric, Profile, s.Profile.Weights); err != nil {
			return nil, err
		}
	}
	for _, l := range []struct {
		layer Layer
		ov    []Override
	}{{Config, s.Config}, {Env, s.Env}, {Flag, s.Flags}} {
		if err := set.apply(s.Rubric, l.layer, l.ov); err != nil {
			return nil, err
		}
	}
	for _, l := range s.Extra {
		if err := set.apply(s.Rubric, Flag, l.Weights); err != nil {
			return nil, named(l.Name, err)
		}
	}
	if errs := set.check(s.Rubric); len(errs) > 0 {
		for _, e := range errs {
			e.In = s.extraOf(e.Origin)
		}
		return nil, join(errs)
	}
	return set, nil
}

// extraOf names the named layer that set a weight of origin o, "" when no
// named layer did.
func (s Stack) extraOf(o Origin) string {
	if o.Layer != Flag {
		return ""
	}
	in := ""
	for _, l := range s.Extra {
		for _, ov := range l.Weights {
			if ov.Origin.Source == o.Source && ov.Origin.Name == o.Name {
				in = l.Name // the strongest layer with this origin
			}
		}
	}
	return in
}

// named marks every problem of a named layer with its name.
func named(name string, err error) error {
	var errs []error
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		errs = j.Unwrap()
	} else {
		errs = []error{err}
	}
	for _, e := range errs {
		var we *Error
		if errors.As(e, &we) {
			we.In = name
		}
	}
	return err
}

func join(errs []*Error) error {
	out := make([]error, len(errs))
	for i, e := range errs {
		out[i] = e
	}
	return errors.Join(out...)
}
