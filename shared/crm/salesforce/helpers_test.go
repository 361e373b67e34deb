package salesforce

import (
	"net/http"
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
