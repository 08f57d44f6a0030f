package load

import (
	"context"
	"runtime"
	"sync"

	"github.com/capscore/capscore/internal/assessment"
	"github.com/capscore/capscore/internal/diag"
	"github.com/capscore/capscore/internal/rubric"
	"github.com/capscore/capscore/internal/yamlread"
)

// Loaded is one file after reading, parsing and validation.
type Loaded struct {
	Name string
	// Assessment is nil when the file could not be read or has errors.
	Assessment *assessment.Assessment
	// Diags are the file's problems, sorted by line.
	Diags diag.List
	// Err is set when the file could not be read at all.
	Err error
	// SHA256 is the hex SHA-256 of the bytes parsed, with WithDigest.
	SHA256 string
}

// Option changes what Stream records.
type Option func(*options)

type options struct{ digest bool }

// WithDigest records each file's SHA-256 in Loaded.SHA256, taken from the
// bytes that are parsed, as they are read.
func WithDigest() Option { return func(o *options) { o.digest = true } }

// Stream reads, parses and validates the named files (as Expand gives
// them) on the loader's pool and calls fn with each, in the order of
// names, on the calling goroutine. Only a bounded window of files is held
// at once, so memory does not grow with the number of files: fn should
// keep what it needs (a score, say) and let the assessment go. The first
// error fn returns stops the stream and is returned, as is the context's
// error when it is cancelled.
func Stream(ctx context.Context, names []string, r *rubric.Rubric, fn func(Loaded) error, opts ...Option) error {
	o := options{}
	for _, opt := range opts {
		opt(&o)
	}
	return pool(ctx, len(names), func(buf *yamlread.Buffer, i int) Loaded {
		data, err := ReadFile(names[i])
		if err != nil {
			return Loaded{Name: names[i], Err: err}
		}
		l := parseValidate(buf, Input{Name: names[i], Data: data}, r)
		if o.digest {
			l.SHA256 = Digest(data)
		}
		return l
	}, func(_ int, l Loaded) error { return fn(l) })
}

// StreamInputs is Stream over inputs already in memory; Loaded.SHA256 is
// the input's.
func StreamInputs(ctx context.Context, inputs []Input, r *rubric.Rubric, fn func(Loaded) error) error {
	return pool(ctx, len(inputs), func(buf *yamlread.Buffer, i int) Loaded {
		l := parseValidate(buf, inputs[i], r)
		l.SHA256 = inputs[i].SHA256
		return l
	}, func(_ int, l Loaded) error { return fn(l) })
}

// parseValidate parses one assessment through buf and, when r is not nil,
// validates it against r.
func parseValidate(buf *yamlread.Buffer, in Input, r *rubric.Rubric) Loaded {
	a, d := assessment.ParseWith(buf, in.Name, in.Data)
	if a != nil && r != nil {
		// Checked against the rubric even when the structure has errors,
		// so every problem in the file is reported in one run.
		d = append(d, assessment.Validate(a, r)...)
	}
	d.Sort()
	if d.HasErrors() {
		a = nil
	}
	return Loaded{Name: in.Name, Assessment: a, Diags: d}
}

// windowPerWorker bounds how far workers may run ahead of the consumer:
// enough to keep every core busy when file sizes vary, small enough that a
// window of Japan-sized assessments stays in the tens of megabytes.
const windowPerWorker = 8

// pool is the loader's one pool of workers, one per core: it runs
// work(0..n-1) and hands the results to fn (when not nil) in index order
// on the calling goroutine. Result i is written to slot i%window; the
// dispatcher takes a token before handing out an index and fn's caller
// returns it after fn, so at most window results are in flight and no two
// share a slot. Each worker reads through a yamlread.Buffer of its own,
// reusing the memory of the trees it has walked and let go. No new work
// starts once ctx is cancelled or fn has returned an error.
func pool[T any](ctx context.Context, n int, work func(buf *yamlread.Buffer, i int) T, fn func(i int, v T) error) error {
	workers := max(1, min(runtime.GOMAXPROCS(0), n))
	window := workers * windowPerWorker
	slots := make([]chan T, window)
	for i := range slots {
		slots[i] = make(chan T, 1)
	}
	tokens := make(chan struct{}, window)
	jobs := make(chan int)
	stop := make(chan struct{})
	go func() {
		defer close(jobs)
		for i := 0; i < n; i++ {
			select {
			case tokens <- struct{}{}:
			case <-stop:
				return
			}
			select {
			case jobs <- i:
			case <-stop:
				return
			}
		}
	}()
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var buf yamlread.Buffer
			for i := range jobs {
				if ctx.Err() != nil {
					return // the consumer is returning: start nothing new
				}
				slots[i%window] <- work(&buf, i)
			}
		}()
	}
	// Workers never block on a slot, so after stop they finish the file in
	// hand and exit.
	defer wg.Wait()
	defer close(stop)
	for i := 0; i < n; i++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		var v T
		select {
		case v = <-slots[i%window]:
		case <-ctx.Done():
			return ctx.Err()
		}
		<-tokens
		if fn != nil {
			if err := fn(i, v); err != nil {
				return err
			}
		}
	}
	return ctx.Err()
}
