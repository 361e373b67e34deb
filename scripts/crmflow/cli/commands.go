package cli

import (
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// command is one line of `crmflow help`.
type command struct {
	name    string // "configs put"
	args    string // what follows the name in its usage line
	summary string
	run     func(ctx context.Context, r *runner, c *command, args []string) error
}

// commands is every command, in the order help lists them.
var commands []*command

func init() {
	commands = []*command{
		{"tenants create", "--name <name>", "create a tenant (platform key)", tenantsCreate},
		{"keys list", "--tenant <tenantId>", "list a tenant's keys: id, role, created (never a key)", keysList},
		{"keys create", "--tenant <tenantId> --role admin|studio|agent|platform", "create a key; the key is printed once, only its hash is stored", keysCreate},
		{"keys delete", "--tenant <tenantId> <keyId>", "delete a key", keysDelete},
		{"configs list", "", "list configurations", configsList},
		{"configs get", "<configurationId>", "read a configuration (credentials show as \"set\")", configsGet},
		{"configs put", "<configurationId> -f <file.json|->", "create or replace a configuration from a JSON file", configsPut},
		{"configs delete", "<configurationId>", "delete a configuration with its workflows, mappings and secret", configsDelete},
		{"configs test", "<configurationId>", "test a configuration against its CRM; exit 1 when a check fails", configsTest},
		{"workflows list", "--config <configurationId>", "list a configuration's workflows", workflowsList},
		{"mappings list", "--config <configurationId> [--dynamic]", "list data memorialization (or dynamic data) mappings", mappingsList},
		{"mappings get", "--config <configurationId> [--dynamic] <mappingId>", "read a mapping", mappingsGet},
		{"mappings put", "--config <configurationId> [--dynamic] <mappingId> -f <file.json|->", "create or replace a mapping from a JSON file", mappingsPut},
		{"mappings delete", "--config <configurationId> [--dynamic] <mappingId>", "delete a mapping", mappingsDelete},
		{"jobs get", "<jobId>", "a post-call job's status, attempts, last error and CRM record ids (studio key)", jobsGet},
		{"jobs list", "--status queued|running|succeeded|failed|deadlettered [--max N]", "list jobs of a status, newest change first, every page", jobsList},
		{"jobs retry", "<jobId>", "queue a failed or dead-lettered job again (also: crmflow retry <jobId>)", jobsRetry},
		{"retry", "<jobId>", "same as jobs retry", jobsRetry},
		{"search", "--config <configurationId> --phone <number> | --email <address> | --input <json>", "run a search workflow as a Studio script does (studio key)", search},
		{"redrive", "--queue timeline|memorialize | --to <queueUrl> [--table <name>] [--max N]", "move dead-lettered jobs back to their queue (SQS, not the API)", redriveCmd},
	}
}

func find(name string) *command {
	for _, c := range commands {
		if c.name == name {
			return c
		}
	}
	return nil
}

// verbsOf lists the verbs of a group ("configs" → list, get, put…).
func verbsOf(group string) []string {
	var out []string
	for _, c := range commands {
		if g, verb, ok := strings.Cut(c.name, " "); ok && g == group {
			out = append(out, verb)
		}
	}
	return out
}

const helpText = `crmflow — the operator's command line of crmflow.

usage: crmflow [--url URL] [--key KEY] [--json] <command> [flags] [arguments]

Every command but redrive calls the HTTP API at CRMFLOW_URL (or --url) with the
key in CRMFLOW_KEY (or --key). Which key a command needs is the route's role
(README, "Route reference"): platform for tenants, admin for configurations,
workflows, mappings and keys, studio for search and jobs. The key is never
printed; only "keys create" prints the key it created, once.

Output: tables for people; --json prints the API's JSON body as it answered,
indented (on an error, the API's error body goes to stdout too). A listing of
many pages shows a progress line on stderr.

Commands:
`

const exitText = `
Global flags (before or after the command):
  --url URL     the API's base URL (default $CRMFLOW_URL); https, or http on loopback
  --key KEY     the API key (default $CRMFLOW_KEY)
  --json        print the API's JSON instead of a table
  -h            a command's flags: crmflow <command> -h

Exit codes:
  0  done
  1  the API refused or failed (400, 409, 422, 429, 5xx), the network failed,
     a configuration test had a failed check, a redrive failed
  2  usage: unknown command or flag, missing argument, no CRMFLOW_URL or
     CRMFLOW_KEY, an unreadable or invalid -f file
  3  not found (404): no such id in this tenant (another tenant's ids are 404 too)
  4  the key was refused: 401 (missing, unknown or deleted key) or 403 (its role may not)

Errors print the API's code, field and message, the CRM's own error when the
CRM refused, Retry-After when given, and the request id to quote.
`

func (r *runner) help(w io.Writer) {
	fmt.Fprint(w, helpText)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, c := range commands {
		fmt.Fprintf(tw, "  %s\t%s\n", c.name, c.summary)
	}
	tw.Flush()
	fmt.Fprint(w, exitText)
}

// helpFor serves `crmflow help [command]`.
func (r *runner) helpFor(args []string) error {
	if len(args) == 0 {
		r.help(r.env.Stdout)
		return errHelp
	}
	name := strings.Join(args, " ")
	if c := find(name); c != nil {
		return c.run(context.Background(), r, c, []string{"-h"})
	}
	if len(verbsOf(name)) > 0 {
		r.groupUsage(r.env.Stdout, name)
		return errHelp
	}
	return usagef("", "no command %q", name)
}

func (r *runner) groupUsage(w io.Writer, group string) {
	fmt.Fprintf(w, "crmflow %s: one of\n", group)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, c := range commands {
		if strings.HasPrefix(c.name, group+" ") {
			fmt.Fprintf(tw, "  crmflow %s %s\t%s\n", c.name, c.args, c.summary)
		}
	}
	tw.Flush()
}
