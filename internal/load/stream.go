package load

import (
	"context"
	"runtime"
	"sync"

	"github.com/capscore/capscore/internal/assessment"
	"github.com/capscore/capscore/internal/blockyaml"
	"github.com/capscore/capscore/internal/diag"
	"github.com/capscore/capscore/internal/rubric"
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
}

// Stream reads, parses and validates the named files on all cores and calls
// fn with each, in the order of names, on the calling goroutine. Only a
// bounded window of files is held at once, so memory does not grow with
// the number of files: fn should keep what it needs (a score, say) and let
// the assessment go. The first error fn returns stops the stream and is
// returned, as is the context's error when it is cancelled.
func Stream(ctx context.Context, names []string, r *rubric.Rubric, fn func(Loaded) error) error {
	return stream(ctx, len(names), func(dec *blockyaml.Decoder, i int) Loaded {
		data, err := ReadFile(names[i])
		if err != nil {
			return Loaded{Name: names[i], Err: err}
		}
		return parseValidate(dec, Input{Name: names[i], Data: data}, r)
	}, fn)
}

// StreamInputs is Stream over inputs already in memory, such as the
// bundled assessments.
func StreamInputs(ctx context.Context, inputs []Input, r *rubric.Rubric, fn func(Loaded) error) error {
	return stream(ctx, len(inputs), func(dec *blockyaml.Decoder, i int) Loaded { return parseValidate(dec, inputs[i], r) }, fn)
}

// parseValidate parses one assessment, through dec when it is not nil, and
// validates it against r.
func parseValidate(dec *blockyaml.Decoder, in Input, r *rubric.Rubric) Loaded {
	a, d := assessment.ParseWith(dec, in.Name, in.Data)
	if a != nil {
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

// stream runs load(0..n-1) on all cores and hands the results to fn in
// index order. Result i is written to slot i%window; the dispatcher takes a
// token before handing out an index and fn's caller returns it after fn, so
// at most window results are in flight and no two share a slot.
func stream(ctx context.Context, n int, load func(dec *blockyaml.Decoder, i int) Loaded, fn func(Loaded) error) error {
	workers := max(1, min(runtime.GOMAXPROCS(0), n))
	window := workers * windowPerWorker
	slots := make([]chan Loaded, window)
	for i := range slots {
		slots[i] = make(chan Loaded, 1)
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
			// Each worker decodes through its own Decoder, reusing the
			// memory of the trees it has walked and let go.
			var dec blockyaml.Decoder
			for i := range jobs {
				slots[i%window] <- load(&dec, i)
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
		var l Loaded
		select {
		case l = <-slots[i%window]:
		case <-ctx.Done():
			return ctx.Err()
		}
		<-tokens
		if err := fn(l); err != nil {
			return err
		}
	}
	return ctx.Err()
}
