package dynamics

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmtest"
)

func TestAPIErrorMapping(t *testing.T) {
	body := func(code, msg string) string { return `{"error":{"code":"` + code + `","message":"` + msg + `"}}` }
	row := func(name string, status int, header http.Header, body string, code crm.Code, crmCode string, retryable bool, wait time.Duration) crmtest.ErrorCase {
		return crmtest.ErrorCase{Name: name, Status: status, Header: header, Body: body, Code: code, CRMCode: crmCode, Retryable: retryable, Wait: wait}
	}
	cases := []crmtest.ErrorCase{
		row("request limit", 429, http.Header{"Retry-After": {"7"}}, body(codeRequestLimit, "Number of requests exceeded the limit of 6000 over time window of 300 seconds."),
			crm.ResourceExhausted, codeRequestLimit, true, 7*time.Second),
		row("execution time", 429, http.Header{"Retry-After": {"120"}}, body(codeExecutionTime, "Combined execution time of incoming requests exceeded limit."),
			crm.ResourceExhausted, codeExecutionTime, true, 2*time.Minute),
		row("concurrency", 429, nil, body(codeConcurrency, "Number of concurrent requests exceeded the limit of 52."),
			crm.ResourceExhausted, codeConcurrency, true, 0),
		row("upper-case code", 429, http.Header{"Retry-After": {"3"}}, body("0X80072322", "limit"), crm.ResourceExhausted, "0X80072322", true, 3*time.Second),
		row("not found", 404, nil, body(codeNotFound, "contact With Id = 6f1c9a52-0d3e-4b8a-9c1d-3e5f7a9b0c42 Does Not Exist"),
			crm.NotFound, codeNotFound, false, 0),
		row("no entity set", 404, nil, body(codeSegment, "Resource not found for the segment 'Contacts'."), crm.NotFound, codeSegment, false, 0),
		row("duplicate key", 412, nil, body(codeDuplicate, "A record with matching key values already exists."), crm.AlreadyExists, codeDuplicate, false, 0),
		row("privilege", 403, nil, body(codePrivilege, "Principal user is missing prvCreatePhoneCall privilege."), crm.PermissionDenied, codePrivilege, false, 0),
		row("syntax", 400, nil, body("0x80060888", "Syntax error at position 9 in 'name eq'."), crm.InvalidArgument, "0x80060888", false, 0),
		row("validation", 400, nil, body("0x80040265", "A plug-in refused the record."), crm.InvalidArgument, "0x80040265", false, 0),
		row("unauthorized, empty body", 401, http.Header{"Www-Authenticate": {"Bearer authorization_uri=https://login.microsoftonline.com/t/oauth2/authorize"}},
			"", crm.Unauthenticated, "", false, 0),
		row("server error", 500, nil, body("0x80040216", "An unexpected error occurred."), crm.Unavailable, "0x80040216", true, 0),
		row("unavailable with retry", 503, http.Header{"Retry-After": {"30"}}, "<html>Service Unavailable</html>", crm.Unavailable, "", true, 30*time.Second),
		row("gateway timeout", 504, nil, "", crm.DeadlineExceeded, "", true, 0),
		row("precondition without code", 412, nil, body("0x80060882", "The version of the existing record doesn't match."), crm.InvalidArgument, "0x80060882", false, 0),
	}
	crmtest.RunErrorCases(t, cases, func(status int, h http.Header, body []byte) *crm.Error {
		return apiError("dynamics: test", status, h, body)
	}, func(t *testing.T, _ crmtest.ErrorCase, e *crm.Error) {
		if e.Message == "" || !strings.HasPrefix(e.Error(), "dynamics: test: ") {
			t.Fatalf("message %q / %q", e.Message, e.Error())
		}
	})
}

func TestAPIErrorTruncatesMessage(t *testing.T) {
	e := apiError("op", 400, nil, []byte(`{"error":{"code":"0x0","message":"`+strings.Repeat("é", 3000)+`"}}`))
	crmtest.WantTruncated(t, e, maxMessage)
}

func TestTokenErrorMapping(t *testing.T) {
	entra := func(code, desc string) []byte {
		return []byte(`{"error":"` + code + `","error_description":"` + desc + `\r\nTrace ID: 0f0e\r\nCorrelation ID: 1a1b\r\nTimestamp: 2026-11-23 10:00:00Z","error_codes":[7000215]}`)
	}
	e, _ := crm.AsError(tokenError("op", 401, nil, entra("invalid_client", "AADSTS7000215: Invalid client secret provided.")))
	if e.Code != crm.Unauthenticated || e.CRMCode != "invalid_client" || e.Message != "AADSTS7000215: Invalid client secret provided." || e.Retryable {
		t.Fatalf("%+v", e)
	}
	e, _ = crm.AsError(tokenError("op", 400, nil, entra("invalid_scope", "AADSTS1002012: The provided value for scope x is not valid.")))
	if e.Code != crm.Unauthenticated || e.CRMCode != "invalid_scope" {
		t.Fatalf("%+v", e)
	}
	e, _ = crm.AsError(tokenError("op", 429, http.Header{"Retry-After": {"5"}}, entra("temporarily_unavailable", "AADSTS50196: loop")))
	if e.Code != crm.ResourceExhausted || !e.Retryable || e.RetryAfter != 5*time.Second {
		t.Fatalf("%+v", e)
	}
	e, _ = crm.AsError(tokenError("op", 503, nil, []byte("down")))
	if e.Code != crm.Unavailable || !e.Retryable || e.Message != "Service Unavailable" {
		t.Fatalf("%+v", e)
	}
}
