// Package testgen generates random rubrics, assessments, config files and
// weight settings for property tests of the command line: valid ones across
// the whole range the formats allow (2 to 11 levels, weights from 0 to the
// float64 limit, measured and judged criteria, capped findings, every tier
// condition), and a share broken on purpose. Only tests import it.
package testgen

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
)

// PillarIDs are the seven pillars every rubric has, in order.
var PillarIDs = []string{"strategy", "governance", "intelligence", "empowerment", "resilience", "leadership", "offence"}

var pillarTitles = []string{
	"Strategy and doctrine", "Governance, command and control", "Core cyber-intelligence capability",
	"Cyber empowerment and dependence", "Cyber security and resilience",
	"Global leadership in cyberspace affairs", "Offensive cyber capability",
}

// Rubric is the model of a generated rubric file.
type Rubric struct {
	ID, Version, Title string
	Min, Max           int
	Labels             map[int]string
	Aggregation        string // "" leaves the key out
	Missing            string
	MinSources         map[int]int // nil leaves evidence out
	Tiers              []Tier
	Profiles           []Profile
	Pillars            []Pillar
}

// Tier is one rung; nil conditions are left out.
type Tier struct {
	ID, Label          string
	OverallAtLeast     *float64
	EveryPillarAtLeast *float64
	PillarsAtLeast     *CountAtLeast
}

// CountAtLeast asks for Count pillars at Score or more.
type CountAtLeast struct {
	Count int
	Score float64
}

// Profile is a named weight set, in the rubric or in a config file.
type Profile struct {
	Name, Reason string
	Weights      []Setting
}

// Setting is one id=value weight.
type Setting struct {
	ID    string
	Value float64
}

// Pillar is one of the seven pillars.
type Pillar struct {
	ID, Title string
	Weight    float64
	Criteria  []Criterion
}

// Criterion is a judged or (with Measure) measured criterion.
type Criterion struct {
	ID, Title string
	Weight    float64
	Measure   *Measure
}

// Measure reads a criterion's level from a fact.
type Measure struct {
	Fact, Unit string
	Thresholds []float64
}

// Assessment is the model of a generated assessment file.
type Assessment struct {
	Name                                  string // file name
	Country, Code, Rubric, Revision, AsOf string
	Supersedes                            string
	Sources                               []Source
	Facts                                 []Fact
	Findings                              []Finding
}

// Source is one cited work.
type Source struct{ ID, Title, Date string }

// Fact is a quantity a measured criterion reads.
type Fact struct {
	ID      string
	Value   float64
	Sources []string
}

// Finding is a judgement; Level nil leaves the key out.
type Finding struct {
	Criterion  string
	Level      *int
	Confidence string
	Rationale  string
	Evidence   []Claim
}

// Claim is one sentence of evidence.
type Claim struct {
	Text    string
	Sources []string
}

// Config is a generated config file.
type Config struct {
	Rubric      string // relative to the config file
	Profile     string
	Aggregation string
	Missing     string
	Weights     []Setting
	Profiles    []Profile
}

// Case is one generated run: the files and every setting a command line
// takes from flags, the environment and the config file.
type Case struct {
	Seed  uint64
	Index int

	Rubric      Rubric
	Assessments []Assessment // two or three; the first two are compared
	Config      *Config      // nil: no config file

	// How the rubric and the config file are named: "flag", "env" or,
	// for the rubric, "config".
	RubricVia, ConfigVia string
	// Settings given as flags (Flags) and as CAPSCORE_ variables (Env,
	// without the paths, which the test fills in).
	Flags []string
	Env   map[string]string
	// Profile is the profile in effect ("" for none); ProfileB is one for
	// compare --profile-b ("" when no profile exists).
	Profile, ProfileB string
	// ExplainPillar and ExplainCriterion are ids for explain.
	ExplainPillar, ExplainCriterion string

	// Mutation names what was broken on purpose ("" for a valid case);
	// ValidateFails is true when validate must then exit 1.
	Mutation      string
	ValidateFails bool
	// Literals are the non-finite numbers the mutation wrote into a file,
	// flag or variable (".nan", "+Inf"): an error message may quote them.
	Literals []string
	// Files holds each file's name and text as written, after mutation.
	Files map[string]string
}

// RubricFile, ConfigFile are the names the files are written under.
const (
	RubricFile = "rubric.yaml"
	ConfigFile = "capscore-config.yaml"
)

// words are the only words generated text is made of: none of them reads
// as a number (nan, inf) when a test scans output for non-finite numbers.
var words = strings.Fields(`alpha bravo cedar delta ember fjord grove harbor iris jade kestrel lumen
maple north opal pine quartz river slate timber umber vale willow xenon yarrow zephyr
agency budget cable doctrine exercise framework guidance incident network operator
policy registry standard treaty workforce citadel beacon signal lattice`)

// Generate makes case index of the stream seeded by seed; the same pair
// always gives the same case.
func Generate(seed uint64, index int) *Case {
	r := rand.New(rand.NewPCG(seed, uint64(index)*0x9e3779b97f4a7c15+1))
	g := &gen{r: r}
	c := &Case{Seed: seed, Index: index, Env: map[string]string{}}
	c.Rubric = g.rubric()
	n := 2 + r.IntN(2)
	sameCountry := r.IntN(2) == 0
	for i := range n {
		c.Assessments = append(c.Assessments, g.assessment(&c.Rubric, i, sameCountry))
	}
	g.settings(c)
	post := g.mutate(c)
	c.render()
	if post != nil {
		post()
	}
	return c
}

type gen struct{ r *rand.Rand }

func (g *gen) pick(xs ...string) string { return xs[g.r.IntN(len(xs))] }

func (g *gen) chance(p float64) bool { return g.r.Float64() < p }

func (g *gen) text(n int) string {
	ws := make([]string, n)
	for i := range ws {
		ws[i] = words[g.r.IntN(len(words))]
	}
	s := strings.Join(ws, " ")
	return strings.ToUpper(s[:1]) + s[1:]
}

// weight draws one weight from 0 up to the float64 limit.
func (g *gen) weight() float64 {
	switch g.r.IntN(16) {
	case 0, 1:
		return 0
	case 2:
		return 5e-324 // the smallest subnormal
	case 3:
		return 1e-310
	case 4, 5, 6:
		return 1
	case 7:
		return float64(2 + g.r.IntN(4))
	case 8:
		return math.Round(g.r.Float64()*1000) / 100
	case 9:
		return 1e308
	case 10:
		return 1.7e308
	case 11:
		return math.MaxFloat64
	case 12:
		return 1e300
	case 13:
		return 1e-300
	case 14:
		return 0.5
	default:
		return 1e6
	}
}

// siblings draws n sibling weights: all equal, all zero but one, or
// independent; never all zero.
func (g *gen) siblings(n int) []float64 {
	ws := make([]float64, n)
	switch g.r.IntN(4) {
	case 0:
		w := g.weight()
		for i := range ws {
			ws[i] = w
		}
	case 1:
		ws[g.r.IntN(n)] = g.weight()
	default:
		for i := range ws {
			ws[i] = g.weight()
		}
	}
	if !slices.ContainsFunc(ws, func(w float64) bool { return w > 0 }) {
		ws[g.r.IntN(n)] = 1
	}
	return ws
}

// threshold draws a tier score: the edges, the bundled rubric's 87.5, a
// score a pillar can land on exactly, or any.
func (g *gen) threshold(steps int) float64 {
	switch g.r.IntN(6) {
	case 0:
		return 0
	case 1:
		return 100
	case 2:
		return 87.5
	case 3, 4:
		return 100 * float64(g.r.IntN(steps+1)) / float64(steps)
	default:
		return math.Round(g.r.Float64()*10000) / 100
	}
}

func (g *gen) rubric() Rubric {
	r := g.r
	rb := Rubric{ID: "gen-" + strconv.Itoa(r.IntN(1000)), Version: fmt.Sprintf("%d.%d.0", 1+r.IntN(3), r.IntN(10)), Title: g.text(4)}
	rb.Min = []int{0, 0, 0, 1, -1, -5, 10}[r.IntN(7)]
	rb.Max = rb.Min + 1 + r.IntN(10) // 2 to 11 levels
	rb.Labels = map[int]string{}
	for l := rb.Min; l <= rb.Max; l++ {
		if g.chance(0.6) {
			rb.Labels[l] = words[r.IntN(len(words))]
		}
	}
	if g.chance(0.7) {
		rb.Aggregation = g.pick("arithmetic", "geometric")
	}
	if g.chance(0.7) {
		rb.Missing = g.pick("exclude", "zero")
	}
	if g.chance(0.8) {
		rb.MinSources = map[int]int{}
		for range 1 + r.IntN(3) {
			rb.MinSources[rb.Min+r.IntN(rb.Max-rb.Min+1)] = r.IntN(4)
		}
	}
	steps := rb.Max - rb.Min
	nt := 1 + r.IntN(4)
	for i := range nt {
		t := Tier{ID: strconv.Itoa(i + 1), Label: g.text(3)}
		if i < nt-1 {
			for t.OverallAtLeast == nil && t.EveryPillarAtLeast == nil && t.PillarsAtLeast == nil {
				if g.chance(0.5) {
					v := g.threshold(steps)
					t.OverallAtLeast = &v
				}
				if g.chance(0.35) {
					v := g.threshold(steps)
					t.EveryPillarAtLeast = &v
				}
				if g.chance(0.35) {
					t.PillarsAtLeast = &CountAtLeast{Count: 1 + r.IntN(7), Score: g.threshold(steps)}
				}
			}
		}
		rb.Tiers = append(rb.Tiers, t)
	}
	pw := g.siblings(7)
	crit := 0
	for p, id := range PillarIDs {
		pl := Pillar{ID: id, Title: pillarTitles[p], Weight: pw[p]}
		n := 1 + r.IntN(4)
		cw := g.siblings(n)
		for j := range n {
			crit++
			c := Criterion{ID: fmt.Sprintf("%s-c%d", id[:3], crit), Title: g.text(3), Weight: cw[j]}
			if g.chance(0.3) {
				c.Measure = &Measure{Fact: "fact-" + c.ID, Unit: g.pick("people", "teams", "units"), Thresholds: g.thresholds(steps)}
			}
			pl.Criteria = append(pl.Criteria, c)
		}
		rb.Pillars = append(rb.Pillars, pl)
	}
	for i := range r.IntN(3) {
		rb.Profiles = append(rb.Profiles, g.profile(fmt.Sprintf("rp%d", i), &rb))
	}
	return rb
}

// thresholds draws n strictly ascending finite thresholds, some of them at
// the float64 limit.
func (g *gen) thresholds(n int) []float64 {
	switch g.r.IntN(4) {
	case 0: // up to the limit
		out := make([]float64, n)
		for i := range out {
			out[n-1-i] = math.MaxFloat64 / math.Pow(10, float64(i))
		}
		return out
	case 1: // from below minus the limit
		out := make([]float64, n)
		for i := range out {
			out[i] = -math.MaxFloat64 / math.Pow(10, float64(i))
		}
		return out
	}
	out := make([]float64, n)
	v := float64(g.r.IntN(100))
	for i := range out {
		out[i] = v
		v += float64(1 + g.r.IntN(500))
	}
	return out
}

func (g *gen) ids(rb *Rubric) []string {
	ids := slices.Clone(PillarIDs)
	for _, p := range rb.Pillars {
		for _, c := range p.Criteria {
			ids = append(ids, c.ID)
		}
	}
	return ids
}

func (g *gen) settingsFor(rb *Rubric, n int) []Setting {
	ids := g.ids(rb)
	var out []Setting
	seen := map[string]bool{}
	for range n {
		id := ids[g.r.IntN(len(ids))]
		if seen[id] {
			continue
		}
		seen[id] = true
		out = append(out, Setting{ID: id, Value: g.weight()})
	}
	return out
}

func (g *gen) profile(name string, rb *Rubric) Profile {
	p := Profile{Name: name, Weights: g.settingsFor(rb, 1+g.r.IntN(4))}
	if g.chance(0.5) {
		p.Reason = g.text(5)
	}
	return p
}

func (g *gen) assessment(rb *Rubric, i int, sameCountry bool) Assessment {
	r := g.r
	countries := []struct{ name, code string }{{"Arland", "ARL"}, {"Borovia", "BRV"}, {"Cordia", "CRD"}}
	a := Assessment{Name: fmt.Sprintf("a%d.yaml", i), Rubric: rb.ID}
	year := 2020 + i
	if sameCountry {
		a.Country, a.Code = countries[0].name, countries[0].code
		a.Revision = strconv.Itoa(year)
		if i > 0 {
			a.Supersedes = strconv.Itoa(year - 1)
		}
	} else {
		a.Country, a.Code = countries[i].name, countries[i].code
		a.Revision = strconv.Itoa(year)
	}
	a.AsOf = fmt.Sprintf("%d-06-30", year)
	ns := r.IntN(7)
	var srcIDs []string
	for k := range ns {
		id := fmt.Sprintf("s%d", k+1)
		srcIDs = append(srcIDs, id)
		date := fmt.Sprintf("%d-%02d-%02d", year-1-r.IntN(3), 1+r.IntN(12), 1+r.IntN(28))
		if g.chance(0.2) {
			date = strconv.Itoa(year - 1)
		}
		a.Sources = append(a.Sources, Source{ID: id, Title: g.text(4), Date: date})
	}
	cite := func(max int) []string {
		if len(srcIDs) == 0 {
			return nil
		}
		k := r.IntN(min(max, len(srcIDs)) + 1)
		perm := r.Perm(len(srcIDs))[:k]
		out := make([]string, k)
		for j, p := range perm {
			out[j] = srcIDs[p]
		}
		return out
	}
	claims := func() []Claim {
		var cs []Claim
		for range r.IntN(4) {
			s := cite(2)
			if len(s) == 0 {
				continue
			}
			cs = append(cs, Claim{Text: g.text(6), Sources: s})
		}
		return cs
	}
	for _, p := range rb.Pillars {
		for _, c := range p.Criteria {
			if m := c.Measure; m != nil {
				measured := -1
				if g.chance(0.8) {
					f := Fact{ID: m.Fact, Value: g.factValue(m.Thresholds), Sources: cite(3)}
					a.Facts = append(a.Facts, f)
					measured = levelOf(rb.Min, m.Thresholds, f.Value)
				}
				if g.chance(0.6) {
					f := Finding{Criterion: c.ID, Confidence: g.confidence(), Evidence: claims()}
					// A measured finding may omit its level; a stated one
					// must agree with the fact.
					if measured >= 0 && g.chance(0.4) {
						l := measured
						f.Level = &l
					}
					if g.chance(0.5) {
						f.Rationale = g.text(8)
					}
					a.Findings = append(a.Findings, f)
				}
				continue
			}
			if !g.chance(0.85) {
				continue
			}
			f := Finding{Criterion: c.ID, Confidence: g.confidence(), Evidence: claims()}
			if g.chance(0.95) {
				l := rb.Min + r.IntN(rb.Max-rb.Min+1)
				f.Level = &l
			}
			if g.chance(0.7) {
				f.Rationale = g.text(8)
			}
			a.Findings = append(a.Findings, f)
		}
	}
	return a
}

func (g *gen) confidence() string { return g.pick("", "low", "medium", "high") }

// factValue lands below, on, between or above the thresholds, or at the
// float64 limit.
func (g *gen) factValue(t []float64) float64 {
	switch g.r.IntN(6) {
	case 0:
		return t[g.r.IntN(len(t))]
	case 1:
		return math.MaxFloat64
	case 2:
		return -math.MaxFloat64
	case 3:
		return 0
	}
	i := g.r.IntN(len(t))
	if i+1 < len(t) && t[i+1]-t[i] > 1 {
		return t[i] + 1
	}
	return t[i] - 1
}

func levelOf(min int, t []float64, v float64) int {
	l := min
	for _, x := range t {
		if v >= x {
			l++
		}
	}
	return l
}

// settings chooses the config file, profile, weight layers and overrides.
func (g *gen) settings(c *Case) {
	rb := &c.Rubric
	c.RubricVia = g.pick("flag", "flag", "env", "config")
	var profiles []string
	for _, p := range rb.Profiles {
		profiles = append(profiles, p.Name)
	}
	if c.RubricVia == "config" || g.chance(0.5) {
		cfg := &Config{}
		if c.RubricVia == "config" {
			cfg.Rubric = RubricFile
		}
		if g.chance(0.5) {
			cfg.Weights = g.settingsFor(rb, 1+g.r.IntN(4))
		}
		for i := range g.r.IntN(3) {
			p := g.profile(fmt.Sprintf("cp%d", i), rb)
			cfg.Profiles = append(cfg.Profiles, p)
			profiles = append(profiles, p.Name)
		}
		if g.chance(0.2) {
			cfg.Aggregation = g.pick("arithmetic", "geometric")
		}
		if g.chance(0.2) {
			cfg.Missing = g.pick("exclude", "zero")
		}
		c.Config = cfg
		c.ConfigVia = g.pick("flag", "env")
	}
	if len(profiles) > 0 {
		c.ProfileB = profiles[g.r.IntN(len(profiles))]
		if g.chance(0.5) {
			c.Profile = profiles[g.r.IntN(len(profiles))]
			switch {
			case c.Config != nil && g.chance(0.3):
				c.Config.Profile = c.Profile
			case g.chance(0.5):
				c.Env["CAPSCORE_PROFILE"] = c.Profile
			default:
				c.Flags = append(c.Flags, "--profile", c.Profile)
			}
		}
	}
	if g.chance(0.4) {
		var parts []string
		for _, s := range g.settingsFor(rb, 1+g.r.IntN(3)) {
			parts = append(parts, s.ID+"="+formatFloat(s.Value))
		}
		c.Env["CAPSCORE_WEIGHTS"] = strings.Join(parts, ",")
	}
	if g.chance(0.5) {
		for _, s := range g.settingsFor(rb, 1+g.r.IntN(3)) {
			c.Flags = append(c.Flags, "--weight", s.ID+"="+formatFloat(s.Value))
		}
	}
	if g.chance(0.2) {
		c.Flags = append(c.Flags, "--aggregation", g.pick("arithmetic", "geometric"))
	} else if g.chance(0.1) {
		c.Env["CAPSCORE_AGGREGATION"] = g.pick("arithmetic", "geometric")
	}
	if g.chance(0.2) {
		c.Flags = append(c.Flags, "--missing", g.pick("exclude", "zero"))
	} else if g.chance(0.1) {
		c.Env["CAPSCORE_MISSING"] = g.pick("exclude", "zero")
	}
	c.ExplainPillar = PillarIDs[g.r.IntN(7)]
	all := g.ids(rb)[7:]
	c.ExplainCriterion = all[g.r.IntN(len(all))]
}

// Ordinary reports whether every weight the case sets anywhere (rubric,
// profiles, config, environment, flags) is at most 1e6: no implementation
// may refuse such a case for the size of its weights.
func (c *Case) Ordinary() bool {
	ok := func(w float64) bool { return w <= 1e6 }
	for _, p := range c.Rubric.Pillars {
		if !ok(p.Weight) {
			return false
		}
		for _, cr := range p.Criteria {
			if !ok(cr.Weight) {
				return false
			}
		}
	}
	var ps []Profile
	ps = append(ps, c.Rubric.Profiles...)
	if c.Config != nil {
		ps = append(ps, c.Config.Profiles...)
		for _, s := range c.Config.Weights {
			if !ok(s.Value) {
				return false
			}
		}
	}
	for _, p := range ps {
		for _, s := range p.Weights {
			if !ok(s.Value) {
				return false
			}
		}
	}
	for _, s := range c.EnvWeights() {
		if !ok(s.Value) {
			return false
		}
	}
	for _, s := range c.FlagWeights() {
		if !ok(s.Value) {
			return false
		}
	}
	return true
}

// FlagWeights and EnvWeights read back the weights set by --weight and
// CAPSCORE_WEIGHTS (well-formed ones only).
func (c *Case) FlagWeights() []Setting {
	var out []Setting
	for i := 0; i+1 < len(c.Flags); i++ {
		if c.Flags[i] == "--weight" {
			if s, ok := parseSetting(c.Flags[i+1]); ok {
				out = append(out, s)
			}
		}
	}
	return out
}

func (c *Case) EnvWeights() []Setting {
	var out []Setting
	for _, part := range strings.Split(c.Env["CAPSCORE_WEIGHTS"], ",") {
		if s, ok := parseSetting(part); ok {
			out = append(out, s)
		}
	}
	return out
}

func parseSetting(s string) (Setting, bool) {
	id, v, ok := strings.Cut(s, "=")
	if !ok {
		return Setting{}, false
	}
	f, err := strconv.ParseFloat(v, 64)
	return Setting{ID: id, Value: f}, err == nil
}

// Effective resolves the weights of a valid case as the layers do: rubric,
// profile, config, environment, flags. It returns the pillar weights and
// each pillar's criterion weights, before normalisation.
func (c *Case) Effective() (pillars []float64, criteria [][]float64) {
	rb := &c.Rubric
	where := map[string][2]int{}
	for p, pl := range rb.Pillars {
		pillars = append(pillars, pl.Weight)
		where[pl.ID] = [2]int{p, -1}
		var cw []float64
		for j, cr := range pl.Criteria {
			cw = append(cw, cr.Weight)
			where[cr.ID] = [2]int{p, j}
		}
		criteria = append(criteria, cw)
	}
	apply := func(ss []Setting) {
		for _, s := range ss {
			at, ok := where[s.ID]
			if !ok {
				continue
			}
			if at[1] < 0 {
				pillars[at[0]] = s.Value
			} else {
				criteria[at[0]][at[1]] = s.Value
			}
		}
	}
	if c.Profile != "" {
		found := false
		for _, p := range rb.Profiles {
			if p.Name == c.Profile {
				apply(p.Weights)
				found = true
			}
		}
		if !found && c.Config != nil {
			for _, p := range c.Config.Profiles {
				if p.Name == c.Profile {
					apply(p.Weights)
				}
			}
		}
	}
	if c.Config != nil {
		apply(c.Config.Weights)
	}
	apply(c.EnvWeights())
	apply(c.FlagWeights())
	return pillars, criteria
}

// formatFloat writes the shortest text that reads back as v.
func formatFloat(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
