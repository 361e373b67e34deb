package hubspot

import (
	"net/http"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmtest"
	hssandbox "github.com/crmflow/crmflow/shared/sandbox/hubspot"
)

func TestHostAllowed(t *testing.T) {
	crmtest.WantHosts(t, hostAllowed, map[string]bool{
		"api.hubapi.com": true, "API.HubAPI.com": true,
		"api.hubapi.com.evil.example": false, "evil-api.hubapi.com": false, "hubapi.com": false,
		"api.hubspot.com": false, "api.hubapi.co": false, "": false,
	})
}

func TestDriver(t *testing.T) {
	d := Driver()
	if d.Type != crm.HubSpot || d.DefaultAPIVersion != "v3" || d.TokenHostAllowed != nil {
		t.Fatalf("driver: %+v", d)
	}
	if !slices.Equal(d.AuthTypes, []crm.AuthType{crm.AuthBearerToken}) {
		t.Fatalf("auth types %v", d.AuthTypes)
	}
	var names []string
	for _, e := range d.StandardEntities {
		names = append(names, e.Entity)
		if _, err := resolve("test", e.Entity); err != nil {
			t.Errorf("standard entity %s: %v", e.Entity, err)
		}
		for _, f := range e.Fields {
			if !validProperty(f) {
				t.Errorf("%s field %q", e.Entity, f)
			}
		}
	}
	if !slices.Equal(names, []string{"contacts", "companies", "tickets", "deals"}) {
		t.Fatalf("standard entities %v", names)
	}
}

func TestNewValidatesConfig(t *testing.T) {
	good := crm.Config{BaseURL: "https://api.hubapi.com", Auth: crm.Auth{Type: crm.AuthBearerToken},
		Credentials: crm.Credentials{Token: "pat-na1-11111111-2222-3333-4444-555555555555"}}
	if _, err := New(good, nil); err != nil {
		t.Fatalf("good config: %v", err)
	}
	crmtest.RejectsEdits(t, New, good, map[string]func(*crm.Config){
		"ftp scheme":       func(c *crm.Config) { c.BaseURL = "ftp://api.hubapi.com" },
		"path":             func(c *crm.Config) { c.BaseURL = "https://api.hubapi.com/crm/v3" },
		"query":            func(c *crm.Config) { c.BaseURL = "https://api.hubapi.com?x=1" },
		"user info":        func(c *crm.Config) { c.BaseURL = "https://u:p@api.hubapi.com" },
		"api version":      func(c *crm.Config) { c.APIVersion = "v1" },
		"client creds":     func(c *crm.Config) { c.Auth.Type = crm.AuthClientCredentials },
		"no token":         func(c *crm.Config) { c.Credentials.Token = "" },
		"token with space": func(c *crm.Config) { c.Credentials.Token = "pat na1" },
		"token with CRLF":  func(c *crm.Config) { c.Credentials.Token = "pat\r\nX-Evil: 1" },
	})
}

// TestRecordURL: record URLs need the hub id from the account details and
// point at the app: appUrl when set, the baseUrl in local mode, else the
// account's uiDomain.
func TestRecordURL(t *testing.T) {
	c, sb := startSandbox(t, nil, hssandbox.Options{})
	ref := crm.Ref{Entity: "contacts", ID: "51000000043"}
	if u := c.RecordURL(ref); u != "" {
		t.Fatalf("URL before the account is known: %q", u)
	}
	if _, err := c.SearchByEmail(ctx(t), crm.EmailSearch{Email: "nobody@example.com"}); err != nil {
		t.Fatal(err)
	}
	base := strings.TrimSuffix(c.cfg.BaseURL, "/")
	want := base + "/contacts/62515123/record/0-1/51000000043"
	if u := c.RecordURL(ref); u != want || sb.PortalID() != 62515123 {
		t.Fatalf("URL %q, want %q", u, want)
	}
	for ref, want := range map[crm.Ref]string{
		{Entity: "2-9001", ID: "7"}:     base + "/contacts/62515123/record/2-9001/7",
		{Entity: "tickets", ID: "9"}:    base + "/contacts/62515123/record/0-5/9",
		{Entity: "ticket", ID: "9"}:     base + "/contacts/62515123/record/0-5/9",
		{Entity: "0-5", ID: "9"}:        base + "/contacts/62515123/record/0-5/9",
		{Entity: "tickets", ID: "9/.."}: "",
		{Entity: "p_devices", ID: "9"}:  "",
		{Entity: "people", ID: "9"}:     "",
	} {
		if got := c.RecordURL(ref); got != want {
			t.Errorf("RecordURL(%v) = %q, want %q", ref, got, want)
		}
	}

	c, _ = startSandbox(t, nil, hssandbox.Options{}, func(cfg *crm.Config) { cfg.AppURL = "https://app-eu1.hubspot.com" })
	if _, err := c.Get(ctx(t), crm.Ref{Entity: "contacts", ID: janeID(t, c)}, nil); err != nil {
		t.Fatal(err)
	}
	if u := c.RecordURL(ref); u != "https://app-eu1.hubspot.com/contacts/62515123/record/0-1/51000000043" {
		t.Fatalf("URL with appUrl: %q", u)
	}

	c, _ = startSandbox(t, nil, hssandbox.Options{})
	c.appOrigin = "" // as on api.hubapi.com: the account's uiDomain decides
	recs, err := c.SearchByEmail(ctx(t), crm.EmailSearch{Email: crmtest.JaneEmail})
	if err != nil || len(recs) != 1 || !strings.HasPrefix(recs[0].URL, "https://app.hubspot.com/contacts/62515123/record/0-1/") {
		t.Fatalf("URL from uiDomain: %+v %v", recs, err)
	}
}

// TestNoAccountDetailsNoURL: a token that may not read the account
// details still searches, creates and updates; records have no URL, and
// the refused details are asked for again only after a while.
func TestNoAccountDetailsNoURL(t *testing.T) {
	c, sb := startSandbox(t, nil, hssandbox.Options{})
	sb.Inject(accountDetailsRefused())
	for range 3 {
		recs, err := c.SearchByEmail(ctx(t), crm.EmailSearch{Email: crmtest.JaneEmail})
		if err != nil || len(recs) != 1 || recs[0].URL != "" {
			t.Fatalf("%+v %v", recs, err)
		}
	}
	if n := sb.Calls("GET /account-info/v3/details"); n != 1 {
		t.Fatalf("account details asked for %d times", n)
	}
	if u := c.RecordURL(crm.Ref{Entity: "contacts", ID: "1"}); u != "" {
		t.Fatalf("RecordURL %q", u)
	}
}

func TestAccountDetailsReadOnce(t *testing.T) {
	var n atomic.Int32
	mux := http.NewServeMux()
	mux.HandleFunc("GET /account-info/v3/details", func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		w.Write([]byte(`{"portalId":4242,"uiDomain":"evil.example"}`))
	})
	mux.HandleFunc("POST /crm/v3/objects/contacts/search", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`{"total":1,"results":[{"id":"5","properties":{"firstname":"A"},"updatedAt":"2026-01-02T03:04:05.678Z"}]}`))
	})
	c := fakeAPI(t, mux)
	c.appOrigin = ""
	for range 3 {
		recs, err := c.SearchByEmail(ctx(t), crm.EmailSearch{Email: "a@b.example"})
		if err != nil {
			t.Fatal(err)
		}
		// An unexpected app domain falls back to HubSpot's, so a link never leaves it.
		if recs[0].URL != "https://app.hubspot.com/contacts/4242/record/0-1/5" {
			t.Fatalf("URL %q", recs[0].URL)
		}
	}
	if n.Load() != 1 {
		t.Fatalf("account details read %d times", n.Load())
	}
}

func TestResolveEntities(t *testing.T) {
	for entity, want := range map[string]object{"contacts": {"contacts", "0-1"}, "contact": {"contacts", "0-1"},
		"0-1": {"contacts", "0-1"}, "Contacts": {"contacts", "0-1"}, "tickets": {"tickets", "0-5"}, "call": {"calls", "0-48"},
		"2-9001": {"2-9001", "2-9001"}, "0-410": {"0-410", "0-410"}, "line_items": {"line_items", "0-8"},
		"p123_cars": {"p123_cars", ""}} {
		o, err := resolve("t", entity)
		if err != nil || o != want {
			t.Errorf("resolve(%q) = %+v, %v; want %+v", entity, o, err, want)
		}
	}
	for _, entity := range []string{"contactz", "3-1", "0-01", "2-", "contacts/../x", ""} {
		if _, err := resolve("t", entity); !isRefusal(err, "entity") {
			t.Errorf("resolve(%q): %v, want a refusal naming entity", entity, err)
		}
	}
}

func isRefusal(err error, field string) bool {
	e, ok := crm.AsRefusal(err)
	return ok && e.Field == field
}
