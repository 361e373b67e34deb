package dynamics

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/crmflow/crmflow/shared/crm"
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
	srv := httptest.NewServer(sb.Handler())
	t.Cleanup(srv.Close)
	cfg := crm.Config{Type: crm.Dynamics, BaseURL: srv.URL, APIVersion: "v9.2",
		Auth: crm.Auth{Type: crm.AuthClientCredentials, ClientID: testClientID,
			TokenURL: srv.URL + "/" + testTenant + "/oauth2/v2.0/token"},
		Credentials: crm.Credentials{ClientSecret: testClientSecret}, Timeout: 5 * time.Second}
	for _, e := range edit {
		e(&cfg)
	}
	c, err := newConnector(cfg, hc)
	if err != nil {
		t.Fatal(err)
	}
	return c, sb
}

// fakeEnv serves mux (which should handle POST /tenant/oauth2/v2.0/token and
// the Web API) and returns a connector for it.
func fakeEnv(t *testing.T, mux *http.ServeMux) *connector {
	t.Helper()
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	c, err := newConnector(crm.Config{BaseURL: srv.URL, Auth: crm.Auth{Type: crm.AuthClientCredentials, ClientID: "id",
		TokenURL: srv.URL + "/tenant/oauth2/v2.0/token"}, Credentials: crm.Credentials{ClientSecret: "s"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return c
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
