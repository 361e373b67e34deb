package salesforce

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmtest"
	sfsandbox "github.com/crmflow/crmflow/shared/sandbox/salesforce"
)

const (
	testClientID     = "test-client"
	testClientSecret = "test-secret"
)

// startSandbox serves a fresh org (demo data unless opts.Empty) and returns a
// connector for it; edit may change the configuration first.
func startSandbox(t testing.TB, hc *http.Client, opts sfsandbox.Options, edit ...func(*crm.Config)) (*connector, *sfsandbox.Server) {
	t.Helper()
	if opts.ClientID == "" {
		opts.ClientID, opts.ClientSecret = testClientID, testClientSecret
	}
	sb := sfsandbox.New(opts)
	cfg := crm.Config{Type: crm.Salesforce, BaseURL: crmtest.Serve(t, sb.Handler()), APIVersion: "v62.0",
		Auth:        crm.Auth{Type: crm.AuthClientCredentials, ClientID: testClientID},
		Credentials: crm.Credentials{ClientSecret: testClientSecret}, Timeout: 5 * time.Second}
	c := crmtest.Connect(t, newConnector, cfg, hc, edit...)
	return c, sb
}

// wantCode is a short name for the shared helper.
var wantCode = crmtest.WantCode

// startBehindProxy serves a fresh org and returns a connector that calls it
// through a host that is neither a My Domain host nor loopback (as a proxy
// in front of an org would be), so no Lightning address can be derived
// from its baseUrl.
func startBehindProxy(t testing.TB, hc *http.Client, opts sfsandbox.Options) (*connector, *sfsandbox.Server) {
	t.Helper()
	if opts.ClientID == "" {
		opts.ClientID, opts.ClientSecret = testClientID, testClientSecret
	}
	sb := sfsandbox.New(opts)
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
	cfg := crm.Config{Type: crm.Salesforce, BaseURL: "http://sf-proxy.example.test", APIVersion: "v62.0",
		Auth:        crm.Auth{Type: crm.AuthClientCredentials, ClientID: testClientID},
		Credentials: crm.Credentials{ClientSecret: testClientSecret}, Timeout: 5 * time.Second}
	return crmtest.Connect(t, newConnector, cfg, proxied), sb
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
