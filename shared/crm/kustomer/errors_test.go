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
	cases := []crmtest.ErrorCase{
		{Name: "bad request", Status: 400, Code: crm.InvalidArgument, CRMCode: "bad_request",
			Body:       `{"errors":[{"status":400,"code":"bad_request","title":"Invalid request body or parameters.","detail":"\"foo\" is not allowed","source":{"pointer":"/data/attributes/foo"},"meta":{}}]}`,
			MessageHas: `"foo" is not allowed (/data/attributes/foo)`},
		{Name: "minimal doc example", Status: 400, Code: crm.InvalidArgument, CRMCode: "bad_request",
			Body: `{"errors":[{"code":"bad_request","message":"Invalid request body or parameters.","meta":{}}]}`, MessageHas: "Invalid request body"},
		{Name: "expired key", Status: 401, Code: crm.Unauthenticated, CRMCode: "unauthorized",
			Body: `{"errors":[{"status":401,"code":"unauthorized","title":"Unauthorized","detail":"Expired token"}]}`, MessageHas: "Expired token"},
		{Name: "wrong pod", Status: 401, Code: crm.Unauthenticated,
			Body:       `{"errors":[{"title":"Auth token associated with pod prod2 but request is being handled by prod1"}]}`,
			MessageHas: "pod prod2"},
		{Name: "plan", Status: 402, Code: crm.PermissionDenied},
		{Name: "forbidden", Status: 403, Code: crm.PermissionDenied, CRMCode: "forbidden",
			Body: `{"errors":[{"status":403,"code":"forbidden","title":"Forbidden"}]}`},
		{Name: "not found", Status: 404, Code: crm.NotFound, CRMCode: "not_found",
			Body: `{"errors":[{"status":404,"code":"not_found","title":"Not Found","detail":"customer not found"}]}`},
		{Name: "duplicate", Status: 409, Code: crm.AlreadyExists, CRMCode: "conflict",
			Body: `{"errors":[{"status":409,"code":"conflict","title":"Conflict","detail":"customer with email a@b.com already exists"}]}`},
		{Name: "rate limit", Status: 429, Header: reset(42 * time.Second), Code: crm.ResourceExhausted, CRMCode: "too_many_requests",
			Retryable: true, Wait: 42 * time.Second, Body: `{"errors":[{"status":429,"code":"too_many_requests","title":"Too Many Requests"}]}`},
		{Name: "rate limit reset passed", Status: 429, Header: reset(-5 * time.Second), Code: crm.ResourceExhausted,
			Retryable: true, Wait: time.Second},
		{Name: "rate limit reset far", Status: 429, Header: reset(time.Hour), Code: crm.ResourceExhausted,
			Retryable: true, Wait: time.Minute},
		{Name: "rate limit Retry-After", Status: 429, Header: http.Header{"Retry-After": {"7"}}, Code: crm.ResourceExhausted,
			Retryable: true, Wait: 7 * time.Second},
		{Name: "rate limit bare", Status: 429, Code: crm.ResourceExhausted, Retryable: true},
		{Name: "500", Status: 500, Code: crm.Unavailable, Retryable: true, CRMCode: "internal_server_error",
			Body: `{"errors":[{"status":500,"code":"internal_server_error","title":"Internal Server Error"}]}`},
		{Name: "503 with Retry-After", Status: 503, Header: http.Header{"Retry-After": {"20"}}, Code: crm.Unavailable,
			Retryable: true, Wait: 20 * time.Second, Body: `<html>Service Unavailable</html>`, MessageHas: "Service Unavailable"},
		{Name: "504", Status: 504, Code: crm.DeadlineExceeded, Retryable: true},
		{Name: "gateway shape", Status: 502, Code: crm.Unavailable, Retryable: true, Body: `{"message":"Bad gateway"}`, MessageHas: "Bad gateway"},
	}
	crmtest.RunErrorCases(t, cases, func(status int, h http.Header, body []byte) *crm.Error {
		return apiError("kustomer: test", status, h, body, testNow)
	})
}

func TestAPIErrorTruncatesMessage(t *testing.T) {
	e := apiError("op", 400, nil, []byte(`{"errors":[{"code":"bad_request","detail":"`+strings.Repeat("é", 3000)+`"}]}`), testNow)
	crmtest.WantTruncated(t, e, maxMessage)
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
	crmtest.SentOnce(t, 401, `{"errors":[{"status":401,"code":"unauthorized","title":"Unauthorized"}]}`,
		crm.Unauthenticated, func(h http.Handler) error {
			mux := http.NewServeMux()
			mux.Handle("/", h)
			_, err := fakeAPI(t, mux).Get(ctx(t), crm.Ref{Entity: "customer", ID: "5f3a1c2b9d8e7f0012a4b004"}, nil)
			return err
		})
}

func TestTimeoutBoundsEachRoundTrip(t *testing.T) {
	c, sb := startSandbox(t, nil, kussandbox.Options{}, crmtest.WithTimeout(50*time.Millisecond))
	sb.Inject(sandbox.Fault{Match: "/v1/customers/search", Delay: time.Second})
	_, err := c.SearchByEmail(ctx(t), crm.EmailSearch{Email: "a@b.example"})
	crmtest.WantRetryable(t, err, crm.DeadlineExceeded)
}

func TestUnreachable(t *testing.T) {
	c := crmtest.Connect(t, newConnector, crmtest.BearerConfig(crmtest.ClosedURL(), "kus-secret-key"), nil)
	_, err := c.Get(ctx(t), crm.Ref{Entity: "customer", ID: "5f3a1c2b9d8e7f0012a4b004"}, nil)
	crmtest.WantRetryable(t, err, crm.Unavailable)
	crmtest.WantNoLeak(t, err, "kus-secret-key")
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
