package hubspot

import (
	"net/http"
	"testing"
	"time"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmtest"
	"github.com/crmflow/crmflow/shared/sandbox"
	hssandbox "github.com/crmflow/crmflow/shared/sandbox/hubspot"
)

// testNow is the connector clock in tests, so that written stamps are stable.
var testNow = time.Date(2026, 11, 23, 10, 5, 0, 0, time.UTC)

// startSandbox serves a fresh account (demo data unless opts.Empty) and
// returns a connector for it; edit may change the configuration first.
func startSandbox(t testing.TB, hc *http.Client, opts hssandbox.Options, edit ...func(*crm.Config)) (*connector, *hssandbox.Server) {
	t.Helper()
	sb := hssandbox.New(opts)
	base := crmtest.Serve(t, sb.Handler())
	cfg := crm.Config{Type: crm.HubSpot, BaseURL: base, APIVersion: DefaultAPIVersion,
		Auth: crm.Auth{Type: crm.AuthBearerToken}, Credentials: crm.Credentials{Token: hssandbox.DefaultToken},
		Timeout: 5 * time.Second}
	c := crmtest.Connect(t, newConnector, cfg, hc, edit...)
	c.now = func() time.Time { return testNow }
	return c, sb
}

// fakeAPI serves mux and returns a connector for it.
func fakeAPI(t *testing.T, mux *http.ServeMux) *connector {
	t.Helper()
	base := crmtest.Serve(t, mux)
	c := crmtest.Connect(t, newConnector, crmtest.BearerConfig(base, "pat-na1-test"), nil)
	return c
}

// accountDetails answers GET /account-info/v3/details like HubSpot.
func accountDetails(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write([]byte(`{"portalId":123456,"accountType":"STANDARD","timeZone":"US/Eastern","companyCurrency":"USD",` +
		`"additionalCurrencies":[],"utcOffset":"-05:00","utcOffsetMilliseconds":-18000000,"uiDomain":"app-eu1.hubspot.com","dataHostingLocation":"eu1"}`))
}

// ctx and wantCode are short names for the shared helpers.
var (
	ctx      = crmtest.Context
	wantCode = crmtest.WantCode
)

// accountDetailsRefused answers the account details with HubSpot's 403 for
// a token without the scope, as for a private app that lacks it.
func accountDetailsRefused() sandbox.Fault {
	f := hssandbox.ErrorFault(http.StatusForbidden, "MISSING_SCOPES", "This app hasn't been granted all required scopes to make this call.")
	f.Match = "/account-info/"
	return f
}
