package handlers_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/crmflow/crmflow/shared/admin"
	"github.com/crmflow/crmflow/shared/crm/drivers"
	"github.com/crmflow/crmflow/shared/handlers"
	"github.com/crmflow/crmflow/shared/httpapi"
	"github.com/crmflow/crmflow/shared/localgw"
	"github.com/crmflow/crmflow/shared/routes"
	"github.com/crmflow/crmflow/shared/secrets/memsecrets"
	"github.com/crmflow/crmflow/shared/store"
	"github.com/crmflow/crmflow/shared/store/memory"
)

// mappingAPI is the admin function (DataMappings is part of its routes)
// behind the local gateway, a tenant with a Salesforce configuration, and a
// key of each role.
type mappingAPI struct {
	t    *testing.T
	url  string
	keys map[store.Role]string
}

func newMappingAPI(t *testing.T) *mappingAPI {
	t.Helper()
	ctx := context.Background()
	st := memory.New()
	svc := &admin.Service{Store: st, Secrets: memsecrets.New(), Registry: drivers.Registry(), SecretPrefix: "crmflow/test/", Local: true}
	gw := httptest.NewServer(localgw.New(map[string]localgw.HTTPHandler{routes.Admin: httpapi.Lambda(handlers.Admin(svc))}, handlers.Authorizer(st), nil))
	t.Cleanup(gw.Close)

	tn, err := svc.CreateTenant(ctx, "Acme")
	if err != nil {
		t.Fatal(err)
	}
	a := &mappingAPI{t: t, url: gw.URL, keys: map[store.Role]string{}}
	for _, role := range []store.Role{store.RoleAdmin, store.RoleStudio, store.RoleAgent} {
		k, err := svc.CreateKey(ctx, admin.Caller{TenantID: tn.ID, Role: store.RoleAdmin}, tn.ID, role)
		if err != nil {
			t.Fatal(err)
		}
		a.keys[role] = k.Key
	}
	c := &store.Configuration{TenantID: tn.ID, ID: "sf-main", Name: "Salesforce", CRM: "salesforce", BaseURL: "https://acme.my.salesforce.com"}
	if err := st.PutConfiguration(ctx, c); err != nil {
		t.Fatal(err)
	}
	return a
}

type answer struct {
	status int
	body   map[string]any
	raw    string
}

func (a answer) errField() string {
	e, _ := a.body["error"].(map[string]any)
	f, _ := e["field"].(string)
	return f
}

func (a *mappingAPI) do(method, path string, role store.Role, body string) answer {
	a.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, a.url+path, rd)
	if err != nil {
		a.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+a.keys[role])
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		a.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	out := answer{status: resp.StatusCode, raw: string(raw)}
	_ = json.Unmarshal(raw, &out.body)
	return out
}

const taskMappingJSON = `{"entity": "Task", "fields": [
  {"source": "cxoneContact.agentName", "target": "Subject", "template": "Call with {{agentName}}"},
  {"source": "callDurationInSeconds", "target": "CallDurationInSeconds"},
  {"source": "{{dispositionName}}: {{dispositionNotes}}", "target": "Description"}]}`

func TestDataMappingRoutes(t *testing.T) {
	a := newMappingAPI(t)
	const path = "/v1/configurations/sf-main/data-mappings/call-summary"

	put := a.do("PUT", path, store.RoleAdmin, taskMappingJSON)
	if put.status != 200 || put.body["mode"] != "create" || put.body["dataMappingId"] != "call-summary" {
		t.Fatalf("PUT = %d %s; want 200 with mode create", put.status, put.raw)
	}
	get := a.do("GET", path, store.RoleAdmin, "")
	if get.status != 200 || get.body["entity"] != "Task" || len(get.body["fields"].([]any)) != 3 {
		t.Fatalf("GET = %d %s", get.status, get.raw)
	}
	wf := a.do("GET", "/v1/configurations/sf-main/workflows/"+admin.MemorializeWorkflowID("call-summary"), store.RoleAdmin, "")
	if wf.status != 200 || wf.body["action"] != "datamemorialization" || wf.body["dataMappingId"] != "call-summary" {
		t.Fatalf("the mapping's workflow = %d %s", wf.status, wf.raw)
	}
	if del := a.do("DELETE", path, store.RoleAdmin, ""); del.status != 204 {
		t.Fatalf("DELETE = %d %s", del.status, del.raw)
	}
	if get := a.do("GET", path, store.RoleAdmin, ""); get.status != 404 || get.errField() != "dataMappingId" {
		t.Fatalf("GET after DELETE = %d %s; want 404 on dataMappingId", get.status, get.raw)
	}
}

func TestDataMappingRoutesRefuse(t *testing.T) {
	a := newMappingAPI(t)
	const path = "/v1/configurations/sf-main/data-mappings/m1"
	tests := []struct {
		name   string
		method string
		path   string
		role   store.Role
		body   string
		status int
		field  string
	}{
		{"studio may not write", "PUT", path, store.RoleStudio, taskMappingJSON, 403, ""},
		{"agent may not read", "GET", path, store.RoleAgent, "", 403, ""},
		{"unknown configuration", "PUT", "/v1/configurations/nope/data-mappings/m1", store.RoleAdmin, taskMappingJSON, 404, "configurationId"},
		{"unknown mapping", "GET", path, store.RoleAdmin, "", 404, "dataMappingId"},
		{"delete unknown mapping", "DELETE", path, store.RoleAdmin, "", 404, "dataMappingId"},
		{"no body", "PUT", path, store.RoleAdmin, "", 400, "body"},
		{"fields not an array", "PUT", path, store.RoleAdmin, `{"entity": "Task", "fields": {}}`, 400, "fields"},
		{"unknown source field", "PUT", path, store.RoleAdmin,
			`{"entity": "Task", "fields": [{"source": "agentName", "target": "Subject"}, {"source": "cxoneContact.mood", "target": "Mood__c"}]}`,
			400, "fields[1].source"},
		{"unknown template field", "PUT", path, store.RoleAdmin,
			`{"entity": "Task", "fields": [{"source": "agentName", "target": "Subject", "template": "{{agentName}} {{sentiment}}"}]}`,
			400, "fields[0].template"},
		{"bad target", "PUT", path, store.RoleAdmin, `{"entity": "Task", "fields": [{"source": "ani", "target": "Phone; DROP"}]}`, 400, "fields[0].target"},
		{"bad mode", "PUT", path, store.RoleAdmin, `{"entity": "Task", "mode": "merge", "fields": [{"source": "ani", "target": "Phone"}]}`, 400, "mode"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := a.do(tc.method, tc.path, tc.role, tc.body)
			if got.status != tc.status || got.errField() != tc.field {
				t.Errorf("%s %s = %d %s; want %d on field %q", tc.method, tc.path, got.status, got.raw, tc.status, tc.field)
			}
		})
	}
}
