// Package corpus generates synthetic but valid assessments against a rubric,
// shaped like the bundled Japan baseline (about as many sources, findings,
// claims and bytes), so loading and scoring can be measured at the size of
// an index: every country, every revision. Output depends only on the seed
// and the assessment's place (country index, revision index), never on how
// many others are generated alongside it.
package corpus

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/capscore/capscore/internal/rubric"
)

// Shape sets the size of one assessment. The defaults match the bundled
// Japan 2021 file: 73 sources, a finding for every criterion with 2–4
// claims each (about 105 in all), a fact for every measured criterion,
// and about 56 KB of YAML.
type Shape struct {
	Sources        int
	ClaimsMin      int
	ClaimsMax      int
	RationaleWords int
	ClaimWords     int
	SummaryWords   int
}

// JapanShape is the shape of the bundled Japan 2021 assessment.
var JapanShape = Shape{Sources: 73, ClaimsMin: 2, ClaimsMax: 4, RationaleWords: 54, ClaimWords: 16, SummaryWords: 135}

// Options says what to generate.
type Options struct {
	Countries int
	Revisions int
	Seed      uint64
	// LastYear is the revision label of the newest revision; revisions run
	// back one year each from it.
	LastYear int
	Shape    Shape
}

// Defaults fills zero fields of o.
func (o Options) Defaults() Options {
	if o.LastYear == 0 {
		o.LastYear = 2025
	}
	if o.Shape == (Shape{}) {
		o.Shape = JapanShape
	}
	return o
}

// MaxCountries is how many distinct three-letter codes there are.
const MaxCountries = 26 * 26 * 26

// File is one generated assessment: its path relative to the corpus root
// and its bytes.
type File struct {
	Name string
	Data []byte
}

// Files generates every assessment, countries in order and, within a
// country, revisions oldest first. Names are CODE/YEAR.yaml.
func Files(r *rubric.Rubric, o Options) ([]File, error) {
	o = o.Defaults()
	if o.Countries < 1 || o.Countries > MaxCountries {
		return nil, fmt.Errorf("countries %d: use 1 to %d", o.Countries, MaxCountries)
	}
	if o.Revisions < 1 || o.Revisions > 100 {
		return nil, fmt.Errorf("revisions %d: use 1 to 100", o.Revisions)
	}
	var out []File
	for c := 0; c < o.Countries; c++ {
		for v := 0; v < o.Revisions; v++ {
			data, err := Assessment(r, o, c, v)
			if err != nil {
				return nil, err
			}
			year := o.LastYear - o.Revisions + 1 + v
			out = append(out, File{Name: filepath.Join(Code(c), strconv.Itoa(year)+".yaml"), Data: data})
		}
	}
	return out, nil
}

// Write generates the corpus under dir, which is created if need be, and
// returns the number of files and bytes written.
func Write(dir string, r *rubric.Rubric, o Options) (files int, size int64, err error) {
	fs, err := Files(r, o)
	if err != nil {
		return 0, 0, err
	}
	for _, f := range fs {
		name := filepath.Join(dir, f.Name)
		if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
			return files, size, err
		}
		if err := os.WriteFile(name, f.Data, 0o644); err != nil {
			return files, size, err
		}
		files++
		size += int64(len(f.Data))
	}
	return files, size, nil
}

// Code is the three-letter code of country index c: AAA, AAB, ...
func Code(c int) string {
	return string([]byte{byte('A' + c/676%26), byte('A' + c/26%26), byte('A' + c%26)})
}

// gen writes one assessment from its own random stream. Text is laid out
// as in the bundled files: two-space indentation, folded rationales
// wrapped at 78 columns, flow lists of source ids. Generated words never
// need quoting, so the YAML is written directly.
type gen struct {
	rng   *rand.Rand
	r     *rubric.Rubric
	shape Shape
	next  int // next source to cite, so every source is cited at least once
	b     bytes.Buffer
}

// Assessment generates revision v (0 = oldest) of country c.
func Assessment(r *rubric.Rubric, o Options, c, v int) ([]byte, error) {
	o = o.Defaults()
	if o.Shape.Sources < 1 || o.Shape.ClaimsMin < 1 || o.Shape.ClaimsMax < o.Shape.ClaimsMin {
		return nil, fmt.Errorf("shape %+v: need at least one source and one claim per finding", o.Shape)
	}
	g := &gen{rng: rand.New(rand.NewPCG(o.Seed, uint64(c)<<20|uint64(v))), r: r, shape: o.Shape}
	year := o.LastYear - o.Revisions + 1 + v
	code := Code(c)
	fmt.Fprintf(&g.b, "country: %s\ncode: %s\nrubric: %s\nrevision: \"%d\"\nas_of: %d-06-30\n",
		countryName(rand.New(rand.NewPCG(o.Seed, uint64(c)<<20|0xfffff))), code, r.ID, year, year)
	if v > 0 {
		fmt.Fprintf(&g.b, "supersedes: \"%d\"\n", year-1)
	} else {
		g.b.WriteString("supersedes: null\n")
	}
	g.b.WriteString("assessors:\n  - synthetic corpus\nsummary: >-\n")
	g.folded(2, g.shape.SummaryWords)
	g.sources(code, year)
	g.findings(year)
	return g.b.Bytes(), nil
}

func (g *gen) sources(code string, year int) {
	g.b.WriteString("\nsources:\n")
	for i := 1; i <= g.shape.Sources; i++ {
		fmt.Fprintf(&g.b, "  n%d:\n    title: %s\n", i, g.title(5+g.rng.IntN(8)))
		if g.rng.IntN(5) == 0 {
			fmt.Fprintf(&g.b, "    author: %s\n", g.title(2))
		}
		fmt.Fprintf(&g.b, "    publisher: %s\n    date: %s\n    url: \"https://example.org/%s/%d/n%d-%s.pdf\"\n",
			g.title(3+g.rng.IntN(3)), g.date(year-15, year-1), strings.ToLower(code), year, i, g.word())
	}
}

// findings gives every criterion a finding and every measured criterion a
// fact. Levels respect the rubric: a measured level equals what its fact
// reaches, and every finding cites enough distinct sources to be credited
// at its stated level, so the corpus loads without errors or caps.
func (g *gen) findings(year int) {
	span := g.r.Scale.Max - g.r.Scale.Min + 1
	var findings bytes.Buffer
	g.b.WriteString("\nfacts:\n")
	for _, p := range g.r.Pillars {
		for _, c := range p.Criteria {
			level := g.r.Scale.Min + g.rng.IntN(span)
			if m := c.Measure; m != nil {
				top := m.Thresholds[len(m.Thresholds)-1]
				value := g.rng.IntN(int(top*1.3) + 1)
				level = m.Level(g.r.Scale.Min, float64(value))
				fmt.Fprintf(&g.b, "  %s:\n    value: %d\n    as_of: %s\n    sources: %s\n    note: \"%s\"\n",
					m.Fact, value, g.date(year-2, year), g.cite(1+g.rng.IntN(2)), g.sentences(25))
				if m.Basis != "" {
					// Counted as the rubric asks; written without drawing,
					// so the rest of the file stays as before.
					fmt.Fprintf(&g.b, "    basis: %q\n", m.Basis)
				}
			}
			// Findings are written after the facts but drawn in the same
			// pass, so each criterion's level and its fact agree.
			fmt.Fprintf(&findings, "  %s:\n    level: %d\n    confidence: %s\n    rationale: >-\n",
				c.ID, level, []string{"low", "medium", "high"}[g.rng.IntN(3)])
			findings.Write(g.foldedText(6, g.shape.RationaleWords-10+g.rng.IntN(21)))
			findings.WriteString("    evidence:\n")
			need := g.r.RequiredSources(level)
			n := g.shape.ClaimsMin + g.rng.IntN(g.shape.ClaimsMax-g.shape.ClaimsMin+1)
			for i := 0; i < n; i++ {
				k := 1
				if i == 0 && need > 1 {
					k = need
				} else if g.rng.IntN(10) == 0 {
					k = 2
				}
				fmt.Fprintf(&findings, "      - claim: %s\n        sources: %s\n",
					g.sentences(g.shape.ClaimWords-3+g.rng.IntN(7)), g.cite(k))
			}
			findings.WriteByte('\n')
		}
	}
	g.b.WriteString("\nfindings:\n")
	g.b.Write(findings.Bytes())
}

// cite returns k distinct source ids as a flow list, cycling through all
// sources first so that none is left uncited.
func (g *gen) cite(k int) string {
	k = min(k, g.shape.Sources)
	ids := make([]string, 0, k)
	seen := map[int]bool{}
	for len(ids) < k {
		var i int
		if g.next < g.shape.Sources {
			i = g.next
			g.next++
		} else {
			i = g.rng.IntN(g.shape.Sources)
		}
		if !seen[i] {
			seen[i] = true
			ids = append(ids, "n"+strconv.Itoa(i+1))
		}
	}
	return "[" + strings.Join(ids, ", ") + "]"
}

func (g *gen) date(from, to int) string {
	return fmt.Sprintf("%d-%02d-%02d", from+g.rng.IntN(to-from+1), 1+g.rng.IntN(6), 1+g.rng.IntN(28))
}

func (g *gen) word() string { return words[g.rng.IntN(len(words))] }

func (g *gen) title(n int) string {
	ws := make([]string, n)
	for i := range ws {
		ws[i] = capital(g.word())
	}
	return strings.Join(ws, " ")
}

// folded writes about n words of prose as the body of a folded block
// scalar indented by indent spaces.
func (g *gen) folded(indent, n int) { g.b.Write(g.foldedText(indent, n)) }

func (g *gen) foldedText(indent, n int) []byte {
	var out bytes.Buffer
	pad := strings.Repeat(" ", indent)
	line := pad
	for _, w := range strings.Fields(g.sentences(n)) {
		if len(line) > indent && len(line)+1+len(w) > 78 {
			out.WriteString(line + "\n")
			line = pad
		}
		if len(line) > indent {
			line += " "
		}
		line += w
	}
	out.WriteString(line + "\n")
	return out.Bytes()
}

// sentences returns about n words as sentences of 8 to 20 words.
func (g *gen) sentences(n int) string {
	var b strings.Builder
	for n > 0 {
		k := min(n, 8+g.rng.IntN(13))
		n -= k
		for i := 0; i < k; i++ {
			w := g.word()
			switch {
			case i == 0:
				if b.Len() > 0 {
					b.WriteByte(' ')
				}
				w = capital(w)
			case g.rng.IntN(9) == 0:
				b.WriteString(", ")
			default:
				b.WriteByte(' ')
			}
			b.WriteString(w)
		}
		b.WriteByte('.')
	}
	return b.String()
}

func capital(w string) string { return strings.ToUpper(w[:1]) + w[1:] }

var syllables = []string{"ka", "lo", "ve", "ran", "di", "sto", "mar", "el", "qui", "ta", "bor", "ni", "sa", "vel", "tor", "ia", "no", "gre", "lan", "dor"}

func countryName(rng *rand.Rand) string {
	var b strings.Builder
	for i, n := 0, 2+rng.IntN(3); i < n; i++ {
		b.WriteString(syllables[rng.IntN(len(syllables))])
	}
	return capital(b.String())
}
