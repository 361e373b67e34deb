package servicenow

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmtest"
)

func TestAPIError(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	cases := []crmtest.ErrorCase{
		{Name: "unauthenticated", Status: 401,
			Body: `{"error":{"message":"User Not Authenticated","detail":"Required to provide Auth information"},"status":"failure"}`,
			Code: crm.Unauthenticated, Message: "User Not Authenticated: Required to provide Auth information"},
		{Name: "no record", Status: 404,
			Body: `{"error":{"message":"No Record found","detail":"Record doesn't exist or ACL restricts the record retrieval"},"status":"failure"}`,
			Code: crm.NotFound, Message: "No Record found: Record doesn't exist or ACL restricts the record retrieval"},
		{Name: "invalid table", Status: 400, Body: `{"error":{"message":"Invalid table sys_nonexistent","detail":null},"status":"failure"}`,
			Code: crm.InvalidArgument, Message: "Invalid table sys_nonexistent"},
		{Name: "data policy", Status: 403,
			Body: `{"error":{"message":"Operation Failed","detail":"Data Policy Exception: \n\tThe following fields are mandatory: Short description\n"},"status":"failure"}`,
			Code: crm.InvalidArgument, Message: "Operation Failed: Data Policy Exception: The following fields are mandatory: Short description"},
		{Name: "acl", Status: 403, Body: `{"error":{"message":"Insufficient rights to insert records in table incident","detail":null},"status":"failure"}`,
			Code: crm.PermissionDenied, Message: "Insufficient rights to insert records in table incident"},
		{Name: "rate limit", Status: 429, Header: http.Header{"Retry-After": {"42"}},
			Body: `{"error":{"message":"Rate limit exceeded","detail":"Rate limit of 10 requests per hour for Table API exceeded"},"status":"failure"}`,
			Code: crm.ResourceExhausted, Retryable: true, Wait: 42 * time.Second,
			Message: "Rate limit exceeded: Rate limit of 10 requests per hour for Table API exceeded"},
		{Name: "rate limit reset only", Status: 429, Header: http.Header{"X-Ratelimit-Reset": {strconv.FormatInt(now.Unix()+90, 10)}},
			Body: `{"error":{"message":"Rate limit exceeded","detail":""},"status":"failure"}`,
			Code: crm.ResourceExhausted, Retryable: true, Wait: 90 * time.Second, Message: "Rate limit exceeded"},
		{Name: "server error", Status: 500, Body: `{"error":{"message":"Internal server error","detail":null},"status":"failure"}`,
			Code: crm.Unavailable, Retryable: true, Message: "Internal server error"},
		{Name: "html outage", Status: 503, Header: http.Header{"Retry-After": {"5"}}, Body: `<html><body>Instance hibernating</body></html>`,
			Code: crm.Unavailable, Retryable: true, Wait: 5 * time.Second, Message: "Service Unavailable"},
		{Name: "gateway timeout", Status: 504, Body: ``, Code: crm.DeadlineExceeded, Retryable: true, Message: "Gateway Timeout"},
		{Name: "method", Status: 405, Body: `{"error":{"message":"Method not Supported","detail":"x"},"status":"failure"}`,
			Code: crm.InvalidArgument, Message: "Method not Supported: x"},
	}
	crmtest.RunErrorCases(t, cases, func(status int, h http.Header, body []byte) *crm.Error {
		if h == nil {
			h = http.Header{}
		}
		return apiError("servicenow: op", status, h, body, now)
	})
}

func TestAPIErrorTruncates(t *testing.T) {
	body := `{"error":{"message":"` + strings.Repeat("é", 3000) + `"},"status":"failure"}`
	e := apiError("op", 400, http.Header{}, []byte(body), time.Now())
	crmtest.WantTruncated(t, e, maxMessage)
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
