package zendesk

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/crmflow/crmflow/shared/crm"
	zdsandbox "github.com/crmflow/crmflow/shared/sandbox/zendesk"
)

// startSandbox serves a fresh account (demo data unless opts.Empty) and
// returns an API-token connector for it; edit may change the configuration.
func startSandbox(t testing.TB, hc *http.Client, opts zdsandbox.Options, edit ...func(*crm.Config)) (*connector, *zdsandbox.Server) {
	t.Helper()
	sb := zdsandbox.New(opts)
	srv := httptest.NewServer(sb.Handler())
	t.Cleanup(srv.Close)
	cfg := crm.Config{Type: crm.Zendesk, BaseURL: srv.URL,
		Auth:        crm.Auth{Type: crm.AuthAPIToken, Email: zdsandbox.DefaultEmail},
		Credentials: crm.Credentials{APIToken: zdsandbox.DefaultAPIToken}, Timeout: 5 * time.Second}
	for _, e := range edit {
		e(&cfg)
	}
	c, err := newConnector(cfg, hc)
	if err != nil {
		t.Fatal(err)
	}
	return c, sb
}

// useClientCredentials switches a configuration to the OAuth grant.
func useClientCredentials(cfg *crm.Config) {
	cfg.Auth = crm.Auth{Type: crm.AuthClientCredentials, ClientID: zdsandbox.DefaultClientID}
	cfg.Credentials = crm.Credentials{ClientSecret: zdsandbox.DefaultClientSecret}
}

// fakeAccount serves h and returns an API-token connector for it.
func fakeAccount(t *testing.T, h http.Handler) *connector {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	c, err := newConnector(crm.Config{BaseURL: srv.URL, Auth: crm.Auth{Type: crm.AuthAPIToken, Email: "a@b.example"},
		Credentials: crm.Credentials{APIToken: "tok"}}, nil)
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

func wantCode(t *testing.T, err error, code crm.Code) *crm.Error {
	t.Helper()
	e, ok := crm.AsError(err)
	if !ok || e.Code != code {
		t.Fatalf("error %v: want code %s", err, code)
	}
	return e
}

// janeID is Jane's user id in the sandbox.
func janeID(t testing.TB, sb *zdsandbox.Server) string {
	t.Helper()
	id, ok := sb.FindID("user", "email", "jane.doe@example.com")
	if !ok {
		t.Fatal("no Jane in the sandbox")
	}
	return strconv.FormatInt(id, 10)
}
