package zendesk

import (
	"net/http"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmtest"
	zdsandbox "github.com/crmflow/crmflow/shared/sandbox/zendesk"
)

// startSandbox serves a fresh account (demo data unless opts.Empty) and
// returns an API-token connector for it; edit may change the configuration.
func startSandbox(t testing.TB, hc *http.Client, opts zdsandbox.Options, edit ...func(*crm.Config)) (*connector, *zdsandbox.Server) {
	t.Helper()
	sb := zdsandbox.New(opts)
	base := crmtest.Serve(t, sb.Handler())
	cfg := crm.Config{Type: crm.Zendesk, BaseURL: base,
		Auth:        crm.Auth{Type: crm.AuthAPIToken, Email: zdsandbox.DefaultEmail},
		Credentials: crm.Credentials{APIToken: zdsandbox.DefaultAPIToken}, Timeout: 5 * time.Second}
	c := crmtest.Connect(t, newConnector, cfg, hc, edit...)
	return c, sb
}

// startBehindProxy serves a fresh account and returns a connector that
// calls it through a host that is neither {subdomain}.zendesk.com nor
// loopback (as a proxy in front of the account would be), so no agent
// workspace address can be derived from its baseUrl.
func startBehindProxy(t testing.TB, hc *http.Client, opts zdsandbox.Options) (*connector, *zdsandbox.Server) {
	t.Helper()
	sb := zdsandbox.New(opts)
	base := crmtest.Serve(t, sb.Handler())
	target, err := url.Parse(base)
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
	cfg := crm.Config{Type: crm.Zendesk, BaseURL: "http://zendesk-proxy.example.test",
		Auth:        crm.Auth{Type: crm.AuthAPIToken, Email: zdsandbox.DefaultEmail},
		Credentials: crm.Credentials{APIToken: zdsandbox.DefaultAPIToken}, Timeout: 5 * time.Second}
	return crmtest.Connect(t, newConnector, cfg, proxied), sb
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// useClientCredentials switches a configuration to the OAuth grant.
func useClientCredentials(cfg *crm.Config) {
	cfg.Auth = crm.Auth{Type: crm.AuthClientCredentials, ClientID: zdsandbox.DefaultClientID}
	cfg.Credentials = crm.Credentials{ClientSecret: zdsandbox.DefaultClientSecret}
}

// fakeAccount serves h and returns an API-token connector for it.
func fakeAccount(t *testing.T, h http.Handler) *connector {
	t.Helper()
	base := crmtest.Serve(t, h)
	c := crmtest.Connect(t, newConnector, crm.Config{BaseURL: base, Auth: crm.Auth{Type: crm.AuthAPIToken, Email: "a@b.example"},
		Credentials: crm.Credentials{APIToken: "tok"}}, nil)
	return c
}

// ctx and wantCode are short names for the shared helpers.
var (
	ctx      = crmtest.Context
	wantCode = crmtest.WantCode
)

// janeID is Jane's user id in the sandbox.
func janeID(t testing.TB, sb *zdsandbox.Server) string {
	t.Helper()
	id, ok := sb.FindID("user", "email", "jane.doe@example.com")
	if !ok {
		t.Fatal("no Jane in the sandbox")
	}
	return strconv.FormatInt(id, 10)
}
