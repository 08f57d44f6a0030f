package cli

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// withOutput runs write against standard output, or against a temporary
// file beside --output that is renamed over it only when write succeeds, so
// a failed or interrupted command never leaves a partial file.
func (a *app) withOutput(write func(w io.Writer) error) error {
	target := a.globals.output
	if target == "" || target == "-" {
		return write(a.io.Out)
	}
	dir := filepath.Dir(target)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(target)+".tmp-*")
	if err != nil {
		return fmt.Errorf("--output %s: %w", target, err)
	}
	done := false
	defer func() {
		if !done {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	buf := bufio.NewWriter(tmp)
	if err := write(buf); err != nil {
		return err
	}
	if err := buf.Flush(); err != nil {
		return fmt.Errorf("--output %s: %w", target, err)
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("--output %s: %w", target, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("--output %s: %w", target, err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return fmt.Errorf("--output %s: %w", target, err)
	}
	if err := os.Rename(tmp.Name(), target); err != nil {
		return fmt.Errorf("--output %s: %w", target, err)
	}
	done = true
	return nil
}
