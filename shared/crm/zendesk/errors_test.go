package zendesk

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmtest"
	"github.com/crmflow/crmflow/shared/sandbox"
	zdsandbox "github.com/crmflow/crmflow/shared/sandbox/zendesk"
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
		{name: "bad auth", status: 401, body: `{"error":"Couldn't authenticate you"}`, code: crm.Unauthenticated,
			message: "Couldn't authenticate you"},
		{name: "forbidden", status: 403, body: `{"error":"Forbidden","description":"You do not have access to this page."}`,
			code: crm.PermissionDenied, crmCode: "Forbidden"},
		{name: "not found", status: 404, body: `{"error":"RecordNotFound","description":"Not found"}`, code: crm.NotFound,
			crmCode: "RecordNotFound", message: "Not found"},
		{name: "validation keeps codes, not values", status: 422, code: crm.InvalidArgument, crmCode: "RecordInvalid",
			body:    `{"error":"RecordInvalid","description":"Record validation errors","details":{"email":[{"description":"Email: a@b is not properly formatted","error":"InvalidValue"}]}}`,
			message: "Record validation errors (email InvalidValue)"},
		{name: "duplicate", status: 422, code: crm.AlreadyExists, crmCode: "RecordInvalid",
			body: `{"error":"RecordInvalid","description":"Record validation errors","details":{"email":[{"description":"Email: x is already being used by another user","error":"DuplicateValue"}]}}`},
		{name: "object error", status: 400, code: crm.InvalidArgument,
			body: `{"error":{"title":"Invalid attribute","message":"You passed an invalid value"}}`, message: "You passed an invalid value"},
		{name: "search invalid", status: 400, body: `{"error":"invalid","description":"Sorry, your search query is invalid"}`,
			code: crm.InvalidArgument, crmCode: "invalid"},
		{name: "rate limit text", status: 429, code: crm.ResourceExhausted, retryable: true, wait: 7 * time.Second,
			header: http.Header{"Retry-After": {"7"}, "Content-Type": {"text/plain"}}, body: "Number of allowed API requests per minute exceeded",
			message: "Number of allowed API requests per minute exceeded"},
		{name: "rate limit no header", status: 429, code: crm.ResourceExhausted, retryable: true},
		{name: "conflict retried", status: 409, code: crm.Unavailable, retryable: true, crmCode: "ConflictError",
			body: `{"error":"ConflictError","description":"Retry the request"}`},
		{name: "503 retry after", status: 503, header: http.Header{"Retry-After": {"30"}}, code: crm.Unavailable, retryable: true, crmCode: "unavailable",
			wait: 30 * time.Second, body: `{"error":"unavailable","description":"Sorry, we could not complete your search query. Please try again in a moment."}`},
		{name: "500 html", status: 500, code: crm.Unavailable, retryable: true, body: "<html>oops</html>", message: "Internal Server Error"},
		{name: "504", status: 504, code: crm.DeadlineExceeded, retryable: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := apiError("zendesk: test", tc.status, tc.header, []byte(tc.body), time.Now())
			if e.Code != tc.code || e.CRMCode != tc.crmCode || e.Retryable != tc.retryable || e.RetryAfter != tc.wait || e.Status != tc.status {
				t.Fatalf("got %+v", e)
			}
			if tc.message != "" && e.Message != tc.message {
				t.Fatalf("message %q, want %q", e.Message, tc.message)
			}
			if strings.Contains(e.Message, "a@b") {
				t.Fatalf("message leaks a value: %q", e.Message)
			}
		})
	}
}

func TestAPIErrorTruncatesMessage(t *testing.T) {
	e := apiError("op", 400, nil, []byte(`{"error":"X","description":"`+strings.Repeat("é", 3000)+`"}`), time.Now())
	if n := len([]rune(e.Message)); n != maxMessage+1 {
		t.Fatalf("message of %d runes", n)
	}
}

// A 401 with an API token is final: the driver sends the request once.
func TestUnauthorizedNotRetried(t *testing.T) {
	calls := 0
	c := fakeAccount(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls++
		w.WriteHeader(401)
		w.Write([]byte(`{"error":"Couldn't authenticate you"}`))
	}))
	_, err := c.Get(ctx(t), crm.Ref{Entity: "user", ID: "1"}, nil)
	wantCode(t, err, crm.Unauthenticated)
	if calls != 1 {
		t.Fatalf("%d requests", calls)
	}
}

func TestWrongAPITokenRefused(t *testing.T) {
	c, _ := startSandbox(t, nil, zdsandbox.Options{}, func(cfg *crm.Config) { cfg.Credentials.APIToken = "wrong" })
	_, err := c.SearchByEmail(ctx(t), crm.EmailSearch{Email: "jane.doe@example.com"})
	e := wantCode(t, err, crm.Unauthenticated)
	if strings.Contains(e.Error(), "wrong") || strings.Contains(e.Error(), "jane") {
		t.Fatalf("error leaks: %v", e)
	}
}

func TestTimeoutBoundsEachRoundTrip(t *testing.T) {
	c, sb := startSandbox(t, nil, zdsandbox.Options{}, func(cfg *crm.Config) { cfg.Timeout = 50 * time.Millisecond })
	sb.Inject(sandbox.Fault{Delay: time.Second})
	_, err := c.SearchByEmail(ctx(t), crm.EmailSearch{Email: "a@b.example"})
	if e := wantCode(t, err, crm.DeadlineExceeded); !e.Retryable {
		t.Fatalf("%+v", e)
	}
}

func TestUnreachable(t *testing.T) {
	c, err := newConnector(crm.Config{BaseURL: crmtest.ClosedURL(), Auth: crm.Auth{Type: crm.AuthBearerToken},
		Credentials: crm.Credentials{Token: "t"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Get(ctx(t), crm.Ref{Entity: "user", ID: "1"}, nil)
	if e := wantCode(t, err, crm.Unavailable); !e.Retryable {
		t.Fatalf("%+v", e)
	}
}

func TestNextPageMustStayOnAccount(t *testing.T) {
	c := fakeAccount(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`{"results":[],"next_page":"https://evil.example/api/v2/search.json?page=2","count":5}`))
	}))
	// An empty page ends the search before any link is followed.
	if _, err := c.SearchByEmail(ctx(t), crm.EmailSearch{Email: "a@b.example"}); err != nil {
		t.Fatal(err)
	}
	c = fakeAccount(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`{"results":[{"id":1,"result_type":"user","email":"x@y.example"}],"next_page":"https://evil.example/api/v2/search.json?page=2","count":5}`))
	}))
	_, err := c.SearchByEmail(ctx(t), crm.EmailSearch{Email: "a@b.example"})
	wantCode(t, err, crm.Internal)
}
