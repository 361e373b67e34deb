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
	cases := []crmtest.ErrorCase{
		{Name: "bad auth", Status: 401, Body: `{"error":"Couldn't authenticate you"}`, Code: crm.Unauthenticated,
			Message: "Couldn't authenticate you"},
		{Name: "forbidden", Status: 403, Body: `{"error":"Forbidden","description":"You do not have access to this page."}`,
			Code: crm.PermissionDenied, CRMCode: "Forbidden"},
		{Name: "not found", Status: 404, Body: `{"error":"RecordNotFound","description":"Not found"}`, Code: crm.NotFound,
			CRMCode: "RecordNotFound", Message: "Not found"},
		{Name: "validation keeps Zendesk's words", Status: 422, Code: crm.InvalidArgument, CRMCode: "RecordInvalid",
			Body:    `{"error":"RecordInvalid","description":"Record validation errors","details":{"email":[{"description":"Email: a@b is not properly formatted","error":"InvalidValue"}]}}`,
			Message: "Record validation errors: Email: a@b is not properly formatted"},
		{Name: "validation detail as one object", Status: 422, Code: crm.InvalidArgument, CRMCode: "RecordInvalid",
			Body:    `{"error":"RecordInvalid","description":"Record validation errors","details":{"phone":{"description":"Phone must be in E.164 format","error":"InvalidFormat"}}}`,
			Message: "Record validation errors: Phone must be in E.164 format"},
		{Name: "validation detail without text", Status: 422, Code: crm.InvalidArgument, CRMCode: "RecordInvalid",
			Body:    `{"error":"RecordInvalid","description":"Record validation errors","details":{"name":[{"error":"BlankValue"}],"x":[{"description":"X: is invalid"},{"description":"X: is invalid"}]}}`,
			Message: "Record validation errors: name BlankValue; X: is invalid"},
		{Name: "errors list", Status: 404, Code: crm.NotFound, CRMCode: "NotFound",
			Body: `{"errors":[{"code":"NotFound","title":"Not Found","detail":"Custom object not found"}]}`, Message: "Not Found: Custom object not found"},
		{Name: "duplicate", Status: 422, Code: crm.AlreadyExists, CRMCode: "RecordInvalid",
			Body: `{"error":"RecordInvalid","description":"Record validation errors","details":{"email":[{"description":"Email: x is already being used by another user","error":"DuplicateValue"}]}}`},
		{Name: "object error", Status: 400, Code: crm.InvalidArgument,
			Body: `{"error":{"title":"Invalid attribute","message":"You passed an invalid value"}}`, Message: "You passed an invalid value"},
		{Name: "search invalid", Status: 400, Body: `{"error":"invalid","description":"Sorry, your search query is invalid"}`,
			Code: crm.InvalidArgument, CRMCode: "invalid"},
		{Name: "rate limit text", Status: 429, Code: crm.ResourceExhausted, Retryable: true, Wait: 7 * time.Second,
			Header: http.Header{"Retry-After": {"7"}, "Content-Type": {"text/plain"}}, Body: "Number of allowed API requests per minute exceeded",
			Message: "Number of allowed API requests per minute exceeded"},
		{Name: "rate limit no header", Status: 429, Code: crm.ResourceExhausted, Retryable: true},
		{Name: "conflict retried", Status: 409, Code: crm.Unavailable, Retryable: true, CRMCode: "ConflictError",
			Body: `{"error":"ConflictError","description":"Retry the request"}`},
		{Name: "503 retry after", Status: 503, Header: http.Header{"Retry-After": {"30"}}, Code: crm.Unavailable, Retryable: true, CRMCode: "unavailable",
			Wait: 30 * time.Second, Body: `{"error":"unavailable","description":"Sorry, we could not complete your search query. Please try again in a moment."}`},
		{Name: "500 html", Status: 500, Code: crm.Unavailable, Retryable: true, Body: "<html>oops</html>", Message: "Internal Server Error"},
		{Name: "504", Status: 504, Code: crm.DeadlineExceeded, Retryable: true},
	}
	crmtest.RunErrorCases(t, cases, func(status int, h http.Header, body []byte) *crm.Error {
		return apiError("zendesk: test", status, h, body, time.Now())
	}, func(t *testing.T, tc crmtest.ErrorCase, e *crm.Error) {
		if e.IsRefusal() {
			t.Fatalf("a CRM answer reads as the driver's own refusal: %+v", e)
		}
	})
}

func TestAPIErrorTruncatesMessage(t *testing.T) {
	e := apiError("op", 400, nil, []byte(`{"error":"X","description":"`+strings.Repeat("é", 3000)+`"}`), time.Now())
	crmtest.WantTruncated(t, e, maxMessage)
}

// A 401 with an API token is final: the driver sends the request once.
func TestUnauthorizedNotRetried(t *testing.T) {
	crmtest.SentOnce(t, 401, `{"error":"Couldn't authenticate you"}`, crm.Unauthenticated, func(h http.Handler) error {
		_, err := fakeAccount(t, h).Get(ctx(t), crm.Ref{Entity: "user", ID: "1"}, nil)
		return err
	})
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
	c, sb := startSandbox(t, nil, zdsandbox.Options{}, crmtest.WithTimeout(50*time.Millisecond))
	sb.Inject(sandbox.Fault{Delay: time.Second})
	_, err := c.SearchByEmail(ctx(t), crm.EmailSearch{Email: "a@b.example"})
	crmtest.WantRetryable(t, err, crm.DeadlineExceeded)
}

func TestUnreachable(t *testing.T) {
	c := crmtest.Connect(t, newConnector, crmtest.BearerConfig(crmtest.ClosedURL(), "t"), nil)
	_, err := c.Get(ctx(t), crm.Ref{Entity: "user", ID: "1"}, nil)
	crmtest.WantRetryable(t, err, crm.Unavailable)
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
