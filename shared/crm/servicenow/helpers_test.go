package servicenow

import (
	"net/http"
	"testing"
	"time"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmtest"
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
	base := crmtest.Serve(t, sb.Handler())
	crmtest.FailOnInvalidQueries(t, "the instance", sb.InvalidQueries)
	cfg := crm.Config{Type: crm.ServiceNow, BaseURL: base,
		Auth:        crm.Auth{Type: crm.AuthClientCredentials, ClientID: testClientID},
		Credentials: crm.Credentials{ClientSecret: testClientSecret}, Timeout: 5 * time.Second}
	c := crmtest.Connect(t, newConnector, cfg, hc, edit...)
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
	base := crmtest.Serve(t, h)
	c := crmtest.Connect(t, newConnector, crmtest.BasicConfig(base, "u", "p"), nil)
	return c
}

// ctx and wantCode are short names for the shared helpers.
var (
	ctx      = crmtest.Context
	wantCode = crmtest.WantCode
)

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
