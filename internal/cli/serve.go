package cli

import (
	"errors"
	"fmt"
	"net"
	"strconv"
	"syscall"

	"github.com/capscore/capscore/internal/server"
	"github.com/spf13/cobra"
)

type serveOptions struct {
	paths []string
	addr  string
}

func (a *app) newServeCmd(runF func(*serveOptions) error) *cobra.Command {
	opts := &serveOptions{}
	cmd := &cobra.Command{
		Use:   "serve [FILE|DIR...]",
		Short: "Serve a local page to tune weights and compare assessments",
		Long: `Serve a local web page over the assessments (no argument: the bundled
ones): one slider per pillar weight, and per criterion on demand, and a
profile selector. Moving a slider asks the server, which scores with the
capscore engine and sends back scores, tiers, the radar chart's points and
the ranking; the page does no arithmetic of its own. The page also compares
two assessments side by side, shows the --weight flags and the config file
that reproduce the current weights, and links to the full report for them.

The page opens with the weights of the command line (--profile, --weight,
the config file and CAPSCORE_WEIGHTS). The server listens on 127.0.0.1 only
unless --addr says otherwise, and warns when it does; it is read-only, and
stops cleanly on Ctrl-C.`,
		Example: `  capscore serve
  capscore serve assessments/ --addr 127.0.0.1:9000 --profile defence-first`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.paths = args
			if runF != nil {
				return runF(opts)
			}
			return a.runServe(cmd, opts)
		},
	}
	cmd.Flags().StringVar(&opts.addr, "addr", "127.0.0.1:8080", "listen on `HOST:PORT` (port 0 picks a free one)")
	writesOnly(cmd, "serves a web page and prints no results")
	return writesNoFile(cmd, "serves a web page and writes no file")
}

func (a *app) runServe(cmd *cobra.Command, opts *serveOptions) error {
	if err := checkAddr(opts.addr); err != nil {
		return err
	}
	// Resolving the weights once here reports bad --profile and --weight
	// values as usage errors before anything listens.
	sc, err := a.prepare()
	if err != nil {
		return err
	}
	r, opt := sc.rubric, sc.opt
	as, err := a.loadAssessments(cmd.Context(), opts.paths, r)
	if err != nil {
		return err
	}
	st, err := a.weightStack(r)
	if err != nil {
		return err
	}
	cfg := server.Config{Rubric: r, Assessments: as, Options: opt, Profiles: a.globals.profiles(r), Stack: st, Layers: a.layers()}
	loopback := server.Loopback(opts.addr)
	cfg.LoopbackOnly = loopback
	srv, err := server.New(cfg)
	if err != nil {
		return err
	}
	// A well-formed address that cannot be listened on (a port in use, a
	// host not of this machine) is a failure, not wrong usage.
	ln, err := net.Listen("tcp", opts.addr)
	if errors.Is(err, syscall.EADDRINUSE) {
		return fmt.Errorf("--addr %s: %v; stop what listens there, or pick another port (port 0 picks a free one)", opts.addr, err)
	} else if err != nil {
		return fmt.Errorf("--addr %s: %v", opts.addr, err)
	}
	if !loopback {
		fmt.Fprintf(a.io.Err, "capscore: warning: listening on %s, which other machines may reach; the page shows every loaded assessment to anyone who can connect. Use --addr 127.0.0.1:PORT to keep it local.\n", ln.Addr())
	}
	fmt.Fprintf(a.io.Out, "capscore: serving %d assessment(s) at http://%s/ (Ctrl-C stops)\n", len(as), ln.Addr())
	return server.Serve(cmd.Context(), ln, srv)
}

// checkAddr refuses an --addr that is not HOST:PORT with a port number,
// before anything is loaded.
func checkAddr(addr string) error {
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		return usagef("--addr %s: %v; give HOST:PORT, e.g. 127.0.0.1:8080", addr, err)
	}
	if _, err := strconv.ParseUint(port, 10, 16); err != nil {
		return usagef("--addr %s: the port must be a number from 0 to 65535 (0 picks a free one)", addr)
	}
	return nil
}
