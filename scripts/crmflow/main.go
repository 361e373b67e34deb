// Command crmflow is the operator's command line of crmflow (go run
// ./scripts/crmflow, or go build -o crmflow ./scripts/crmflow): tenants, keys,
// configurations, workflows, mappings, jobs, a Studio search, and the
// dead-letter redrive. `crmflow help` lists the commands and exit codes;
// scripts/crmflow/cli holds them.
package main

import (
	"context"
	"os"
	"os/signal"

	"github.com/crmflow/crmflow/scripts/crmflow/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := cli.Run(ctx, cli.OSEnv())
	stop()
	os.Exit(code)
}
