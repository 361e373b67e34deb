package deps

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"strconv"

	"github.com/crmflow/crmflow/shared/awsclient"
	"github.com/crmflow/crmflow/shared/jobs"
	"github.com/crmflow/crmflow/shared/queue"
	"github.com/crmflow/crmflow/shared/routes"
	"github.com/crmflow/crmflow/shared/store"
)

// EnvMaxReceiveCount is the job queues' redrive maxReceiveCount, so a
// consumer knows which receive is the last before the dead-letter queue.
// Unset means jobs.DefaultMaxReceiveCount.
const EnvMaxReceiveCount = routes.EnvMaxReceiveCount

// Jobs returns the post-call job service (enqueue, consumers, GET /v1/jobs)
// with its own SQS client and a workflow service for connectors, so a warm
// consumer asks for one token per configuration. Like MustLoad it is part of
// a cold start: a bad environment exits the process.
func (d *Deps) Jobs() *jobs.Service {
	svc, err := d.newJobs(context.Background())
	if err != nil {
		slog.Error("cold start failed", "error", err.Error())
		os.Exit(1)
	}
	return svc
}

func (d *Deps) newJobs(ctx context.Context) (*jobs.Service, error) {
	receives := jobs.DefaultMaxReceiveCount
	if v := os.Getenv(EnvMaxReceiveCount); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return nil, fmt.Errorf("%s=%q is not a positive count", EnvMaxReceiveCount, v)
		}
		receives = n
	}
	awsCfg, err := awsclient.Load(ctx)
	if err != nil {
		return nil, fmt.Errorf("load AWS config: %w", err)
	}
	urls := map[store.Action]string{}
	if d.Config.TimelineQueueURL != "" {
		urls[store.ActionTimeline] = d.Config.TimelineQueueURL
	}
	if d.Config.MemorializeQueueURL != "" {
		urls[store.ActionDataMemorialization] = d.Config.MemorializeQueueURL
	}
	return jobs.New(jobs.Options{
		Store: d.Store, Queue: queue.NewSQS(awsclient.SQS(awsCfg)), Connections: d.Workflow(),
		QueueURLs: urls, MaxReceiveCount: receives,
	}), nil
}
