package dynamics

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmtest"
	dvsandbox "github.com/crmflow/crmflow/shared/sandbox/dynamics"
)

const (
	testTenant       = "contoso.onmicrosoft.com"
	testClientID     = "5f2b8c1e-0d4a-4e6b-9a3c-7e1f2d3c4b5a"
	testClientSecret = "test-secret"
	testResource     = "https://contoso.crm.dynamics.com"
)

// startSandbox serves a fresh environment (demo data unless opts.Empty) and
// returns a connector for it; edit may change the configuration first.
func startSandbox(t testing.TB, hc *http.Client, opts dvsandbox.Options, edit ...func(*crm.Config)) (*connector, *dvsandbox.Server) {
	t.Helper()
	if opts.ClientID == "" {
		opts.ClientID, opts.ClientSecret = testClientID, testClientSecret
	}
	if opts.TenantID == "" {
		opts.TenantID = testTenant
	}
	sb := dvsandbox.New(opts)
	base := crmtest.Serve(t, sb.Handler())
	cfg := crm.Config{Type: crm.Dynamics, BaseURL: base, APIVersion: "v9.2",
		Auth: crm.Auth{Type: crm.AuthClientCredentials, ClientID: testClientID,
			TokenURL: base + "/" + testTenant + "/oauth2/v2.0/token"},
		Credentials: crm.Credentials{ClientSecret: testClientSecret}, Timeout: 5 * time.Second}
	c := crmtest.Connect(t, newConnector, cfg, hc, edit...)
	return c, sb
}

// startBehindProxy serves a fresh environment and returns a connector that
// calls it through a host that is neither an environment host nor
// loopback (as a proxy in front of Dataverse would be), so no app address
// can be derived from its baseUrl.
func startBehindProxy(t testing.TB, hc *http.Client, opts dvsandbox.Options) (*connector, *dvsandbox.Server) {
	t.Helper()
	opts.ClientID, opts.ClientSecret, opts.TenantID = testClientID, testClientSecret, testTenant
	sb := dvsandbox.New(opts)
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
	const base = "http://dataverse-proxy.example.test"
	cfg := crm.Config{Type: crm.Dynamics, BaseURL: base, APIVersion: "v9.2",
		Auth: crm.Auth{Type: crm.AuthClientCredentials, ClientID: testClientID, Scope: testResource + "/.default",
			TokenURL: base + "/" + testTenant + "/oauth2/v2.0/token"},
		Credentials: crm.Credentials{ClientSecret: testClientSecret}, Timeout: 5 * time.Second}
	return crmtest.Connect(t, newConnector, cfg, proxied), sb
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// fakeEnv serves mux (which should handle POST /tenant/oauth2/v2.0/token and
// the Web API) and returns a connector for it.
func fakeEnv(t *testing.T, mux *http.ServeMux) *connector {
	t.Helper()
	base := crmtest.Serve(t, mux)
	c := crmtest.Connect(t, newConnector, crm.Config{BaseURL: base, Auth: crm.Auth{Type: crm.AuthClientCredentials, ClientID: "id",
		TokenURL: base + "/tenant/oauth2/v2.0/token"}, Credentials: crm.Credentials{ClientSecret: "s"}}, nil)
	return c
}

// ctx and wantCode are short names for the shared helpers.
var (
	ctx      = crmtest.Context
	wantCode = crmtest.WantCode
)
