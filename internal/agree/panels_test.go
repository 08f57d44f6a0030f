package agree

import (
	"context"
	"reflect"
	"testing"

	"github.com/capscore/capscore/internal/assessment"
	"github.com/capscore/capscore/internal/score"
)

func TestPanels(t *testing.T) {
	res := func(code, country, rev string) *score.Result {
		return &score.Result{Code: code, Country: country, Revision: rev, Source: &assessment.Assessment{Code: code, Country: country, Revision: rev}}
	}
	results := []*score.Result{
		res("JPN", "Japan", "2021"), res("RUR", "Ruritania", "2024"), res("JPN", "Japan", "2025"),
		res("RUR", "Ruritania", "2024"), {Code: "RUR", Revision: "2024"}, // not at hand
		res("", "Xanadu", "1"), res("", "Yonder", "1"), res("", "Xanadu", "1"), res("RUR", "Ruritania", "2024"),
	}
	want := [][]int{{1, 3, 8}, {5, 7}}
	if got := Panels(results); !reflect.DeepEqual(got, want) {
		t.Errorf("Panels = %v, want %v", got, want)
	}
	if got := Panels(results[:3]); got != nil {
		t.Errorf("revisions of one country made a panel: %v", got)
	}
}

// Extremes finds what Analyse puts in its effect.
func TestExtremesAsAnalyse(t *testing.T) {
	r, w, results := panel(t)
	ag, err := Analyse(context.Background(), r, w, score.Options{}, results, Options{Metric: Ordinal})
	if err != nil {
		t.Fatal(err)
	}
	labels := make([]string, len(ag.Members))
	for i, m := range ag.Members {
		labels[i] = m.Label
	}
	lo, hi := Extremes(labels, results)
	if !reflect.DeepEqual(lo, ag.Effect.Min) || !reflect.DeepEqual(hi, ag.Effect.Max) {
		t.Errorf("Extremes = %+v %+v, Analyse found %+v %+v", lo, hi, ag.Effect.Min, ag.Effect.Max)
	}
	ps, err := AnalysePanels(context.Background(), r, w, score.Options{}, results, Options{Metric: Ordinal})
	if err != nil || len(ps) != 1 || ps[0].Err != nil || !reflect.DeepEqual(ps[0].Agreement, ag) {
		t.Errorf("AnalysePanels = %+v, %v; want the one panel as Analyse measures it", ps, err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := AnalysePanels(ctx, r, w, score.Options{}, results, Options{Metric: Ordinal, Samples: 5000}); err != context.Canceled {
		t.Errorf("cancelled: %v", err)
	}
}
