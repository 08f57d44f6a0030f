package load_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/capscore/capscore/internal/load"
)

// Every form of bundled name expands to bundled:… names, which read back
// as the same bytes; a file on disk of the short name's spelling wins.
func TestExpandBundledForms(t *testing.T) {
	t.Chdir(t.TempDir())
	for _, tt := range []struct {
		arg  string
		want string
	}{
		{"bundled:assessments/japan/2021.yaml", "bundled:assessments/japan/2021.yaml"},
		{"bundled:assessments/japan", "bundled:assessments/japan/2021.yaml bundled:assessments/japan/2025.yaml"},
		{"bundled:assessments/", "bundled:assessments/japan/2021.yaml bundled:assessments/japan/2025.yaml"},
		{"japan@2021", "bundled:assessments/japan/2021.yaml"},
		{"JPN@2025", "bundled:assessments/japan/2025.yaml"},
		{"Japan", "bundled:assessments/japan/2021.yaml bundled:assessments/japan/2025.yaml"},
		{"jpn", "bundled:assessments/japan/2021.yaml bundled:assessments/japan/2025.yaml"},
		{"iiss-seven-pillars@1.0.0", "bundled:rubrics/iiss-seven-pillars-1.0.0.yaml"},
		{"bundled:rubrics/iiss-seven-pillars.yaml", load.DefaultRubric},
		// A place printed in a bundled file names the file.
		{"bundled:rubrics/iiss-seven-pillars.yaml:80:5", load.DefaultRubric},
		{"bundled:assessments/japan/2021.yaml:12", "bundled:assessments/japan/2021.yaml"},
	} {
		got, err := load.Expand([]string{tt.arg})
		if err != nil || strings.Join(got, " ") != tt.want {
			t.Errorf("%s: %v %v, want %s", tt.arg, got, err, tt.want)
		}
		if _, err := load.ExpandBundled([]string{tt.arg}); err != nil {
			t.Errorf("ExpandBundled(%s): %v", tt.arg, err)
		}
	}
	all, err := load.Expand([]string{"bundled:"})
	if err != nil || strings.Join(all, " ") != strings.Join(load.BundledNames(), " ") || len(all) != 4 {
		t.Errorf("bundled: %v %v", all, err)
	}
	for _, bad := range []string{"bundled:assessments/japan/2030.yaml", "bundled:../go.mod", "bundled:/etc/passwd", "atlantis@2021", "bundled:nothing"} {
		if _, err := load.Expand([]string{bad}); err == nil {
			t.Errorf("%s: no error", bad)
		}
	}
	// A file on disk named like a short name is that file; bundled:… is
	// never a file on disk.
	if err := os.WriteFile("japan", []byte("country: x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got, _ := load.Expand([]string{"japan"}); strings.Join(got, " ") != "japan" {
		t.Errorf("japan on disk: %v", got)
	}
	if got, _ := load.ExpandBundled([]string{"japan"}); len(got) != 2 {
		t.Errorf("ExpandBundled ignores the disk: %v", got)
	}
	if err := os.MkdirAll(filepath.Join("bundled:assessments", "japan"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join("bundled:assessments", "japan", "2021.yaml"), []byte("disk\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	data, err := load.ReadFile("bundled:assessments/japan/2021.yaml")
	if err != nil || string(data) == "disk\n" {
		t.Errorf("bundled name read from disk: %q %v", data, err)
	}
	if data, err := load.ReadFile("./bundled:assessments/japan/2021.yaml"); err != nil || string(data) != "disk\n" {
		t.Errorf("./bundled:…: %q %v", data, err)
	}
}

// File reads one file under its printed name; a country's bare name is
// several files and needs a revision.
func TestFile(t *testing.T) {
	t.Chdir(t.TempDir())
	in, err := load.File("japan@2021")
	sum := sha256.Sum256(in.Data)
	if err != nil || in.Name != "bundled:assessments/japan/2021.yaml" || in.SHA256 != hex.EncodeToString(sum[:]) {
		t.Errorf("%s %s %v", in.Name, in.SHA256, err)
	}
	if _, err := load.File("japan"); err == nil || !strings.Contains(err.Error(), "japan@REVISION") {
		t.Errorf("bare country: %v", err)
	}
	if _, err := load.File("bundled:assessments/japan"); err == nil || !strings.Contains(err.Error(), "bundled folder") {
		t.Errorf("bundled folder: %v", err)
	}
	if _, err := load.File("bundled:nope.yaml"); !errors.Is(err, load.ErrNotBundled) {
		t.Errorf("missing: %v", err)
	}
	if in, err := load.File("bundled:assessments/japan/2021.yaml:80:5"); err != nil || in.Name != "bundled:assessments/japan/2021.yaml" {
		t.Errorf("a place: %s %v", in.Name, err)
	}
	r, rin, _, err := load.RubricInput("iiss-seven-pillars@1.0.0")
	if err != nil || r.Version != "1.0.0" || rin.Name != "bundled:rubrics/iiss-seven-pillars-1.0.0.yaml" || len(rin.SHA256) != 64 {
		t.Errorf("rubric %v %+v %v", r, rin, err)
	}
}

// WithDigest records the SHA-256 of the very bytes parsed, for disk and
// bundled files alike.
func TestStreamDigest(t *testing.T) {
	dir := t.TempDir()
	src, err := load.ReadFile("bundled:assessments/japan/2021.yaml")
	if err != nil {
		t.Fatal(err)
	}
	disk := filepath.Join(dir, "a.yaml")
	if err := os.WriteFile(disk, src, 0o644); err != nil {
		t.Fatal(err)
	}
	r, _, err := load.Rubric("")
	if err != nil {
		t.Fatal(err)
	}
	names := []string{disk, "bundled:assessments/japan/2025.yaml"}
	var got []load.Loaded
	err = load.Stream(context.Background(), names, r, func(l load.Loaded) error { got = append(got, l); return nil }, load.WithDigest())
	if err != nil || len(got) != 2 {
		t.Fatal(err, len(got))
	}
	for i, l := range got {
		data, _ := load.ReadFile(names[i])
		sum := sha256.Sum256(data)
		if l.SHA256 != hex.EncodeToString(sum[:]) || l.Assessment == nil {
			t.Errorf("%s: %s", l.Name, l.SHA256)
		}
	}
	// Without the option no time is spent hashing.
	_ = load.Stream(context.Background(), names[:1], r, func(l load.Loaded) error {
		if l.SHA256 != "" {
			t.Errorf("digest without WithDigest")
		}
		return nil
	})
}

// A file on disk whose name starts with bundled: stays a file on disk when
// a folder walk finds it: the walk's cleaned names would otherwise read as
// bundled names.
func TestWalkKeepsDiskNames(t *testing.T) {
	dir := t.TempDir()
	sub := filepath.Join(dir, "bundled:assessments", "japan")
	if err := os.MkdirAll(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(sub, "2021.yaml"), []byte("country: Atlantis\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	names, err := load.Expand([]string{"."})
	if err != nil {
		t.Fatal(err)
	}
	if len(names) != 1 || names[0] != "./bundled:assessments/japan/2021.yaml" {
		t.Fatalf("Expand(.) = %q, want the file on disk as ./bundled:…", names)
	}
	data, err := load.ReadFile(names[0])
	if err != nil || string(data) != "country: Atlantis\n" {
		t.Fatalf("read %q: %q, %v; want the file on disk", names[0], data, err)
	}
}
