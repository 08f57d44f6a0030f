package htmlreport

import (
	"bytes"
	"html/template"
	"math"
	"strconv"
	"strings"

	"github.com/capscore/capscore/internal/report/textfmt"
	"github.com/capscore/capscore/internal/rubric"
	"github.com/capscore/capscore/internal/score"
)

// Charts are drawn here, in Go, from the engine's numbers; templates only
// place the computed coordinates, and the local page only swaps in points
// the server computed.

// Radar geometry: the pillars' axes spread evenly around the centre, the
// first pointing up, with room at the sides for the axis labels.
const (
	radarWidth  = 720.0
	radarSize   = 540.0 // height of the chart without the legend
	radarRadius = 175.0
	radarLabel  = 196.0 // distance of axis labels from the centre
	radarWrap   = 18    // characters per line of an axis label
	legendRow   = 22.0
	radarLegend = 500.0 // first legend row, below the lowest axis label
)

// Style tells series apart in black and white: a dash pattern, a vertex
// marker and a fill pattern, with a colour on top for those who have it.
type Style struct {
	Stroke string
	Dash   string // stroke-dasharray; "" for solid
	Marker string // marker shape name, see the radar template
	Fill   string // bar fill pattern name, see the bars template
}

// styleOf returns the style of the i-th series.
func styleOf(i int) Style {
	styles := [...]Style{
		{Stroke: "#1b1b1b", Dash: "", Marker: "circle", Fill: "solid"},
		{Stroke: "#0b5cad", Dash: "9 5", Marker: "square", Fill: "hatch"},
		{Stroke: "#b3261e", Dash: "2 4", Marker: "triangle", Fill: "dots"},
		{Stroke: "#2e7d32", Dash: "12 4 3 4", Marker: "diamond", Fill: "cross"},
		{Stroke: "#6a1b9a", Dash: "5 3", Marker: "cross", Fill: "open"},
	}
	return styles[i%len(styles)]
}

// Radar is a radar chart of the pillars with one polygon per result.
type Radar struct {
	ID      string // prefix of element ids, unique within a page
	Width   float64
	Height  float64 // the chart and the legend below it
	CentreX float64
	CentreY float64
	Axes    []RadarAxis
	Rings   []RadarRing
	Series  []RadarSeries
}

// RadarAxis is one pillar's spoke and its label.
type RadarAxis struct {
	ID, Title      string
	X, Y           string // rim end of the spoke
	LabelX, LabelY string
	Anchor         string // text-anchor
	Lines          []string
}

// RadarRing is a grid polygon at one score with its label.
type RadarRing struct {
	Points         string
	Label          string
	LabelX, LabelY string
}

// RadarSeries is one result's polygon.
type RadarSeries struct {
	Label   string
	Points  string
	Style   Style
	LegendY string
}

// NewRadar lays out the radar of results over the rubric's pillars.
func NewRadar(id string, r *rubric.Rubric, results []*score.Result) Radar {
	n := len(r.Pillars)
	cx, cy := radarWidth/2, radarSize/2
	rd := Radar{ID: id, Width: radarWidth, CentreX: cx, CentreY: cy}
	for p, pl := range r.Pillars {
		x, y := radarPoint(p, n, radarRadius)
		lx, ly := radarPoint(p, n, radarLabel)
		ax := RadarAxis{ID: pl.ID, Title: pl.Title, X: coord(x), Y: coord(y), Anchor: "middle", Lines: wrap(pl.Title, radarWrap)}
		switch {
		case lx > cx+1:
			ax.Anchor = "start"
		case lx < cx-1:
			ax.Anchor = "end"
		}
		// Labels below the centre grow downwards, those above grow upwards.
		if ly < cy-1 {
			ly -= 14 * float64(len(ax.Lines)-1)
		}
		ax.LabelX, ax.LabelY = coord(lx), coord(ly)
		rd.Axes = append(rd.Axes, ax)
	}
	for _, s := range []float64{25, 50, 75, 100} {
		ring := make([]float64, n)
		for i := range ring {
			ring[i] = s
		}
		_, ly := radarPoint(0, n, radarRadius*s/100)
		rd.Rings = append(rd.Rings, RadarRing{Points: polygon(ring), Label: strconv.Itoa(int(s)), LabelX: coord(cx + 4), LabelY: coord(ly - 3)})
	}
	for i, res := range results {
		rd.Series = append(rd.Series, RadarSeries{Label: textfmt.ResultLabel(res), Points: RadarPoints(res), Style: styleOf(i),
			LegendY: coord(radarLegend + legendRow*float64(i))})
	}
	rd.Height = radarLegend + legendRow*float64(len(results))
	return rd
}

// RadarPoints is the SVG points attribute of one result's polygon; an
// unscored pillar sits at the centre.
func RadarPoints(res *score.Result) string {
	vals := make([]float64, len(res.Pillars))
	for i, p := range res.Pillars {
		if p.Score != nil {
			vals[i] = *p.Score
		}
	}
	return polygon(vals)
}

func polygon(scores []float64) string {
	var b strings.Builder
	for i, s := range scores {
		x, y := radarPoint(i, len(scores), radarRadius*s/100)
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(coord(x) + "," + coord(y))
	}
	return b.String()
}

// radarPoint is the point at distance d along spoke i of n.
func radarPoint(i, n int, d float64) (float64, float64) {
	angle := -math.Pi/2 + 2*math.Pi*float64(i)/float64(n)
	return radarWidth/2 + d*math.Cos(angle), radarSize/2 + d*math.Sin(angle)
}

func coord(v float64) string {
	s := strconv.FormatFloat(v, 'f', 2, 64)
	if s == "-0.00" {
		return "0.00"
	}
	return s
}

// wrap breaks text into lines of at most width characters at spaces.
func wrap(text string, width int) []string {
	var lines []string
	line := ""
	for _, w := range strings.Fields(text) {
		if line != "" && len([]rune(line))+1+len([]rune(w)) > width {
			lines = append(lines, line)
			line = w
			continue
		}
		if line != "" {
			line += " "
		}
		line += w
	}
	if line != "" {
		lines = append(lines, line)
	}
	return lines
}

// HTML renders the radar as an inline SVG fragment, for pages that embed it.
func (rd Radar) HTML() (template.HTML, error) {
	var b bytes.Buffer
	if err := htmlTemplates().ExecuteTemplate(&b, "radar", rd); err != nil {
		return "", err
	}
	return template.HTML(b.String()), nil
}

// Bar geometry: one group of bars per pillar, one bar per result.
const (
	barsWidth  = 760.0
	barsLeft   = 290.0 // room for pillar titles
	barsRight  = 60.0  // room for the value after the longest bar
	barHeight  = 14.0
	barGap     = 3.0
	groupGap   = 14.0
	barsTop    = 10.0
	barsAxis   = 24.0 // room for the axis labels below the bars
	barsTicksN = 4
)

// Bars is a horizontal bar chart of pillar contributions to the overall.
type Bars struct {
	Width, Height float64
	Left          float64
	AxisY         string
	Ticks         []BarTick
	Groups        []BarGroup
	Series        []BarSeries
}

// BarSeries is one result's fill pattern and legend entry.
type BarSeries struct {
	Pattern string // id of the fill pattern
	Fill    string
	Label   string
	Style   Style
	LegendY string
}

// BarTick is one labelled gridline.
type BarTick struct{ X, Label string }

// BarGroup is one pillar's bars.
type BarGroup struct {
	Title  string
	LabelY string
	Bars   []Bar
}

// Bar is one result's contribution to the overall from one pillar.
type Bar struct {
	Series      string
	X, Y, W, H  string
	Value       string
	TextX       string
	TextY       string
	Fill        string
	Stroke      string
	Unavailable bool // the pillar is unscored
}

// NewBars lays out the pillar contributions of results; it reports false
// when no result has contributions (geometric aggregation).
func NewBars(r *rubric.Rubric, results []*score.Result) (Bars, bool) {
	top := 0.0
	any := false
	for _, res := range results {
		for _, p := range res.Pillars {
			if p.Contribution != nil {
				any = true
				top = math.Max(top, *p.Contribution)
			}
		}
	}
	if !any {
		return Bars{}, false
	}
	step := niceStep(top / barsTicksN)
	scaleMax := step * math.Ceil(top/step)
	if scaleMax == 0 {
		scaleMax, step = 1, 0.25
	}
	plot := barsWidth - barsLeft - barsRight
	x := func(v float64) float64 { return barsLeft + plot*v/scaleMax }
	b := Bars{Width: barsWidth, Left: barsLeft}
	y := barsTop
	groupH := float64(len(results))*(barHeight+barGap) - barGap
	for p, pl := range r.Pillars {
		g := BarGroup{Title: pl.Title, LabelY: coord(y + groupH/2 + 4)}
		for i, res := range results {
			bar := Bar{Series: textfmt.ResultLabel(res), X: coord(barsLeft), Y: coord(y), H: coord(barHeight), TextY: coord(y + barHeight - 3),
				Fill: barFill(i), Stroke: styleOf(i).Stroke}
			c := res.Pillars[p].Contribution
			if c == nil {
				bar.Unavailable = true
				bar.W = "0.00"
				bar.Value = "unscored"
				bar.TextX = coord(barsLeft + 4)
			} else {
				bar.W = coord(x(*c) - barsLeft)
				bar.Value = textfmt.Num1(c)
				bar.TextX = coord(x(*c) + 4)
			}
			g.Bars = append(g.Bars, bar)
			y += barHeight + barGap
		}
		b.Groups = append(b.Groups, g)
		y += groupGap - barGap
	}
	b.AxisY = coord(y)
	for k := 0; float64(k)*step <= scaleMax+step/2; k++ {
		v := float64(k) * step
		b.Ticks = append(b.Ticks, BarTick{X: coord(x(v)), Label: strconv.FormatFloat(v, 'g', 6, 64)})
	}
	y += barsAxis
	for i, res := range results {
		b.Series = append(b.Series, BarSeries{Pattern: barPattern(i), Fill: barFill(i), Label: textfmt.ResultLabel(res), Style: styleOf(i), LegendY: coord(y + legendRow*float64(i))})
	}
	b.Height = y + legendRow*float64(len(results))
	return b, true
}

func barPattern(i int) string { return "bars-p" + strconv.Itoa(i) }

// barFill is a colour for solid and open bars, a pattern for the others.
func barFill(i int) string {
	switch st := styleOf(i); st.Fill {
	case "solid":
		return st.Stroke
	case "open":
		return "#ffffff"
	}
	return "url(#" + barPattern(i) + ")"
}

// niceStep rounds a raw tick step up to 1, 2, 2.5 or 5 times a power of ten.
func niceStep(raw float64) float64 {
	if raw <= 0 {
		return 1
	}
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if raw <= m*mag {
			return m * mag
		}
	}
	return 10 * mag
}
