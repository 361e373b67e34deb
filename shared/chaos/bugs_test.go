package chaos

import (
	"context"
	"encoding/json"
	"errors"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/crmflow/crmflow/shared/admin"
	"github.com/crmflow/crmflow/shared/awsclient"
	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmhttp"
	"github.com/crmflow/crmflow/shared/crm/drivers"
	"github.com/crmflow/crmflow/shared/eventsource"
	"github.com/crmflow/crmflow/shared/handlers"
	"github.com/crmflow/crmflow/shared/internal/mototest"
	"github.com/crmflow/crmflow/shared/jobs"
	"github.com/crmflow/crmflow/shared/queue"
	"github.com/crmflow/crmflow/shared/redrive"
	"github.com/crmflow/crmflow/shared/secrets/memsecrets"
	"github.com/crmflow/crmflow/shared/store"
	"github.com/crmflow/crmflow/shared/store/dynamo"
	"github.com/crmflow/crmflow/shared/workflow"
)

// The tests below pin down defects the chaos run surfaced, now fixed: they
// are regression tests of the fixes.

// miniEnv is the post-call path on moto with one Salesforce sandbox and no
// faults: what a bug test needs and nothing more.
type miniEnv struct {
	st   *dynamo.Store
	sqs  *queue.SQS
	q    queue.Queue
	wf   *workflow.Service
	urls map[store.Action]string
	sf   *crmUnderTest
}

func newMiniEnv(t *testing.T, maxReceives int) *miniEnv {
	t.Helper()
	ctx := context.Background()
	awsCfg := mototest.Config(t)
	ddb := awsclient.DynamoDB(awsCfg)
	table := mototest.UniqueName(t)
	if err := dynamo.CreateTable(ctx, ddb, table); err != nil {
		t.Fatal(err)
	}
	e := &miniEnv{st: dynamo.New(ddb, table), sqs: queue.NewSQS(awsclient.SQS(awsCfg)), sf: salesforceUnderTest()}
	var err error
	e.q, err = e.sqs.CreateQueue(ctx, mototest.UniqueName(t), queue.QueueOptions{VisibilityTimeout: time.Second, MaxReceiveCount: maxReceives})
	if err != nil {
		t.Fatal(err)
	}
	e.urls = map[store.Action]string{store.ActionTimeline: e.q.URL}
	srv := httptest.NewServer(e.sf.handler)
	t.Cleanup(srv.Close)
	sec := memsecrets.New()
	reg := drivers.Registry()
	adm := &admin.Service{Store: e.st, Secrets: sec, Registry: reg, SecretPrefix: "crmflow/chaos/", Local: true}
	if _, _, err := adm.PutConfiguration(ctx, tenant, e.sf.name, e.sf.config(srv.URL)); err != nil {
		t.Fatal(err)
	}
	e.wf = workflow.New(workflow.Options{Store: e.st, Secrets: sec, Registry: reg, HTTP: crmhttp.NewClient(), CacheTTL: time.Minute})
	return e
}

func (e *miniEnv) enqueue(t *testing.T) string {
	t.Helper()
	svc := jobs.New(jobs.Options{Store: e.st, Queue: e.sqs, Connections: e.wf, QueueURLs: e.urls})
	res, err := svc.Enqueue(context.Background(), tenant, store.ActionTimeline, workflow.ExecRequest{
		ConfigurationID: e.sf.name, WorkflowID: "timeline_activity", ContactID: "bug-1",
		CxoneContact: json.RawMessage(`{"mediaType":"voice","direction":"inbound","agentName":"A"}`), Records: []crm.Ref{e.sf.person}})
	if err != nil {
		t.Fatal(err)
	}
	return res.Jobs[0].JobID
}

// receiveOnce is one event source poll: receive, invoke (a panic fails the
// invocation, as in Lambda), delete what the handler settled.
func (e *miniEnv) receiveOnce(t *testing.T, h eventsource.Handler) int {
	t.Helper()
	msgs, err := e.sqs.Receive(context.Background(), e.q.URL, 10, 2*time.Second, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) == 0 {
		return 0
	}
	p := &eventsource.Poller{Queue: e.sqs, URL: e.q.URL, Region: "us-east-1", Handler: h}
	ev := p.Event(msgs)
	res, herr := func() (res events.SQSEventResponse, err error) {
		defer func() {
			if r := recover(); r != nil {
				err = errors.New("invocation crashed")
			}
		}()
		return h(context.Background(), ev)
	}()
	for _, m := range eventsource.Succeeded(ev, res, herr) {
		if err := e.sqs.Delete(context.Background(), e.q.URL, m.ReceiptHandle); err != nil {
			t.Fatal(err)
		}
	}
	return len(msgs)
}

// TestCrashOnLastReceive: a consumer that dies on a message's last receive
// (crash, out of memory, function timeout) leaves the job running under its
// dead lease while SQS moves the message to the dead-letter queue. Found by
// the chaos run. Fixed: GET /v1/jobs reports such a job deadlettered with
// the reason (jobs.StuckReason), and the redrive puts it back (store
// RequeueJob takes a running job whose lease has lapsed), after which it
// succeeds.
func TestCrashOnLastReceive(t *testing.T) {
	e := newMiniEnv(t, 1)
	id := e.enqueue(t)
	stats := &counters{}
	crashAll := &crashingStore{Store: e.st, dice: newDice(1), stats: stats, rate: 1}
	svc := jobs.New(jobs.Options{Store: crashAll, Queue: &crashingQueue{Queue: e.sqs, stats: stats}, Connections: e.wf,
		QueueURLs: e.urls, MaxReceiveCount: 1, Lease: time.Second, BaseBackoff: time.Second})
	h := crashingHandler(handlers.Consumer(svc, store.ActionTimeline), newDice(1), stats, 0)

	// Receive 1 of 1: the consumer claims the job and dies.
	deadline := time.Now().Add(15 * time.Second)
	for e.receiveOnce(t, h) == 0 {
		if time.Now().After(deadline) {
			t.Fatal("the job's message never arrived")
		}
	}
	// The next receive finds the message out of receives: SQS moves it.
	for {
		e.receiveOnce(t, h)
		if v, _, _ := e.sqs.Depth(context.Background(), e.q.DLQURL); v == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the message never reached the dead-letter queue")
		}
	}
	// The lease lapses; the job says why it stopped.
	time.Sleep(1100 * time.Millisecond)
	v, err := svc.Job(context.Background(), tenant, id)
	if err != nil {
		t.Fatal(err)
	}
	if v.Status != store.JobDeadlettered || v.LastError != jobs.StuckReason {
		t.Fatalf("message in the dead-letter queue, but the job shows %q (reason %q): want deadlettered with a reason", v.Status, v.LastError)
	}
	// The redrive puts it back, and a healthy consumer finishes it.
	res, err := (&redrive.Mover{Queue: e.sqs, Jobs: e.st}).Move(context.Background(), e.q.DLQURL, e.q.URL, 0)
	if err != nil || res.Moved != 1 || res.Reset != 1 {
		t.Fatalf("redrive: %+v %v", res, err)
	}
	healthy := jobs.New(jobs.Options{Store: e.st, Queue: e.sqs, Connections: e.wf, QueueURLs: e.urls, MaxReceiveCount: 5})
	for {
		e.receiveOnce(t, handlers.Consumer(healthy, store.ActionTimeline))
		j, _ := e.st.GetJob(context.Background(), tenant, id)
		if j.Status == store.JobSucceeded {
			break
		}
		if time.Now().After(deadline.Add(15 * time.Second)) {
			t.Fatalf("job after redrive: %+v", j)
		}
	}
}

// racingJobs is the Mover's view of the ledger, with a consumer claiming
// the job just before the Mover's requeue: a duplicate message of a
// dead-lettered job (the same request sent twice, or SQS's at-least-once
// delivery) got to a consumer first.
type racingJobs struct {
	store.Store
	claim func()
}

func (r *racingJobs) RequeueJob(ctx context.Context, tenantID, jobID string, now time.Time) (store.Job, error) {
	r.claim()
	return r.Store.RequeueJob(ctx, tenantID, jobID, now)
}

// TestRedriveKeepsLiveClaim: found by the chaos run — the redrive used to
// reset a job with an unconditional write, wiping a consumer's live lease so
// a second consumer could run the same job. Fixed: store RequeueJob is
// conditional (ErrLeased under a live lease), and the Mover leaves such a
// job alone.
func TestRedriveKeepsLiveClaim(t *testing.T) {
	e := newMiniEnv(t, 5)
	ctx := context.Background()
	id := e.enqueue(t)
	// The job exhausted its receives: deadlettered, its message in the DLQ.
	j, err := e.st.ClaimJob(ctx, tenant, id, "consumer-0", time.Now(), time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	j.Status, j.LastError = store.JobDeadlettered, "salesforce: SERVER_UNAVAILABLE"
	if err := e.st.FinishJob(ctx, j, "consumer-0"); err != nil {
		t.Fatal(err)
	}
	body, _ := json.Marshal(map[string]string{"tenantId": tenant, "jobId": id})
	if _, err := e.sqs.Send(ctx, e.q.DLQURL, string(body), 0); err != nil {
		t.Fatal(err)
	}
	// Drain the main queue's copy so only the DLQ's matters.
	for {
		msgs, _ := e.sqs.Receive(ctx, e.q.URL, 10, time.Second, 0)
		if len(msgs) == 0 {
			break
		}
		for _, m := range msgs {
			_ = e.sqs.Delete(ctx, e.q.URL, m.ReceiptHandle)
		}
	}

	var claimErr error
	jobsView := &racingJobs{Store: e.st, claim: func() {
		_, claimErr = e.st.ClaimJob(ctx, tenant, id, "consumer-A", time.Now(), time.Minute)
	}}
	m := &redrive.Mover{Queue: e.sqs, Jobs: jobsView}
	if _, err := m.Move(ctx, e.q.DLQURL, e.q.URL, 0); err != nil {
		t.Fatal(err)
	}
	if claimErr != nil {
		t.Fatalf("consumer-A's claim: %v", claimErr)
	}
	got, err := e.st.GetJob(ctx, tenant, id)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != store.JobRunning || got.LeaseOwner != "consumer-A" {
		t.Errorf("after the redrive the job is %q under %q: consumer-A's live lease was overwritten", got.Status, got.LeaseOwner)
	}
	if _, err := e.st.ClaimJob(ctx, tenant, id, "consumer-B", time.Now(), time.Minute); !errors.Is(err, store.ErrLeased) {
		t.Errorf("consumer-B's claim while consumer-A holds a live lease: %v, want ErrLeased (two consumers now run one job)", err)
	}
}
