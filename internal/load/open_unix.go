//go:build unix

package load

import "syscall"

// openFlags make opening a named pipe or a device return at once instead of
// waiting for a writer or a carrier, and keep a terminal from becoming the
// controlling one; the type check then refuses what was opened.
const openFlags = syscall.O_NONBLOCK | syscall.O_NOCTTY
