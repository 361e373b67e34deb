package crmtest

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/crmflow/crmflow/shared/crm"
)

// Helpers the drivers' own tests share.

// Context is a context for one test's calls, cancelled after 10 seconds or
// when the test ends.
func Context(t testing.TB) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return c
}

// WantCode fails unless err is a *crm.Error with code, and returns it.
func WantCode(t testing.TB, err error, code crm.Code) *crm.Error {
	t.Helper()
	e, ok := crm.AsError(err)
	if !ok || e.Code != code {
		t.Fatalf("error %v: want code %s", err, code)
	}
	return e
}

// Serve serves h until the test ends and returns its URL.
func Serve(t testing.TB, h http.Handler) string {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL
}

// ClosedURL is the URL of a server that has stopped: nothing answers there.
func ClosedURL() string {
	srv := httptest.NewServer(http.NotFoundHandler())
	srv.Close()
	return srv.URL
}

// RedirectElsewhere serves redirects to another host (localhost instead of
// 127.0.0.1) and fails the test if a client follows one.
func RedirectElsewhere(t testing.TB) http.Handler {
	t.Helper()
	other := Serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("redirect followed with Authorization %q", r.Header.Get("Authorization"))
	}))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, strings.Replace(other, "127.0.0.1", "localhost", 1)+"/x", http.StatusFound)
	})
}
