package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/crmflow/crmflow/shared/awsclient"
	"github.com/crmflow/crmflow/shared/queue"
	"github.com/crmflow/crmflow/shared/redrive"
	"github.com/crmflow/crmflow/shared/store/dynamo"
)

// The queues --queue names, and the prefix ./scripts/dev names them with.
const (
	queueTimeline    = "timeline"
	queueMemorialize = "memorialize"
	localPrefix      = "crmflow-local"
)

// redriveChunk is how many messages one Move takes before the progress line
// is updated.
const redriveChunk = 50

// redriveOptions are the redrive command's flags.
type redriveOptions struct {
	queue, prefix string
	from, to      string
	table         string
	max           int
}

func redriveFlags(fs *flag.FlagSet) *redriveOptions {
	o := &redriveOptions{}
	fs.StringVar(&o.queue, "queue", "", "timeline or memorialize: the queue named <prefix>-<queue> (the local run's)")
	fs.StringVar(&o.prefix, "prefix", localPrefix, "queue name prefix for -queue")
	fs.StringVar(&o.to, "to", "", "URL of the job queue to move back to (stack output TimelineQueueUrl or MemorializeQueueUrl)")
	fs.StringVar(&o.from, "from", "", "URL of the dead-letter queue (default: the job queue's redrive policy target)")
	fs.StringVar(&o.table, "table", "", "DynamoDB table (stack output TableName): reset each moved job from deadlettered to queued")
	fs.IntVar(&o.max, "max", 0, "move at most this many messages (0: all)")
	return o
}

func (o redriveOptions) check() error {
	switch {
	case o.queue != "" && o.to != "":
		return errors.New("give -queue or -to, not both")
	case o.queue == "" && o.to == "":
		return errors.New("say which queue: -queue timeline|memorialize, or -to <queue url>")
	case o.queue != "" && o.queue != queueTimeline && o.queue != queueMemorialize:
		return fmt.Errorf("-queue %q: must be %s or %s", o.queue, queueTimeline, queueMemorialize)
	case o.max < 0:
		return errors.New("-max must be 0 (all) or more")
	}
	return nil
}

func (o redriveOptions) target() redrive.Target {
	t := redrive.Target{URL: o.to, DLQURL: o.from}
	if o.queue != "" {
		t.Name = o.prefix + "-" + o.queue
	}
	return t
}

func redriveCmd(ctx context.Context, r *runner, c *command, args []string) error {
	fs := r.flagSet(c.name, "Moves dead-lettered post-call jobs back to their queue once the cause is fixed, and with\n"+
		"--table marks each moved job queued again. It talks to SQS and DynamoDB, not to the API: the\n"+
		"standard AWS credential chain (AWS_PROFILE, AWS_REGION…), or CRMFLOW_AWS_ENDPOINT=<moto URL>\n"+
		"for the local run. --url and --key are not used. ./scripts/redrive is this command.\n\n"+
		"  local run: CRMFLOW_AWS_ENDPOINT=http://127.0.0.1:<port> crmflow redrive --queue timeline --table crmflow-local\n"+
		"  AWS:       crmflow redrive --to <TimelineQueueUrl> --table <TableName>")
	o := redriveFlags(fs)
	if _, err := r.parse(c, fs, args, 0, 0, ""); err != nil {
		return err
	}
	if err := o.check(); err != nil {
		return usagef(c.name, "%v", err)
	}
	p := &progress{w: r.env.Stderr, terminal: r.env.Terminal}
	res, from, to, err := runRedrive(ctx, *o, p)
	p.done()
	if from == "" {
		return err
	}
	if r.g.json {
		raw, _ := json.Marshal(map[string]any{"from": from, "to": to, "moved": res.Moved, "reset": res.Reset})
		if perr := printJSON(r.env.Stdout, raw); perr != nil && err == nil {
			err = perr
		}
	} else {
		fmt.Fprintf(r.env.Stdout, "moved %d message(s) from %s to %s", res.Moved, from, to)
		if o.table != "" {
			fmt.Fprintf(r.env.Stdout, "; %d job(s) reset to queued", res.Reset)
		}
		fmt.Fprintln(r.env.Stdout)
	}
	return err
}

// runRedrive resolves the queues and moves the messages in chunks, updating
// p after each. from is "" when the queues could not be resolved.
func runRedrive(ctx context.Context, o redriveOptions, p *progress) (res redrive.Result, from, to string, err error) {
	cfg, err := awsclient.Load(ctx)
	if err != nil {
		return res, "", "", err
	}
	client := awsclient.SQS(cfg)
	from, to, err = redrive.Resolve(ctx, client, o.target())
	if err != nil {
		return res, "", "", err
	}
	m := &redrive.Mover{Queue: queue.NewSQS(client), Out: io.Writer(p)}
	if o.table != "" {
		m.Jobs = dynamo.New(awsclient.DynamoDB(cfg), o.table)
	}
	for o.max == 0 || res.Moved < o.max {
		chunk := redriveChunk
		if o.max > 0 {
			chunk = min(chunk, o.max-res.Moved)
		}
		got, err := m.Move(ctx, from, to, chunk)
		res.Moved += got.Moved
		res.Reset += got.Reset
		if err != nil {
			return res, from, to, err
		}
		if got.Moved < chunk {
			break // the dead-letter queue is empty
		}
		p.update("redrive: %d message(s) moved…", res.Moved)
	}
	return res, from, to, nil
}
