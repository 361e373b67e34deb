package crmhttp

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/crmflow/crmflow/shared/crm"
)

func TestClientDoSendsAuthHeadersAndDecodes(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		if r.URL.Path != "/api/things" || r.URL.RawQuery != "q=a+b" || r.Header.Get("Authorization") != "Key k" ||
			r.Header.Get("X-Fixed") != "1" || r.Header.Get("X-Call") != "2" || string(b) != `{"n":"<i>"}` {
			t.Errorf("%s %s?%s %v %s", r.Method, r.URL.Path, r.URL.RawQuery, r.Header, b)
		}
		_, _ = w.Write([]byte(`{"id":"7"}`))
	}))
	defer srv.Close()
	c := &Client{HTTP: srv.Client(), CRM: "Test CRM", Base: srv.URL + "/api/", Auth: StaticAuth("Key k"), Unescaped: true,
		Header: func(h http.Header) { h.Set("X-Fixed", "1") }}
	var out struct{ ID string }
	r, err := c.Do(context.Background(), Call{Op: "test", Method: http.MethodPost, Path: "things", Query: "q=a+b",
		Body: map[string]string{"n": "<i>"}, Header: func(h http.Header) { h.Set("X-Call", "2") }}, &out)
	if err != nil || out.ID != "7" || r.Status != 200 {
		t.Fatalf("%v %+v", err, out)
	}
}

func TestClientDoMapsErrorsThroughCheckResponse(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusConflict)
		_, _ = w.Write([]byte(`{"error":"taken"}`))
	}))
	defer srv.Close()
	c := &Client{HTTP: srv.Client(), CRM: "Test CRM", Base: srv.URL, CheckResponse: func(op string, r *Reply) error {
		return &crm.Error{Code: crm.AlreadyExists, Op: op, Status: r.Status, Message: string(r.Body)}
	}}
	var out struct{}
	_, err := c.Do(context.Background(), Call{Op: "test", Method: http.MethodGet, Path: "/x"}, &out)
	if e, ok := crm.AsError(err); !ok || e.Code != crm.AlreadyExists || e.Status != 409 || e.Message != `{"error":"taken"}` {
		t.Fatalf("%v", err)
	}
	r, err := c.Do(context.Background(), Call{Op: "test", Method: http.MethodGet, Path: "/x", AnyStatus: true}, &out)
	if err != nil || r.Status != 409 {
		t.Fatalf("AnyStatus: %+v %v", r, err)
	}
	c.CheckResponse = nil
	if _, err := c.Do(context.Background(), Call{Op: "test", Method: http.MethodGet, Path: "/x"}, nil); crm.CodeOf(err) != crm.Internal {
		t.Fatalf("no CheckResponse must still fail: %v", err)
	}
}

func TestClientDoRetriesARefusedTokenOnce(t *testing.T) {
	var fetches, calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		if r.Header.Get("Authorization") != "Bearer t2" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	defer srv.Close()
	var tokens TokenCache
	fetch := func(context.Context) (Token, error) {
		n := fetches.Add(1)
		return Token{Value: "t" + string(rune('0'+n))}, nil
	}
	c := &Client{HTTP: srv.Client(), CRM: "Test CRM", Base: srv.URL, Tokens: &tokens, Auth: BearerAuth(&tokens, "test: token", fetch),
		CheckResponse: func(op string, r *Reply) error {
			return &crm.Error{Code: crm.Unauthenticated, Op: op, Status: r.Status}
		}}
	var out struct{}
	if _, err := c.Do(context.Background(), Call{Op: "test", Method: http.MethodPatch, Path: "/x"}, &out); err != nil {
		t.Fatal(err) // the 204 is not decoded
	}
	if fetches.Load() != 2 || calls.Load() != 2 {
		t.Fatalf("fetches %d calls %d", fetches.Load(), calls.Load())
	}
	// A static credential refused is an error at once, never retried.
	c.Auth, calls = StaticAuth("Bearer old"), atomic.Int32{}
	if _, err := c.Do(context.Background(), Call{Op: "test", Method: http.MethodGet, Path: "/x", AnyStatus: true}, nil); crm.CodeOf(err) != crm.Unauthenticated || calls.Load() != 1 {
		t.Fatalf("%v after %d calls", err, calls.Load())
	}
}

func TestClientDoFollowsNextVerbatimAndUsesTheCredentialBase(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/inst/p" && r.URL.RequestURI() != "/page2?cursor=x%2Cy" {
			t.Errorf("%s", r.URL.RequestURI())
		}
		_, _ = w.Write([]byte(`{}`))
	}))
	defer srv.Close()
	c := &Client{HTTP: srv.Client(), CRM: "Test CRM", Base: "http://unused.invalid",
		Auth: func(context.Context) (Credential, error) {
			return Credential{Authorization: "Bearer x", Base: srv.URL + "/inst"}, nil
		}}
	for _, cl := range []Call{{Op: "test", Method: http.MethodGet, Path: "/p"}, {Op: "test", Method: http.MethodGet, Next: srv.URL + "/page2?cursor=x%2Cy", Path: "/ignored", Query: "no=1"}} {
		if _, err := c.Do(context.Background(), cl, &struct{}{}); err != nil {
			t.Fatal(err)
		}
	}
}
