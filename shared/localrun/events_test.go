package localrun_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"

	"github.com/crmflow/crmflow/shared/admin"
	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/drivers"
	"github.com/crmflow/crmflow/shared/handlers"
	"github.com/crmflow/crmflow/shared/httpapi"
	"github.com/crmflow/crmflow/shared/ids"
	sfsandbox "github.com/crmflow/crmflow/shared/sandbox/salesforce"
	"github.com/crmflow/crmflow/shared/secrets/memsecrets"
	"github.com/crmflow/crmflow/shared/store"
	"github.com/crmflow/crmflow/shared/store/memory"
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

// TestEvents runs every sample event in events/ through the handler its
// route belongs to, in the order a new tenant would use them.
func TestEvents(t *testing.T) {
	st, sec := memory.New(), memsecrets.New()
	reg := drivers.Registry()
	adm := &admin.Service{Store: st, Secrets: sec, Registry: reg, SecretPrefix: "crmflow/test/", Local: true}
	wf := workflow.New(workflow.Options{Store: st, Secrets: sec, Registry: reg, HTTP: &http.Client{}})
	fns := map[string]func(ev events.APIGatewayV2HTTPRequest) events.APIGatewayV2HTTPResponse{}
	for route, rs := range map[string]httpapi.Routes{"admin": handlers.Admin(adm), "search": handlers.Search(wf), "card": handlers.Card(wf)} {
		h := httpapi.Lambda(rs)
		fns[route] = func(ev events.APIGatewayV2HTTPRequest) events.APIGatewayV2HTTPResponse {
			resp, err := h(t.Context(), ev)
			if err != nil {
				t.Fatalf("%s: %v", ev.RouteKey, err)
			}
			return resp
		}
	}
	sf := sfsandbox.New(sfsandbox.Options{ClientID: sfClientID, ClientSecret: sfClientSecret})
	sfs := httptest.NewServer(sf.Handler())
	defer sfs.Close()

	for _, tc := range []struct {
		file, fn string
		status   int
		want     string
		after    func()
	}{
		{"admin-create-tenant.json", "admin", 201, `"tenantId":"tn_`, nil},
		{"admin-put-configuration.json", "admin", 201, `"clientSecret":"set"`, func() {
			// The sample points at a real org; aim it at the sandbox.
			in := admin.ConfigurationInput{Name: "Salesforce", CRM: crm.Salesforce, BaseURL: sfs.URL, APIVersion: "v62.0",
				Auth:        crm.Auth{Type: crm.AuthClientCredentials, ClientID: sfClientID, TokenURL: sfs.URL + "/services/oauth2/token"},
				Credentials: &crm.Credentials{ClientSecret: sfClientSecret}}
			if _, _, err := adm.PutConfiguration(t.Context(), "tn_demo", "sf-main", in); err != nil {
				t.Fatal(err)
			}
		}},
		{"search.json", "search", 200, `"display":"Jane Doe"`, nil},
		{"card.json", "card", 200, `"display":"Jane Doe"`, nil},
		{"pin.json", "card", 200, `"pinned":true`, nil},
	} {
		var ev events.APIGatewayV2HTTPRequest
		readEvent(t, tc.file, &ev)
		resp := fns[tc.fn](ev)
		if resp.StatusCode != tc.status || !strings.Contains(resp.Body, tc.want) {
			t.Fatalf("%s: %d %s", tc.file, resp.StatusCode, resp.Body)
		}
		if tc.after != nil {
			tc.after()
		}
	}

	var aev events.APIGatewayV2CustomAuthorizerV2Request
	readEvent(t, "authorizer.json", &aev)
	key := strings.TrimPrefix(aev.Headers["authorization"], "Bearer ")
	if err := st.PutKey(t.Context(), store.APIKey{ID: "key_example", TenantID: "tn_demo", Role: store.RoleStudio, Hash: ids.HashKey(key)}); err != nil {
		t.Fatal(err)
	}
	ares, err := handlers.Authorizer(st)(t.Context(), aev)
	if err != nil || !ares.IsAuthorized || ares.Context[httpapi.CtxTenantID] != "tn_demo" || ares.Context[httpapi.CtxRole] != "studio" {
		t.Fatalf("authorizer: %+v %v", ares, err)
	}
}
