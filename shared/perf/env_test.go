package perf_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/crmflow/crmflow/shared/admin"
	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmtest"
	"github.com/crmflow/crmflow/shared/crm/drivers"
	"github.com/crmflow/crmflow/shared/jobs"
	"github.com/crmflow/crmflow/shared/logx"
	"github.com/crmflow/crmflow/shared/phone"
	sbtable "github.com/crmflow/crmflow/shared/sandbox/sandboxes"
	"github.com/crmflow/crmflow/shared/secrets/memsecrets"
	"github.com/crmflow/crmflow/shared/store/memory"
	"github.com/crmflow/crmflow/shared/workflow"
)

const (
	tenant = "tn_perf"
)

// controls is what every sandbox embeds (sandbox.Controls).
type controls interface {
	SetLatency(time.Duration)
	TotalCalls() int
	CallsPrefix(string) int
	ResetCalls()
}

// crmCase is one CRM sandbox with the configuration that reaches it, the
// path prefix of its token endpoint ("" when it takes a static credential)
// and a create-mode memorialization mapping its sandbox accepts.
type crmCase struct {
	typ     crm.Type
	start   func() (http.Handler, controls)
	config  func(url string) admin.ConfigurationInput
	tokenAt string
	mapping admin.DataMappingInput
}

// crmCases are the sandbox table's rows.
var crmCases = func() []crmCase {
	out := make([]crmCase, 0, len(sbtable.All))
	for _, e := range sbtable.All {
		out = append(out, crmCase{typ: e.CRM, config: e.Config, tokenAt: e.TokenAt, mapping: e.Mapping,
			start: func() (http.Handler, controls) {
				s := e.Start()
				return s.Handler, s.Controls
			}})
	}
	return out
}()

func caseOf(tb testing.TB, typ crm.Type) crmCase {
	for _, c := range crmCases {
		if c.typ == typ {
			return c
		}
	}
	tb.Fatalf("no CRM case %s", typ)
	return crmCase{}
}

// env is a warm function's world in one process: in-memory store and
// secrets (they count their reads), one CRM sandbox over loopback HTTP, and
// the workflow service search, create, update and the consumers share.
type env struct {
	tb      testing.TB
	c       crmCase
	store   *memory.Store
	secrets *memsecrets.Store
	sb      controls
	url     string
	hc      *http.Client
	adm     *admin.Service
	wf      *workflow.Service
	confID  string
}

func quietLogs(tb testing.TB) {
	// The JSON lines are formatted as in Lambda; only the write is dropped.
	prev := slog.Default()
	slog.SetDefault(logx.New(io.Discard, "perf"))
	tb.Cleanup(func() { slog.SetDefault(prev) })
}

func newEnv(tb testing.TB, typ crm.Type) *env {
	tb.Helper()
	quietLogs(tb)
	c := caseOf(tb, typ)
	h, sb := c.start()
	srv := httptest.NewServer(h)
	tb.Cleanup(srv.Close)
	st, sec := memory.New(), memsecrets.New()
	reg := drivers.Registry()
	// Like crmhttp.NewClient: enough idle connections for a batch's fan-out.
	hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 32}}
	tb.Cleanup(hc.CloseIdleConnections)
	e := &env{tb: tb, c: c, store: st, secrets: sec, sb: sb, url: srv.URL, hc: hc, confID: string(typ) + "-perf",
		adm: &admin.Service{Store: st, Secrets: sec, Registry: reg, SecretPrefix: "crmflow/perf/", Local: true}}
	if _, _, err := e.adm.PutConfiguration(context.Background(), tenant, e.confID, e.config()); err != nil {
		tb.Fatal(err)
	}
	e.wf = e.newWorkflow()
	return e
}

// config is the configuration of the env's CRM. Its deadline is the longest
// allowed: the machine running the benchmarks may be shared and slow, and
// the deadline is not what they measure.
func (e *env) config() admin.ConfigurationInput {
	in := e.c.config(e.url)
	in.TimeoutMs = admin.MaxTimeoutMs
	return in
}

// newWorkflow is a cold Lambda's workflow service: nothing cached, no token.
func (e *env) newWorkflow() *workflow.Service {
	return workflow.New(workflow.Options{Store: e.store, Secrets: e.secrets, Registry: drivers.Registry(), HTTP: e.hc, CacheTTL: time.Minute})
}

// connector is a connector of the configuration built outside crmflow's
// caches: the raw CRM client a hand-written integration would hold.
func (e *env) connector() crm.Connector {
	e.tb.Helper()
	in := e.config()
	conn, err := drivers.Registry().New(crm.Config{ConfigurationID: e.confID, Type: in.CRM, BaseURL: in.BaseURL, APIVersion: in.APIVersion,
		Auth: in.Auth, Credentials: *in.Credentials, Timeout: time.Duration(in.TimeoutMs) * time.Millisecond}, e.hc)
	if err != nil {
		e.tb.Fatal(err)
	}
	return conn
}

// jane finds the demo caller every sandbox holds, by her ANI.
func (e *env) jane(conn crm.Connector) crm.Ref {
	e.tb.Helper()
	variants, err := phone.Variants(crmtest.JaneANI)
	if err != nil {
		e.tb.Fatal(err)
	}
	recs, err := conn.SearchByPhone(context.Background(), crm.PhoneSearch{Variants: variants, Limit: workflow.DefaultSearchLimit})
	if err != nil || len(recs) != 1 {
		e.tb.Fatalf("%s: search Jane: %v %v", e.c.typ, recs, err)
	}
	return crm.Ref{Entity: recs[0].Entity, ID: recs[0].ID}
}

func searchRequest(confID string) workflow.ExecRequest {
	in, _ := json.Marshal(map[string]string{"phoneNumber": "+1 (415) 555-0100"})
	return workflow.ExecRequest{ConfigurationID: confID, WorkflowID: "search_phone", ContactID: "5001234", WorkflowInput: in}
}

func cxoneContact() json.RawMessage {
	return json.RawMessage(`{"mediaType":"voice","direction":"inbound","ani":"+14155550100","agentName":"Ann Agent",
		"startTime":"2026-11-23T10:00:00Z","endTime":"2026-11-23T10:04:05Z","dispositionName":"Resolved","dispositionNotes":"Replaced the toner."}`)
}

// memQueue is an in-memory job queue: what enqueue sends, a consumer
// receives as one batch.
type memQueue struct {
	mu   sync.Mutex
	seq  int
	msgs []memMsg
}

type memMsg struct{ id, url, body string }

func (q *memQueue) Send(_ context.Context, url, body string, _ time.Duration) (string, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.seq++
	id := fmt.Sprint("m-", q.seq)
	q.msgs = append(q.msgs, memMsg{id: id, url: url, body: body})
	return id, nil
}

func (q *memQueue) ChangeVisibility(context.Context, string, string, time.Duration) error { return nil }

// receive takes every queued message as one batch, first delivery each.
func (q *memQueue) receive() []jobs.Delivery {
	q.mu.Lock()
	defer q.mu.Unlock()
	out := make([]jobs.Delivery, 0, len(q.msgs))
	for _, m := range q.msgs {
		out = append(out, jobs.Delivery{MessageID: m.id, Body: m.body, ReceiptHandle: "rh-" + m.id, QueueURL: m.url, ReceiveCount: 1})
	}
	q.msgs = nil
	return out
}
