package salesforce

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/crmflow/crmflow/shared/crm"
)

// refusingOrg issues tok-1, tok-2, … and accepts on the API only tokens for
// which accept says yes.
func refusingOrg(t *testing.T, accept func(token string) bool) (*connector, *atomic.Int32, *atomic.Int32) {
	t.Helper()
	var tokens, api atomic.Int32
	mux := http.NewServeMux()
	mux.HandleFunc("POST /services/oauth2/token", func(w http.ResponseWriter, r *http.Request) {
		n := tokens.Add(1)
		fmt.Fprintf(w, `{"access_token":"tok-%d","token_type":"Bearer","instance_url":"http://%s"}`, n, r.Host)
	})
	mux.HandleFunc("/services/data/", func(w http.ResponseWriter, r *http.Request) {
		api.Add(1)
		if !accept(strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")) {
			w.Header().Set("WWW-Authenticate", "Token")
			w.WriteHeader(http.StatusUnauthorized)
			w.Write([]byte(`[{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]`))
			return
		}
		w.Write([]byte(`{"totalSize":0,"done":true,"records":[]}`))
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return clientCredentials(t, srv.URL), &tokens, &api
}

func TestRefreshOnceOn401(t *testing.T) {
	c, tokens, api := refusingOrg(t, func(tok string) bool { return tok == "tok-2" })
	if _, err := c.SearchByEmail(ctx(t), crm.EmailSearch{Email: "a@b.com", Entities: []crm.EntitySpec{{Entity: "Contact"}}}); err != nil {
		t.Fatal(err)
	}
	if tokens.Load() != 2 || api.Load() != 2 {
		t.Fatalf("tokens=%d api=%d, want 2 and 2", tokens.Load(), api.Load())
	}
	// The fresh token is kept.
	if _, err := c.SearchByEmail(ctx(t), crm.EmailSearch{Email: "a@b.com", Entities: []crm.EntitySpec{{Entity: "Contact"}}}); err != nil || tokens.Load() != 2 {
		t.Fatalf("err=%v tokens=%d", err, tokens.Load())
	}
}

func TestSecond401IsUnauthenticated(t *testing.T) {
	c, tokens, api := refusingOrg(t, func(string) bool { return false })
	_, err := c.SearchByEmail(ctx(t), crm.EmailSearch{Email: "a@b.com", Entities: []crm.EntitySpec{{Entity: "Contact"}}})
	e := wantCode(t, err, crm.Unauthenticated)
	if e.Status != 401 || e.CRMCode != "INVALID_SESSION_ID" || e.Retryable {
		t.Fatalf("%+v", e)
	}
	if tokens.Load() != 2 || api.Load() != 2 {
		t.Fatalf("tokens=%d api=%d, want 2 and 2", tokens.Load(), api.Load())
	}
}

func TestErrorMapping(t *testing.T) {
	for _, tc := range []struct {
		status    int
		body      string
		code      crm.Code
		retryable bool
		crmCode   string
		msg       string
	}{
		{400, `[{"message":"unexpected token: OR","errorCode":"MALFORMED_QUERY"}]`, crm.InvalidArgument, false, "MALFORMED_QUERY", "unexpected token: OR"},
		{400, `[{"message":"No such column 'X'","errorCode":"INVALID_FIELD"}]`, crm.InvalidArgument, false, "INVALID_FIELD", "No such column 'X'"},
		{400, `[{"message":"Required fields are missing: [Name]","errorCode":"REQUIRED_FIELD_MISSING","fields":["Name"]},{"message":"second","errorCode":"X"}]`,
			crm.InvalidArgument, false, "REQUIRED_FIELD_MISSING", "Required fields are missing: [Name]; second"},
		{400, `[{"message":"duplicate value found","errorCode":"DUPLICATE_VALUE"}]`, crm.AlreadyExists, false, "DUPLICATE_VALUE", "duplicate value found"},
		{400, `[{"message":"unable to obtain exclusive access to this record","errorCode":"UNABLE_TO_LOCK_ROW"}]`, crm.Unavailable, true, "UNABLE_TO_LOCK_ROW", "unable to obtain exclusive access to this record"},
		{401, `[{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]`, crm.Unauthenticated, false, "INVALID_SESSION_ID", "Session expired or invalid"},
		{403, `[{"message":"TotalRequests Limit exceeded.","errorCode":"REQUEST_LIMIT_EXCEEDED"}]`, crm.ResourceExhausted, true, "REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded."},
		{403, `[{"message":"insufficient access rights on object id","errorCode":"INSUFFICIENT_ACCESS_OR_READONLY"}]`, crm.PermissionDenied, false, "INSUFFICIENT_ACCESS_OR_READONLY", "insufficient access rights on object id"},
		{404, `[{"errorCode":"NOT_FOUND","message":"The requested resource does not exist"}]`, crm.NotFound, false, "NOT_FOUND", "The requested resource does not exist"},
		{500, `[{"message":"An unexpected error occurred.","errorCode":"UNKNOWN_EXCEPTION"}]`, crm.Unavailable, true, "UNKNOWN_EXCEPTION", "An unexpected error occurred."},
		{503, `<html>Service Unavailable</html>`, crm.Unavailable, true, "", "Service Unavailable"},
		{502, ``, crm.Unavailable, true, "", "Bad Gateway"},
	} {
		e := apiError("salesforce: test", tc.status, []byte(tc.body))
		if e.Code != tc.code || e.Retryable != tc.retryable || e.CRMCode != tc.crmCode || e.Message != tc.msg || e.Status != tc.status || e.RetryAfter != 0 {
			t.Errorf("%d %s: got %+v", tc.status, tc.body, e)
		}
	}
	long := apiError("op", 400, []byte(`[{"message":"`+strings.Repeat("é", 1200)+`","errorCode":"X"}]`))
	if !strings.HasSuffix(long.Message, "…") || len([]rune(long.Message)) != maxMessage+1 {
		t.Fatalf("long message not cut on a rune boundary: %d runes", len([]rune(long.Message)))
	}
}

func TestRequestTimeout(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /services/oauth2/token", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`{"access_token":"tok"}`))
	})
	mux.HandleFunc("/services/data/", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	c := clientCredentials(t, srv.URL)
	c.cfg.Timeout, c.api.Timeout = 50*time.Millisecond, 50*time.Millisecond
	_, err := c.Get(ctx(t), crm.Ref{Entity: "Contact", ID: "003Dn0000000001"}, nil)
	e := wantCode(t, err, crm.DeadlineExceeded)
	if !e.Retryable {
		t.Fatal("a timeout is retryable")
	}
}

func TestUnreachableErrorHasNoValues(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	c := clientCredentials(t, srv.URL)
	srv.Close()
	_, err := c.SearchByEmail(ctx(t), crm.EmailSearch{Email: "secret.person@example.com"})
	wantCode(t, err, crm.Unavailable)
	if strings.Contains(err.Error(), "secret.person") || strings.Contains(err.Error(), "client_secret") {
		t.Fatalf("error carries a value: %v", err)
	}
}
