package load_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/capscore/capscore/internal/load"
	"github.com/capscore/capscore/internal/yamlread"
)

func TestReadFileLimit(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		size int
		ok   bool
	}{{0, true}, {56_000, true}, {yamlread.MaxFileSize, true}, {yamlread.MaxFileSize + 1, false}} {
		name := filepath.Join(dir, "f.yaml")
		want := bytes.Repeat([]byte("a"), tc.size)
		if err := os.WriteFile(name, want, 0o644); err != nil {
			t.Fatal(err)
		}
		got, err := load.ReadFile(name)
		switch {
		case tc.ok && (err != nil || !bytes.Equal(got, want)):
			t.Errorf("%d bytes: got %d bytes, %v", tc.size, len(got), err)
		case !tc.ok && (err == nil || !strings.Contains(err.Error(), "over the limit")):
			t.Errorf("%d bytes: got %v, want the size limit", tc.size, err)
		}
	}
	if _, err := load.ReadFile(dir); err == nil || !strings.Contains(err.Error(), "is a directory") {
		t.Errorf("directory: got %v", err)
	}
}

// TestParallelContextStops: no new call starts once the context is
// cancelled, so an interrupted load of many files stops at once.
func TestParallelContextStops(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var calls atomic.Int64
	const n = 100_000
	load.ParallelContext(ctx, n, func(i int) {
		if calls.Add(1) == 10 {
			cancel()
		}
	})
	// Calls already handed out may finish: one a worker, and one more
	// handed out as the context was cancelled.
	if got := calls.Load(); got > 10+int64(runtime.GOMAXPROCS(0))+1 {
		t.Errorf("%d calls after cancelling at the 10th", got)
	}
	if _, err := load.ReadContext(ctx, []string{"a", "b"}); !errors.Is(err, context.Canceled) {
		t.Errorf("ReadContext after cancel: %v", err)
	}
}
