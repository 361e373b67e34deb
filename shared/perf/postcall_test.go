package perf_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/jobs"
	"github.com/crmflow/crmflow/shared/store"
	"github.com/crmflow/crmflow/shared/workflow"
)

const (
	timelineURL    = "https://sqs.us-east-1.amazonaws.com/000000000000/timeline"
	memorializeURL = "https://sqs.us-east-1.amazonaws.com/000000000000/memorialize"
	mappingID      = "call-summary"
)

// postCall is a warm consumer: env plus a job service on an in-memory queue.
type postCall struct {
	*env
	q    *memQueue
	svc  *jobs.Service
	jane crm.Ref
	seq  int
}

func newPostCall(tb testing.TB, typ crm.Type) *postCall {
	e := newEnv(tb, typ)
	p := &postCall{env: e, q: &memQueue{}}
	p.svc = jobs.New(jobs.Options{Store: e.store, Queue: p.q, Connections: e.wf, Owner: "perf-consumer",
		QueueURLs: map[store.Action]string{store.ActionTimeline: timelineURL, store.ActionDataMemorialization: memorializeURL}})
	p.jane = e.jane(e.connector())
	if _, err := e.adm.PutDataMapping(context.Background(), tenant, e.confID, mappingID, e.c.mapping); err != nil {
		tb.Fatal(err)
	}
	return p
}

// enqueue queues n jobs of action for n different contacts, linked to Jane.
func (p *postCall) enqueue(action store.Action, n int) {
	p.tb.Helper()
	for range n {
		p.seq++
		req := workflow.ExecRequest{ConfigurationID: p.confID, ContactID: fmt.Sprint("perf-", p.seq),
			CxoneContact: cxoneContact(), Records: []crm.Ref{p.jane}}
		if action == store.ActionTimeline {
			req.WorkflowID = "timeline_activity"
		} else {
			req.DataMappingID = mappingID
		}
		if _, err := p.svc.Enqueue(context.Background(), tenant, action, req); err != nil {
			p.tb.Fatal(err)
		}
	}
}

// consume runs one received batch and fails on anything kept for retry.
func (p *postCall) consume(action store.Action, batch []jobs.Delivery) {
	if retry := p.svc.Consume(context.Background(), action, batch); len(retry) != 0 {
		p.tb.Fatalf("%s: %d of %d jobs kept for retry", p.c.typ, len(retry), len(batch))
	}
}

// postCallLatency is the CRM answer time of the batch benchmark.
const postCallLatency = 100 * time.Millisecond

// BenchmarkPostCallBatch10 is a timeline consumer invocation with an SQS
// batch of 10 jobs, Salesforce answering every request after 100 ms; the
// reference, path=one-crm-call, is a single AddActivity by the driver alone
// at the same latency. Jobs run concurrently, so the batch should take about
// one CRM round trip, not ten.
func BenchmarkPostCallBatch10(b *testing.B) {
	b.Run("path=batch10", func(b *testing.B) {
		p := newPostCall(b, crm.Salesforce)
		p.enqueue(store.ActionTimeline, 1)
		p.consume(store.ActionTimeline, p.q.receive()) // the cold start: connector and token
		p.sb.SetLatency(postCallLatency)
		for b.Loop() {
			b.StopTimer()
			p.enqueue(store.ActionTimeline, 10)
			batch := p.q.receive()
			b.StartTimer()
			p.consume(store.ActionTimeline, batch)
		}
	})
	b.Run("path=one-crm-call", func(b *testing.B) {
		p := newPostCall(b, crm.Salesforce)
		conn := p.connector()
		a := crm.Activity{Key: "perf-ref", Subject: "Inbound call", Description: "Replaced the toner.", Direction: "inbound", MediaType: "voice", Links: []crm.Ref{p.jane},
			Start: time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC), End: time.Date(2026, 11, 23, 10, 4, 5, 0, time.UTC)}
		if _, err := conn.AddActivity(context.Background(), a); err != nil { // the token
			b.Fatal(err)
		}
		p.sb.SetLatency(postCallLatency)
		for i := 0; b.Loop(); i++ {
			a.Key = fmt.Sprint("perf-ref-", i)
			if _, err := conn.AddActivity(context.Background(), a); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkPostCallJob runs post-call jobs on a warm consumer for every CRM,
// timeline and data memorialization, and reports crm-calls/job: every request
// that reached the CRM sandbox, token requests included, per job. The first
// job of each run (cold start: token) is not counted.
func BenchmarkPostCallJob(b *testing.B) {
	for _, c := range crmCases {
		for _, action := range []store.Action{store.ActionTimeline, store.ActionDataMemorialization} {
			b.Run(fmt.Sprintf("crm=%s/job=%s", c.typ, action), func(b *testing.B) {
				p := newPostCall(b, c.typ)
				p.enqueue(action, 1)
				p.consume(action, p.q.receive())
				p.sb.ResetCalls()
				jobsRun := 0
				for b.Loop() {
					b.StopTimer()
					p.enqueue(action, 1)
					batch := p.q.receive()
					b.StartTimer()
					p.consume(action, batch)
					jobsRun += len(batch)
				}
				b.ReportMetric(float64(p.sb.TotalCalls())/float64(jobsRun), "crm-calls/job")
			})
		}
	}
}
