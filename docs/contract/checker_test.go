package contract_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/crmflow/crmflow/docs/contract"
)

const key = "Bearer cfk_examplekeyexamplekeyexamplekey"

func request(method, path, body string, auth bool) *http.Request {
	req := httptest.NewRequest(method, "https://api.example"+path, strings.NewReader(body))
	if auth {
		req.Header.Set("Authorization", key)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	return req
}

func jsonHeader() http.Header { return http.Header{"Content-Type": {"application/json"}} }

// TestValidatorRefusesWhatTheDocumentDoesNot proves the checks are not
// vacuous: each case is something the document forbids.
func TestValidatorRefusesWhatTheDocumentDoesNot(t *testing.T) {
	responses := []struct {
		name   string
		req    *http.Request
		status int
		body   string
	}{
		{"a field of the wrong type", request("GET", "/v1/jobs/j1", "", true), 200, `{"jobId": 1}`},
		{"an undocumented field", request("POST", "/v1/tenants", `{"name":"Acme"}`, true), 201,
			`{"tenantId":"tn_1","name":"Acme","created":"2026-11-23T10:00:00Z","secret":"x"}`},
		{"an undocumented status", request("GET", "/v1/jobs/j1", "", true), 418, `{}`},
		{"an error without requestId", request("GET", "/v1/jobs/j1", "", true), 404, `{"error":{"code":"NOT_FOUND","message":"no"}}`},
		{"an error of another shape", request("GET", "/v1/jobs/j1", "", true), 404, `{"message":"not found"}`},
		{"a job status that does not exist", request("GET", "/v1/jobs?status=queued", "", true), 200,
			`{"jobs":[{"jobId":"j","action":"timeline","status":"lost","attempts":0,"crmRecordIds":[],"configurationId":"c","contactId":"k","created":"2026-11-23T10:00:00Z","updated":"2026-11-23T10:00:00Z"}]}`},
	}
	for _, tc := range responses {
		if err := contract.ValidateResponse(tc.req, tc.status, jsonHeader(), []byte(tc.body)); err == nil {
			t.Errorf("answer with %s: accepted", tc.name)
		}
	}
	requests := []struct {
		name string
		req  *http.Request
	}{
		{"no key", request("POST", "/v1/tenants", `{"name":"Acme"}`, false)},
		{"a name of the wrong type", request("POST", "/v1/tenants", `{"name":5}`, true)},
		{"no body", request("POST", "/v1/tenants", "", true)},
		{"an unknown role", request("POST", "/v1/tenants/tn_1/keys", `{"role":"boss"}`, true)},
		{"a bad id in the path", request("GET", "/v1/jobs/a%20b", "", true)},
		{"a job status that does not exist", request("GET", "/v1/jobs?status=lost", "", true)},
		{"a search without workflowInput", request("POST", "/v1/workflows/search", `{"configurationId":"c","workflowId":"w","contactId":"k"}`, true)},
		{"a timeline job on 26 records", request("POST", "/v1/workflows/timeline", `{"configurationId":"c","workflowId":"w","contactId":"k","records":[`+
			strings.TrimSuffix(strings.Repeat(`{"entity":"Contact","id":"003"},`, 26), ",")+`]}`, true)},
		{"a fan-out to 6 configurations", request("POST", "/v1/workflows/datamemorialization",
			`{"configurationIds":["a","b","c","d","e","f"],"dataMappingId":"m","contactId":"k"}`, true)},
		{"a memorialization without a configuration", request("POST", "/v1/workflows/datamemorialization",
			`{"configurationIds":[],"dataMappingId":"m","contactId":"k"}`, true)},
		{"a media type that does not exist", request("POST", "/v1/workflows/timeline", `{"configurationId":"c","workflowId":"w","contactId":"k","cxoneContact":{"mediaType":"pigeon"}}`, true)},
	}
	for _, tc := range requests {
		if err := contract.ValidateRequest(tc.req); err == nil {
			t.Errorf("request with %s: accepted", tc.name)
		}
	}
	if _, err := contract.FindRoute(request("PATCH", "/v1/tenants", "", true)); err == nil {
		t.Error("PATCH /v1/tenants: routed")
	}
}

func TestValidatorAcceptsWhatTheDocumentSays(t *testing.T) {
	req := request("POST", "/v1/tenants", `{"name":"Acme"}`, true)
	if err := contract.ValidateRequest(req); err != nil {
		t.Errorf("request: %v", err)
	}
	if err := contract.ValidateResponse(req, 201, jsonHeader(),
		[]byte(`{"tenantId":"tn_1","name":"Acme","created":"2026-11-23T10:00:00Z"}`)); err != nil {
		t.Errorf("answer: %v", err)
	}
	if err := contract.ValidateResponse(req, 400, jsonHeader(),
		[]byte(`{"error":{"code":"INVALID_ARGUMENT","message":"is required","field":"name"},"requestId":"r1"}`)); err != nil {
		t.Errorf("error answer: %v", err)
	}
	// A search ignores the post-call fields, so the document does too.
	search := request("POST", "/v1/workflows/search", `{"configurationId":"c","workflowId":"w","contactId":"k",`+
		`"workflowInput":{"phoneNumber":"+14155550100"},"records":[{}],"cxoneContact":{"mediaType":5},"dataMappingId":"a b"}`, true)
	if err := contract.ValidateRequest(search); err != nil {
		t.Errorf("search with ignored fields: %v", err)
	}
	fan := request("POST", "/v1/workflows/datamemorialization", `{"configurationIds":["a","b"],"dataMappingId":"m","contactId":"k"}`, true)
	if err := contract.ValidateRequest(fan); err != nil {
		t.Errorf("fan-out: %v", err)
	}
	// API Gateway's own answer to a request without a key.
	if err := contract.ValidateResponse(request("POST", "/v1/tenants", `{}`, false), 401, jsonHeader(),
		[]byte(`{"message":"Unauthorized"}`)); err != nil {
		t.Errorf("gateway answer: %v", err)
	}
}

// reporter collects what the checker reports instead of failing the test.
type reporter struct {
	testing.TB
	mu   sync.Mutex
	errs []string
}

func (r *reporter) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}

// TestMiddlewareReportsAndRecords: the middleware passes answers through,
// reports one that breaks the document and one that accepts a request the
// document refuses, and records the operations and statuses it saw.
func TestMiddlewareReportsAndRecords(t *testing.T) {
	api := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case "/v1/tenants":
			b, _ := io.ReadAll(r.Body)
			if !strings.Contains(string(b), "name") {
				w.WriteHeader(201) // accepts what the document refuses
				_, _ = io.WriteString(w, `{"tenantId":"tn_1","name":"","created":"2026-11-23T10:00:00Z"}`)
				return
			}
			w.WriteHeader(201)
			_, _ = io.WriteString(w, `{"tenantId":"tn_1","name":"Acme","created":"2026-11-23T10:00:00Z"}`)
		case "/v1/jobs/j1":
			w.WriteHeader(200)
			_, _ = io.WriteString(w, `{"jobId":"j1"}`) // misses required fields
		default:
			w.WriteHeader(404)
			_, _ = io.WriteString(w, `{"message":"Not Found"}`)
		}
	})
	rep := &reporter{}
	checker := contract.New(rep)
	srv := httptest.NewServer(checker.Handler(api))
	defer srv.Close()
	send := func(method, path, body string) int {
		req, _ := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
		req.Header.Set("Authorization", key)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	if s := send("POST", "/v1/tenants", `{"name":"Acme"}`); s != 201 {
		t.Errorf("status %d through the middleware", s)
	}
	if len(rep.errs) != 0 {
		t.Fatalf("a good exchange reported: %v", rep.errs)
	}
	send("POST", "/v1/tenants", `{}`)
	send("GET", "/v1/jobs/j1", "")
	send("GET", "/v1/nothing", "") // the gateway's 404: fine
	if len(rep.errs) != 2 {
		t.Errorf("%d reports, want 2: %v", len(rep.errs), rep.errs)
	}
	seen := checker.Seen()
	if fmt.Sprint(seen["POST /v1/tenants"]) != "[201]" || fmt.Sprint(seen["GET /v1/jobs/{jobId}"]) != "[200]" || len(seen) != 2 {
		t.Errorf("seen %v", seen)
	}
}
