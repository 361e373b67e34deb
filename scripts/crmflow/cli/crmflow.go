// Package cli is the crmflow command line (go run ./scripts/crmflow):
// an operator's client of the HTTP API — tenants, keys, configurations,
// workflows, mappings, jobs, a Studio search from the terminal — and the
// dead-letter redrive, which talks to SQS directly. scripts/crmflow and
// scripts/redrivecmd are its thin mains.
//
// It is an HTTP client only: it decodes the API's answers into its own small
// types for tables and prints the API's JSON as it came with --json, so it
// shows what the API says, not what the server's Go types would.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
)

// Exit codes, documented in `crmflow help` and the README.
const (
	ExitOK       = 0 // done
	ExitError    = 1 // the API refused or failed, the network failed, a configuration test failed, a redrive failed
	ExitUsage    = 2 // unknown command or flag, missing argument, no CRMFLOW_URL/CRMFLOW_KEY, unreadable -f file
	ExitNotFound = 3 // the API answered 404: no such tenant, key, configuration, workflow, mapping or job (or another tenant's)
	ExitDenied   = 4 // the API answered 401 (no key, unknown or deleted key) or 403 (the key's role may not do this)
)

// Environment variables the command reads; flags override them.
const (
	EnvURL    = "CRMFLOW_URL"
	EnvKey    = "CRMFLOW_KEY"
	EnvTenant = "CRMFLOW_TENANT"
)

// Env is what one run of the command sees of the world.
type Env struct {
	Args   []string // the arguments after the program name
	Getenv func(string) string
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	// Terminal says stderr is a terminal: progress then redraws one line in
	// place; otherwise each progress step is a line of its own.
	Terminal bool
	// HTTP is the client API calls use; nil means one with DefaultTimeout.
	HTTP *http.Client
}

// OSEnv is the Env of a process: its arguments, environment and standard streams.
func OSEnv() Env {
	term := false
	if fi, err := os.Stderr.Stat(); err == nil {
		term = fi.Mode()&os.ModeCharDevice != 0
	}
	return Env{Args: os.Args[1:], Getenv: os.Getenv, Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Terminal: term}
}

// Run runs one command line and returns its exit code.
func Run(ctx context.Context, e Env) int {
	if e.Getenv == nil {
		e.Getenv = func(string) string { return "" }
	}
	if e.Stdin == nil {
		e.Stdin = strings.NewReader("")
	}
	r := &runner{env: e}
	return r.exit(r.main(ctx, e.Args))
}

// exit prints err the way its kind deserves and maps it to an exit code.
func (r *runner) exit(err error) int {
	var (
		usage *usageError
		api   *APIError
		fail  *failedError
	)
	switch {
	case err == nil:
		return ExitOK
	case errors.Is(err, errHelp):
		return ExitOK
	case errors.As(err, &usage):
		fmt.Fprintf(r.env.Stderr, "crmflow: %s\n", usage.msg)
		if usage.cmd != "" {
			fmt.Fprintf(r.env.Stderr, "run 'crmflow %s -h' for its usage\n", usage.cmd)
		} else {
			fmt.Fprintln(r.env.Stderr, "run 'crmflow help' for the commands")
		}
		return ExitUsage
	case errors.As(err, &api):
		fmt.Fprint(r.env.Stderr, api.Explain())
		switch api.Status {
		case http.StatusNotFound:
			return ExitNotFound
		case http.StatusUnauthorized, http.StatusForbidden:
			return ExitDenied
		}
		return ExitError
	case errors.As(err, &fail):
		fmt.Fprintf(r.env.Stderr, "crmflow: %s\n", fail.msg)
		return ExitError
	}
	fmt.Fprintf(r.env.Stderr, "crmflow: %v\n", err)
	return ExitError
}

// usageError is a command line the command cannot run: exit 2.
type usageError struct{ cmd, msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(cmd, format string, args ...any) error {
	return &usageError{cmd: cmd, msg: fmt.Sprintf(format, args...)}
}

// failedError is a command that ran and whose outcome is a failure the
// output already shows (a configuration test with a failed check): exit 1.
type failedError struct{ msg string }

func (e *failedError) Error() string { return e.msg }

// errHelp: -h or help was asked for and printed.
var errHelp = errors.New("help")

// runner holds one run's environment and its global flags.
type runner struct {
	env    Env
	g      globals
	usages map[*flag.FlagSet]func() // what -h prints, per flag set
}

func (r *runner) main(ctx context.Context, args []string) error {
	fs := r.flagSet("", "")
	// The global flags stop at the command's name: the rest is the command's.
	if err := fs.Parse(args); err != nil {
		return r.flagError("", fs, err)
	}
	args = fs.Args()
	if len(args) == 0 {
		r.help(r.env.Stderr)
		return usagef("", "no command given")
	}
	if args[0] == "help" {
		return r.helpFor(args[1:])
	}
	cmd, rest, err := lookup(args)
	if err != nil {
		return err
	}
	return cmd.run(ctx, r, cmd, rest)
}

// lookup finds the command args name: one word (search, retry, redrive) or a
// group and a verb (configs put).
func lookup(args []string) (*command, []string, error) {
	group := args[0]
	if c := find(group); c != nil {
		return c, args[1:], nil
	}
	verbs := verbsOf(group)
	if len(verbs) == 0 {
		return nil, nil, usagef("", "unknown command %q", group)
	}
	if len(args) < 2 || strings.HasPrefix(args[1], "-") {
		if len(args) >= 2 && (args[1] == "-h" || args[1] == "--help" || args[1] == "-help") {
			return &command{name: group, run: groupHelp}, nil, nil
		}
		return nil, nil, usagef("", "%s needs one of: %s", group, strings.Join(verbs, ", "))
	}
	if c := find(group + " " + args[1]); c != nil {
		return c, args[2:], nil
	}
	return nil, nil, usagef("", "unknown command %q: %s takes %s", group+" "+args[1], group, strings.Join(verbs, ", "))
}

func groupHelp(_ context.Context, r *runner, c *command, _ []string) error {
	r.groupUsage(r.env.Stdout, c.name)
	return errHelp
}
