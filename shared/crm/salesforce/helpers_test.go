package salesforce

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/crmflow/crmflow/shared/crm"
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
	srv := httptest.NewServer(sb.Handler())
	t.Cleanup(srv.Close)
	cfg := crm.Config{Type: crm.Salesforce, BaseURL: srv.URL, APIVersion: "v62.0",
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

// wantCode fails unless err is a *crm.Error with code.
func wantCode(t *testing.T, err error, code crm.Code) *crm.Error {
	t.Helper()
	e, ok := crm.AsError(err)
	if !ok || e.Code != code {
		t.Fatalf("error %v: want code %s", err, code)
	}
	return e
}
