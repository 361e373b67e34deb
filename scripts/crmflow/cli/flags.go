package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/url"
	"strings"
)

// globals are the flags every command takes, before or after its name.
type globals struct {
	url, key string
	json     bool
}

// flagSet makes a command's flag set with the global flags on it. Its usage
// (-h) goes to stdout: asked-for help is output, not an error.
func (r *runner) flagSet(name, summary string) *flag.FlagSet {
	fs := flag.NewFlagSet("crmflow "+name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&r.g.url, "url", r.g.url, "the API's base URL (default $"+EnvURL+")")
	fs.StringVar(&r.g.key, "key", r.g.key, "the API key (default $"+EnvKey+"); never printed")
	fs.BoolVar(&r.g.json, "json", r.g.json, "print the API's JSON instead of a table")
	// The flag package calls Usage on any parse error; only -h prints it (flagError).
	fs.Usage = func() {}
	if r.usages == nil {
		r.usages = map[*flag.FlagSet]func(){}
	}
	r.usages[fs] = func() {
		w := r.env.Stdout
		if name == "" {
			r.help(w)
			return
		}
		c := find(name)
		fmt.Fprintf(w, "usage: crmflow %s %s\n\n", name, c.args)
		if summary == "" {
			summary = c.summary
		}
		fmt.Fprintf(w, "%s\n\nflags:\n", summary)
		fs.SetOutput(w)
		fs.PrintDefaults()
		fs.SetOutput(io.Discard)
	}
	return fs
}

// parseFlags parses args with flags anywhere among the positional arguments
// (crmflow jobs get job_1 --json); "--" ends the flags.
func parseFlags(fs *flag.FlagSet, args []string) error {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			break
		}
		// fs.Parse stops at the first positional argument or after "--".
		if consumed := len(args) - len(rest); consumed > 0 && args[consumed-1] == "--" {
			pos = append(pos, rest...)
			break
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
	return fs.Parse(append([]string{"--"}, pos...))
}

// flagError turns a parse failure into help (exit 0) or a usage error (exit 2).
func (r *runner) flagError(cmd string, fs *flag.FlagSet, err error) error {
	if errors.Is(err, flag.ErrHelp) {
		r.usages[fs]()
		return errHelp
	}
	return usagef(cmd, "%v", err)
}

// parse parses a command's args and checks how many positional arguments
// it got: between min and max (max < 0: any), named by what for the message.
func (r *runner) parse(c *command, fs *flag.FlagSet, args []string, min, max int, what string) ([]string, error) {
	if err := parseFlags(fs, args); err != nil {
		return nil, r.flagError(c.name, fs, err)
	}
	pos := fs.Args()
	switch {
	case len(pos) < min:
		return nil, usagef(c.name, "%s needs %s", c.name, what)
	case max >= 0 && len(pos) > max:
		return nil, usagef(c.name, "unexpected argument %q", pos[max])
	}
	for _, p := range pos {
		if p == "" {
			return nil, usagef(c.name, "%s must not be empty", what)
		}
	}
	return pos, nil
}

// api returns the client for the run's URL and key, from the flags or else
// the environment: a missing one is a usage error.
func (r *runner) api(cmd string) (*Client, error) {
	base, key := r.g.url, r.g.key
	if base == "" {
		base = r.env.Getenv(EnvURL)
	}
	if key == "" {
		key = r.env.Getenv(EnvKey)
	}
	if base == "" {
		return nil, usagef(cmd, "no API URL: set %s or give --url (./scripts/dev prints it: http://127.0.0.1:8080)", EnvURL)
	}
	if err := checkBaseURL(base); err != nil {
		return nil, usagef(cmd, "%s", err)
	}
	if key == "" {
		return nil, usagef(cmd, "no API key: set %s or give --key", EnvKey)
	}
	return &Client{BaseURL: strings.TrimRight(base, "/"), Key: key, HTTP: r.env.HTTP}, nil
}

// checkBaseURL refuses a URL that would send the key in the clear to
// another machine: https, or http on a loopback address (the local run).
func checkBaseURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return fmt.Errorf("API URL %q: want https://host[/stage] (or http://127.0.0.1:port for the local run)", raw)
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return fmt.Errorf("API URL %q: no query or fragment, please", raw)
	}
	if u.Scheme == "http" && !isLoopback(u.Hostname()) {
		return fmt.Errorf("API URL %q: plain http only on a loopback address; the key would cross the network in the clear", raw)
	}
	return nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// tenant is --tenant or $CRMFLOW_TENANT.
func (r *runner) tenant(cmd, flagValue string) (string, error) {
	if flagValue == "" {
		flagValue = r.env.Getenv(EnvTenant)
	}
	if flagValue == "" {
		return "", usagef(cmd, "%s needs --tenant <tenantId> (or $%s)", cmd, EnvTenant)
	}
	return flagValue, nil
}
