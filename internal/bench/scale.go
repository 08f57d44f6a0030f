package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/capscore/capscore/internal/load"
	"github.com/capscore/capscore/internal/testcorpus/corpus"
)

// scale times `capscore score DIR --format json` on corpora of each size
// in sizes ("1000,4000,16000"), o.Revisions revisions a country, each
// corpus written to a temporary folder and removed before the next, and
// prints the time per size and per file and the peak memory.
func scale(o corpus.Options, sizes string, reps int, out io.Writer) error {
	tmp, err := os.MkdirTemp("", "capscore-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	r, _, err := load.Rubric("")
	if err != nil {
		return err
	}
	bin := filepath.Join(tmp, "capscore")
	if err := build(bin); err != nil {
		return err
	}
	fmt.Fprintf(out, "capscore score DIR --format json, median of %d; load average before: %s\n\n", reps, loadAvg())
	fmt.Fprintln(out, "| files | on disk | wall | CPU | wall per file | CPU per file | peak RSS |")
	fmt.Fprintln(out, "|--:|--:|--:|--:|--:|--:|--:|")
	for _, f := range strings.Split(sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < o.Revisions || n%o.Revisions != 0 {
			return fmt.Errorf("-sizes: %q is not a multiple of -revisions %d", f, o.Revisions)
		}
		o.Countries = n / o.Revisions
		data := filepath.Join(tmp, "corpus")
		files, size, err := corpus.Write(data, r, o)
		if err != nil {
			return err
		}
		var ts []timing
		var rss int64
		for range reps {
			t, peak, err := child(bin, "score", data, "--format", "json")
			if err != nil {
				return err
			}
			ts = append(ts, t)
			rss = max(rss, peak)
		}
		if err := os.RemoveAll(data); err != nil {
			return err
		}
		t := median(ts)
		fmt.Fprintf(out, "| %d | %.0f MB | %s | %s | %.1f µs | %.1f µs | %.0f MB |\n", files, float64(size)/1e6, dur(t.wall), dur(t.cpu),
			float64(t.wall.Microseconds())/float64(files), float64(t.cpu.Microseconds())/float64(files), float64(rss)/1e6)
	}
	fmt.Fprintf(out, "\nload average after: %s\n", loadAvg())
	return nil
}
