// Command redrivecmd is ./scripts/redrive: it moves dead-lettered post-call
// jobs back to their queue once the cause is fixed, and with -table marks
// each moved job queued again (it was deadlettered). It uses the standard AWS
// credential chain (AWS_PROFILE, AWS_REGION…); with CRMFLOW_AWS_ENDPOINT set
// it talks to a local moto_server instead.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"

	"github.com/crmflow/crmflow/shared/awsclient"
	"github.com/crmflow/crmflow/shared/queue"
	"github.com/crmflow/crmflow/shared/redrive"
	"github.com/crmflow/crmflow/shared/store/dynamo"
)

// The queues -queue names, and the prefix ./scripts/dev names them with.
const (
	queueTimeline    = "timeline"
	queueMemorialize = "memorialize"
	localPrefix      = "crmflow-local"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
	case strings.HasPrefix(err.Error(), "redrive: "):
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	default:
		fmt.Fprintln(os.Stderr, "redrive:", err)
		os.Exit(1)
	}
}

// options are the command's flags.
type options struct {
	queue, prefix string
	from, to      string
	table         string
	max           int
}

func parse(args []string, stderr io.Writer) (options, error) {
	var o options
	fs := flag.NewFlagSet("redrive", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.queue, "queue", "", "timeline or memorialize: the queue named <prefix>-<queue> (the local run's)")
	fs.StringVar(&o.prefix, "prefix", localPrefix, "queue name prefix for -queue")
	fs.StringVar(&o.to, "to", "", "URL of the job queue to move back to (stack output TimelineQueueUrl or MemorializeQueueUrl)")
	fs.StringVar(&o.from, "from", "", "URL of the dead-letter queue (default: the job queue's redrive policy target)")
	fs.StringVar(&o.table, "table", "", "DynamoDB table (stack output TableName): reset each moved job from deadlettered to queued")
	fs.IntVar(&o.max, "max", 0, "move at most this many messages (0: all)")
	if err := fs.Parse(args); err != nil {
		return options{}, err
	}
	switch {
	case fs.NArg() > 0:
		return options{}, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	case o.queue != "" && o.to != "":
		return options{}, errors.New("give -queue or -to, not both")
	case o.queue == "" && o.to == "":
		return options{}, errors.New("say which queue: -queue timeline|memorialize, or -to <queue url>")
	case o.queue != "" && o.queue != queueTimeline && o.queue != queueMemorialize:
		return options{}, fmt.Errorf("-queue %q: must be %s or %s", o.queue, queueTimeline, queueMemorialize)
	case o.max < 0:
		return options{}, errors.New("-max must be 0 (all) or more")
	}
	return o, nil
}

func (o options) target() redrive.Target {
	t := redrive.Target{URL: o.to, DLQURL: o.from}
	if o.queue != "" {
		t.Name = o.prefix + "-" + o.queue
	}
	return t
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	o, err := parse(args, stderr)
	if err != nil {
		return err
	}
	cfg, err := awsclient.Load(ctx)
	if err != nil {
		return err
	}
	client := awsclient.SQS(cfg)
	from, to, err := redrive.Resolve(ctx, client, o.target())
	if err != nil {
		return err
	}
	m := &redrive.Mover{Queue: queue.NewSQS(client), Out: stderr}
	if o.table != "" {
		m.Jobs = dynamo.New(awsclient.DynamoDB(cfg), o.table)
	}
	res, err := m.Move(ctx, from, to, o.max)
	fmt.Fprintf(stdout, "moved %d message(s) from %s to %s", res.Moved, from, to)
	if o.table != "" {
		fmt.Fprintf(stdout, "; %d job(s) reset to queued", res.Reset)
	}
	fmt.Fprintln(stdout)
	return err
}
