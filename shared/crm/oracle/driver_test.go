package oracle

import (
	"strings"
	"testing"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmtest"
)

func TestHostAllowed(t *testing.T) {
	crmtest.WantHosts(t, hostAllowed, map[string]bool{
		"acme.custhelp.com":           true,
		"ACME.CustHelp.com":           true,
		"acme--tst.custhelp.com":      true,
		"acme.widget.custhelp.com":    true,
		"acme.rightnowdemo.com":       true,
		"custhelp.com":                false,
		".custhelp.com":               false,
		"a.b.c.custhelp.com":          false,
		"acme.custhelp.com.evil.com":  false,
		"acmecusthelp.com":            false,
		"-acme.custhelp.com":          false,
		"acme_x.custhelp.com":         false,
		"acme.my.salesforce.com":      false,
		"acme.fa.us2.oraclecloud.com": false,
		"acme.custhelp.co":            false,
	})
}

func TestDriver(t *testing.T) {
	d := Driver()
	if d.Type != crm.Oracle || d.Label != "Oracle B2C Service" || d.DefaultAPIVersion != "v1.4" || d.New == nil || d.TokenHostAllowed != nil {
		t.Fatalf("driver: %+v", d)
	}
	if len(d.AuthTypes) != 1 || d.AuthTypes[0] != crm.AuthBasic {
		t.Fatalf("auth types %v", d.AuthTypes)
	}
	for _, want := range []string{"contacts", "incidents", "organizations", "tasks"} {
		e, ok := d.StandardEntity(want)
		if canon, err := canonicalEntity(e.Entity); !ok || len(e.Fields) == 0 || err != nil || canon != e.Entity {
			t.Errorf("standard entity %s missing", want)
		}
		for _, f := range e.Fields {
			if !validField(f) {
				t.Errorf("%s.%s is not a field path", want, f)
			}
		}
	}
}

func TestNewValidatesConfig(t *testing.T) {
	basic := crm.Auth{Type: crm.AuthBasic, Username: "api"}
	pw := crm.Credentials{Password: "p"}
	crmtest.WantConfigs(t, New, true, map[string]crm.Config{
		"basic":          {BaseURL: "https://acme.custhelp.com", Auth: basic, Credentials: pw},
		"trailing slash": {BaseURL: "https://acme.custhelp.com/", Auth: basic, Credentials: pw},
		"v1.3":           {BaseURL: "https://acme.custhelp.com", APIVersion: "v1.3", Auth: basic, Credentials: pw},
		"latest":         {BaseURL: "https://acme.custhelp.com", APIVersion: "latest", Auth: basic, Credentials: pw},
		"context": {BaseURL: "https://acme.custhelp.com", Credentials: pw,
			Auth: crm.Auth{Type: crm.AuthBasic, Username: "api", ApplicationContext: "CXone Agent Embedded"}},
	})
	crmtest.WantConfigs(t, New, false, map[string]crm.Config{
		"bad version": {BaseURL: "https://acme.custhelp.com", APIVersion: "1.4", Auth: basic, Credentials: pw},
		"long context": {BaseURL: "https://acme.custhelp.com", Credentials: pw,
			Auth: crm.Auth{Type: crm.AuthBasic, Username: "api", ApplicationContext: strings.Repeat("x", 41)}},
		"context line break": {BaseURL: "https://acme.custhelp.com", Credentials: pw,
			Auth: crm.Auth{Type: crm.AuthBasic, Username: "api", ApplicationContext: "a\r\nX-Evil: 1"}},
		"path":          {BaseURL: "https://acme.custhelp.com/services/rest", Auth: basic, Credentials: pw},
		"user info":     {BaseURL: "https://u:p@acme.custhelp.com", Auth: basic, Credentials: pw},
		"ftp":           {BaseURL: "ftp://acme.custhelp.com", Auth: basic, Credentials: pw},
		"no password":   {BaseURL: "https://acme.custhelp.com", Auth: basic},
		"colon in user": {BaseURL: "https://acme.custhelp.com", Auth: crm.Auth{Type: crm.AuthBasic, Username: "a:b"}, Credentials: pw},
		"client credentials": {BaseURL: "https://acme.custhelp.com", Auth: crm.Auth{Type: crm.AuthClientCredentials, ClientID: "id"},
			Credentials: crm.Credentials{ClientSecret: "s"}},
		"bearer": {BaseURL: "https://acme.custhelp.com", Auth: crm.Auth{Type: crm.AuthBearerToken}, Credentials: crm.Credentials{Token: "t"}},
	})
}

func TestRecordURLAndCapabilities(t *testing.T) {
	c, err := newConnector(crm.Config{BaseURL: "https://Acme.custhelp.com", Auth: crm.Auth{Type: crm.AuthBasic, Username: "u"},
		Credentials: crm.Credentials{Password: "p"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := c.RecordURL(crm.Ref{Entity: "incidents", ID: "42"}), "https://acme.custhelp.com/AgentWeb/#/incidents/42"; got != want {
		t.Fatalf("got %s, want %s", got, want)
	}
	if c.apiRoot != "https://acme.custhelp.com/services/rest/connect/v1.4/" || c.appContext != DefaultApplicationContext {
		t.Fatalf("api root %s, context %s", c.apiRoot, c.appContext)
	}
	caps := c.Capabilities()
	if c.Type() != crm.Oracle || !caps.FindWriteByKey || !caps.RelatedOpen || !caps.CustomEntities {
		t.Fatal("type or capabilities")
	}
}

// TestAppURL: record URLs point at the Agent Browser UI of appUrl when the
// configuration names one, else of the site when baseUrl is a site
// interface, or of the local server itself; otherwise there is none.
func TestAppURL(t *testing.T) {
	ref := crm.Ref{Entity: "Contact", ID: "7"}
	for _, tc := range []struct{ base, app, want string }{
		{"https://acme.custhelp.com", "", "https://acme.custhelp.com/AgentWeb/#/contacts/7"},
		{"https://acme.widget.custhelp.com", "", "https://acme.widget.custhelp.com/AgentWeb/#/contacts/7"},
		{"https://acme--tst.custhelp.com", "https://Acme.custhelp.com/", "https://acme.custhelp.com/AgentWeb/#/contacts/7"},
		{"http://127.0.0.1:8123", "", "http://127.0.0.1:8123/AgentWeb/#/contacts/7"},
		{"http://localhost:8123", "", "http://localhost:8123/AgentWeb/#/contacts/7"},
		{"https://osvc-proxy.example.com", "", ""},
		{"http://acme.custhelp.com", "", ""},
		{"https://osvc-proxy.example.com", "https://acme.custhelp.com", "https://acme.custhelp.com/AgentWeb/#/contacts/7"},
		{"https://acme.custhelp.com", "not a url", ""},
	} {
		c, err := newConnector(crm.Config{BaseURL: tc.base, AppURL: tc.app, Auth: crm.Auth{Type: crm.AuthBasic, Username: "u"},
			Credentials: crm.Credentials{Password: "p"}}, nil)
		if err != nil {
			t.Fatalf("%s: %v", tc.base, err)
		}
		if got := c.RecordURL(ref); got != tc.want {
			t.Errorf("base %s app %q: %q, want %q", tc.base, tc.app, got, tc.want)
		}
	}
	c, _ := newConnector(crm.Config{BaseURL: "https://acme.custhelp.com", Auth: crm.Auth{Type: crm.AuthBasic, Username: "u"},
		Credentials: crm.Credentials{Password: "p"}}, nil)
	for _, bad := range []crm.Ref{{Entity: "people", ID: "7"}, {Entity: "contacts", ID: "7/../x"}, {Entity: "contacts"}} {
		if u := c.RecordURL(bad); u != "" {
			t.Errorf("RecordURL(%+v) = %q", bad, u)
		}
	}
	if d := Driver(); d.AppHostAllowed == nil || !d.AppHostAllowed("acme.custhelp.com") || d.AppHostAllowed("evil.example.com") {
		t.Fatal("appUrl host rule")
	}
}

func TestCredentialsStayOutOfErrors(t *testing.T) {
	_, err := New(crm.Config{BaseURL: "https://acme.custhelp.com", Auth: crm.Auth{Type: crm.AuthBasic},
		Credentials: crm.Credentials{Password: "hunter2-secret"}}, nil)
	if err == nil || strings.Contains(err.Error(), "hunter2-secret") {
		t.Fatalf("err = %v", err)
	}
}
