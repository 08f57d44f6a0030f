package weights

import "testing"

// BenchmarkResolve is every command's weight step: a stack of five layers over the
// bundled rubric, then the effective table `capscore weights` prints.
func BenchmarkResolve(b *testing.B) {
	r := bundled(b)
	prof, _ := r.Profile("military")
	profile := FromProfile(prof, "military")
	env, err := ParseList("offence=3,intelligence=1.25,sigint-scale=2", Origin{Layer: Env, Source: "CAPSCORE_WEIGHTS"})
	if err != nil {
		b.Fatal(err)
	}
	cfg := []Override{{ID: "national-strategy", Value: 3, Origin: Origin{Layer: Config, Source: "capscore.yaml:3:3"}}}
	st := Stack{Rubric: r, Profile: &ProfileLayer{Name: "military", Weights: profile}, Config: cfg, Env: env, Flags: flag("offence=4")}
	b.ReportAllocs()
	for b.Loop() {
		s, err := st.Resolve()
		if err != nil {
			b.Fatal(err)
		}
		if len(s.Effective(r)) == 0 {
			b.Fatal("no weights")
		}
	}
}
