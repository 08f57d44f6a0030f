package sensitivity

import (
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/capscore/capscore/internal/assessment"
	"github.com/capscore/capscore/internal/rubric"
	"github.com/capscore/capscore/internal/score"
	"github.com/capscore/capscore/internal/weights"
)

// Input is what a run perturbs: assessments scored under a rubric, the
// effective weights and the engine options.
type Input struct {
	Rubric      *rubric.Rubric
	Assessments []*assessment.Assessment
	Weights     *weights.Set
	Options     score.Options
}

// model is the weight-independent part of every assessment, laid out flat
// so that a sample only recomputes pillar and overall scores. It is built
// once and only read by the workers.
type model struct {
	r   *rubric.Rubric
	opt score.Options
	geo bool

	n, np, nc int
	start     []int     // pillar p's criteria are [start[p], start[p+1]) in flat order
	w0        []float64 // nominal pillar weights, scaled among siblings (weights.Scaled)
	cw0       []float64 // nominal criterion weights, flat, scaled within each pillar
	// wNominal and cwNominal are the same weights unscaled: a nominal pillar score
	// scales them by its largest counted one, as score.Aggregate does, so
	// a weight beside a far larger uncounted sibling keeps its ratio.
	wNominal, cwNominal []float64

	// Per assessment i, flat criterion c: score[i*nc+c] is the credited
	// score (0 when not counted) and mask[i*nc+c] is 1 when counted.
	score, mask []float64
	full        []bool // every criterion counted: the pillar denominators are shared

	// Nominal pillar scores, for the pillar-weights-only path and Sobol.
	pscore  []float64 // n*np
	pscored []bool    // n*np
	pfull   []bool    // n: every pillar scored, so the pillar weight sum is shared
	lnP     []float64 // n*np, geometric only
	zero    []bool    // n*np, geometric: a scored pillar at 0

	perts     []pert
	pertStart []int // perts of assessment i are perts[pertStart[i]:pertStart[i+1]]

	// Panels (AddPanel): the members of assessment i, nil when it is a
	// single assessment, and the criteria whose members' levels differ.
	panels       [][]Member
	choices      []choice
	choiceScores []float64
	choiceStart  []int // choices of assessment i are choices[choiceStart[i]:choiceStart[i+1]]

	tiers   []tierRule
	fixedOK []bool // n*len(tiers): the weight-independent conditions hold at nominal pillar scores

	// The same, transposed for the kernel: row r of a matrix holds one
	// criterion or pillar across all assessments, so a sample adds whole
	// rows and every assessment's sum is an independent chain that the
	// processor can overlap, while each sum still runs in rubric order.
	cS, cM      []float64 // nc*n criterion scores and counted masks
	allFull     bool      // every assessment counts every criterion
	pS, pM, pLn []float64 // np*n pillar scores, scored masks, logarithms; pS has zero rows up to a multiple of 4
	pZero       []bool    // np*n geometric: scored at 0
	allPFull    bool      // every assessment scores every pillar
	zeroAny     bool      // some assessment has a pillar at 0 (geometric only matters)

	without []Without // n*np: leave-one-pillar-out results
	nominal []*score.Result
	base    []float64 // nominal overall from the kernel, n
}

// pert is one finding whose level a sample may move by its confidence.
type pert struct {
	c     int        // flat criterion index
	low   bool       // low confidence: uniform over -1, 0, +1; else medium
	score [3]float64 // credited score with the stated level moved by -1, 0, +1
}

// tierRule is a tier's conditions; thresholds already include the
// tolerance Aggregate allows.
type tierRule struct {
	overall  float64
	hasOver  bool
	every    float64
	hasEvery bool
	count    int
	countAt  float64
}

// Builder lays out assessments for a run one at a time and keeps only
// the numbers a run needs, not the evidence, so that a caller can stream
// thousands of files through it.
type Builder struct {
	m   *model
	w   *weights.Set
	loo *weights.Set // w with one pillar weight at 0 at a time
}

// NewBuilder starts a run's inputs under rubric r, effective weights w and
// engine options opt.
func NewBuilder(r *rubric.Rubric, w *weights.Set, opt score.Options) *Builder {
	opt = opt.Resolve(r)
	m := &model{r: r, opt: opt, geo: opt.Aggregation == rubric.Geometric, np: len(r.Pillars), pertStart: []int{0}, choiceStart: []int{0}}
	m.start = make([]int, m.np+1)
	for p, pl := range r.Pillars {
		m.start[p+1] = m.start[p] + len(pl.Criteria)
	}
	m.nc = m.start[m.np]
	// Scaled so that no sum of weights, nominal or drawn, can overflow;
	// scaling siblings together changes no score.
	m.w0 = weights.Scaled(w.Pillar)
	m.wNominal = slices.Clone(w.Pillar)
	m.cw0 = make([]float64, 0, m.nc)
	m.cwNominal = make([]float64, 0, m.nc)
	for p := range r.Pillars {
		m.cw0 = append(m.cw0, weights.Scaled(w.Criterion[p])...)
		m.cwNominal = append(m.cwNominal, w.Criterion[p]...)
	}
	for _, t := range r.Tiers {
		var tr tierRule
		if t.OverallAtLeast != nil {
			tr.hasOver, tr.overall = true, *t.OverallAtLeast-score.TierTolerance
		}
		if t.EveryPillarAtLeast != nil {
			tr.hasEvery, tr.every = true, *t.EveryPillarAtLeast-score.TierTolerance
		}
		if c := t.PillarsAtLeast; c != nil {
			tr.count, tr.countAt = c.Count, c.Score-score.TierTolerance
		}
		m.tiers = append(m.tiers, tr)
	}
	return &Builder{m: m, w: w, loo: w.Clone()}
}

// Add evaluates one assessment: credited levels, nominal result, the
// leave-one-pillar-out results and the level steps its findings allow.
func (b *Builder) Add(a *assessment.Assessment) error {
	return b.add(a, score.Evaluate(b.m.r, a), true)
}

// add lays out one evaluated assessment; perts says whether its findings'
// confidence may move its levels.
func (b *Builder) add(a *assessment.Assessment, ev *score.Evaluation, perts bool) error {
	m, r := b.m, b.m.r
	res := score.Aggregate(r, a, ev, b.w, m.opt)
	if res.Overall == nil {
		return fmt.Errorf("%s: no pillar can be scored under these weights, so there is nothing to perturb; add findings or leave the file out", a.File)
	}
	// Keep the assessment's identity only, not its evidence.
	res.Source = &assessment.Assessment{File: a.File, Country: a.Country, Code: a.Code, Revision: a.Revision, AsOf: a.AsOf}
	i := m.n
	m.n++
	m.nominal = append(m.nominal, res)
	for p := range m.np {
		b.loo.Pillar[p] = 0
		w := score.Aggregate(r, a, ev, b.loo, m.opt)
		m.without = append(m.without, Without{Overall: w.Overall, Tier: w.Tier})
		b.loo.Pillar[p] = b.w.Pillar[p]
	}
	m.score = append(m.score, make([]float64, m.nc)...)
	m.mask = append(m.mask, make([]float64, m.nc)...)
	m.full = append(m.full, false)
	m.pfull = append(m.pfull, false)
	m.pscore = append(m.pscore, make([]float64, m.np)...)
	m.lnP = append(m.lnP, make([]float64, m.np)...)
	m.pscored = append(m.pscored, make([]bool, m.np)...)
	m.zero = append(m.zero, make([]bool, m.np)...)
	m.fill(i, ev, perts)
	m.pertStart = append(m.pertStart, len(m.perts))
	m.panels = append(m.panels, nil)
	m.choiceStart = append(m.choiceStart, len(m.choices))
	return nil
}

// scaleTakingPart scales the nominal weights the samples draw from by the
// largest sibling that takes part in some assessment (a pillar scored, a
// criterion counted), not by the largest of all: a far larger weight on a
// pillar or criterion no assessment has would otherwise scale the others
// below the float64 range and lose their ratios. Weights that take part in
// nothing are kept at most 1; every sum masks them out.
func (m *model) scaleTakingPart() {
	pillar := func(p int) bool {
		for i := range m.n {
			if m.pscored[i*m.np+p] {
				return true
			}
		}
		return false
	}
	criterion := func(f int) bool {
		for i := range m.n {
			if m.mask[i*m.nc+f] != 0 {
				return true
			}
		}
		return false
	}
	scaleOver(m.w0, m.wNominal, 0, pillar)
	for p := range m.np {
		scaleOver(m.cw0[m.start[p]:m.start[p+1]], m.cwNominal[m.start[p]:m.start[p+1]], m.start[p], criterion)
	}
}

// scaleOver scales ws into dst by the largest of those that take part
// (index off+k); with none taking part dst keeps its scaling.
func scaleOver(dst, ws []float64, off int, takesPart func(int) bool) {
	top := 0.0
	for k, w := range ws {
		if takesPart(off + k) {
			top = max(top, w)
		}
	}
	if top == 0 {
		return
	}
	_, e := math.Frexp(top)
	for k, w := range ws {
		dst[k] = weights.ScaleOne(w, e)
		if !takesPart(off + k) {
			dst[k] = min(dst[k], 1)
		}
	}
}

// finish completes the layout once every assessment is in.
func (b *Builder) finish() (*model, error) {
	m := b.m
	if m.n == 0 {
		return nil, errors.New("no assessment to perturb")
	}
	m.scaleTakingPart()
	m.transpose()
	m.fixedOK = make([]bool, m.n*len(m.tiers))
	m.base = make([]float64, m.n)
	for i := range m.n {
		sc, scored := m.pscore[i*m.np:(i+1)*m.np], m.pscored[i*m.np:(i+1)*m.np]
		for t := range m.tiers {
			m.fixedOK[i*len(m.tiers)+t] = m.tiers[t].fixedHolds(sc, scored)
		}
		m.base[i] = m.overall(m.wNominal, sc, scored)
	}
	return m, nil
}

// prepare lays out every assessment of in.
func prepare(in Input) (*model, error) {
	b := NewBuilder(in.Rubric, in.Weights, in.Options)
	for _, a := range in.Assessments {
		if err := b.Add(a); err != nil {
			return nil, err
		}
	}
	return b.finish()
}

// preparePanels lays out the assessments of in as panels (see Panels).
func preparePanels(in Input) (*model, error) {
	groups, err := Panels(in.Assessments)
	if err != nil {
		return nil, err
	}
	b := NewBuilder(in.Rubric, in.Weights, in.Options)
	for _, g := range groups {
		if err := b.AddPanel(g); err != nil {
			return nil, err
		}
	}
	return b.finish()
}

// transpose builds the kernel's row-per-criterion and row-per-pillar
// matrices.
func (m *model) transpose() {
	n := m.n
	m.cS, m.cM = make([]float64, m.nc*n), make([]float64, m.nc*n)
	m.pS, m.pM, m.pLn = make([]float64, padPillars(m.np)*n), make([]float64, m.np*n), make([]float64, m.np*n)
	m.pZero = make([]bool, m.np*n)
	m.allFull, m.allPFull = true, true
	for i := range n {
		m.allFull = m.allFull && m.full[i]
		m.allPFull = m.allPFull && m.pfull[i]
		for c := range m.nc {
			m.cS[c*n+i], m.cM[c*n+i] = m.score[i*m.nc+c], m.mask[i*m.nc+c]
		}
		for p := range m.np {
			j := i*m.np + p
			m.pS[p*n+i], m.pLn[p*n+i], m.pZero[p*n+i] = m.pscore[j], m.lnP[j], m.zero[j]
			if m.pscored[j] {
				m.pM[p*n+i] = 1
			}
			m.zeroAny = m.zeroAny || m.zero[j]
		}
	}
}

// fill lays out one assessment's evaluation. A pillar score is taken as
// score.Aggregate takes it, with the counted weights scaled by their
// largest, so that it is the same float64.
func (m *model) fill(i int, ev *score.Evaluation, perts bool) {
	full := true
	for p := range m.np {
		top := 0.0
		for c := range m.start[p+1] - m.start[p] {
			f := m.start[p] + c
			counted := ev.Has[p][c] || m.opt.Missing == rubric.Zero
			if !counted {
				full = false
				continue
			}
			m.mask[i*m.nc+f] = 1
			m.score[i*m.nc+f] = ev.Scores[p][c]
			top = max(top, m.cwNominal[f])
			if perts && ev.Has[p][c] {
				m.addPert(f, &m.r.Pillars[p].Criteria[c], ev.Criteria[p][c])
			}
		}
		if top > 0 {
			_, e := math.Frexp(top)
			var num, den float64
			for f := m.start[p]; f < m.start[p+1]; f++ {
				if m.mask[i*m.nc+f] != 0 {
					w := weights.ScaleOne(m.cwNominal[f], e)
					num += float64(w * m.score[i*m.nc+f])
					den += w
				}
			}
			s := num / den
			m.pscore[i*m.np+p], m.pscored[i*m.np+p] = s, true
			if s > 0 {
				m.lnP[i*m.np+p] = math.Log(s)
			} else {
				m.zero[i*m.np+p] = true
			}
		}
	}
	m.full[i] = full
	m.pfull[i] = true
	for p := range m.np {
		m.pfull[i] = m.pfull[i] && m.pscored[i*m.np+p]
	}
}

// addPert records a judged finding of medium or low confidence. Measured
// criteria are left alone: their level is read from a fact, not judged.
// The moved level is the stated level plus the step, clipped to the scale,
// and then credited by the evidence rule like any stated level: a step up
// never credits more than the cited sources support.
func (m *model) addPert(f int, c *rubric.Criterion, cr score.Criterion) {
	if c.Measure != nil || cr.StatedLevel == nil {
		return
	}
	conf := assessment.Confidence(cr.Confidence)
	if conf != assessment.Medium && conf != assessment.Low {
		return
	}
	p := pert{c: f, low: conf == assessment.Low}
	sc := m.r.Scale
	for d := -1; d <= 1; d++ {
		l := min(max(*cr.StatedLevel+d, sc.Min), sc.Max)
		for l > sc.Min && cr.Sources < m.r.RequiredSources(l) {
			l--
		}
		p.score[d+1] = 100 * float64(l-sc.Min) / float64(sc.Max-sc.Min)
	}
	m.perts = append(m.perts, p)
}

// fixedHolds checks the conditions that do not depend on weights.
func (t *tierRule) fixedHolds(sc []float64, scored []bool) bool {
	if t.hasEvery {
		for p := range sc {
			if !scored[p] || sc[p] < t.every {
				return false
			}
		}
	}
	if t.count > 0 {
		n := 0
		for p := range sc {
			if scored[p] && sc[p] >= t.countAt {
				n++
			}
		}
		if n < t.count {
			return false
		}
	}
	return true
}

// overall combines pillar scores under pillar weights w exactly as
// score.Aggregate does, term by term and with the scored pillars' weights
// scaled by their largest, so that unperturbed weights give the very same
// float64. Conversions to float64 keep products from being fused into
// multiply-adds on machines that have them, so every platform rounds alike.
func (m *model) overall(w, sc []float64, scored []bool) float64 {
	top := 0.0
	for p := range sc {
		if scored[p] {
			top = max(top, w[p])
		}
	}
	if top == 0 {
		return math.NaN()
	}
	_, e := math.Frexp(top)
	var sw, acc float64
	zero := false
	for p := range sc {
		if !scored[p] {
			continue
		}
		W := weights.ScaleOne(w[p], e)
		sw += W
		if !m.geo {
			acc += float64(W * sc[p])
		} else if W > 0 {
			if sc[p] <= 0 {
				zero = true
			} else {
				acc += float64(W * math.Log(sc[p]))
			}
		}
	}
	switch {
	case !m.geo:
		return acc / sw
	case zero:
		return 0
	}
	return math.Exp(acc / sw)
}

// tierFixed is the tier of assessment i at overall o when its pillar
// scores are the nominal ones.
func (m *model) tierFixed(i int, o float64) int {
	nt := len(m.tiers)
	for t := range m.tiers {
		tr := &m.tiers[t]
		if !m.fixedOK[i*nt+t] || tr.hasOver && !(o >= tr.overall) {
			continue
		}
		return t
	}
	return nt
}
