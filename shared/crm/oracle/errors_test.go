package oracle

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmtest"
)

func TestAPIError(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	cases := []crmtest.ErrorCase{
		{Name: "write failed", Status: 400,
			Body: `{"type":"https://site.custhelp.com/services/rest/connect/exceptions/OSC-CREST-00006","title":"An attempt to write a resource failed","status":400,"detail":"...Invalid ID: No such Contact with ID = 209","instance":"https://site.custhelp.com/services/rest/connect/v1.4/incidents","o:errorCode":"OSC-CREST-00006"}`,
			Code: crm.InvalidArgument, CRMCode: "OSC-CREST-00006", Message: "An attempt to write a resource failed: ...Invalid ID: No such Contact with ID = 209"},
		{Name: "code from type only", Status: 400,
			Body: `{"type":"https://site.custhelp.com/services/rest/connect/exceptions/OSC-CREST-00007","title":"Invalid query parameter","status":400}`,
			Code: crm.InvalidArgument, CRMCode: "OSC-CREST-00007", Message: "Invalid query parameter"},
		{Name: "not found", Status: 404,
			Body: `{"type":"https://site.custhelp.com/services/rest/connect/exceptions/OSC-CREST-00013","title":"The requested resource was not found","status":404,"detail":"Invalid ID: No such Contact with ID = 9","o:errorCode":"OSC-CREST-00013"}`,
			Code: crm.NotFound, CRMCode: "OSC-CREST-00013", Message: "The requested resource was not found: Invalid ID: No such Contact with ID = 9"},
		{Name: "bad basic credentials", Status: 401, Body: `<html><body>Access Denied</body></html>`,
			Code: crm.Unauthenticated, Message: "Unauthorized"},
		{Name: "not authorized", Status: 403, Body: `{"title":"Not authorized","status":403,"o:errorCode":"OSC-CREST-00014"}`,
			Code: crm.PermissionDenied, CRMCode: "OSC-CREST-00014", Message: "Not authorized"},
		{Name: "throttled", Status: 503, Header: http.Header{"Osvc-Crest-Next-Request-After": {"1500"}},
			Body: `{"title":"Too many requests","status":503,"o:errorCode":"OSC-CREST-00035"}`,
			Code: crm.ResourceExhausted, CRMCode: "OSC-CREST-00035", Retryable: true, Wait: 1500 * time.Millisecond, Message: "Too many requests"},
		{Name: "throttled with retry-after", Status: 503, Header: http.Header{"Retry-After": {"4"}},
			Body: `{"title":"Too many requests","status":503,"o:errorCode":"OSC-CREST-00035"}`,
			Code: crm.ResourceExhausted, CRMCode: "OSC-CREST-00035", Retryable: true, Wait: 4 * time.Second, Message: "Too many requests"},
		{Name: "outage", Status: 503, Body: `<html>Service Unavailable</html>`,
			Code: crm.Unavailable, Retryable: true, Message: "Service Unavailable"},
		{Name: "429 anyway", Status: 429, Header: http.Header{"Retry-After": {"3"}}, Body: ``,
			Code: crm.ResourceExhausted, Retryable: true, Wait: 3 * time.Second, Message: "Too Many Requests"},
		{Name: "server error", Status: 500, Body: `{"title":"Internal Server Error","status":500}`,
			Code: crm.Unavailable, Retryable: true, Message: "Internal Server Error"},
		{Name: "gateway timeout", Status: 504, Body: ``, Code: crm.DeadlineExceeded, Retryable: true, Message: "Gateway Timeout"},
	}
	crmtest.RunErrorCases(t, cases, func(status int, h http.Header, body []byte) *crm.Error {
		if h == nil {
			h = http.Header{}
		}
		return apiError("oracle: op", status, h, body, now)
	})
}

func TestAPIErrorTruncates(t *testing.T) {
	body := `{"title":"` + strings.Repeat("é", 3000) + `","status":400}`
	e := apiError("op", 400, http.Header{}, []byte(body), time.Now())
	crmtest.WantTruncated(t, e, maxMessage)
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
