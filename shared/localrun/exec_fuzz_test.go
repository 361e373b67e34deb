package localrun_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/crmflow/crmflow/shared/admin"
	"github.com/crmflow/crmflow/shared/crm/drivers"
	"github.com/crmflow/crmflow/shared/ids"
	"github.com/crmflow/crmflow/shared/jobs"
	"github.com/crmflow/crmflow/shared/localrun"
	"github.com/crmflow/crmflow/shared/logx"
	sfsandbox "github.com/crmflow/crmflow/shared/sandbox/salesforce"
	"github.com/crmflow/crmflow/shared/secrets/memsecrets"
	"github.com/crmflow/crmflow/shared/store"
	"github.com/crmflow/crmflow/shared/store/memory"
	"github.com/crmflow/crmflow/shared/workflow"
)

// fuzzRoutes are the routes that decode a body, with the role that calls them.
var fuzzRoutes = []struct {
	method, path string
	role         string
}{
	{"POST", "/v1/workflows/search", "studio"},
	{"POST", "/v1/workflows/create", "studio"},
	{"POST", "/v1/workflows/update", "studio"},
	{"POST", "/v1/workflows/timeline", "studio"},
	{"POST", "/v1/workflows/datamemorialization", "studio"},
	{"PUT", "/v1/configurations/fz", "admin"},
	{"PUT", "/v1/configurations/sf-main/workflows/fz", "admin"},
	{"PUT", "/v1/configurations/sf-main/data-mappings/fz", "admin"},
	{"PUT", "/v1/configurations/sf-main/dynamic-data-mappings/fz", "admin"},
	{"POST", "/v1/tenants/{tenant}/keys", "admin"},
	{"POST", "/v1/tenants", "platform"},
}

// FuzzRequestBody: whatever body reaches a route that decodes one, the whole
// stack (gateway, edge, use case, Salesforce sandbox) answers without a 500
// or a panic; every refusal has the SPEC error shape, and a 400 names the
// field it refuses.
func FuzzRequestBody(f *testing.F) {
	prev := slog.Default()
	slog.SetDefault(logx.New(io.Discard, "local"))
	f.Cleanup(func() { slog.SetDefault(prev) })
	ctx := context.Background()
	st, sec := memory.New(), memsecrets.New()
	reg := drivers.Registry()
	adm := &admin.Service{Store: st, Secrets: sec, Registry: reg, SecretPrefix: "crmflow/test/", Local: true}
	wf := workflow.New(workflow.Options{Store: st, Secrets: sec, Registry: reg, HTTP: &http.Client{Timeout: 5 * time.Second}, CacheTTL: 60e9})
	js := jobs.New(jobs.Options{Store: st, Queue: &recQueue{}, Connections: wf,
		QueueURLs: map[store.Action]string{store.ActionTimeline: "tl", store.ActionDataMemorialization: "dm"}})
	platform, _ := ids.NewKey()
	if _, err := adm.BootstrapPlatformKey(ctx, platform); err != nil {
		f.Fatal(err)
	}
	gw := localrun.Gateway(localrun.Services{Admin: adm, Workflow: wf, Jobs: js, Keys: st}, nil)
	sfs := httptest.NewServer(sfsandbox.New(sfsandbox.Options{ClientID: sfClientID, ClientSecret: sfClientSecret}).Handler())
	f.Cleanup(sfs.Close)
	call := func(method, path, key, body string) (int, string) {
		req := httptest.NewRequest(method, path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+key)
		rec := httptest.NewRecorder()
		gw.ServeHTTP(rec, req)
		return rec.Code, rec.Body.String()
	}
	mustJSON := func(v any) string { b, _ := json.Marshal(v); return string(b) }
	code, body := call("POST", "/v1/tenants", platform, `{"name":"Acme"}`)
	var tn struct{ TenantID string }
	_ = json.Unmarshal([]byte(body), &tn)
	keys := map[string]string{"platform": platform}
	for _, role := range []string{"admin", "studio"} {
		_, kb := call("POST", "/v1/tenants/"+tn.TenantID+"/keys", platform, `{"role":"`+role+`"}`)
		var k struct{ Key string }
		_ = json.Unmarshal([]byte(kb), &k)
		keys[role] = k.Key
	}
	sfCfg := map[string]any{"name": "Salesforce", "crm": "salesforce", "baseUrl": sfs.URL, "apiVersion": "v62.0",
		"auth":        map[string]any{"type": "oauth2_client_credentials", "tokenUrl": sfs.URL + "/services/oauth2/token", "clientId": sfClientID},
		"credentials": map[string]any{"clientSecret": sfClientSecret}}
	if code, body = call("PUT", "/v1/configurations/sf-main", keys["admin"], mustJSON(sfCfg)); code != 201 {
		f.Fatalf("configuration: %d %s", code, body)
	}

	for i, s := range []string{
		`{"configurationId":"sf-main","workflowId":"search_phone","contactId":"5001234","workflowInput":{"phoneNumber":"+1 (415) 555-0100"}}`,
		`{"configurationId":"sf-main","workflowId":"search_email","contactId":"5001234","workflowInput":{"email":"jane.doe@example.com"}}`,
		`{"configurationId":"sf-main","workflowId":"search_custom","contactId":"5001234","workflowInput":{"customSearch":{"entity":"Contact","fields":["LastName"],"filter":{"any":[{"field":"LastName","op":"in","value":["Doe",1,true]}]},"limit":5}}}`,
		`{"configurationId":"sf-main","workflowId":"create_case","contactId":"5001234","workflowInput":{"entity":"Case","fields":{"Subject":"x"},"pin":true,"screenPop":true}}`,
		`{"configurationId":"sf-main","workflowId":"update_record","contactId":"5001234","workflowInput":{"entity":"Contact","id":"003000000000001AAA","fields":{"Title":"x"}}}`,
		`{"configurationId":"sf-main","workflowId":"timeline_activity","contactId":"5001234","cxoneContact":{"contactId":"5001234","agentName":"A","startTime":"2026-11-23T10:00:00Z","callDurationInSeconds":-5},"records":[{"entity":"Contact","id":"003"}]}`,
		mustJSON(sfCfg),
		`{"action":"search","name":"x","searchType":"phone"}`,
		`{"entity":"Task","fields":[{"source":"cxoneContact.agentName","target":"Subject","template":"Call with {{agentName}}"}],"mode":"update"}`,
		`{"entities":[{"entity":"Contact","searchFields":["Phone"],"displayFields":[{"name":"Name","label":"Name"}]}]}`,
		`{"role":"agent"}`, `{"name":"Globex"}`, `{}`, `null`, `[]`, `{"workflowInput":[]}`, `{"records":[null]}`,
	} {
		f.Add(uint8(i), s)
		f.Add(uint8(i+3), s)
	}
	f.Fuzz(func(t *testing.T, ri uint8, body string) {
		r := fuzzRoutes[int(ri)%len(fuzzRoutes)]
		path := strings.Replace(r.path, "{tenant}", tn.TenantID, 1)
		code, out := call(r.method, path, keys[r.role], body)
		if code == 500 || code == 0 {
			t.Fatalf("%s %s %q: %d %s", r.method, path, body, code, out)
		}
		if code < 400 {
			return
		}
		var e struct {
			Error     struct{ Code, Message, Field string }
			RequestID string
		}
		if err := json.Unmarshal([]byte(out), &e); err != nil || e.Error.Code == "" || e.Error.Message == "" || e.RequestID == "" {
			t.Fatalf("%s %s %q: %d %s is not a SPEC error", r.method, path, body, code, out)
		}
		if code == 400 && e.Error.Field == "" {
			t.Fatalf("%s %s %q: 400 naming no field: %s", r.method, path, body, out)
		}
	})
}
