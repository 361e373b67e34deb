package localrun_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/crmflow/crmflow/shared/sandbox"
)

// TestCRMFailures: what Studio gets when the CRM fails — never a 500, always
// the SPEC error shape, with Retry-After where the CRM asks to wait.
func TestCRMFailures(t *testing.T) {
	e := newEnv(t)
	tn := e.newTenant("Acme")
	search := exec("search_phone", map[string]any{"phoneNumber": "+14155550100"})
	e.must(200, e.do("POST", "/v1/workflows/search", tn.studio, search)) // warm: token cached

	for _, tc := range []struct {
		name   string
		fault  sandbox.Fault
		status int
		code   string
		retry  bool
	}{
		{"API limit", sandbox.Fault{Match: "/services/data/", Times: 1, Status: 403,
			Body: `[{"message":"TotalRequests Limit exceeded.","errorCode":"REQUEST_LIMIT_EXCEEDED"}]`}, 429, "CRM_RESOURCE_EXHAUSTED", true},
		{"server error", sandbox.Fault{Match: "/services/data/", Times: 1, Status: 503, Body: `upstream down`}, 502, "CRM_UNAVAILABLE", false},
		{"forbidden", sandbox.Fault{Match: "/services/data/", Times: 1, Status: 403,
			Body: `[{"message":"Insufficient access","errorCode":"INSUFFICIENT_ACCESS"}]`}, 422, "CRM_PERMISSION_DENIED", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e.sf.Inject(tc.fault)
			defer e.sf.ClearFaults()
			r := e.do("POST", "/v1/workflows/search", tn.studio, search)
			if r.Status != tc.status {
				t.Fatalf("status %d, want %d: %s", r.Status, tc.status, r.Raw)
			}
			if tc.code != "" && r.errorCode() != tc.code {
				t.Errorf("code %q, want %q", r.errorCode(), tc.code)
			}
			if tc.retry && r.Header.Get("Retry-After") == "" {
				t.Errorf("no Retry-After: %v", r.Header)
			}
		})
	}

	// A CRM slower than the configuration's deadline: 504 at the deadline,
	// long before the Lambda's own timeout.
	cfg := e.sfConfig()
	cfg["timeoutMs"] = 500
	delete(cfg, "credentials")
	e.must(200, e.do("PUT", "/v1/configurations/sf-main", tn.admin, cfg))
	e.sf.Inject(sandbox.Fault{Match: "/services/data/", Times: 1, Delay: 3 * time.Second})
	start := time.Now()
	r := e.do("POST", "/v1/workflows/search", tn.studio, search)
	if r.Status != http.StatusGatewayTimeout || time.Since(start) > 2500*time.Millisecond {
		t.Fatalf("slow CRM: %d after %v: %s", r.Status, time.Since(start), r.Raw)
	}
	// And the next call works again, whole.
	if r := e.must(200, e.do("POST", "/v1/workflows/search", tn.studio, search)); r.Body["complete"] != true {
		t.Fatalf("a whole answer says complete %v", r.Body["complete"])
	}

	// The match is read but its open cases are not (Salesforce answers the
	// search and the open cases as two subrequests of one composite
	// request, and the second fails alone): the match answers, marked
	// incomplete — not an error.
	e.sf.Inject(sandbox.Fault{Match: "/services/data/v62.0/query", Times: 1, Status: http.StatusInternalServerError,
		Body: `[{"message":"An unexpected error occurred.","errorCode":"UNKNOWN_EXCEPTION"}]`})
	r = e.must(200, e.do("POST", "/v1/workflows/search", tn.studio, search))
	if r.Body["complete"] != false || r.Body["matchCount"] != 1.0 {
		t.Fatalf("failed enrichment: complete %v, %v matches: %s", r.Body["complete"], r.Body["matchCount"], r.Raw)
	}
	e.sf.ClearFaults()
}
