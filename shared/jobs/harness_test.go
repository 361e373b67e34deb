package jobs_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/crmflow/crmflow/shared/admin"
	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/salesforce"
	"github.com/crmflow/crmflow/shared/jobs"
	sfsandbox "github.com/crmflow/crmflow/shared/sandbox/salesforce"
	"github.com/crmflow/crmflow/shared/secrets/memsecrets"
	"github.com/crmflow/crmflow/shared/store"
	"github.com/crmflow/crmflow/shared/store/memory"
	"github.com/crmflow/crmflow/shared/workflow"
)

const (
	tenant      = "tn_1"
	contactID   = "5001234"
	sfClientID  = "test-client"
	sfSecret    = "test-secret"
	timelineURL = "https://sqs.us-east-1.amazonaws.com/123456789012/timeline"
	memoURL     = "https://sqs.us-east-1.amazonaws.com/123456789012/memorialize"
)

// fakeQueue is an in-memory queue: messages stay until a consumer's batch
// reports them done; visibility changes are recorded, not waited for.
type fakeQueue struct {
	mu         sync.Mutex
	seq        int
	msgs       []*fakeMsg
	visibility []time.Duration
	sendErr    error
}

type fakeMsg struct {
	id, url, body string
	receives      int
}

func (q *fakeQueue) Send(_ context.Context, url, body string, _ time.Duration) (string, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.sendErr != nil {
		return "", q.sendErr
	}
	q.seq++
	m := &fakeMsg{id: fmt.Sprint("m-", q.seq), url: url, body: body}
	q.msgs = append(q.msgs, m)
	return m.id, nil
}

func (q *fakeQueue) ChangeVisibility(_ context.Context, _, _ string, d time.Duration) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.visibility = append(q.visibility, d)
	return nil
}

func (q *fakeQueue) lastVisibility() time.Duration {
	q.mu.Lock()
	defer q.mu.Unlock()
	if len(q.visibility) == 0 {
		return -1
	}
	return q.visibility[len(q.visibility)-1]
}

// receive takes every message of url as one batch (a receive each).
func (q *fakeQueue) receive(url string) []jobs.Delivery {
	q.mu.Lock()
	defer q.mu.Unlock()
	var out []jobs.Delivery
	for _, m := range q.msgs {
		if m.url == url {
			m.receives++
			out = append(out, jobs.Delivery{MessageID: m.id, Body: m.body, ReceiptHandle: "rh-" + m.id, QueueURL: url, ReceiveCount: m.receives})
		}
	}
	return out
}

// done deletes the messages of batch that are not in retry.
func (q *fakeQueue) done(batch []jobs.Delivery, retry []string) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.msgs = slices.DeleteFunc(q.msgs, func(m *fakeMsg) bool {
		in := slices.ContainsFunc(batch, func(d jobs.Delivery) bool { return d.MessageID == m.id })
		return in && !slices.Contains(retry, m.id)
	})
}

func (q *fakeQueue) len() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.msgs)
}

// clock is a settable clock shared by the store and the services.
type clock struct{ ns atomic.Int64 }

func (c *clock) Now() time.Time          { return time.Unix(0, c.ns.Load()).UTC() }
func (c *clock) advance(d time.Duration) { c.ns.Add(int64(d)) }
func newClock() *clock {
	c := &clock{}
	c.ns.Store(time.Date(2026, 1, 15, 9, 30, 0, 0, time.UTC).UnixNano())
	return c
}

// failingFinish makes FinishJob fail after the CRM write: the crash between
// the write and the ledger update.
type failingFinish struct {
	store.Store
	fails atomic.Int32
}

func (f *failingFinish) FinishJob(ctx context.Context, j store.Job, owner string) error {
	if f.fails.Add(-1) >= 0 {
		return errors.New("dynamodb: connection reset")
	}
	return f.Store.FinishJob(ctx, j, owner)
}

// env is the post-call path in one process: memory store, fake queue, a
// Salesforce sandbox behind the real driver and the workflow connector cache.
type env struct {
	t      testing.TB
	store  store.Store
	st     store.Store // what the services use (may wrap store)
	queue  *fakeQueue
	clock  *clock
	sf     *sfsandbox.Server
	wf     *workflow.Service
	svc    *jobs.Service
	adm    *admin.Service
	jane   string
	acme   string
	owners int
}

func newEnv(t testing.TB) *env {
	t.Helper()
	mem := memory.New()
	e := newEnvOn(t, mem)
	mem.Now = e.clock.Now
	e.svc = e.service()
	return e
}

// newEnvOn builds the env on st; its clock drives the services only.
func newEnvOn(t testing.TB, st store.Store) *env {
	t.Helper()
	e := &env{t: t, store: st, queue: &fakeQueue{}, clock: newClock()}
	e.st = e.store
	e.sf = sfsandbox.New(sfsandbox.Options{ClientID: sfClientID, ClientSecret: sfSecret})
	srv := httptest.NewServer(e.sf.Handler())
	t.Cleanup(srv.Close)
	sec := memsecrets.New()
	reg := crm.NewRegistry(salesforce.Driver())
	adm := &admin.Service{Store: e.store, Secrets: sec, Registry: reg, SecretPrefix: "crmflow/test/", Local: true}
	e.adm = adm
	_, _, err := adm.PutConfiguration(context.Background(), tenant, "sf-main", admin.ConfigurationInput{
		Name: "Salesforce", CRM: crm.Salesforce, BaseURL: srv.URL, APIVersion: "v62.0",
		Auth:        crm.Auth{Type: crm.AuthClientCredentials, TokenURL: srv.URL + "/services/oauth2/token", ClientID: sfClientID},
		Credentials: &crm.Credentials{ClientSecret: sfSecret},
	})
	if err != nil {
		t.Fatal(err)
	}
	e.wf = workflow.New(workflow.Options{Store: e.store, Secrets: sec, Registry: reg, HTTP: &http.Client{}, CacheTTL: time.Minute})
	for _, c := range e.sf.Records("Contact") {
		if c["LastName"] == "Doe" && c["FirstName"] == "Jane" {
			e.jane = c["Id"].(string)
		}
	}
	e.acme = e.sf.Records("Account")[0]["Id"].(string)
	return e
}

// service is one consumer (its own lease owner) on the env's ports.
func (e *env) service(opts ...func(*jobs.Options)) *jobs.Service {
	e.owners++
	o := jobs.Options{Store: e.st, Queue: e.queue, Connections: e.wf, MaxReceiveCount: 3, Owner: fmt.Sprint("consumer-", e.owners),
		QueueURLs: map[store.Action]string{store.ActionTimeline: timelineURL, store.ActionDataMemorialization: memoURL}, Now: e.clock.Now,
		Jitter: func(d time.Duration) time.Duration { return d }} // deterministic waits: the top of each range
	for _, f := range opts {
		f(&o)
	}
	return jobs.New(o)
}

// pinJane puts Jane on the card, pinned: the linked record jobs write to.
func (e *env) pinJane() {
	e.t.Helper()
	err := e.store.WriteCard(context.Background(), tenant, contactID, "sf-main", []store.CardWrite{{
		Record: store.CardRecord{Entity: "Contact", ID: e.jane, Display: "Jane Doe"}, Section: store.SectionCurrent, Pinned: true}})
	if err != nil {
		e.t.Fatal(err)
	}
}

func timelineReq() workflow.ExecRequest {
	return workflow.ExecRequest{ConfigurationID: "sf-main", WorkflowID: "timeline_activity", ContactID: contactID,
		CxoneContact: json.RawMessage(`{"mediaType":"voice","direction":"inbound","ani":"+14155550100","agentName":"Sam Agent",
			"startTime":"2026-01-15T09:00:00Z","endTime":"2026-01-15T09:04:00Z","dispositionName":"Resolved","dispositionNotes":"Printer fixed"}`)}
}

func (e *env) enqueue(action store.Action, req workflow.ExecRequest) jobs.JobRef {
	e.t.Helper()
	res, err := e.svc.Enqueue(context.Background(), tenant, action, req)
	if err != nil {
		e.t.Fatal(err)
	}
	if len(res.Jobs) != 1 {
		e.t.Fatalf("Enqueue = %+v, want one job", res)
	}
	return res.Jobs[0]
}

// consume runs one receive of url's messages through svc and returns the
// ids kept for retry.
func (e *env) consume(svc *jobs.Service, action store.Action) []string {
	url := timelineURL
	if action == store.ActionDataMemorialization {
		url = memoURL
	}
	batch := e.queue.receive(url)
	retry := svc.Consume(context.Background(), action, batch)
	e.queue.done(batch, retry)
	return retry
}

func (e *env) job(id string) store.Job {
	e.t.Helper()
	j, err := e.store.GetJob(context.Background(), tenant, id)
	if err != nil {
		e.t.Fatal(err)
	}
	return j
}

// tasks returns the sandbox's Tasks written with key (CallObject).
func (e *env) tasks(key string) []map[string]any {
	var out []map[string]any
	for _, t := range e.sf.Records("Task") {
		if t["CallObject"] == key {
			out = append(out, t)
		}
	}
	return out
}

func (e *env) wantOneTask(key string) map[string]any {
	e.t.Helper()
	ts := e.tasks(key)
	if len(ts) != 1 {
		e.t.Fatalf("%d Tasks with CallObject %s, want exactly 1", len(ts), key)
	}
	return ts[0]
}
