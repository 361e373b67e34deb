package localrun_test

import (
	"context"
	"encoding/json"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/crmflow/crmflow/shared/admin"
	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/drivers"
	"github.com/crmflow/crmflow/shared/handlers"
	"github.com/crmflow/crmflow/shared/httpapi"
	"github.com/crmflow/crmflow/shared/ids"
	"github.com/crmflow/crmflow/shared/jobs"
	"github.com/crmflow/crmflow/shared/routes"
	sfsandbox "github.com/crmflow/crmflow/shared/sandbox/salesforce"
	"github.com/crmflow/crmflow/shared/secrets/memsecrets"
	"github.com/crmflow/crmflow/shared/store"
	"github.com/crmflow/crmflow/shared/store/memory"
	"github.com/crmflow/crmflow/shared/web"
	"github.com/crmflow/crmflow/shared/workflow"
)

func readEvent(t *testing.T, name string, v any) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "events", name))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
}

// sentQueue records what enqueue sends (the SQS event test replays it).
type sentQueue struct {
	mu   sync.Mutex
	sent []string
}

func (q *sentQueue) Send(_ context.Context, _, body string, _ time.Duration) (string, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.sent = append(q.sent, body)
	return "m1", nil
}

func (q *sentQueue) ChangeVisibility(context.Context, string, string, time.Duration) error {
	return nil
}

// TestEvents runs every sample event in events/ through the handler of the
// function its route belongs to, in the order a new tenant would use them,
// and checks that every function has a sample.
func TestEvents(t *testing.T) {
	st, sec := memory.New(), memsecrets.New()
	reg := drivers.Registry()
	adm := &admin.Service{Store: st, Secrets: sec, Registry: reg, SecretPrefix: "crmflow/test/", Local: true}
	wf := workflow.New(workflow.Options{Store: st, Secrets: sec, Registry: reg, HTTP: &http.Client{}})
	q := &sentQueue{}
	js := jobs.New(jobs.Options{Store: st, Queue: q, Connections: wf,
		QueueURLs: map[store.Action]string{store.ActionTimeline: "tl", store.ActionDataMemorialization: "dm"}})
	card := handlers.Card(wf, js.SettleCard)
	maps.Copy(card, handlers.Jobs(js))
	fns := map[string]func(context.Context, events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error){
		routes.Admin: httpapi.Lambda(handlers.Admin(adm)), routes.Search: httpapi.Lambda(handlers.Search(wf)),
		routes.Create: httpapi.Lambda(handlers.Create(wf)), routes.Update: httpapi.Lambda(handlers.Update(wf)),
		routes.Card: httpapi.Lambda(card), routes.Enqueue: httpapi.Lambda(handlers.Enqueue(js)),
		routes.Web: web.Handler,
	}
	sf := sfsandbox.New(sfsandbox.Options{ClientID: sfClientID, ClientSecret: sfClientSecret})
	sfs := httptest.NewServer(sf.Handler())
	defer sfs.Close()
	// The samples' tenant, and the key the authorizer sample carries.
	if err := st.PutTenant(t.Context(), store.Tenant{ID: "tn_demo", Name: "Demo"}); err != nil {
		t.Fatal(err)
	}
	if err := st.PutKey(t.Context(), store.APIKey{ID: "key_example", TenantID: "tn_demo", Role: store.RoleStudio,
		Hash: ids.HashKey("cfk_examplekeyexamplekeyexamplekey")}); err != nil {
		t.Fatal(err)
	}

	covered := map[string]bool{}
	var jobID string
	for _, tc := range []struct {
		file   string
		status int
		want   string
		after  func(body string)
	}{
		{"admin-create-tenant.json", 201, `"tenantId":"tn_`, nil},
		{"admin-put-configuration.json", 201, `"clientSecret":"set"`, func(string) {
			// The sample points at a real org; aim it at the sandbox.
			in := admin.ConfigurationInput{Name: "Salesforce", CRM: crm.Salesforce, BaseURL: sfs.URL, APIVersion: "v62.0",
				Auth:        crm.Auth{Type: crm.AuthClientCredentials, ClientID: sfClientID, TokenURL: sfs.URL + "/services/oauth2/token"},
				Credentials: &crm.Credentials{ClientSecret: sfClientSecret}}
			if _, _, err := adm.PutConfiguration(t.Context(), "tn_demo", "sf-main", in); err != nil {
				t.Fatal(err)
			}
		}},
		{"admin-create-key.json", 201, `"key":"cfk_`, nil},
		{"admin-put-data-mapping.json", 200, `"dataMappingId":"call-summary"`, nil},
		{"search.json", 200, `"display":"Jane Doe"`, nil},
		{"card.json", 200, `"display":"Jane Doe"`, nil},
		{"pin.json", 200, `"pinned":true`, nil},
		{"create.json", 201, `"entity":"Case"`, nil},
		{"update.json", 200, `"id":"003Dn0000000003IAA"`, nil},
		{"timeline.json", 202, `"status":"queued"`, func(body string) {
			var res struct {
				Jobs []struct{ JobID string } `json:"jobs"`
			}
			_ = json.Unmarshal([]byte(body), &res)
			jobID = res.Jobs[0].JobID
		}},
		{"datamemorialization.json", 202, `"status":"queued"`, nil},
		{"job.json", 404, `"NOT_FOUND"`, nil},
		{"jobs-list.json", 200, `"jobs":[{"jobId":"`, nil},
		{"agent-page.json", 200, `<title>Customer card`, nil},
	} {
		var ev events.APIGatewayV2HTTPRequest
		readEvent(t, tc.file, &ev)
		route, _, ok := routes.Match(ev.RequestContext.HTTP.Method, ev.RawPath)
		if !ok || route.Key() != ev.RouteKey {
			t.Fatalf("%s: route %q does not match its path %s", tc.file, ev.RouteKey, ev.RawPath)
		}
		covered[route.Function] = true
		resp, err := fns[route.Function](t.Context(), ev)
		if err != nil || resp.StatusCode != tc.status || !strings.Contains(resp.Body, tc.want) {
			t.Fatalf("%s: %d %s %v", tc.file, resp.StatusCode, resp.Body, err)
		}
		if tc.after != nil {
			tc.after(resp.Body)
		}
	}

	// The timeline consumer takes the SQS event of the job just queued.
	var sqsEv events.SQSEvent
	readEvent(t, "sqs-timeline.json", &sqsEv)
	sqsEv.Records[0].Body = strings.Replace(sqsEv.Records[0].Body, "JOB_ID", jobID, 1)
	res, err := handlers.Consumer(js, store.ActionTimeline)(t.Context(), sqsEv)
	if err != nil || len(res.BatchItemFailures) != 0 {
		t.Fatalf("consumer: %+v %v", res, err)
	}
	j, err := st.GetJob(t.Context(), "tn_demo", jobID)
	if err != nil || j.Status != store.JobSucceeded || len(j.CRMRecordIDs) != 1 || j.CRMRecordIDs[0].Entity != "Task" {
		t.Fatalf("job after consumer: %+v %v", j, err)
	}
	covered[routes.Timeline] = true

	var aev events.APIGatewayV2CustomAuthorizerV2Request
	readEvent(t, "authorizer.json", &aev)
	ares, err := handlers.Authorizer(st)(t.Context(), aev)
	if err != nil || !ares.IsAuthorized || ares.Context[httpapi.CtxTenantID] != "tn_demo" || ares.Context[httpapi.CtxRole] != "studio" {
		t.Fatalf("authorizer: %+v %v", ares, err)
	}
	covered[routes.Authorizer] = true

	for _, fn := range routes.AllFunctions {
		if !covered[fn] && fn != routes.Memorialize { // memorialize takes the same SQS event shape as timeline
			t.Errorf("no sample event in events/ for function %s", fn)
		}
	}
}
