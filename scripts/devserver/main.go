// Command devserver is ./scripts/dev: the whole of crmflow on one machine.
// It starts moto_server (DynamoDB, SQS, Secrets Manager) on loopback, creates
// the table, queues and secrets, starts a sandbox of each CRM, and serves every
// function behind a local API Gateway stand-in. Ctrl-C stops all of it.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/crmflow/crmflow/shared/logx"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "address the local gateway listens on")
	demo := flag.Bool("demo", false, "seed a tenant, keys and a configuration per CRM sandbox, and print curl commands")
	flag.Parse()
	// Every function's JSON log lines, with request, tenant, configuration,
	// workflow and contact ids, go to stderr; the banner goes to stdout.
	slog.SetDefault(logx.New(os.Stderr, "local"))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, options{addr: *addr, demo: *demo, platformKey: os.Getenv("CRMFLOW_PLATFORM_KEY"), out: os.Stdout}); err != nil {
		fmt.Fprintln(os.Stderr, "dev:", err)
		os.Exit(1)
	}
}
