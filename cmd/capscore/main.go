// Command capscore scores national cyber capability; see internal/cli.
package main

import (
	"os"

	"github.com/capscore/capscore/internal/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], cli.IO{In: os.Stdin, Out: os.Stdout, Err: os.Stderr}, os.LookupEnv))
}
