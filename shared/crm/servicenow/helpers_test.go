package servicenow

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/crmflow/crmflow/shared/crm"
	snsandbox "github.com/crmflow/crmflow/shared/sandbox/servicenow"
)

const (
	testClientID     = "crmflow-client"
	testClientSecret = "client-secret"
	testUser         = "crmflow.integration"
	testPassword     = "basic-password"
)

// startSandbox serves a fresh instance (demo data unless opts.Empty) and
// returns a client-credentials connector for it; edit may change the
// configuration first. When the test ends it fails if the driver sent a
// query the instance could not read.
func startSandbox(t testing.TB, hc *http.Client, opts snsandbox.Options, edit ...func(*crm.Config)) (*connector, *snsandbox.Server) {
	t.Helper()
	if opts.ClientID == "" {
		opts.ClientID, opts.ClientSecret = testClientID, testClientSecret
	}
	if opts.Username == "" {
		opts.Username, opts.Password = testUser, testPassword
	}
	sb := snsandbox.New(opts)
	srv := httptest.NewServer(sb.Handler())
	t.Cleanup(srv.Close)
	t.Cleanup(func() {
		if bad := sb.InvalidQueries(); len(bad) > 0 {
			t.Errorf("the driver sent queries the instance refused: %q", bad)
		}
	})
	cfg := crm.Config{Type: crm.ServiceNow, BaseURL: srv.URL,
		Auth:        crm.Auth{Type: crm.AuthClientCredentials, ClientID: testClientID},
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

// useBasic switches a configuration to basic auth with the sandbox's user.
func useBasic(cfg *crm.Config) {
	cfg.Auth = crm.Auth{Type: crm.AuthBasic, Username: testUser}
	cfg.Credentials = crm.Credentials{Password: testPassword}
}

// fakeInstance serves h and returns a basic-auth connector for it.
func fakeInstance(t *testing.T, h http.Handler) *connector {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	c, err := newConnector(crm.Config{BaseURL: srv.URL, Auth: crm.Auth{Type: crm.AuthBasic, Username: "u"},
		Credentials: crm.Credentials{Password: "p"}}, nil)
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

// findRow returns the sys_id of the first row of table whose column has value.
func findRow(t testing.TB, sb *snsandbox.Server, table, column, value string) string {
	t.Helper()
	for _, r := range sb.Records(table) {
		if r[column] == value {
			return r["sys_id"]
		}
	}
	t.Fatalf("no %s with %s %q in the sandbox", table, column, value)
	return ""
}

// janeID finds Jane's sys_id in the sandbox.
func janeID(t testing.TB, sb *snsandbox.Server) string {
	return findRow(t, sb, "sys_user", "email", "jane.doe@example.com")
}
