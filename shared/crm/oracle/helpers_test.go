package oracle

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmtest"
	osvcsandbox "github.com/crmflow/crmflow/shared/sandbox/oracle"
)

const (
	testUser     = "crmflow.api"
	testPassword = "basic-password"
)

// startSandbox serves a fresh site (demo data unless opts.Empty) and
// returns a connector for it whose ROQL pages hold two rows, so that every
// multi-row answer pages; edit may change the configuration first. When
// the test ends it fails if the driver sent a query the site refused.
func startSandbox(t testing.TB, hc *http.Client, opts osvcsandbox.Options, edit ...func(*crm.Config)) (*connector, *osvcsandbox.Server) {
	t.Helper()
	if opts.Username == "" {
		opts.Username, opts.Password = testUser, testPassword
	}
	sb := osvcsandbox.New(opts)
	base := crmtest.Serve(t, sb.Handler())
	crmtest.FailOnInvalidQueries(t, "the site", sb.InvalidQueries)
	cfg := crm.Config{Type: crm.Oracle, BaseURL: base, Auth: crm.Auth{Type: crm.AuthBasic, Username: testUser},
		Credentials: crm.Credentials{Password: testPassword}, Timeout: 5 * time.Second}
	c := crmtest.Connect(t, newConnector, cfg, hc, edit...)
	c.pageSize = 2
	return c, sb
}

// fakeSite serves h and returns a connector for it.
func fakeSite(t *testing.T, h http.Handler) *connector {
	t.Helper()
	base := crmtest.Serve(t, h)
	c := crmtest.Connect(t, newConnector, crmtest.BasicConfig(base, "u", "p"), nil)
	return c
}

// ctx and wantCode are short names for the shared helpers.
var (
	ctx      = crmtest.Context
	wantCode = crmtest.WantCode
)

// janeID is Jane's contact id in the demo data.
func janeID(t testing.TB, c *connector) string {
	t.Helper()
	recs, err := c.SearchByEmail(ctx(t), crm.EmailSearch{Email: "jane.doe@example.com", Limit: 1})
	if err != nil || len(recs) != 1 {
		t.Fatalf("jane: %v %+v", err, recs)
	}
	return recs[0].ID
}

// startBehindProxy serves a fresh site and returns a connector that calls
// it through a host that is neither a site interface nor loopback (as a
// proxy in front of a site would be), so no Agent Browser UI address can be
// derived from its baseUrl.
func startBehindProxy(t testing.TB, hc *http.Client, opts osvcsandbox.Options) (*connector, *osvcsandbox.Server) {
	t.Helper()
	if opts.Username == "" {
		opts.Username, opts.Password = testUser, testPassword
	}
	sb := osvcsandbox.New(opts)
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
	cfg := crm.Config{Type: crm.Oracle, BaseURL: "http://osvc-proxy.example.test", Auth: crm.Auth{Type: crm.AuthBasic, Username: testUser},
		Credentials: crm.Credentials{Password: testPassword}, Timeout: 5 * time.Second}
	c := crmtest.Connect(t, newConnector, cfg, proxied)
	return c, sb
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
