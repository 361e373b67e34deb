package oracle

import (
	"strings"
	"testing"

	"github.com/crmflow/crmflow/shared/crm"
)

func TestHostAllowed(t *testing.T) {
	for host, want := range map[string]bool{
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
	} {
		if got := hostAllowed(host); got != want {
			t.Errorf("hostAllowed(%q) = %v, want %v", host, got, want)
		}
	}
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
		if !ok || len(e.Fields) == 0 || !validEntity(e.Entity) {
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
	for _, tc := range []struct {
		name string
		cfg  crm.Config
		ok   bool
	}{
		{"basic", crm.Config{BaseURL: "https://acme.custhelp.com", Auth: basic, Credentials: pw}, true},
		{"trailing slash", crm.Config{BaseURL: "https://acme.custhelp.com/", Auth: basic, Credentials: pw}, true},
		{"v1.3", crm.Config{BaseURL: "https://acme.custhelp.com", APIVersion: "v1.3", Auth: basic, Credentials: pw}, true},
		{"latest", crm.Config{BaseURL: "https://acme.custhelp.com", APIVersion: "latest", Auth: basic, Credentials: pw}, true},
		{"bad version", crm.Config{BaseURL: "https://acme.custhelp.com", APIVersion: "1.4", Auth: basic, Credentials: pw}, false},
		{"context", crm.Config{BaseURL: "https://acme.custhelp.com", Credentials: pw,
			Auth: crm.Auth{Type: crm.AuthBasic, Username: "api", ApplicationContext: "CXone Agent Embedded"}}, true},
		{"long context", crm.Config{BaseURL: "https://acme.custhelp.com", Credentials: pw,
			Auth: crm.Auth{Type: crm.AuthBasic, Username: "api", ApplicationContext: strings.Repeat("x", 41)}}, false},
		{"context line break", crm.Config{BaseURL: "https://acme.custhelp.com", Credentials: pw,
			Auth: crm.Auth{Type: crm.AuthBasic, Username: "api", ApplicationContext: "a\r\nX-Evil: 1"}}, false},
		{"path", crm.Config{BaseURL: "https://acme.custhelp.com/services/rest", Auth: basic, Credentials: pw}, false},
		{"user info", crm.Config{BaseURL: "https://u:p@acme.custhelp.com", Auth: basic, Credentials: pw}, false},
		{"ftp", crm.Config{BaseURL: "ftp://acme.custhelp.com", Auth: basic, Credentials: pw}, false},
		{"no password", crm.Config{BaseURL: "https://acme.custhelp.com", Auth: basic}, false},
		{"colon in user", crm.Config{BaseURL: "https://acme.custhelp.com", Auth: crm.Auth{Type: crm.AuthBasic, Username: "a:b"}, Credentials: pw}, false},
		{"client credentials", crm.Config{BaseURL: "https://acme.custhelp.com", Auth: crm.Auth{Type: crm.AuthClientCredentials, ClientID: "id"},
			Credentials: crm.Credentials{ClientSecret: "s"}}, false},
		{"bearer", crm.Config{BaseURL: "https://acme.custhelp.com", Auth: crm.Auth{Type: crm.AuthBearerToken}, Credentials: crm.Credentials{Token: "t"}}, false},
	} {
		_, err := New(tc.cfg, nil)
		if (err == nil) != tc.ok {
			t.Errorf("%s: err = %v", tc.name, err)
		}
		if err != nil && crm.CodeOf(err) != crm.InvalidArgument {
			t.Errorf("%s: code %s", tc.name, crm.CodeOf(err))
		}
	}
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

func TestCredentialsStayOutOfErrors(t *testing.T) {
	_, err := New(crm.Config{BaseURL: "https://acme.custhelp.com", Auth: crm.Auth{Type: crm.AuthBasic},
		Credentials: crm.Credentials{Password: "hunter2-secret"}}, nil)
	if err == nil || strings.Contains(err.Error(), "hunter2-secret") {
		t.Fatalf("err = %v", err)
	}
}
