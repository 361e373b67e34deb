package dynamics

import (
	"net/http"
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
