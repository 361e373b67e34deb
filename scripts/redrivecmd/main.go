// Command redrivecmd is ./scripts/redrive: it moves dead-lettered post-call
// jobs back to their queue once the cause is fixed, and with -table marks
// each moved job queued again (it was deadlettered). It is `crmflow redrive`
// (scripts/crmflow/cli), kept under its old name: same flags, same output,
// crmflow's exit codes (2 for a usage error).
package main

import (
	"context"
	"os"
	"os/signal"

	"github.com/crmflow/crmflow/scripts/crmflow/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	env := cli.OSEnv()
	env.Args = append([]string{"redrive"}, env.Args...)
	code := cli.Run(ctx, env)
	stop()
	os.Exit(code)
}
