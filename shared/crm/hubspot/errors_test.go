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
		{name: "no token", status: 401, code: crm.Unauthenticated, crmCode: "INVALID_AUTHENTICATION",
			body:    `{"status":"error","message":"Authentication credentials not found.","correlationId":"c","category":"INVALID_AUTHENTICATION"}`,
			message: "Authentication credentials not found."},
		{name: "expired", status: 401, code: crm.Unauthenticated, crmCode: "EXPIRED_AUTHENTICATION",
			body: `{"status":"error","message":"The OAuth token used to make this call expired 75 second(s) ago.","correlationId":"c","category":"EXPIRED_AUTHENTICATION","context":{"expire time":["2022-06-21T10:37:52.040Z"]}}`},
		{name: "scopes", status: 403, code: crm.PermissionDenied, crmCode: "MISSING_SCOPES",
			body: `{"status":"error","message":"This app hasn't been granted all required scopes to make this call.","correlationId":"c","category":"MISSING_SCOPES","errors":[]}`},
		{name: "not found", status: 404, code: crm.NotFound, crmCode: "OBJECT_NOT_FOUND",
			body: `{"status":"error","message":"Resource not found","correlationId":"c","category":"OBJECT_NOT_FOUND"}`},
		{name: "not found on a 400", status: 400, code: crm.NotFound, crmCode: "OBJECT_NOT_FOUND",
			body: `{"status":"error","message":"Unable to infer object type from: nope","correlationId":"c","category":"OBJECT_NOT_FOUND"}`},
		{name: "validation", status: 400, code: crm.InvalidArgument, crmCode: "VALIDATION_ERROR",
			body:    `{"status":"error","message":"Property values were not valid: [{\"isValid\":false,\"message\":\"Email address example.lcom is invalid\",\"error\":\"INVALID_EMAIL\",\"name\":\"email\"}]","correlationId":"c","category":"VALIDATION_ERROR"}`,
			message: "Property values were not valid"},
		{name: "conflict", status: 409, code: crm.AlreadyExists, crmCode: "CONFLICT",
			body: `{"status":"error","message":"Contact already exists. Existing ID: 123","correlationId":"c","category":"CONFLICT"}`},
		{name: "ten secondly", status: 429, code: crm.ResourceExhausted, crmCode: "RATE_LIMIT", retryable: true, wait: time.Second,
			body: `{"status":"error","message":"You have reached your ten_secondly_rolling limit.","errorType":"RATE_LIMIT","correlationId":"c","policyName":"TEN_SECONDLY_ROLLING"}`},
		{name: "secondly with Retry-After", status: 429, header: http.Header{"Retry-After": {"3"}}, code: crm.ResourceExhausted,
			crmCode: "RATE_LIMIT", retryable: true, wait: 3 * time.Second,
			body: `{"status":"error","message":"You have reached your secondly limit.","errorType":"RATE_LIMIT","correlationId":"c","policyName":"SECONDLY"}`},
		{name: "daily", status: 429, code: crm.ResourceExhausted, crmCode: "RATE_LIMIT", retryable: false,
			body: `{"status":"error","message":"You have reached your daily limit.","errorType":"RATE_LIMIT","correlationId":"c","policyName":"DAILY"}`},
		{name: "429 without body", status: 429, code: crm.ResourceExhausted, retryable: true, wait: time.Second},
		{name: "500", status: 500, code: crm.Unavailable, retryable: true,
			body: `{"status":"error","message":"internal error","correlationId":"c"}`, message: "internal error"},
		{name: "503 with Retry-After", status: 503, header: http.Header{"Retry-After": {"20"}}, code: crm.Unavailable,
			retryable: true, wait: 20 * time.Second, body: `<html>Service Unavailable</html>`, message: "Service Unavailable"},
		{name: "504", status: 504, code: crm.DeadlineExceeded, retryable: true},
		{name: "405 unknown body", status: 405, code: crm.InvalidArgument, body: `not json`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := apiError("hubspot: test", tc.status, tc.header, []byte(tc.body))
			if e.Code != tc.code || e.CRMCode != tc.crmCode || e.Retryable != tc.retryable || e.RetryAfter != tc.wait || e.Status != tc.status {
				t.Fatalf("got %+v", e)
			}
			if tc.message != "" && !strings.Contains(e.Message, tc.message) {
				t.Fatalf("message %q lacks %q", e.Message, tc.message)
			}
		})
	}
}

func TestAPIErrorTruncatesMessage(t *testing.T) {
	e := apiError("op", 400, nil, []byte(`{"message":"`+strings.Repeat("é", 3000)+`","category":"VALIDATION_ERROR"}`))
	if n := len([]rune(e.Message)); n != maxMessage+1 {
		t.Fatalf("message of %d runes", n)
	}
}

// A 401 from a static token is final: the driver sends the request once.
func TestUnauthorizedNotRetried(t *testing.T) {
	calls := 0
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		calls++
		w.WriteHeader(401)
		w.Write([]byte(`{"status":"error","message":"Authentication credentials not found.","category":"INVALID_AUTHENTICATION"}`))
	})
	c := fakeAPI(t, mux)
	_, err := c.Get(ctx(t), crm.Ref{Entity: "contacts", ID: "1"}, nil)
	wantCode(t, err, crm.Unauthenticated)
	if calls != 1 {
		t.Fatalf("%d requests", calls)
	}
}

func TestTimeoutBoundsEachRoundTrip(t *testing.T) {
	c, sb := startSandbox(t, nil, hssandbox.Options{}, func(cfg *crm.Config) { cfg.Timeout = 50 * time.Millisecond })
	sb.Inject(sandbox.Fault{Match: "/account-info/", Delay: time.Second})
	_, err := c.SearchByEmail(ctx(t), crm.EmailSearch{Email: "a@b.example"})
	if e := wantCode(t, err, crm.DeadlineExceeded); !e.Retryable {
		t.Fatalf("%+v", e)
	}
}

func TestUnreachable(t *testing.T) {
	c, err := newConnector(crm.Config{BaseURL: crmtest.ClosedURL(), Auth: crm.Auth{Type: crm.AuthBearerToken},
		Credentials: crm.Credentials{Token: "pat"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Get(ctx(t), crm.Ref{Entity: "contacts", ID: "1"}, nil)
	if e := wantCode(t, err, crm.Unavailable); !e.Retryable || strings.Contains(err.Error(), "pat") {
		t.Fatalf("%+v", e)
	}
}

// A redirect to another host is refused, so the token never leaves HubSpot.
func TestRedirectToOtherHostRefused(t *testing.T) {
	mux := http.NewServeMux()
	mux.Handle("/", crmtest.RedirectElsewhere(t))
	c := fakeAPI(t, mux)
	_, err := c.Get(ctx(t), crm.Ref{Entity: "contacts", ID: "1"}, nil)
	wantCode(t, err, crm.Internal)
}
