package kustomer

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/crmflow/crmflow/shared/crm"
	kussandbox "github.com/crmflow/crmflow/shared/sandbox/kustomer"
)

// testNow is the connector and sandbox clock in tests, so that written
// stamps and rate-limit waits are stable.
var testNow = time.Date(2026, 11, 23, 10, 5, 0, 0, time.UTC)

// startSandbox serves a fresh org (demo data unless opts.Empty) and returns
// a connector for it; edit may change the configuration first.
func startSandbox(t testing.TB, hc *http.Client, opts kussandbox.Options, edit ...func(*crm.Config)) (*connector, *kussandbox.Server) {
	t.Helper()
	if opts.Now == nil {
		opts.Now = func() time.Time { return testNow }
	}
	sb := kussandbox.New(opts)
	srv := httptest.NewServer(sb.Handler())
	t.Cleanup(srv.Close)
	cfg := crm.Config{Type: crm.Kustomer, BaseURL: srv.URL, APIVersion: DefaultAPIVersion,
		Auth: crm.Auth{Type: crm.AuthBearerToken}, Credentials: crm.Credentials{Token: kussandbox.DefaultToken},
		Timeout: 5 * time.Second}
	for _, e := range edit {
		e(&cfg)
	}
	c, err := newConnector(cfg, hc)
	if err != nil {
		t.Fatal(err)
	}
	c.now = func() time.Time { return testNow }
	return c, sb
}

// fakeAPI serves mux and returns a connector for it.
func fakeAPI(t *testing.T, mux *http.ServeMux) *connector {
	t.Helper()
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	c, err := newConnector(crm.Config{BaseURL: srv.URL, Auth: crm.Auth{Type: crm.AuthBearerToken},
		Credentials: crm.Credentials{Token: "kus-test-key"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	c.now = func() time.Time { return testNow }
	return c
}

// orgCurrent answers GET /v1/orgs/current like Kustomer.
func orgCurrent(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write([]byte(`{"data":{"type":"org","id":"5f3a1c2b9d8e7f0012a4b001","attributes":{"name":"globex","displayName":"Globex"}}}`))
}

func ctx(t testing.TB) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return c
}

// wantCode fails unless err is a *crm.Error with code.
func wantCode(t *testing.T, err error, code crm.Code) *crm.Error {
	t.Helper()
	e, ok := crm.AsError(err)
	if !ok || e.Code != code {
		t.Fatalf("error %v: want code %s", err, code)
	}
	return e
}
