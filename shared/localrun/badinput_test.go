package localrun_test

import (
	"strings"
	"testing"
)

// TestBadInput: every kind of bad request gets the status and the field SPEC
// §3 gives, in the error shape, and never a 500.
func TestBadInput(t *testing.T) {
	e := newEnv(t)
	a := e.newTenant("Acme")
	b := e.newTenant("Globex")
	// A record on b's card, for the cross-tenant pin case.
	s := e.must(200, e.do("POST", "/v1/workflows/search", b.studio, exec("search_phone", map[string]any{"phoneNumber": "+14155550100"})))
	jane := records(s)[0]["id"].(string)
	big := `{"configurationId":"sf-main","workflowId":"search_phone","contactId":"1","workflowInput":{"phoneNumber":"` + strings.Repeat("1", 256<<10) + `"}}`

	for _, tc := range []struct {
		name         string
		method, path string
		key          string
		body         any
		status       int
		field, code  string
	}{
		{"malformed JSON", "POST", "/v1/workflows/search", a.studio, `{"configurationId": `, 400, "", "INVALID_ARGUMENT"},
		{"not an object", "POST", "/v1/workflows/search", a.studio, `[1,2]`, 400, "", "INVALID_ARGUMENT"},
		{"wrong type", "POST", "/v1/workflows/search", a.studio, `{"configurationId": 7, "workflowId": "search_phone", "contactId": "1"}`, 400, "configurationId", "INVALID_ARGUMENT"},
		{"wrong input type", "POST", "/v1/workflows/search", a.studio, exec("search_phone", map[string]any{"phoneNumber": 4155550100}), 400, "workflowInput.phoneNumber", "INVALID_ARGUMENT"},
		{"missing contactId", "POST", "/v1/workflows/search", a.studio, map[string]any{"configurationId": "sf-main", "workflowId": "search_phone", "workflowInput": map[string]any{"phoneNumber": "+14155550100"}}, 400, "contactId", "INVALID_ARGUMENT"},
		{"missing input", "POST", "/v1/workflows/search", a.studio, exec("search_phone", map[string]any{}), 400, "workflowInput.phoneNumber", "INVALID_ARGUMENT"},
		{"short phone", "POST", "/v1/workflows/search", a.studio, exec("search_phone", map[string]any{"phoneNumber": "12"}), 400, "workflowInput.phoneNumber", "INVALID_ARGUMENT"},
		{"bad email", "POST", "/v1/workflows/search", a.studio, exec("search_email", map[string]any{"email": "x' OR 1=1"}), 400, "workflowInput.email", "INVALID_ARGUMENT"},
		{"bad filter op", "POST", "/v1/workflows/search", a.studio, exec("search_custom", map[string]any{"customSearch": map[string]any{"entity": "Contact", "filter": map[string]any{"field": "LastName", "op": "like", "value": "x"}}}), 400, "workflowInput.customSearch.filter.op", "INVALID_ARGUMENT"},
		{"injected field name", "POST", "/v1/workflows/search", a.studio, exec("search_custom", map[string]any{"customSearch": map[string]any{"entity": "Contact", "filter": map[string]any{"field": "LastName) OR (Id", "op": "eq", "value": "x"}}}), 400, "workflowInput.customSearch.filter.field", "INVALID_ARGUMENT"},
		{"unknown configuration", "POST", "/v1/workflows/search", a.studio, map[string]any{"configurationId": "nope", "workflowId": "search_phone", "contactId": "1", "workflowInput": map[string]any{"phoneNumber": "+14155550100"}}, 404, "configurationId", "NOT_FOUND"},
		{"unknown workflow", "POST", "/v1/workflows/search", a.studio, exec("nope", map[string]any{"phoneNumber": "+14155550100"}), 404, "workflowId", "NOT_FOUND"},
		{"action mismatch", "POST", "/v1/workflows/search", a.studio, exec("update_record", map[string]any{"phoneNumber": "+14155550100"}), 422, "workflowId", ""},
		{"over 256 KiB", "POST", "/v1/workflows/search", a.studio, big, 413, "", ""},
		{"agent executes", "POST", "/v1/workflows/search", a.agent, exec("search_phone", map[string]any{"phoneNumber": "+14155550100"}), 403, "", "PERMISSION_DENIED"},
		{"admin executes", "POST", "/v1/workflows/search", a.admin, exec("search_phone", map[string]any{"phoneNumber": "+14155550100"}), 403, "", "PERMISSION_DENIED"},
		{"studio reads configurations", "GET", "/v1/configurations", a.studio, nil, 403, "", "PERMISSION_DENIED"},
		{"agent reads configuration", "GET", "/v1/configurations/sf-main", a.agent, nil, 403, "", "PERMISSION_DENIED"},
		{"admin creates tenant", "POST", "/v1/tenants", a.admin, map[string]any{"name": "x"}, 403, "", "PERMISSION_DENIED"},
		{"studio creates key", "POST", "/v1/tenants/" + a.id + "/keys", a.studio, map[string]any{"role": "studio"}, 403, "", "PERMISSION_DENIED"},
		{"unknown role", "POST", "/v1/tenants/" + a.id + "/keys", a.admin, map[string]any{"role": "root"}, 400, "role", "INVALID_ARGUMENT"},
		{"admin keys other tenant", "POST", "/v1/tenants/" + b.id + "/keys", a.admin, map[string]any{"role": "admin"}, 404, "", "NOT_FOUND"},
		{"other tenant's key id", "DELETE", "/v1/tenants/" + a.id + "/keys/key_doesnotexist", a.admin, nil, 404, "", "NOT_FOUND"},
		{"other tenant's card", "GET", "/v1/contacts/5001234/card", a.agent, nil, 404, "", "NOT_FOUND"},
		{"other tenant's pin", "PUT", "/v1/contacts/5001234/pins/Contact/" + jane, a.agent, nil, 404, "", "NOT_FOUND"},
		{"bad entity in pin", "PUT", "/v1/contacts/5001234/pins/Con%27tact/" + jane, a.agent, nil, 400, "entity", "INVALID_ARGUMENT"},
		{"unknown crm", "PUT", "/v1/configurations/x", a.admin, map[string]any{"name": "x", "crm": "sap", "baseUrl": "https://x.example.com", "auth": map[string]any{"type": "basic"}}, 400, "crm", "INVALID_ARGUMENT"},
		{"baseUrl host of another CRM", "PUT", "/v1/configurations/x", a.admin, map[string]any{"name": "x", "crm": "salesforce", "baseUrl": "https://acme.zendesk.com",
			"auth": map[string]any{"type": "oauth2_client_credentials", "clientId": "c", "tokenUrl": "https://acme.my.salesforce.com/services/oauth2/token"}, "credentials": map[string]any{"clientSecret": "s"}}, 400, "baseUrl", "INVALID_ARGUMENT"},
		{"baseUrl not https", "PUT", "/v1/configurations/x", a.admin, map[string]any{"name": "x", "crm": "salesforce", "baseUrl": "http://acme.my.salesforce.com",
			"auth": map[string]any{"type": "oauth2_client_credentials", "clientId": "c"}, "credentials": map[string]any{"clientSecret": "s"}}, 400, "baseUrl", "INVALID_ARGUMENT"},
		{"token URL elsewhere", "PUT", "/v1/configurations/x", a.admin, map[string]any{"name": "x", "crm": "salesforce", "baseUrl": "https://acme.my.salesforce.com",
			"auth": map[string]any{"type": "oauth2_client_credentials", "clientId": "c", "tokenUrl": "https://evil.example.com/token"}, "credentials": map[string]any{"clientSecret": "s"}}, 400, "auth.tokenUrl", "INVALID_ARGUMENT"},
		{"missing credentials", "PUT", "/v1/configurations/x", a.admin, map[string]any{"name": "x", "crm": "salesforce", "baseUrl": "https://acme.my.salesforce.com",
			"auth": map[string]any{"type": "oauth2_client_credentials", "clientId": "c"}}, 400, "credentials", "INVALID_ARGUMENT"},
		{"timeout out of range", "PUT", "/v1/configurations/x", a.admin, map[string]any{"name": "x", "crm": "salesforce", "baseUrl": "https://acme.my.salesforce.com", "timeoutMs": 60000,
			"auth": map[string]any{"type": "oauth2_client_credentials", "clientId": "c"}, "credentials": map[string]any{"clientSecret": "s"}}, 400, "timeoutMs", "INVALID_ARGUMENT"},
		{"no key", "POST", "/v1/workflows/search", "", exec("search_phone", map[string]any{"phoneNumber": "+14155550100"}), 401, "", ""},
		{"malformed key", "POST", "/v1/workflows/search", "not-a-key", exec("search_phone", map[string]any{"phoneNumber": "+14155550100"}), 401, "", "UNAUTHENTICATED"},
		{"unknown key", "POST", "/v1/workflows/search", "cfk_" + strings.Repeat("a", 40), exec("search_phone", map[string]any{"phoneNumber": "+14155550100"}), 401, "", "UNAUTHENTICATED"},
		{"unknown route", "GET", "/v1/nothing", a.admin, nil, 404, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := e.do(tc.method, tc.path, tc.key, tc.body)
			if r.Status != tc.status {
				t.Fatalf("status %d, want %d: %s", r.Status, tc.status, r.Raw)
			}
			if tc.field != "" && r.errorField() != tc.field {
				t.Errorf("field %q, want %q: %s", r.errorField(), tc.field, r.Raw)
			}
			if tc.code != "" && r.errorCode() != tc.code {
				t.Errorf("code %q, want %q: %s", r.errorCode(), tc.code, r.Raw)
			}
			if r.Status >= 400 && r.Status != 401 && r.Status != 413 && tc.name != "unknown route" {
				if _, ok := r.Body["requestId"]; !ok {
					t.Errorf("error without requestId: %s", r.Raw)
				}
			}
		})
	}

	// A deleted key stops working at once (local mode has no authorizer cache).
	k := e.must(201, e.do("POST", "/v1/tenants/"+a.id+"/keys", a.admin, map[string]any{"role": "studio"}))
	e.must(200, e.do("POST", "/v1/workflows/search", k.Body["key"].(string), exec("search_phone", map[string]any{"phoneNumber": "+14155550100"})))
	e.must(204, e.do("DELETE", "/v1/tenants/"+a.id+"/keys/"+k.Body["keyId"].(string), a.admin, nil))
	e.must(401, e.do("POST", "/v1/workflows/search", k.Body["key"].(string), exec("search_phone", map[string]any{"phoneNumber": "+14155550100"})))
}
