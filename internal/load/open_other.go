//go:build !unix

package load

// openFlags is empty where opening a file cannot wait on a writer the way
// a unix named pipe does.
const openFlags = 0
