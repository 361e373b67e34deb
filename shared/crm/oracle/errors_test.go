package oracle

import (
	"net/http"
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
		crmCode   string
		retryable bool
		wait      time.Duration
		message   string
	}{
		{name: "write failed", status: 400,
			body: `{"type":"https://site.custhelp.com/services/rest/connect/exceptions/OSC-CREST-00006","title":"An attempt to write a resource failed","status":400,"detail":"...Invalid ID: No such Contact with ID = 209","instance":"https://site.custhelp.com/services/rest/connect/v1.4/incidents","o:errorCode":"OSC-CREST-00006"}`,
			code: crm.InvalidArgument, crmCode: "OSC-CREST-00006", message: "An attempt to write a resource failed: ...Invalid ID: No such Contact with ID = 209"},
		{name: "code from type only", status: 400,
			body: `{"type":"https://site.custhelp.com/services/rest/connect/exceptions/OSC-CREST-00007","title":"Invalid query parameter","status":400}`,
			code: crm.InvalidArgument, crmCode: "OSC-CREST-00007", message: "Invalid query parameter"},
		{name: "not found", status: 404,
			body: `{"type":"https://site.custhelp.com/services/rest/connect/exceptions/OSC-CREST-00013","title":"The requested resource was not found","status":404,"detail":"Invalid ID: No such Contact with ID = 9","o:errorCode":"OSC-CREST-00013"}`,
			code: crm.NotFound, crmCode: "OSC-CREST-00013", message: "The requested resource was not found: Invalid ID: No such Contact with ID = 9"},
		{name: "bad basic credentials", status: 401, body: `<html><body>Access Denied</body></html>`,
			code: crm.Unauthenticated, message: "Unauthorized"},
		{name: "not authorized", status: 403, body: `{"title":"Not authorized","status":403,"o:errorCode":"OSC-CREST-00014"}`,
			code: crm.PermissionDenied, crmCode: "OSC-CREST-00014", message: "Not authorized"},
		{name: "throttled", status: 503, header: http.Header{"Osvc-Crest-Next-Request-After": {"1500"}},
			body: `{"title":"Too many requests","status":503,"o:errorCode":"OSC-CREST-00035"}`,
			code: crm.ResourceExhausted, crmCode: "OSC-CREST-00035", retryable: true, wait: 1500 * time.Millisecond, message: "Too many requests"},
		{name: "throttled with retry-after", status: 503, header: http.Header{"Retry-After": {"4"}},
			body: `{"title":"Too many requests","status":503,"o:errorCode":"OSC-CREST-00035"}`,
			code: crm.ResourceExhausted, crmCode: "OSC-CREST-00035", retryable: true, wait: 4 * time.Second, message: "Too many requests"},
		{name: "outage", status: 503, body: `<html>Service Unavailable</html>`,
			code: crm.Unavailable, retryable: true, message: "Service Unavailable"},
		{name: "429 anyway", status: 429, header: http.Header{"Retry-After": {"3"}}, body: ``,
			code: crm.ResourceExhausted, retryable: true, wait: 3 * time.Second, message: "Too Many Requests"},
		{name: "server error", status: 500, body: `{"title":"Internal Server Error","status":500}`,
			code: crm.Unavailable, retryable: true, message: "Internal Server Error"},
		{name: "gateway timeout", status: 504, body: ``, code: crm.DeadlineExceeded, retryable: true, message: "Gateway Timeout"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := tc.header
			if h == nil {
				h = http.Header{}
			}
			e := apiError("oracle: op", tc.status, h, []byte(tc.body), now)
			if e.Code != tc.code || e.Retryable != tc.retryable || e.RetryAfter != tc.wait || e.Status != tc.status || e.CRMCode != tc.crmCode {
				t.Fatalf("got %+v", e)
			}
			if e.Message != tc.message {
				t.Fatalf("message %q, want %q", e.Message, tc.message)
			}
		})
	}
}

func TestAPIErrorTruncates(t *testing.T) {
	body := `{"title":"` + strings.Repeat("é", 3000) + `","status":400}`
	e := apiError("op", 400, http.Header{}, []byte(body), time.Now())
	if n := len([]rune(e.Message)); n != maxMessage+1 {
		t.Fatalf("message has %d runes, want %d and an ellipsis", n, maxMessage+1)
	}
}

func TestErrorsCarryNoSecretsOrValues(t *testing.T) {
	c := fakeSite(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusBadGateway)
	}))
	_, err := c.SearchByEmail(ctx(t), crmEmail("secret.person@example.com"))
	if err == nil || strings.Contains(err.Error(), "secret.person") || strings.Contains(err.Error(), "Basic") {
		t.Fatalf("err = %v", err)
	}
	wantCode(t, err, crm.Unavailable)
}

func crmEmail(e string) crm.EmailSearch { return crm.EmailSearch{Email: e, Limit: 1} }
