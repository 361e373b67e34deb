package kustomer

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/crmflow/crmflow/shared/crm/crmtest"
	"github.com/crmflow/crmflow/shared/sandbox"
)

func TestAuth(t *testing.T) {
	s, c := start(t, Options{})
	status, body := c.do("GET", "/v1/users/current", "")
	if status != 200 || attr(data(body), "userType") != "machine" {
		t.Fatalf("%d %v", status, body)
	}
	c.token = "wrong"
	status, body = c.do("GET", "/v1/users/current", "")
	wantError(t, status, body, 401, "unauthorized", "Invalid token")
	c.token = ""
	status, body = c.do("POST", "/v1/customers/search", "{}")
	wantError(t, status, body, 401, "unauthorized", "Missing")
	c.token = DefaultToken
	s.ExpireTokens()
	status, body = c.do("GET", "/v1/users/current", "")
	wantError(t, status, body, 401, "unauthorized", "Expired token")
	s.AddToken("rotated")
	c.token = "rotated"
	if status, _ := c.do("GET", "/v1/users/current", ""); status != 200 || s.TokenRequests() != 0 {
		t.Fatalf("rotated key: %d", status)
	}
}

func TestCustomerLifecycle(t *testing.T) {
	s, c := start(t, Options{Empty: true})
	status, body := c.do("POST", "/v1/customers", `{"name":"Ada Lovelace","emails":[{"email":"ada@example.com","type":"work"}],`+
		`"phones":[{"phone":"+44 20 7946 0000"}],"custom":{"tierStr":"gold","visitsNum":3}}`)
	res := data(body)
	if status != 201 || res["type"] != "customer" || attr(res, "displayName") != "Ada Lovelace" ||
		attr(res, "createdAt") != "2026-11-23T10:00:00.000Z" {
		t.Fatalf("%d %v", status, body)
	}
	id := res["id"].(string)
	if !idShape.MatchString(id) || s.Count("customer") != 1 {
		t.Fatalf("id %q", id)
	}
	for _, path := range []string{"/v1/customers/" + id, "/v1/customers/email=ADA%40example.com",
		"/v1/customers/phone=" + url.PathEscape("+442079460000")} {
		if status, body := c.do("GET", path, ""); status != 200 || data(body)["id"] != id {
			t.Fatalf("%s: %d %v", path, status, body)
		}
	}
	status, body = c.do("GET", "/v1/customers/email=nobody%40example.com", "")
	wantError(t, status, body, 404, "not_found", "")
	status, body = c.do("PATCH", "/v1/customers/"+id, `{"name":"Ada King","custom":{"visitsNum":4}}`)
	custom := attr(data(body), "custom").(map[string]any)
	if status != 200 || attr(data(body), "name") != "Ada King" || custom["tierStr"] != "gold" || custom["visitsNum"] != float64(4) {
		t.Fatalf("%d %v", status, body)
	}
	status, body = c.do("PUT", "/v1/customers/"+id, `{"name":"Ada"}`)
	if status != 200 || attr(data(body), "custom") != nil || attr(data(body), "emails") != nil {
		t.Fatalf("PUT replaces: %d %v", status, body)
	}
	status, body = c.do("PATCH", "/v1/customers/5f3a1c2b0000000000000000", `{"name":"x"}`)
	wantError(t, status, body, 404, "not_found", "")
}

func TestValidation(t *testing.T) {
	_, c := start(t, Options{})
	for _, tc := range []struct{ method, path, body, code, text string }{
		{"POST", "/v1/customers", `{"nickname":"x"}`, "bad_request", "nickname"},
		{"POST", "/v1/customers", `{"emails":["a@b.com"]}`, "bad_request", "emails"},
		{"POST", "/v1/customers", `{"custom":{"tier":"gold"}}`, "bad_request", "must be camelCase"},
		{"POST", "/v1/customers", `{"custom":{"visitsNum":"3"}}`, "bad_request", "number"},
		{"POST", "/v1/customers", `{"emails":[{"email":"JANE.DOE@example.com"}]}`, "conflict", "already exists"},
		{"POST", "/v1/customers", `{"phones":[{"phone":"+1 415-555-0100"}]}`, "conflict", "already exists"},
		{"POST", "/v1/customers", `not json`, "bad_request", "JSON"},
		{"POST", "/v1/customers", `{"name":"x"}}`, "bad_request", "trailing"},
		{"POST", "/v1/conversations", `{"name":"x"}`, "bad_request", "customer"},
		{"POST", "/v1/conversations", `{"customer":"5f3a1c2b0000000000000000"}`, "bad_request", "does not exist"},
		{"POST", "/v1/customers/5f3a1c2b9d8e7f0012a4b004/conversations", `{"status":"closed"}`, "bad_request", "status"},
		{"POST", "/v1/customers/5f3a1c2b9d8e7f0012a4b004/conversations", `{"priority":9}`, "bad_request", "priority"},
		{"POST", "/v1/customers/5f3a1c2b9d8e7f0012a4b004/messages", `{"channel":"voice","direction":"in"}`, "bad_request", "app"},
		{"POST", "/v1/customers/5f3a1c2b9d8e7f0012a4b004/messages", `{"app":"x","channel":"fax","direction":"in"}`, "bad_request", "channel"},
		{"POST", "/v1/customers/5f3a1c2b9d8e7f0012a4b004/messages", `{"app":"x","channel":"voice","direction":"in","externalId":"cxone-4998123"}`, "conflict", "externalId"},
		{"POST", "/v1/notes", `{"body":"x","conversation":"5f3a1c2b9d8e7f0012a4b00a"}`, "bad_request", "conversation"},
		{"POST", "/v1/notes", `{"body":"x","custom":{}}`, "bad_request", "custom"},
		{"POST", "/v1/conversations/5f3a1c2b9d8e7f0012a4b00a/notes", `{"body":"` + strings.Repeat("x", maxNoteBody+1) + `"}`, "bad_request", "at most"},
		{"POST", "/v1/conversations/5f3a1c2b9d8e7f0012a4b00a/notes", `{}`, "bad_request", "body"},
		{"POST", "/v1/customers", `{"name":"A","firstName":"A"}`, "bad_request", "firstName"},
		{"PATCH", "/v1/companies/5f3a1c2b9d8e7f0012a4b003", `{"name":"A"}`, "not_found", ""},
		{"POST", "/v1/klasses/order", `{"description":"no title"}`, "bad_request", "title"},
		{"GET", "/v1/metadata/kobject.nope", ``, "not_found", "Klass"},
		{"GET", "/v1/metadata/note", ``, "bad_request", "resource"},
		{"GET", "/v1/messages/externalId=x", ``, "bad_request", "cannot be looked up"},
		{"GET", "/v1/conversations/email=a%40b.com", ``, "bad_request", "cannot be looked up"},
		{"GET", "/v1/klasses/nope/externalId=x", ``, "not_found", "Klass"},
		{"GET", "/v1/nothing", ``, "not_found", ""},
	} {
		status, body := c.do(tc.method, tc.path, tc.body)
		want := map[string]int{"bad_request": 400, "conflict": 409, "not_found": 404}[tc.code]
		wantError(t, status, body, want, tc.code, tc.text)
	}
}

func TestMessagesAndConversations(t *testing.T) {
	s, c := start(t, Options{})
	jane := s.IDs("customer")[0]
	convs := s.Count("conversation")
	status, body := c.do("POST", "/v1/customers/"+jane+"/messages",
		`{"app":"crmflow","channel":"voice","direction":"in","status":"received","subject":"Inbound call","externalId":"job-1"}`)
	msg := data(body)
	if status != 201 || s.Count("conversation") != convs+1 {
		t.Fatalf("%d %v", status, body)
	}
	rel := msg["relationships"].(map[string]any)
	conv := rel["conversation"].(map[string]any)["data"].(map[string]any)["id"].(string)
	if rel["customer"].(map[string]any)["data"].(map[string]any)["id"] != jane {
		t.Fatalf("%v", rel)
	}
	status, body = c.do("GET", "/v1/messages/externalid=job-1", "")
	if status != 200 || data(body)["id"] != msg["id"] {
		t.Fatalf("%d %v", status, body)
	}
	status, body = c.do("POST", "/v1/conversations/"+conv+"/messages", `{"app":"crmflow","channel":"sms","direction":"out"}`)
	if status != 201 || s.Count("conversation") != convs+1 {
		t.Fatalf("%d %v", status, body)
	}
	status, body = c.do("GET", "/v1/conversations/"+conv, "")
	if attr(data(body), "messageCount") != float64(2) || len(attr(data(body), "channels").([]any)) != 2 || attr(data(body), "name") != "Inbound call" {
		t.Fatalf("%v", body)
	}
	status, body = c.do("GET", "/v1/customers/"+jane+"/conversations?pageSize=2", "")
	links := body["links"].(map[string]any)
	meta := body["meta"].(map[string]any)
	if status != 200 || len(list(body)) != 2 || links["next"] != "/v1/customers/"+jane+"/conversations?page=2&pageSize=2" ||
		meta["total"] != float64(5) || meta["totalPages"] != float64(3) || links["prev"] != nil {
		t.Fatalf("%d %v", status, body)
	}
	if list(body)[0]["id"] != conv {
		t.Fatalf("newest first: %v", list(body)[0])
	}
	status, body = c.do("GET", "/v1/customers/"+jane+"/conversations?pageSize=101", "")
	wantError(t, status, body, 400, "bad_request", "pageSize")
}

func TestKObjects(t *testing.T) {
	s, c := start(t, Options{})
	jane := s.IDs("customer")[0]
	status, body := c.do("POST", "/v1/klasses/order", `{"title":"Order 1","externalId":"o-1","customer":"`+jane+`","custom":{"totalNum":5}}`)
	id, _ := data(body)["id"].(string)
	if status != 201 || s.Count("kobject.order") != 2 {
		t.Fatalf("%d %v", status, body)
	}
	if status, body := c.do("GET", "/v1/klasses/order/externalId=o-1", ""); status != 200 || data(body)["id"] != id {
		t.Fatalf("%d %v", status, body)
	}
	status, body = c.do("PUT", "/v1/klasses/order/"+id, `{"title":"Order 1 (paid)"}`)
	if status != 200 || attr(data(body), "custom") != nil {
		t.Fatalf("%d %v", status, body)
	}
}

func TestFaults(t *testing.T) {
	s, c := start(t, Options{})
	reset := fixedNow.Add(30 * time.Second)
	f := RateLimitFault(reset)
	f.Times = 1
	s.Inject(f)
	req, _ := http.NewRequest("GET", c.url+"/v1/users/current", nil)
	req.Header.Set("Authorization", "Bearer "+DefaultToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 429 || resp.Header.Get("X-Ratelimit-Reset") != "1795428030" || resp.Header.Get("X-Ratelimit-Remaining") != "0" {
		t.Fatalf("%d %v", resp.StatusCode, resp.Header)
	}
	s.Inject(sandbox.Fault{Match: "/v1/customers", Status: 503})
	s.ClearFaults()
	if status, _ := c.do("GET", "/v1/users/current", ""); status != 200 || s.Calls("GET /v1/users/current") != 2 {
		t.Fatalf("%d", status)
	}
}

func TestDemoData(t *testing.T) {
	s, c := start(t, Options{})
	status, body := c.do("GET", "/v1/customers/email="+url.PathEscape(crmtest.JaneEmail), "")
	jane := data(body)
	if status != 200 || attr(jane, "name") != "Jane Doe" {
		t.Fatalf("%d %v", status, body)
	}
	phones := attr(jane, "phones").([]any)
	if phones[0].(map[string]any)["phone"] != crmtest.JanePhone || jane["relationships"].(map[string]any)["company"] == nil {
		t.Fatalf("%v", jane)
	}
	if s.Count("customer") != 5 || s.Count("company") != 2 || s.Count("conversation") != 5 || s.OrgName() != "acme" {
		t.Fatalf("counts %d %d %d", s.Count("customer"), s.Count("company"), s.Count("conversation"))
	}
}
