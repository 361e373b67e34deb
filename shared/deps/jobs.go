package deps

import (
	"github.com/crmflow/crmflow/shared/jobs"
	"github.com/crmflow/crmflow/shared/store"
)

// Jobs returns the post-call job service (enqueue, consumers, GET /v1/jobs).
// It uses the Deps' SQS client and shares the workflow service's connection pool,
// so a warm consumer asks for one token per configuration.
func (d *Deps) Jobs() *jobs.Service {
	urls := map[store.Action]string{}
	if d.Config.TimelineQueueURL != "" {
		urls[store.ActionTimeline] = d.Config.TimelineQueueURL
	}
	if d.Config.MemorializeQueueURL != "" {
		urls[store.ActionDataMemorialization] = d.Config.MemorializeQueueURL
	}
	return jobs.New(jobs.Options{Store: d.Store, Queue: d.Queue, Connections: d.pool,
		QueueURLs: urls, MaxReceiveCount: d.Config.MaxReceiveCount})
}
