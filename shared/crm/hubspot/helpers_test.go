package hubspot

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/crmflow/crmflow/shared/crm"
	hssandbox "github.com/crmflow/crmflow/shared/sandbox/hubspot"
)

// testNow is the connector clock in tests, so that written stamps are stable.
var testNow = time.Date(2026, 11, 23, 10, 5, 0, 0, time.UTC)

// startSandbox serves a fresh account (demo data unless opts.Empty) and
// returns a connector for it; edit may change the configuration first.
func startSandbox(t testing.TB, hc *http.Client, opts hssandbox.Options, edit ...func(*crm.Config)) (*connector, *hssandbox.Server) {
	t.Helper()
	sb := hssandbox.New(opts)
	srv := httptest.NewServer(sb.Handler())
	t.Cleanup(srv.Close)
	cfg := crm.Config{Type: crm.HubSpot, BaseURL: srv.URL, APIVersion: DefaultAPIVersion,
		Auth: crm.Auth{Type: crm.AuthBearerToken}, Credentials: crm.Credentials{Token: hssandbox.DefaultToken},
		Timeout: 5 * time.Second}
	for _, e := range edit {
		e(&cfg)
	}
	c, err := newConnector(cfg, hc)
	if err != nil {
		t.Fatal(err)
	}
	c.now = func() time.Time { return testNow }
	return c, sb
}

// fakeAPI serves mux and returns a connector for it.
func fakeAPI(t *testing.T, mux *http.ServeMux) *connector {
	t.Helper()
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	c, err := newConnector(crm.Config{BaseURL: srv.URL, Auth: crm.Auth{Type: crm.AuthBearerToken},
		Credentials: crm.Credentials{Token: "pat-na1-test"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// accountDetails answers GET /account-info/v3/details like HubSpot.
func accountDetails(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write([]byte(`{"portalId":123456,"accountType":"STANDARD","timeZone":"US/Eastern","companyCurrency":"USD",` +
		`"additionalCurrencies":[],"utcOffset":"-05:00","utcOffsetMilliseconds":-18000000,"uiDomain":"app-eu1.hubspot.com","dataHostingLocation":"eu1"}`))
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
