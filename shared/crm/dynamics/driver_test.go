package dynamics

import (
	"slices"
	"strings"
	"testing"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmtest"
)

func TestHostAllowed(t *testing.T) {
	crmtest.WantHosts(t, hostAllowed, map[string]bool{
		"contoso.crm.dynamics.com":         true,
		"Contoso.CRM4.Dynamics.com":        true,
		"org-1.crm11.dynamics.com":         true,
		"a.crm21.dynamics.com":             true,
		"contoso.crm123.dynamics.com":      false,
		"contoso.crmx.dynamics.com":        false,
		"crm.dynamics.com":                 false,
		"evil.com.crm.dynamics.com":        false,
		"contoso.crm.dynamics.com.evil":    false,
		"contoso.api.crm.dynamics.com":     false,
		"-bad.crm.dynamics.com":            false,
		"contoso.crm.dynamics.cn":          false,
		"contoso.crm.microsoftdynamics.us": false,
		"":                                 false,
	})
	if !tokenHostAllowed("LOGIN.microsoftonline.com") || tokenHostAllowed("login.microsoftonline.com.evil") || tokenHostAllowed("login.windows.net") {
		t.Fatal("token host rule")
	}
}

func TestEntitySetAndKeys(t *testing.T) {
	for _, tc := range []struct{ logical, set, pk, name string }{
		{"contact", "contacts", "contactid", "fullname"},
		{"account", "accounts", "accountid", "name"},
		{"lead", "leads", "leadid", "fullname"},
		{"incident", "incidents", "incidentid", "ticketnumber"},
		{"opportunity", "opportunities", "opportunityid", "name"},
		{"phonecall", "phonecalls", "activityid", "subject"},
		{"task", "tasks", "activityid", "subject"},
		{"systemuser", "systemusers", "systemuserid", "fullname"},
		{"new_callnote", "new_callnotes", "new_callnoteid", "new_name"},
		{"new_category", "new_categories", "new_categoryid", "new_name"},
		{"new_survey", "new_surveys", "new_surveyid", "new_name"},
		{"new_address", "new_addresses", "new_addressid", "new_name"},
		{"new_box", "new_boxes", "new_boxid", "new_name"},
		{"new_batch", "new_batches", "new_batchid", "new_name"},
		{"new_wish", "new_wishes", "new_wishid", "new_name"},
		{"email", "emails", "activityid", "subject"},
		{"msdyn_workorder", "msdyn_workorders", "msdyn_workorderid", "msdyn_name"},
	} {
		if got := entitySet(tc.logical); got != tc.set {
			t.Errorf("entitySet(%s) = %s, want %s", tc.logical, got, tc.set)
		}
		if got := primaryKey(tc.logical); got != tc.pk {
			t.Errorf("primaryKey(%s) = %s, want %s", tc.logical, got, tc.pk)
		}
		if got := nameColumns(tc.logical)[0]; got != tc.name {
			t.Errorf("nameColumns(%s) = %s, want %s", tc.logical, got, tc.name)
		}
	}
}

func TestDriverDescriptor(t *testing.T) {
	d := Driver()
	if d.Type != crm.Dynamics || d.DefaultAPIVersion != "v9.2" || !slices.Equal(d.AuthTypes, []crm.AuthType{crm.AuthClientCredentials}) {
		t.Fatalf("%+v", d)
	}
	for _, want := range []string{"account", "incident", "contact", "lead", "opportunity", "phonecall"} {
		e, ok := d.StandardEntity(want)
		if !ok || len(e.Fields) == 0 {
			t.Fatalf("standard entity %s missing", want)
		}
		for _, f := range e.Fields {
			if !crm.ValidField(f) {
				t.Errorf("%s field %q fails crm.ValidField", want, f)
			}
		}
	}
}

func TestNewValidatesConfig(t *testing.T) {
	good := crm.Config{BaseURL: "https://contoso.crm.dynamics.com", Auth: crm.Auth{Type: crm.AuthClientCredentials, ClientID: "id",
		TokenURL: "https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token"}, Credentials: crm.Credentials{ClientSecret: "s"}}
	c, err := newConnector(good, nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.scope != "https://contoso.crm.dynamics.com/.default" || c.apiRoot != "https://contoso.crm.dynamics.com/api/data/v9.2/" {
		t.Fatalf("scope %q root %q", c.scope, c.apiRoot)
	}
	crmtest.RejectsEdits(t, newConnector, good, map[string]func(*crm.Config){
		"path in base":       func(c *crm.Config) { c.BaseURL = "https://contoso.crm.dynamics.com/api/data/v9.2" },
		"no scheme":          func(c *crm.Config) { c.BaseURL = "contoso.crm.dynamics.com" },
		"credentials in url": func(c *crm.Config) { c.BaseURL = "https://u:p@contoso.crm.dynamics.com" },
		"version":            func(c *crm.Config) { c.APIVersion = "v8.2" },
		"auth type":          func(c *crm.Config) { c.Auth.Type = crm.AuthBasic },
		"no secret":          func(c *crm.Config) { c.Credentials.ClientSecret = "" },
		"no client":          func(c *crm.Config) { c.Auth.ClientID = "" },
		"no token url":       func(c *crm.Config) { c.Auth.TokenURL = "" },
		"v1 token url":       func(c *crm.Config) { c.Auth.TokenURL = "https://login.microsoftonline.com/contoso/oauth2/token" },
		"token url query":    func(c *crm.Config) { c.Auth.TokenURL += "?x=1" },
	}, func(name string, err error) {
		if err != nil && strings.Contains(err.Error(), "s\"") {
			t.Errorf("%s: error shows the secret: %v", name, err)
		}
	})
}

func TestRecordURL(t *testing.T) {
	c, err := newConnector(crm.Config{BaseURL: "https://Contoso.crm4.dynamics.com/", Auth: crm.Auth{Type: crm.AuthClientCredentials,
		ClientID: "id", TokenURL: "https://login.microsoftonline.com/t/oauth2/v2.0/token"}, Credentials: crm.Credentials{ClientSecret: "s"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	got := c.RecordURL(crm.Ref{Entity: "contact", ID: "7d577253-3ef0-4a0a-bb7f-8335c2596e70"})
	want := "https://contoso.crm4.dynamics.com/main.aspx?etn=contact&id=7d577253-3ef0-4a0a-bb7f-8335c2596e70&pagetype=entityrecord"
	if got != want {
		t.Fatalf("got %s", got)
	}
	// Any spelling of the table gives the same URL; an id Dataverse could
	// not have gives none.
	if u := c.RecordURL(crm.Ref{Entity: "Contacts", ID: "7D577253-3EF0-4A0A-BB7F-8335C2596E70"}); u != want {
		t.Fatalf("other spelling: %s", u)
	}
	for _, ref := range []crm.Ref{{Entity: "contact", ID: "42"}, {Entity: "EntityDefinitions", ID: "7d577253-3ef0-4a0a-bb7f-8335c2596e70"}} {
		if u := c.RecordURL(ref); u != "" {
			t.Errorf("%+v: %s", ref, u)
		}
	}
	cfg := func(base, app string) crm.Config {
		return crm.Config{BaseURL: base, AppURL: app, Auth: crm.Auth{Type: crm.AuthClientCredentials, ClientID: "id",
			TokenURL: "https://login.microsoftonline.com/t/oauth2/v2.0/token"}, Credentials: crm.Credentials{ClientSecret: "s"}}
	}
	ref := crm.Ref{Entity: "incident", ID: "7d577253-3ef0-4a0a-bb7f-8335c2596e70"}
	for _, tc := range []struct{ base, app, want string }{
		{"https://contoso.crm.dynamics.com", "https://contoso-apps.crm.dynamics.com",
			"https://contoso-apps.crm.dynamics.com/main.aspx?etn=incident&id=7d577253-3ef0-4a0a-bb7f-8335c2596e70&pagetype=entityrecord"},
		{"http://127.0.0.1:8080", "", "http://127.0.0.1:8080/main.aspx?etn=incident&id=7d577253-3ef0-4a0a-bb7f-8335c2596e70&pagetype=entityrecord"},
		{"https://dataverse-proxy.example.com", "", ""},
	} {
		c, err := newConnector(cfg(tc.base, tc.app), nil)
		if err != nil {
			t.Fatal(err)
		}
		if u := c.RecordURL(ref); u != tc.want {
			t.Errorf("%s %s: %q, want %q", tc.base, tc.app, u, tc.want)
		}
	}
	if _, err := newConnector(cfg("https://contoso.crm.dynamics.com", "not a url"), nil); err == nil {
		t.Error("bad appUrl accepted")
	}
}

func TestCheckNames(t *testing.T) {
	for _, e := range []string{"contacts)", "con tact", "new-x", "a.b", ""} {
		if _, err := resolveEntity("op", e); err == nil {
			t.Errorf("entity %q accepted", e)
		}
	}
	for _, id := range []string{"", "123", "7d577253-3ef0-4a0a-bb7f-8335c2596e7", "7d577253-3ef0-4a0a-bb7f-8335c2596e70)", "../x"} {
		if checkID("op", "id", id) == nil {
			t.Errorf("id %q accepted", id)
		}
	}
	if err := checkBodyKeys("op", map[string]any{"firstname": 1, "parentcustomerid_account@odata.bind": "/accounts(x)"}); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"a.b", "x@odata.type", "@odata.bind", "a b"} {
		if checkBodyKeys("op", map[string]any{k: 1}) == nil {
			t.Errorf("body key %q accepted", k)
		}
	}
}
