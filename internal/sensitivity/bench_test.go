package sensitivity

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"testing"
	"time"
)

// Benchmarks run at small sizes by default. The sizes of the issues
// (10^6 samples over 15 assessments; 10^5 samples over 2,000 with ranks)
// run with
//
//	CAPSCORE_BENCH_FULL=1 go test ./internal/sensitivity -run '^$' -bench . -benchtime 1x -benchmem
func full() bool { return os.Getenv("CAPSCORE_BENCH_FULL") != "" }

// benchInput is n generated assessments of the bundled Japan file's shape.
func benchInput(b *testing.B, n int) Input {
	in := bundled(b)
	in.Assessments = synthetic(b, in.Rubric, n, 11)
	return in
}

// BenchmarkSample is the per-sample step: draw weights, score every
// assessment, find its tier. It must not allocate.
func BenchmarkSample(b *testing.B) {
	in := benchInput(b, 15)
	for _, mode := range []struct {
		name     string
		criteria bool
		levels   bool
	}{{"pillars", false, false}, {"criteria", true, false}, {"criteria+levels", true, true}} {
		b.Run(mode.name+"/15", func(b *testing.B) {
			m, err := prepare(in)
			if err != nil {
				b.Fatal(err)
			}
			cfg := Config{Samples: 1, Noise: 0.25, Criteria: mode.criteria, Levels: mode.levels}
			k := newWorker(m, &cfg)
			k.seed(streamMonteCarlo, 0)
			b.ReportAllocs()
			cpu := cpuTime()
			for b.Loop() {
				k.sample(true)
			}
			madds := float64(m.n * m.np)
			if mode.criteria {
				madds += float64(m.n * m.nc)
			}
			reportRate(b, madds, cpuTime()-cpu)
		})
	}
}

// BenchmarkMultiplyAdd is the arithmetic bound: a dot product in a plain
// loop (one accumulator: latency-bound, like the kernel's sums) and with
// four independent accumulators (throughput-bound).
func BenchmarkMultiplyAdd(b *testing.B) {
	x, y := make([]float64, 1024), make([]float64, 1024)
	for i := range x {
		x[i], y[i] = float64(i%17)/16, float64(i%13)/12
	}
	var sink float64
	b.Run("1acc", func(b *testing.B) {
		cpu := cpuTime()
		for b.Loop() {
			acc := 0.0
			for i := range x {
				acc += float64(x[i] * y[i])
			}
			sink += acc
		}
		reportRate(b, float64(len(x)), cpuTime()-cpu)
	})
	b.Run("4acc", func(b *testing.B) {
		cpu := cpuTime()
		for b.Loop() {
			var a0, a1, a2, a3 float64
			for i := 0; i < len(x); i += 4 {
				a0 += float64(x[i] * y[i])
				a1 += float64(x[i+1] * y[i+1])
				a2 += float64(x[i+2] * y[i+2])
				a3 += float64(x[i+3] * y[i+3])
			}
			sink += a0 + a1 + a2 + a3
		}
		reportRate(b, float64(len(x)), cpuTime()-cpu)
	})
	_ = sink
}

// BenchmarkRank is ranking one sample of 2,000 overall scores, drawn as
// a run draws them: generated scores bunch in the middle of their range,
// which is what makes buckets collide.
func BenchmarkRank(b *testing.B) {
	m, err := prepare(benchInput(b, 2000))
	if err != nil {
		b.Fatal(err)
	}
	cfg := Config{Samples: 1, Noise: 0.25}
	k := newWorker(m, &cfg)
	k.seed(streamMonteCarlo, 0)
	os := make([][]float64, 64)
	for j := range os {
		k.sample(false)
		os[j] = append([]float64(nil), k.o...)
	}
	rk := newRanker(m.n)
	b.ReportAllocs()
	j := 0
	for b.Loop() {
		rk.rank(os[j%len(os)])
		j++
	}
}

// BenchmarkMonteCarlo is the Monte Carlo pass with its percentile replay
// on all cores: 8,192 samples over 200 generated assessments, 2,000 with
// CAPSCORE_BENCH_FULL.
func BenchmarkMonteCarlo(b *testing.B) {
	n := 200
	if full() {
		n = 2000
	}
	m, err := prepare(benchInput(b, n))
	if err != nil {
		b.Fatal(err)
	}
	cfg := Config{Samples: 8192, Seed: 1, Noise: 0.25}
	chunks := cfg.Samples / ChunkSize
	b.ResetTimer()
	for b.Loop() {
		// keep 0: replay, as a run at full size does.
		if _, err := monteCarlo(context.Background(), m, &cfg, runtime.GOMAXPROCS(0), chunks, 0, &progress{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRun is whole runs, as the command does them (Sobol indices,
// break-even and leave-one-out included).
func BenchmarkRun(b *testing.B) {
	sizes := []struct {
		n, samples, sobol int
		criteria          bool
	}{{15, 10000, 1024, false}, {15, 10000, 1024, true}, {200, 2000, 512, false}}
	if full() {
		sizes = []struct {
			n, samples, sobol int
			criteria          bool
		}{{15, 1000000, 4096, false}, {15, 1000000, 4096, true}, {2000, 100000, 4096, false}, {2000, 100000, 4096, true}}
	}
	for _, s := range sizes {
		name := fmt.Sprintf("n=%d/samples=%d/pillars", s.n, s.samples)
		if s.criteria {
			name = fmt.Sprintf("n=%d/samples=%d/criteria", s.n, s.samples)
		}
		b.Run(name, func(b *testing.B) {
			in := benchInput(b, s.n)
			cfg := Config{Samples: s.samples, Seed: 1, Noise: 0.25, Criteria: s.criteria, Sobol: s.sobol}
			b.ReportAllocs()
			b.ResetTimer()
			start, cpu := time.Now(), cpuTime()
			for b.Loop() {
				if _, err := Run(context.Background(), in, cfg); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(time.Since(start).Seconds()/float64(b.N), "wall-s/run")
			b.ReportMetric((cpuTime()-cpu).Seconds()/float64(b.N), "cpu-s/run")
		})
	}
}

// BenchmarkFixedCost is a run's cost apart from its samples: one sample,
// no Sobol indices, so that laying out, leave-one-out, break-even and
// ranking dominate. Sizes 200 and 400 by default; 1,000, 2,000 and 4,000
// with CAPSCORE_BENCH_FULL, where the cost should double with the size.
func BenchmarkFixedCost(b *testing.B) {
	sizes := []int{200, 400}
	if full() {
		sizes = []int{1000, 2000, 4000}
	}
	for _, n := range sizes {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			in := benchInput(b, n)
			cfg := Config{Samples: 1, Seed: 1, Noise: 0.25}
			b.ReportAllocs()
			b.ResetTimer()
			start, cpu := time.Now(), cpuTime()
			for b.Loop() {
				if _, err := Run(context.Background(), in, cfg); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(time.Since(start).Seconds()/float64(b.N), "wall-s/run")
			b.ReportMetric((cpuTime()-cpu).Seconds()/float64(b.N), "cpu-s/run")
		})
	}
}

// reportRate reports multiply-adds per second of processor time.
func reportRate(b *testing.B, maddsPerOp float64, cpu time.Duration) {
	if cpu > 0 {
		b.ReportMetric(maddsPerOp*float64(b.N)/cpu.Seconds()/1e9, "Gmadd/cpu-s")
	}
}
