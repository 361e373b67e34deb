package jobs_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/store"
)

// BenchmarkConsumeBatch10 runs batches of 10 timeline jobs against a
// Salesforce sandbox answering every request after 100 ms. The jobs run
// concurrently, so a batch takes about one CRM round trip, not ten; it also
// reports the CRM API calls per job (the token call amortised over the run).
func BenchmarkConsumeBatch10(b *testing.B) {
	e := newEnv(b)
	e.sf.SetLatency(100 * time.Millisecond)
	ctx := context.Background()
	jobsRun := 0
	for i := 0; b.Loop(); i++ {
		b.StopTimer()
		for k := range 10 {
			req := timelineReq()
			req.ContactID = fmt.Sprintf("c%d-%d", i, k)
			req.Records = []crm.Ref{{Entity: "Contact", ID: e.jane}}
			if _, err := e.svc.Enqueue(ctx, tenant, store.ActionTimeline, req); err != nil {
				b.Fatal(err)
			}
		}
		batch := e.queue.receive(timelineURL)
		b.StartTimer()
		if retry := e.svc.Consume(ctx, store.ActionTimeline, batch); len(retry) != 0 {
			b.Fatalf("retry = %v", retry)
		}
		b.StopTimer()
		e.queue.done(batch, nil)
		jobsRun += len(batch)
		b.StartTimer()
	}
	b.ReportMetric(float64(e.sf.TotalCalls())/float64(jobsRun), "crm-calls/job")
	b.ReportMetric(float64(e.sf.Calls("POST /services/oauth2/token")), "token-calls")
}
