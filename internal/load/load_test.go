package load_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
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
