package jobs_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/crmflow/crmflow/shared/breaker"
	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/sandbox"
	"github.com/crmflow/crmflow/shared/store"
)

// TestOpenBreakerBacksOff: while the configuration's breaker is open (Studio
// searches tripped it in this warm process) a post-call job is a transient
// failure that waits out the rest of the cool-down, and the CRM is not
// called at all: no lookup, no write.
func TestOpenBreakerBacksOff(t *testing.T) {
	e := newEnv(t)
	e.pinJane()
	ctx := context.Background()
	conn, _, err := e.wf.Connection(ctx, tenant, "sf-main")
	if err != nil {
		t.Fatal(err)
	}
	e.sf.Inject(sandbox.Fault{Match: "/services/data/", Status: 503, Body: `upstream down`})
	for range breaker.DefaultFailures {
		if _, err := conn.SearchByEmail(ctx, crm.EmailSearch{Email: "jane.doe@example.com", Limit: 1}); crm.CodeOf(err) != crm.Unavailable {
			t.Fatalf("search: %v, want the CRM's 503", err)
		}
	}
	e.sf.ClearFaults()
	e.sf.ResetCalls()

	ref := e.enqueue(store.ActionTimeline, timelineReq())
	if retry := e.consume(e.svc, store.ActionTimeline); len(retry) != 1 {
		t.Fatalf("retry = %v, want the job kept", retry)
	}
	if n := e.sf.TotalCalls(); n != 0 {
		t.Errorf("%d CRM calls while the breaker is open, want none", n)
	}
	j := e.job(ref.JobID)
	if j.Status != store.JobQueued || !strings.Contains(j.LastError, "paused") {
		t.Errorf("job = %+v, want queued with the breaker's reason", j)
	}
	// At least the rest of the cool-down (whole seconds), not the 2 s first
	// backoff; the harness pins the jitter to the top of its range, twice
	// the wait.
	if v := e.queue.lastVisibility(); v <= 2*(breaker.DefaultCoolDown-5*time.Second) || v > 2*breaker.DefaultCoolDown {
		t.Errorf("backoff %v, want about twice the %v cool-down", v, breaker.DefaultCoolDown)
	}
}
