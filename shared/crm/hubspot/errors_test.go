package hubspot

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmtest"
	"github.com/crmflow/crmflow/shared/sandbox"
	hssandbox "github.com/crmflow/crmflow/shared/sandbox/hubspot"
)

func TestAPIErrorMapping(t *testing.T) {
	cases := []crmtest.ErrorCase{
		{Name: "no token", Status: 401, Code: crm.Unauthenticated, CRMCode: "INVALID_AUTHENTICATION",
			Body:       `{"status":"error","message":"Authentication credentials not found.","correlationId":"c","category":"INVALID_AUTHENTICATION"}`,
			MessageHas: "Authentication credentials not found."},
		{Name: "expired", Status: 401, Code: crm.Unauthenticated, CRMCode: "EXPIRED_AUTHENTICATION",
			Body: `{"status":"error","message":"The OAuth token used to make this call expired 75 second(s) ago.","correlationId":"c","category":"EXPIRED_AUTHENTICATION","context":{"expire time":["2022-06-21T10:37:52.040Z"]}}`},
		{Name: "scopes", Status: 403, Code: crm.PermissionDenied, CRMCode: "MISSING_SCOPES",
			Body: `{"status":"error","message":"This app hasn't been granted all required scopes to make this call.","correlationId":"c","category":"MISSING_SCOPES","errors":[]}`},
		{Name: "not found", Status: 404, Code: crm.NotFound, CRMCode: "OBJECT_NOT_FOUND",
			Body: `{"status":"error","message":"Resource not found","correlationId":"c","category":"OBJECT_NOT_FOUND"}`},
		{Name: "not found on a 400", Status: 400, Code: crm.NotFound, CRMCode: "OBJECT_NOT_FOUND",
			Body: `{"status":"error","message":"Unable to infer object type from: nope","correlationId":"c","category":"OBJECT_NOT_FOUND"}`},
		{Name: "validation", Status: 400, Code: crm.InvalidArgument, CRMCode: "VALIDATION_ERROR",
			Body:       `{"status":"error","message":"Property values were not valid: [{\"isValid\":false,\"message\":\"Email address example.lcom is invalid\",\"error\":\"INVALID_EMAIL\",\"name\":\"email\"}]","correlationId":"c","category":"VALIDATION_ERROR"}`,
			MessageHas: "Property values were not valid"},
		{Name: "conflict", Status: 409, Code: crm.AlreadyExists, CRMCode: "CONFLICT",
			Body: `{"status":"error","message":"Contact already exists. Existing ID: 123","correlationId":"c","category":"CONFLICT"}`},
		{Name: "ten secondly", Status: 429, Code: crm.ResourceExhausted, CRMCode: "RATE_LIMIT", Retryable: true, Wait: time.Second,
			Body: `{"status":"error","message":"You have reached your ten_secondly_rolling limit.","errorType":"RATE_LIMIT","correlationId":"c","policyName":"TEN_SECONDLY_ROLLING"}`},
		{Name: "secondly with Retry-After", Status: 429, Header: http.Header{"Retry-After": {"3"}}, Code: crm.ResourceExhausted,
			CRMCode: "RATE_LIMIT", Retryable: true, Wait: 3 * time.Second,
			Body: `{"status":"error","message":"You have reached your secondly limit.","errorType":"RATE_LIMIT","correlationId":"c","policyName":"SECONDLY"}`},
		{Name: "daily", Status: 429, Code: crm.ResourceExhausted, CRMCode: "RATE_LIMIT", Retryable: false,
			Body: `{"status":"error","message":"You have reached your daily limit.","errorType":"RATE_LIMIT","correlationId":"c","policyName":"DAILY"}`},
		{Name: "429 without body", Status: 429, Code: crm.ResourceExhausted, Retryable: true, Wait: time.Second},
		{Name: "500", Status: 500, Code: crm.Unavailable, Retryable: true,
			Body: `{"status":"error","message":"internal error","correlationId":"c"}`, MessageHas: "internal error"},
		{Name: "503 with Retry-After", Status: 503, Header: http.Header{"Retry-After": {"20"}}, Code: crm.Unavailable,
			Retryable: true, Wait: 20 * time.Second, Body: `<html>Service Unavailable</html>`, MessageHas: "Service Unavailable"},
		{Name: "504", Status: 504, Code: crm.DeadlineExceeded, Retryable: true},
		{Name: "405 unknown body", Status: 405, Code: crm.InvalidArgument, Body: `not json`},
	}
	crmtest.RunErrorCases(t, cases, func(status int, h http.Header, body []byte) *crm.Error {
		return apiError("hubspot: test", status, h, body)
	})
}

func TestAPIErrorTruncatesMessage(t *testing.T) {
	e := apiError("op", 400, nil, []byte(`{"message":"`+strings.Repeat("é", 3000)+`","category":"VALIDATION_ERROR"}`))
	crmtest.WantTruncated(t, e, maxMessage)
}

// A 401 from a static token is final: the driver sends the request once.
func TestUnauthorizedNotRetried(t *testing.T) {
	crmtest.SentOnce(t, 401, `{"status":"error","message":"Authentication credentials not found.","category":"INVALID_AUTHENTICATION"}`,
		crm.Unauthenticated, func(h http.Handler) error {
			mux := http.NewServeMux()
			mux.Handle("/", h)
			_, err := fakeAPI(t, mux).Get(ctx(t), crm.Ref{Entity: "contacts", ID: "1"}, nil)
			return err
		})
}

func TestTimeoutBoundsEachRoundTrip(t *testing.T) {
	c, sb := startSandbox(t, nil, hssandbox.Options{}, crmtest.WithTimeout(50*time.Millisecond))
	sb.Inject(sandbox.Fault{Match: "/crm/v3/objects/contacts/search", Delay: time.Second})
	_, err := c.SearchByEmail(ctx(t), crm.EmailSearch{Email: "a@b.example"})
	crmtest.WantRetryable(t, err, crm.DeadlineExceeded)
}

func TestUnreachable(t *testing.T) {
	c := crmtest.Connect(t, newConnector, crmtest.BearerConfig(crmtest.ClosedURL(), "pat"), nil)
	_, err := c.Get(ctx(t), crm.Ref{Entity: "contacts", ID: "1"}, nil)
	crmtest.WantRetryable(t, err, crm.Unavailable)
	crmtest.WantNoLeak(t, err, "pat")
}

// A redirect to another host is refused, so the token never leaves HubSpot.
func TestRedirectToOtherHostRefused(t *testing.T) {
	mux := http.NewServeMux()
	mux.Handle("/", crmtest.RedirectElsewhere(t))
	c := fakeAPI(t, mux)
	_, err := c.Get(ctx(t), crm.Ref{Entity: "contacts", ID: "1"}, nil)
	wantCode(t, err, crm.Internal)
}
