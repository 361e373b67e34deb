package jobs_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/crmflow/crmflow/shared/apperr"
	"github.com/crmflow/crmflow/shared/sandbox"
	"github.com/crmflow/crmflow/shared/store"
)

// TestRetryFailedJob: the CRM refused the write (the job failed for good);
// after the cause is fixed an operator's retry queues it again and it writes
// once; a second retry of the succeeded job is 409 and writes nothing.
func TestRetryFailedJob(t *testing.T) {
	e := newEnv(t)
	e.pinJane()
	e.sf.Inject(sandbox.Fault{Match: "/services/data/v62.0/sobjects/Task", Method: "POST", Status: 400, Times: 1,
		Body: `[{"errorCode":"FIELD_CUSTOM_VALIDATION_EXCEPTION","message":"Calls need a reason code","fields":[]}]`})
	ref := e.enqueue(store.ActionTimeline, timelineReq())
	e.consume(e.svc, store.ActionTimeline)
	if j := e.job(ref.JobID); j.Status != store.JobFailed {
		t.Fatalf("job = %+v, want failed", j)
	}
	ctx := context.Background()
	v, err := e.svc.Retry(ctx, tenant, ref.JobID)
	if err != nil || v.Status != store.JobQueued || e.queue.len() != 1 {
		t.Fatalf("Retry = %+v, %v (%d queued)", v, err, e.queue.len())
	}
	if retry := e.consume(e.svc, store.ActionTimeline); len(retry) != 0 {
		t.Fatalf("retry = %v", retry)
	}
	e.wantOneTask(ref.JobID)
	if j := e.job(ref.JobID); j.Status != store.JobSucceeded || j.Attempts != 2 {
		t.Fatalf("job after retry = %+v", j)
	}
	if _, err := e.svc.Retry(ctx, tenant, ref.JobID); !isKind(err, apperr.Conflict) {
		t.Fatalf("retry of a succeeded job: %v, want 409", err)
	}
	if e.queue.len() != 0 {
		t.Fatal("a succeeded job was queued again")
	}
	e.wantOneTask(ref.JobID)
	if _, err := e.svc.Retry(ctx, "tn_other", ref.JobID); !isKind(err, apperr.NotFound) {
		t.Fatalf("another tenant's job: %v, want 404", err)
	}
	if _, err := e.svc.Retry(ctx, tenant, "job_unknown"); !isKind(err, apperr.NotFound) {
		t.Fatalf("unknown job: %v, want 404", err)
	}
}

// TestChangedBodyUnderSameJobID: the same contact and workflow with another
// body is 409 naming the job, not a silent answer with the first job.
func TestChangedBodyUnderSameJobID(t *testing.T) {
	e := newEnv(t)
	e.pinJane()
	first := e.enqueue(store.ActionTimeline, timelineReq())
	again := e.enqueue(store.ActionTimeline, timelineReq())
	if again.JobID != first.JobID {
		t.Fatalf("the same body made another job")
	}
	changed := timelineReq()
	changed.CxoneContact = json.RawMessage(`{"mediaType":"voice","direction":"inbound","dispositionNotes":"Something else"}`)
	_, err := e.svc.Enqueue(context.Background(), tenant, store.ActionTimeline, changed)
	if !isKind(err, apperr.Conflict) {
		t.Fatalf("changed body: %v, want 409", err)
	}
	if e.queue.len() != 2 {
		t.Fatalf("%d messages, want the two of the same request only", e.queue.len())
	}
}
