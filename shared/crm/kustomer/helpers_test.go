package kustomer

import (
	"net/http"
	"net/url"
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

// ctx and wantCode are short names for the shared helpers.
var (
	ctx      = crmtest.Context
	wantCode = crmtest.WantCode
)

// startAs serves a fresh org like startSandbox, but the connector is
// configured with baseURL (https://api.kustomerapp.com) and reaches the
// sandbox through a transport that sends every request there instead: the
// driver sees the real host's configuration.
func startAs(t testing.TB, hc *http.Client, baseURL string, opts kussandbox.Options, edit ...func(*crm.Config)) (*connector, *kussandbox.Server) {
	t.Helper()
	if opts.Now == nil {
		opts.Now = func() time.Time { return testNow }
	}
	sb := kussandbox.New(opts)
	target, err := url.Parse(crmtest.Serve(t, sb.Handler()))
	if err != nil {
		t.Fatal(err)
	}
	if hc == nil {
		hc = &http.Client{Timeout: 10 * time.Second}
	}
	inner := hc.Transport
	if inner == nil {
		inner = http.DefaultTransport
	}
	proxied := &http.Client{Timeout: hc.Timeout, Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		r = r.Clone(r.Context())
		r.URL.Scheme, r.URL.Host = target.Scheme, target.Host
		return inner.RoundTrip(r)
	})}
	cfg := crm.Config{Type: crm.Kustomer, BaseURL: baseURL, APIVersion: DefaultAPIVersion,
		Auth: crm.Auth{Type: crm.AuthBearerToken}, Credentials: crm.Credentials{Token: kussandbox.DefaultToken},
		Timeout: 5 * time.Second}
	c := crmtest.Connect(t, newConnector, cfg, proxied, edit...)
	c.now = func() time.Time { return testNow }
	return c, sb
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
