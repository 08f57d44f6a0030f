//go:build !unix

package cli

import "testing"

// mkfifo skips the test: there are no named pipes in the file system here.
func mkfifo(t *testing.T, path string) {
	t.Helper()
	t.Skipf("%s: no named pipes on this system", path)
}
