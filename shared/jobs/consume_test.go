package jobs_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/crmflow/crmflow/shared/apperr"
	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/jobs"
	"github.com/crmflow/crmflow/shared/sandbox"
	"github.com/crmflow/crmflow/shared/store"
)

func TestTimelineEndToEnd(t *testing.T) {
	e := newEnv(t)
	e.pinJane()
	ref := e.enqueue(store.ActionTimeline, timelineReq())
	if ref.Status != store.JobQueued || ref.Action != store.ActionTimeline ||
		ref.JobID != jobs.JobID(tenant, "sf-main", contactID, store.ActionTimeline, "timeline_activity") {
		t.Fatalf("Enqueue = %+v", ref)
	}
	if e.queue.len() != 1 {
		t.Fatalf("%d messages queued, want 1", e.queue.len())
	}
	if retry := e.consume(e.svc, store.ActionTimeline); len(retry) != 0 {
		t.Fatalf("retry = %v", retry)
	}
	task := e.wantOneTask(ref.JobID)
	if task["WhoId"] != e.jane || task["CallType"] != "Inbound" || task["CallDurationInSeconds"] != 240.0 ||
		task["CallDisposition"] != "Resolved" || !strings.Contains(task["Description"].(string), "Printer fixed") {
		t.Errorf("Task = %v", task)
	}
	j := e.job(ref.JobID)
	if j.Status != store.JobSucceeded || j.Attempts != 1 || len(j.CRMRecordIDs) != 1 || j.CRMRecordIDs[0].ID != task["Id"] || j.LeaseOwner != "" {
		t.Errorf("job = %+v", j)
	}
	v, err := e.svc.Job(context.Background(), tenant, ref.JobID)
	if err != nil || v.Status != store.JobSucceeded || v.CRMRecordIDs[0].ID != task["Id"] || v.Attempts != 1 {
		t.Errorf("Job = %+v, %v", v, err)
	}
	card, err := e.store.GetCard(context.Background(), tenant, contactID)
	if err != nil || len(card.Jobs) != 1 || card.Jobs[0].Status != store.JobSucceeded || card.Jobs[0].CRMRecordIDs[0].ID != task["Id"] {
		t.Errorf("card jobs = %+v, %v", card.Jobs, err)
	}
	if _, err := e.svc.Job(context.Background(), "tn_other", ref.JobID); !isKind(err, apperr.NotFound) {
		t.Errorf("another tenant's job: %v, want 404", err)
	}
}

// TestSameRequestTwice: one job, one Task; a finished job is not sent again.
func TestSameRequestTwice(t *testing.T) {
	e := newEnv(t)
	e.pinJane()
	a := e.enqueue(store.ActionTimeline, timelineReq())
	b := e.enqueue(store.ActionTimeline, timelineReq())
	if a.JobID != b.JobID {
		t.Fatalf("job ids %s and %s, want one", a.JobID, b.JobID)
	}
	if e.queue.len() != 2 {
		t.Fatalf("a queued job asked again is sent again: %d messages, want 2", e.queue.len())
	}
	// Both messages in one batch, handled side by side: one runs the job;
	// the other finds it leased and stays until the lease ends (delivered
	// again, it finds the job done), or, when the first has finished
	// already, finds it done at once and goes.
	if retry := e.consume(e.svc, store.ActionTimeline); len(retry) > 1 {
		t.Fatalf("retry = %v, want at most the duplicate kept", retry)
	}
	e.consume(e.svc, store.ActionTimeline)
	if e.queue.len() != 0 {
		t.Fatalf("%d messages left", e.queue.len())
	}
	c := e.enqueue(store.ActionTimeline, timelineReq())
	if c.JobID != a.JobID || c.Status != store.JobSucceeded || e.queue.len() != 0 {
		t.Errorf("finished job asked again: %+v, %d messages", c, e.queue.len())
	}
	e.wantOneTask(a.JobID)
}

// TestDuplicateDelivery: SQS delivers one message twice, one after the other
// and then both at once to two consumers.
func TestDuplicateDelivery(t *testing.T) {
	e := newEnv(t)
	e.pinJane()
	ref := e.enqueue(store.ActionTimeline, timelineReq())
	batch := e.queue.receive(timelineURL)
	for range 2 {
		if retry := e.svc.Consume(context.Background(), store.ActionTimeline, batch); len(retry) != 0 {
			t.Fatalf("retry = %v", retry)
		}
	}
	e.wantOneTask(ref.JobID)
	if j := e.job(ref.JobID); j.Attempts != 1 {
		t.Errorf("attempts = %d, want 1", j.Attempts)
	}
}

// TestRacingConsumers: two consumers get the same job at the same moment
// (a slow CRM keeps the first inside its lease): one writes, the other keeps
// its message until the lease ends, then finds the job done.
func TestRacingConsumers(t *testing.T) {
	e := newEnv(t)
	e.pinJane()
	ref := e.enqueue(store.ActionTimeline, timelineReq())
	d := e.queue.receive(timelineURL)
	e.sf.SetLatency(50 * time.Millisecond)
	a, b := e.service(), e.service()
	var wg sync.WaitGroup
	retries := make([][]string, 2)
	for i, svc := range []*jobs.Service{a, b} {
		wg.Go(func() { retries[i] = svc.Consume(context.Background(), store.ActionTimeline, d) })
	}
	wg.Wait()
	if n := len(retries[0]) + len(retries[1]); n != 1 {
		t.Fatalf("retries %v, want exactly one consumer to keep the message", retries)
	}
	if v := e.queue.lastVisibility(); v <= 0 || v > jobs.DefaultLease+2*time.Second {
		t.Errorf("loser's visibility = %s, want the rest of the lease", v)
	}
	e.wantOneTask(ref.JobID)
	// The kept message comes back and finds the job done.
	if retry := b.Consume(context.Background(), store.ActionTimeline, d); len(retry) != 0 {
		t.Errorf("redelivery retry = %v", retry)
	}
	e.wantOneTask(ref.JobID)
}

// TestCrashAfterWrite: the CRM wrote, then the ledger update failed (the
// consumer died). Once the lease lapses, the next attempt finds the Task by
// its CallObject key and records it instead of writing again.
func TestCrashAfterWrite(t *testing.T) {
	e := newEnv(t)
	ff := &failingFinish{Store: e.store}
	ff.fails.Store(1)
	e.st = ff
	svc := e.service()
	e.pinJane()
	ref, err := svc.Enqueue(context.Background(), tenant, store.ActionTimeline, timelineReq())
	if err != nil {
		t.Fatal(err)
	}
	id := ref.Jobs[0].JobID
	if retry := e.consume(svc, store.ActionTimeline); len(retry) != 1 {
		t.Fatalf("retry = %v, want the message kept", retry)
	}
	task := e.wantOneTask(id)
	if j := e.job(id); j.Status != store.JobRunning {
		t.Fatalf("job after the crash = %+v, want running under the dead lease", j)
	}
	// Redelivered inside the lease: kept again, nothing written.
	if retry := e.consume(e.service(), store.ActionTimeline); len(retry) != 1 {
		t.Fatalf("retry inside the lease = %v", retry)
	}
	e.clock.advance(jobs.DefaultLease + time.Second)
	e.sf.ResetCalls()
	if retry := e.consume(e.service(), store.ActionTimeline); len(retry) != 0 {
		t.Fatalf("retry after the lease = %v", retry)
	}
	e.wantOneTask(id)
	j := e.job(id)
	if j.Status != store.JobSucceeded || j.Attempts != 2 || j.CRMRecordIDs[0].ID != task["Id"] {
		t.Errorf("job = %+v, want succeeded on attempt 2 with the first Task", j)
	}
	if n := e.sf.CallsPrefix("POST /services/data/v62.0/sobjects/Task"); n != 0 {
		t.Errorf("%d Task inserts after the crash, want 0", n)
	}
}

// TestAnswerLost: the CRM wrote but its answer was lost (a 5xx after the
// write): the retry finds the Task by its key.
func TestAnswerLost(t *testing.T) {
	e := newEnv(t)
	e.pinJane()
	e.sf.Inject(sandbox.Fault{Match: "/services/data/v62.0/sobjects/Task", Method: "POST", Times: 1, Status: 503, AfterWrite: true,
		Body: `[{"errorCode":"SERVER_UNAVAILABLE","message":"try later"}]`})
	ref := e.enqueue(store.ActionTimeline, timelineReq())
	if retry := e.consume(e.svc, store.ActionTimeline); len(retry) != 1 {
		t.Fatalf("retry = %v", retry)
	}
	if j := e.job(ref.JobID); j.Status != store.JobQueued || !strings.Contains(j.LastError, "SERVER_UNAVAILABLE") {
		t.Fatalf("job after the lost answer = %+v", j)
	}
	if v := e.queue.lastVisibility(); v != 2*time.Second {
		t.Errorf("backoff = %s, want 2s", v)
	}
	if retry := e.consume(e.svc, store.ActionTimeline); len(retry) != 0 {
		t.Fatalf("retry = %v", retry)
	}
	e.wantOneTask(ref.JobID)
	if j := e.job(ref.JobID); j.Status != store.JobSucceeded || j.LastError != "" {
		t.Errorf("job = %+v", j)
	}
}

// TestPermanentFailure: the CRM refuses the write; the job fails with its
// words and the message goes (no poison loop).
func TestPermanentFailure(t *testing.T) {
	e := newEnv(t)
	e.pinJane()
	e.sf.Inject(sandbox.Fault{Match: "/services/data/v62.0/sobjects/Task", Method: "POST", Status: 400,
		Body: `[{"errorCode":"FIELD_CUSTOM_VALIDATION_EXCEPTION","message":"Calls need a reason code","fields":[]}]`})
	ref := e.enqueue(store.ActionTimeline, timelineReq())
	if retry := e.consume(e.svc, store.ActionTimeline); len(retry) != 0 || e.queue.len() != 0 {
		t.Fatalf("retry = %v, %d left", retry, e.queue.len())
	}
	j := e.job(ref.JobID)
	if j.Status != store.JobFailed || !strings.Contains(j.LastError, "Calls need a reason code") {
		t.Errorf("job = %+v", j)
	}
}

// TestDeadLetter: transient failures until the queue's last receive mark the
// job deadlettered; after a redrive (a fresh message) it succeeds.
func TestDeadLetter(t *testing.T) {
	e := newEnv(t)
	e.pinJane()
	e.sf.Inject(sandbox.Fault{Match: "/services/data/v62.0/sobjects/Task", Method: "POST", Status: 503,
		Body: `[{"errorCode":"SERVER_UNAVAILABLE","message":"maintenance"}]`})
	ref := e.enqueue(store.ActionTimeline, timelineReq())
	var backoffs []time.Duration
	for i := 1; i <= 3; i++ {
		if retry := e.consume(e.svc, store.ActionTimeline); len(retry) != 1 {
			t.Fatalf("receive %d: retry = %v", i, retry)
		}
		backoffs = append(backoffs, e.queue.lastVisibility())
		want := store.JobQueued
		if i == 3 {
			want = store.JobDeadlettered
		}
		if j := e.job(ref.JobID); j.Status != want || j.Attempts != i {
			t.Fatalf("receive %d: job %+v, want %s", i, j, want)
		}
	}
	if backoffs[0] != 2*time.Second || backoffs[1] != 4*time.Second || backoffs[2] != 0 {
		t.Errorf("backoffs = %v, want 2s 4s then 0 (to the DLQ at once)", backoffs)
	}
	// SQS moves it to the DLQ; the redrive sends it back as a new message.
	e.queue.msgs[0].receives = 0
	e.sf.ClearFaults()
	if retry := e.consume(e.svc, store.ActionTimeline); len(retry) != 0 {
		t.Fatalf("after redrive: retry = %v", retry)
	}
	e.wantOneTask(ref.JobID)
	if j := e.job(ref.JobID); j.Status != store.JobSucceeded || j.Attempts != 4 {
		t.Errorf("job = %+v", j)
	}
}

// TestConfigurationDeleted: a job whose configuration went meanwhile fails
// with a clear reason and leaves the queue.
func TestConfigurationDeleted(t *testing.T) {
	e := newEnv(t)
	e.pinJane()
	ref := e.enqueue(store.ActionTimeline, timelineReq())
	if err := e.store.DeleteConfiguration(context.Background(), tenant, "sf-main"); err != nil {
		t.Fatal(err)
	}
	e.wf.Forget(tenant, "sf-main")
	if retry := e.consume(e.svc, store.ActionTimeline); len(retry) != 0 {
		t.Fatalf("retry = %v", retry)
	}
	if j := e.job(ref.JobID); j.Status != store.JobFailed || !strings.Contains(j.LastError, "configuration was deleted") {
		t.Errorf("job = %+v", j)
	}
}

// TestPoisonMessages: bodies that are no job, or name none, leave the batch
// alone and the queue.
func TestPoisonMessages(t *testing.T) {
	e := newEnv(t)
	e.pinJane()
	ref := e.enqueue(store.ActionTimeline, timelineReq())
	batch := append(e.queue.receive(timelineURL),
		jobs.Delivery{MessageID: "junk", Body: "{not json"},
		jobs.Delivery{MessageID: "ghost", Body: `{"tenantId":"tn_1","jobId":"job_nope"}`})
	if retry := e.svc.Consume(context.Background(), store.ActionTimeline, batch); len(retry) != 0 {
		t.Fatalf("retry = %v", retry)
	}
	e.wantOneTask(ref.JobID)
}

func TestEnqueueSendFails(t *testing.T) {
	e := newEnv(t)
	e.pinJane()
	e.queue.sendErr = errors.New("sqs: throttled")
	_, err := e.svc.Enqueue(context.Background(), tenant, store.ActionTimeline, timelineReq())
	if !isKind(err, apperr.Unavailable) {
		t.Fatalf("err = %v, want 503", err)
	}
	e.queue.sendErr = nil
	ref := e.enqueue(store.ActionTimeline, timelineReq())
	if ref.Status != store.JobQueued || e.queue.len() != 1 {
		t.Errorf("retried enqueue = %+v, %d messages", ref, e.queue.len())
	}
}

func isKind(err error, k apperr.Kind) bool {
	ae, ok := apperr.As(err)
	return ok && ae.Kind == k
}

// TestRetryLooksUpWithTheWriteLinks: the lookup a retry makes names the
// records the write was linked to, so a driver whose write lands on a
// linked record reads that record's own history, not a lagging search.
func TestRetryLooksUpWithTheWriteLinks(t *testing.T) {
	e := newEnv(t)
	ff := &failingFinish{Store: e.store}
	ff.fails.Store(1)
	e.st = ff
	rec := &lookupRecorder{Connections: e.wf}
	withRecorder := func(o *jobs.Options) { o.Connections = rec }
	e.pinJane()
	if _, err := e.service(withRecorder).Enqueue(context.Background(), tenant, store.ActionTimeline, timelineReq()); err != nil {
		t.Fatal(err)
	}
	e.consume(e.service(withRecorder), store.ActionTimeline)
	e.clock.advance(jobs.DefaultLease + time.Second)
	e.consume(e.service(withRecorder), store.ActionTimeline)
	got := rec.lookups()
	want := []crm.Ref{{Entity: "Contact", ID: e.jane}}
	if len(got) != 1 || got[0].Kind != crm.WriteActivity || !slices.Equal(got[0].Links, want) {
		t.Fatalf("lookups %+v, want one activity lookup linked to %+v", got, want)
	}
}

// lookupRecorder hands out connectors that record their FindWrite lookups.
type lookupRecorder struct {
	jobs.Connections
	mu   sync.Mutex
	seen []crm.WriteLookup
}

func (r *lookupRecorder) Connection(ctx context.Context, tenantID, configurationID string) (crm.Connector, store.Configuration, error) {
	c, cfg, err := r.Connections.Connection(ctx, tenantID, configurationID)
	return recordingConnector{Connector: c, r: r}, cfg, err
}

func (r *lookupRecorder) lookups() []crm.WriteLookup {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.seen)
}

type recordingConnector struct {
	crm.Connector
	r *lookupRecorder
}

func (c recordingConnector) FindWrite(ctx context.Context, l crm.WriteLookup) (crm.WriteResult, bool, error) {
	c.r.mu.Lock()
	c.r.seen = append(c.r.seen, l)
	c.r.mu.Unlock()
	return c.Connector.FindWrite(ctx, l)
}
