// Command testcorpus writes a synthetic corpus of assessments against the
// bundled rubric, for measuring capscore at scale:
//
//	go run ./internal/testcorpus -countries 200 -revisions 10 -seed 1 -out DIR
//
// Files are DIR/CODE/YEAR.yaml; the same flags always write the same bytes.
// It is a development tool and no part of the capscore binary.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/capscore/capscore/internal/load"
	"github.com/capscore/capscore/internal/testcorpus/corpus"
)

func main() {
	var o corpus.Options
	flag.IntVar(&o.Countries, "countries", 200, "number of countries")
	flag.IntVar(&o.Revisions, "revisions", 10, "revisions per country, one a year")
	flag.Uint64Var(&o.Seed, "seed", 1, "random seed; the same seed writes the same corpus")
	flag.IntVar(&o.LastYear, "last-year", 2025, "revision label of the newest revision")
	out := flag.String("out", "", "folder to write into (created if missing)")
	flag.Parse()
	if *out == "" || flag.NArg() > 0 {
		fmt.Fprintln(os.Stderr, "usage: go run ./internal/testcorpus [-countries N] [-revisions R] [-seed S] -out DIR")
		os.Exit(2)
	}
	r, _, err := load.Rubric("")
	if err != nil {
		fmt.Fprintln(os.Stderr, "testcorpus:", err)
		os.Exit(1)
	}
	n, size, err := corpus.Write(*out, r, o)
	if err != nil {
		fmt.Fprintln(os.Stderr, "testcorpus:", err)
		os.Exit(1)
	}
	fmt.Printf("wrote %d assessments (%d bytes, %d per file on average) to %s\n", n, size, size/int64(n), *out)
}
