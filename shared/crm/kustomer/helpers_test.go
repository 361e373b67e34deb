package kustomer

import (
	"net/http"
	"testing"
	"time"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmtest"
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
	base := crmtest.Serve(t, sb.Handler())
	cfg := crm.Config{Type: crm.Kustomer, BaseURL: base, APIVersion: DefaultAPIVersion,
		Auth: crm.Auth{Type: crm.AuthBearerToken}, Credentials: crm.Credentials{Token: kussandbox.DefaultToken},
		Timeout: 5 * time.Second}
	c := crmtest.Connect(t, newConnector, cfg, hc, edit...)
	c.now = func() time.Time { return testNow }
	return c, sb
}

// fakeAPI serves mux and returns a connector for it.
func fakeAPI(t *testing.T, mux *http.ServeMux) *connector {
	t.Helper()
	base := crmtest.Serve(t, mux)
	c := crmtest.Connect(t, newConnector, crmtest.BearerConfig(base, "kus-test-key"), nil)
	c.now = func() time.Time { return testNow }
	return c
}

// orgCurrent answers GET /v1/orgs/current like Kustomer.
func orgCurrent(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write([]byte(`{"data":{"type":"org","id":"5f3a1c2b9d8e7f0012a4b001","attributes":{"name":"globex","displayName":"Globex"}}}`))
}

// ctx and wantCode are short names for the shared helpers.
var (
	ctx      = crmtest.Context
	wantCode = crmtest.WantCode
)
