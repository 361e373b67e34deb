package localrun_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/crmflow/crmflow/shared/admin"
	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/drivers"
	"github.com/crmflow/crmflow/shared/handlers"
	"github.com/crmflow/crmflow/shared/httpapi"
	"github.com/crmflow/crmflow/shared/logx"
	"github.com/crmflow/crmflow/shared/phone"
	sfsandbox "github.com/crmflow/crmflow/shared/sandbox/salesforce"
	"github.com/crmflow/crmflow/shared/secrets/memsecrets"
	"github.com/crmflow/crmflow/shared/store/memory"
	"github.com/crmflow/crmflow/shared/workflow"
)

// warm is a search Lambda after its first request: connector built, token
// cached, configuration and workflow cached.
type warm struct {
	handler func(context.Context, events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error)
	event   events.APIGatewayV2HTTPRequest
	store   *memory.Store
	secrets *memsecrets.Store
	sfURL   string
	sf      *sfsandbox.Server
	hc      *http.Client
}

func newWarm(tb testing.TB) *warm {
	// The JSON lines are formatted as in Lambda; only the write is dropped.
	prev := slog.Default()
	slog.SetDefault(logx.New(io.Discard, "search"))
	tb.Cleanup(func() { slog.SetDefault(prev) })
	st, sec := memory.New(), memsecrets.New()
	reg := drivers.Registry()
	hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 16}}
	adm := &admin.Service{Store: st, Secrets: sec, Registry: reg, SecretPrefix: "crmflow/bench/", Local: true}
	wf := workflow.New(workflow.Options{Store: st, Secrets: sec, Registry: reg, HTTP: hc, CacheTTL: time.Minute})
	sf := sfsandbox.New(sfsandbox.Options{ClientID: sfClientID, ClientSecret: sfClientSecret})
	sfs := httptest.NewServer(sf.Handler())
	tb.Cleanup(sfs.Close)
	in := admin.ConfigurationInput{Name: "Salesforce", CRM: crm.Salesforce, BaseURL: sfs.URL, APIVersion: "v62.0",
		Auth:        crm.Auth{Type: crm.AuthClientCredentials, ClientID: sfClientID, TokenURL: sfs.URL + "/services/oauth2/token"},
		Credentials: &crm.Credentials{ClientSecret: sfClientSecret}}
	if _, _, err := adm.PutConfiguration(context.Background(), "tn_bench", "sf-main", in); err != nil {
		tb.Fatal(err)
	}
	body, _ := json.Marshal(exec("search_phone", map[string]any{"phoneNumber": "+1 (415) 555-0100"}))
	ev := events.APIGatewayV2HTTPRequest{RouteKey: "POST /v1/workflows/search", RawPath: "/v1/workflows/search", Body: string(body),
		Headers: map[string]string{"content-type": "application/json"},
		RequestContext: events.APIGatewayV2HTTPRequestContext{RequestID: "bench", RouteKey: "POST /v1/workflows/search",
			HTTP:       events.APIGatewayV2HTTPRequestContextHTTPDescription{Method: "POST", Path: "/v1/workflows/search"},
			Authorizer: &events.APIGatewayV2HTTPRequestContextAuthorizerDescription{Lambda: map[string]any{httpapi.CtxTenantID: "tn_bench", httpapi.CtxRole: "studio", httpapi.CtxKeyID: "k"}}}}
	w := &warm{handler: httpapi.Lambda(handlers.Search(wf)), event: ev, store: st, secrets: sec, sfURL: sfs.URL, sf: sf, hc: hc}
	w.search(tb) // cold start: fills the caches and gets the token
	return w
}

func (w *warm) search(tb testing.TB) {
	resp, err := w.handler(context.Background(), w.event)
	if err != nil || resp.StatusCode != 200 {
		tb.Fatalf("search: %d %s %v", resp.StatusCode, resp.Body, err)
	}
}

// TestWarmSearchCost: a warm search reads one item set from DynamoDB (the
// contact's card, beside the CRM call, for the records this contact created
// that the CRM's index may not show yet), nothing from Secrets Manager, and
// writes the card once.
func TestWarmSearchCost(t *testing.T) {
	w := newWarm(t)
	r0, w0, s0 := w.store.Reads(), w.store.Writes(), w.secrets.Reads()
	for range 5 {
		w.search(t)
	}
	if r, wr, s := w.store.Reads()-r0, w.store.Writes()-w0, w.secrets.Reads()-s0; r != 5 || wr != 5 || s != 0 {
		t.Fatalf("5 warm searches: %d store reads, %d store writes, %d secret reads; want 5, 5, 0", r, wr, s)
	}
}

// TestWarmSearchOneCRMRequest: a warm search whose single match comes with
// its open cases costs one Salesforce request (a composite request).
func TestWarmSearchOneCRMRequest(t *testing.T) {
	w := newWarm(t)
	w.sf.ResetCalls()
	resp, err := w.handler(context.Background(), w.event)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("search: %d %s %v", resp.StatusCode, resp.Body, err)
	}
	var res struct {
		Records []struct {
			Related []json.RawMessage `json:"related"`
		} `json:"records"`
		Complete *bool `json:"complete"`
	}
	if err := json.Unmarshal([]byte(resp.Body), &res); err != nil || len(res.Records) != 1 || len(res.Records[0].Related) == 0 {
		t.Fatalf("want one match with its open cases: %s %v", resp.Body, err)
	}
	if n := w.sf.TotalCalls(); n != 1 {
		t.Fatalf("%d Salesforce requests for a warm single-match search, want 1", n)
	}
}

// BenchmarkSearchHandler is the warm search Lambda handler in process
// against the sandbox at zero latency.
func BenchmarkSearchHandler(b *testing.B) {
	w := newWarm(b)
	r0, s0 := w.store.Reads(), w.secrets.Reads()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		w.search(b)
	}
	b.ReportMetric(float64(w.store.Reads()-r0)/float64(b.N), "dbreads/op")
	b.ReportMetric(float64(w.secrets.Reads()-s0)/float64(b.N), "secretreads/op")
}

// BenchmarkSearchRaw is the same CRM work without crmflow around it: the
// connector's phone search plus the open-cases lookup the handler also does.
func BenchmarkSearchRaw(b *testing.B) {
	w := newWarm(b)
	c, err := drivers.Registry().New(crm.Config{Type: crm.Salesforce, BaseURL: w.sfURL, APIVersion: "v62.0",
		Auth:        crm.Auth{Type: crm.AuthClientCredentials, ClientID: sfClientID, TokenURL: w.sfURL + "/services/oauth2/token"},
		Credentials: crm.Credentials{ClientSecret: sfClientSecret}, Timeout: 4 * time.Second}, w.hc)
	if err != nil {
		b.Fatal(err)
	}
	variants, _ := phone.Variants("+1 (415) 555-0100")
	ctx := context.Background()
	run := func() {
		recs, err := c.SearchByPhone(ctx, crm.PhoneSearch{Variants: variants, Limit: workflow.DefaultSearchLimit})
		if err != nil || len(recs) != 1 {
			b.Fatalf("%v %v", recs, err)
		}
		if _, err := c.RelatedOpen(ctx, crm.Ref{Entity: recs[0].Entity, ID: recs[0].ID}, 5); err != nil {
			b.Fatal(err)
		}
	}
	run()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		run()
	}
}
