package servicenow

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/crmflow/crmflow/shared/crm"
)

func TestAPIError(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	for _, tc := range []struct {
		name      string
		status    int
		header    http.Header
		body      string
		code      crm.Code
		retryable bool
		wait      time.Duration
		message   string
	}{
		{name: "unauthenticated", status: 401,
			body: `{"error":{"message":"User Not Authenticated","detail":"Required to provide Auth information"},"status":"failure"}`,
			code: crm.Unauthenticated, message: "User Not Authenticated: Required to provide Auth information"},
		{name: "no record", status: 404,
			body: `{"error":{"message":"No Record found","detail":"Record doesn't exist or ACL restricts the record retrieval"},"status":"failure"}`,
			code: crm.NotFound, message: "No Record found: Record doesn't exist or ACL restricts the record retrieval"},
		{name: "invalid table", status: 400, body: `{"error":{"message":"Invalid table sys_nonexistent","detail":null},"status":"failure"}`,
			code: crm.InvalidArgument, message: "Invalid table sys_nonexistent"},
		{name: "data policy", status: 403,
			body: `{"error":{"message":"Operation Failed","detail":"Data Policy Exception: \n\tThe following fields are mandatory: Short description\n"},"status":"failure"}`,
			code: crm.InvalidArgument, message: "Operation Failed: Data Policy Exception: The following fields are mandatory: Short description"},
		{name: "acl", status: 403, body: `{"error":{"message":"Insufficient rights to insert records in table incident","detail":null},"status":"failure"}`,
			code: crm.PermissionDenied, message: "Insufficient rights to insert records in table incident"},
		{name: "rate limit", status: 429, header: http.Header{"Retry-After": {"42"}},
			body: `{"error":{"message":"Rate limit exceeded","detail":"Rate limit of 10 requests per hour for Table API exceeded"},"status":"failure"}`,
			code: crm.ResourceExhausted, retryable: true, wait: 42 * time.Second,
			message: "Rate limit exceeded: Rate limit of 10 requests per hour for Table API exceeded"},
		{name: "rate limit reset only", status: 429, header: http.Header{"X-Ratelimit-Reset": {strconv.FormatInt(now.Unix()+90, 10)}},
			body: `{"error":{"message":"Rate limit exceeded","detail":""},"status":"failure"}`,
			code: crm.ResourceExhausted, retryable: true, wait: 90 * time.Second, message: "Rate limit exceeded"},
		{name: "server error", status: 500, body: `{"error":{"message":"Internal server error","detail":null},"status":"failure"}`,
			code: crm.Unavailable, retryable: true, message: "Internal server error"},
		{name: "html outage", status: 503, header: http.Header{"Retry-After": {"5"}}, body: `<html><body>Instance hibernating</body></html>`,
			code: crm.Unavailable, retryable: true, wait: 5 * time.Second, message: "Service Unavailable"},
		{name: "gateway timeout", status: 504, body: ``, code: crm.DeadlineExceeded, retryable: true, message: "Gateway Timeout"},
		{name: "method", status: 405, body: `{"error":{"message":"Method not Supported","detail":"x"},"status":"failure"}`,
			code: crm.InvalidArgument, message: "Method not Supported: x"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := tc.header
			if h == nil {
				h = http.Header{}
			}
			e := apiError("servicenow: op", tc.status, h, []byte(tc.body), now)
			if e.Code != tc.code || e.Retryable != tc.retryable || e.RetryAfter != tc.wait || e.Status != tc.status {
				t.Fatalf("got %+v", e)
			}
			if e.Message != tc.message {
				t.Fatalf("message %q, want %q", e.Message, tc.message)
			}
			if e.CRMCode != "" {
				t.Fatalf("ServiceNow has no error codes, got %q", e.CRMCode)
			}
		})
	}
}

func TestAPIErrorTruncates(t *testing.T) {
	body := `{"error":{"message":"` + strings.Repeat("é", 3000) + `"},"status":"failure"}`
	e := apiError("op", 400, http.Header{}, []byte(body), time.Now())
	if n := len([]rune(e.Message)); n != maxMessage+1 {
		t.Fatalf("message has %d runes, want %d and an ellipsis", n, maxMessage+1)
	}
}

func TestTokenError(t *testing.T) {
	now := time.Now()
	e := tokenError("op", 401, http.Header{}, []byte(`{"error_description":"access_denied","error":"server_error"}`), now).(*crm.Error)
	if e.Code != crm.Unauthenticated || e.Retryable || e.CRMCode != "server_error" || e.Message != "access_denied" {
		t.Fatalf("got %+v", e)
	}
	e = tokenError("op", 503, http.Header{"Retry-After": {"3"}}, []byte(`oops`), now).(*crm.Error)
	if e.Code != crm.Unavailable || !e.Retryable || e.RetryAfter != 3*time.Second {
		t.Fatalf("got %+v", e)
	}
}
