package kustomer

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmtest"
	"github.com/crmflow/crmflow/shared/sandbox"
	kussandbox "github.com/crmflow/crmflow/shared/sandbox/kustomer"
)

func TestAPIErrorMapping(t *testing.T) {
	reset := func(d time.Duration) http.Header {
		return http.Header{"X-Ratelimit-Reset": {strconv.FormatInt(testNow.Add(d).Unix(), 10)}, "X-Ratelimit-Remaining": {"0"}}
	}
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
		{name: "bad request", status: 400, code: crm.InvalidArgument, crmCode: "bad_request",
			body:    `{"errors":[{"status":400,"code":"bad_request","title":"Invalid request body or parameters.","detail":"\"foo\" is not allowed","source":{"pointer":"/data/attributes/foo"},"meta":{}}]}`,
			message: `"foo" is not allowed (/data/attributes/foo)`},
		{name: "minimal doc example", status: 400, code: crm.InvalidArgument, crmCode: "bad_request",
			body: `{"errors":[{"code":"bad_request","message":"Invalid request body or parameters.","meta":{}}]}`, message: "Invalid request body"},
		{name: "expired key", status: 401, code: crm.Unauthenticated, crmCode: "unauthorized",
			body: `{"errors":[{"status":401,"code":"unauthorized","title":"Unauthorized","detail":"Expired token"}]}`, message: "Expired token"},
		{name: "wrong pod", status: 401, code: crm.Unauthenticated,
			body:    `{"errors":[{"title":"Auth token associated with pod prod2 but request is being handled by prod1"}]}`,
			message: "pod prod2"},
		{name: "plan", status: 402, code: crm.PermissionDenied},
		{name: "forbidden", status: 403, code: crm.PermissionDenied, crmCode: "forbidden",
			body: `{"errors":[{"status":403,"code":"forbidden","title":"Forbidden"}]}`},
		{name: "not found", status: 404, code: crm.NotFound, crmCode: "not_found",
			body: `{"errors":[{"status":404,"code":"not_found","title":"Not Found","detail":"customer not found"}]}`},
		{name: "duplicate", status: 409, code: crm.AlreadyExists, crmCode: "conflict",
			body: `{"errors":[{"status":409,"code":"conflict","title":"Conflict","detail":"customer with email a@b.com already exists"}]}`},
		{name: "rate limit", status: 429, header: reset(42 * time.Second), code: crm.ResourceExhausted, crmCode: "too_many_requests",
			retryable: true, wait: 42 * time.Second, body: `{"errors":[{"status":429,"code":"too_many_requests","title":"Too Many Requests"}]}`},
		{name: "rate limit reset passed", status: 429, header: reset(-5 * time.Second), code: crm.ResourceExhausted,
			retryable: true, wait: time.Second},
		{name: "rate limit reset far", status: 429, header: reset(time.Hour), code: crm.ResourceExhausted,
			retryable: true, wait: time.Minute},
		{name: "rate limit Retry-After", status: 429, header: http.Header{"Retry-After": {"7"}}, code: crm.ResourceExhausted,
			retryable: true, wait: 7 * time.Second},
		{name: "rate limit bare", status: 429, code: crm.ResourceExhausted, retryable: true},
		{name: "500", status: 500, code: crm.Unavailable, retryable: true, crmCode: "internal_server_error",
			body: `{"errors":[{"status":500,"code":"internal_server_error","title":"Internal Server Error"}]}`},
		{name: "503 with Retry-After", status: 503, header: http.Header{"Retry-After": {"20"}}, code: crm.Unavailable,
			retryable: true, wait: 20 * time.Second, body: `<html>Service Unavailable</html>`, message: "Service Unavailable"},
		{name: "504", status: 504, code: crm.DeadlineExceeded, retryable: true},
		{name: "gateway shape", status: 502, code: crm.Unavailable, retryable: true, body: `{"message":"Bad gateway"}`, message: "Bad gateway"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := apiError("kustomer: test", tc.status, tc.header, []byte(tc.body), testNow)
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
	e := apiError("op", 400, nil, []byte(`{"errors":[{"code":"bad_request","detail":"`+strings.Repeat("é", 3000)+`"}]}`), testNow)
	if n := len([]rune(e.Message)); n != maxMessage+1 {
		t.Fatalf("message of %d runes", n)
	}
}

// The sandbox's own answers map as the driver expects.
func TestSandboxErrors(t *testing.T) {
	c, sb := startSandbox(t, nil, kussandbox.Options{})
	_, err := c.Get(ctx(t), crm.Ref{Entity: "customer", ID: "5f3a1c2b0000000000000000"}, nil)
	wantCode(t, err, crm.NotFound)
	_, err = c.Create(ctx(t), "customer", map[string]any{"name": "Dup", "email": "JANE.DOE@example.com"})
	wantCode(t, err, crm.AlreadyExists)
	_, err = c.Create(ctx(t), "customer", map[string]any{"name": "X", "nickname": "y"})
	if e := wantCode(t, err, crm.InvalidArgument); e.CRMCode != "bad_request" || !strings.Contains(e.Message, "nickname") {
		t.Fatalf("%+v", e)
	}
	sb.ExpireTokens()
	_, err = c.SearchByEmail(ctx(t), crm.EmailSearch{Email: "a@b.example"})
	if e := wantCode(t, err, crm.Unauthenticated); e.Retryable || !strings.Contains(e.Message, "Expired token") {
		t.Fatalf("%+v", e)
	}
}

// A 401 from a static key is final: the driver sends the request once.
func TestUnauthorizedNotRetried(t *testing.T) {
	calls := 0
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		calls++
		w.WriteHeader(401)
		w.Write([]byte(`{"errors":[{"status":401,"code":"unauthorized","title":"Unauthorized"}]}`))
	})
	c := fakeAPI(t, mux)
	_, err := c.Get(ctx(t), crm.Ref{Entity: "customer", ID: "5f3a1c2b9d8e7f0012a4b004"}, nil)
	wantCode(t, err, crm.Unauthenticated)
	if calls != 1 {
		t.Fatalf("%d requests", calls)
	}
}

func TestTimeoutBoundsEachRoundTrip(t *testing.T) {
	c, sb := startSandbox(t, nil, kussandbox.Options{}, func(cfg *crm.Config) { cfg.Timeout = 50 * time.Millisecond })
	sb.Inject(sandbox.Fault{Match: "/v1/orgs/", Delay: time.Second})
	_, err := c.SearchByEmail(ctx(t), crm.EmailSearch{Email: "a@b.example"})
	if e := wantCode(t, err, crm.DeadlineExceeded); !e.Retryable {
		t.Fatalf("%+v", e)
	}
}

func TestUnreachable(t *testing.T) {
	c, err := newConnector(crm.Config{BaseURL: crmtest.ClosedURL(), Auth: crm.Auth{Type: crm.AuthBearerToken},
		Credentials: crm.Credentials{Token: "kus-secret-key"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Get(ctx(t), crm.Ref{Entity: "customer", ID: "5f3a1c2b9d8e7f0012a4b004"}, nil)
	if e := wantCode(t, err, crm.Unavailable); !e.Retryable || strings.Contains(err.Error(), "kus-secret-key") {
		t.Fatalf("%+v", e)
	}
}

// A redirect to another host is refused, so the key never leaves Kustomer.
func TestRedirectToOtherHostRefused(t *testing.T) {
	mux := http.NewServeMux()
	mux.Handle("/", crmtest.RedirectElsewhere(t))
	c := fakeAPI(t, mux)
	_, err := c.Get(ctx(t), crm.Ref{Entity: "customer", ID: "5f3a1c2b9d8e7f0012a4b004"}, nil)
	wantCode(t, err, crm.Internal)
}

// A links.next to another host or path ends the paging instead of being
// followed.
func TestNextPageStaysOnPath(t *testing.T) {
	for link, ok := range map[string]bool{
		"/v1/customers/search?page=2&pageSize=100": true,
		"https://evil.example/v1/customers/search": false,
		"//evil.example/v1/customers/search":       false,
		"/v1/customers/5f3a/conversations?page=2":  false,
		"": false,
	} {
		if q, got := nextPage(link, searchPath); got != ok || (ok && q.Get("page") != "2") {
			t.Errorf("nextPage(%q) = %v, %v", link, q, got)
		}
	}
}
