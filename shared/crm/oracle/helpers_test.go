package oracle

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/crmflow/crmflow/shared/crm"
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
	srv := httptest.NewServer(sb.Handler())
	t.Cleanup(srv.Close)
	t.Cleanup(func() {
		if bad := sb.InvalidQueries(); len(bad) > 0 {
			t.Errorf("the driver sent queries the site refused: %q", bad)
		}
	})
	cfg := crm.Config{Type: crm.Oracle, BaseURL: srv.URL, Auth: crm.Auth{Type: crm.AuthBasic, Username: testUser},
		Credentials: crm.Credentials{Password: testPassword}, Timeout: 5 * time.Second}
	for _, e := range edit {
		e(&cfg)
	}
	c, err := newConnector(cfg, hc)
	if err != nil {
		t.Fatal(err)
	}
	c.pageSize = 2
	return c, sb
}

// fakeSite serves h and returns a connector for it.
func fakeSite(t *testing.T, h http.Handler) *connector {
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

// janeID is Jane's contact id in the demo data.
func janeID(t testing.TB, c *connector) string {
	t.Helper()
	recs, err := c.SearchByEmail(ctx(t), crm.EmailSearch{Email: "jane.doe@example.com", Limit: 1})
	if err != nil || len(recs) != 1 {
		t.Fatalf("jane: %v %+v", err, recs)
	}
	return recs[0].ID
}
