// Command capscore scores national cyber capability; see internal/cli.
package main

import (
	"os"

	"github.com/capscore/capscore/internal/cli"
	"github.com/capscore/capscore/internal/gctune"
)

func main() {
	gctune.Apply(os.LookupEnv)
	os.Exit(cli.Main(os.Args[1:], cli.IO{In: os.Stdin, Out: os.Stdout, Err: os.Stderr}, os.LookupEnv))
}
