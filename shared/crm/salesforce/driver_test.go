package salesforce

import (
	"testing"
	"time"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmtest"
)

func TestHostAllowed(t *testing.T) {
	crmtest.WantHosts(t, hostAllowed, map[string]bool{
		"acme.my.salesforce.com":                 true,
		"ACME.My.Salesforce.com":                 true,
		"acme--uat.sandbox.my.salesforce.com":    true,
		"acme--dev.scratch.my.salesforce.com":    true,
		"my.salesforce.com":                      false,
		".my.salesforce.com":                     false,
		"acme..my.salesforce.com":                false,
		"acme.my.salesforce.com.evil.com":        false,
		"evilmy.salesforce.com":                  false,
		"acme.salesforce.com":                    false,
		"login.salesforce.com":                   false,
		"acme.lightning.force.com":               false,
		"acme.my.salesforce.com:443":             false,
		"-acme.my.salesforce.com":                false,
		"acme_corp.my.salesforce.com":            false,
		"na1.salesforce.com":                     false,
		"acme.my.salesforce.com\x00.example.com": false,
	})
	if !tokenHostAllowed("login.salesforce.com") || !tokenHostAllowed("test.salesforce.com") || tokenHostAllowed("evil.com") {
		t.Error("token hosts")
	}
}

func TestDriverDescriptor(t *testing.T) {
	d := Driver()
	if d.Type != crm.Salesforce || d.Label != "Salesforce" || d.DefaultAPIVersion != "v62.0" || len(d.AuthTypes) != 2 {
		t.Fatalf("%+v", d)
	}
	want := []string{"Account", "Case", "Contact", "Lead", "Opportunity", "WorkOrder"}
	for i, e := range d.StandardEntities {
		if e.Entity != want[i] || e.Label == "" || len(e.Fields) < 8 || len(e.Fields) > 20 {
			t.Errorf("%+v", e)
		}
		for _, f := range e.Fields {
			if !validName(f, false) {
				t.Errorf("%s.%s", e.Entity, f)
			}
		}
	}
}

func TestNewValidates(t *testing.T) {
	_, pkcs1, _ := rsaKey(t)
	good := crm.Config{BaseURL: "https://acme.my.salesforce.com", Auth: crm.Auth{Type: crm.AuthClientCredentials, ClientID: "id"},
		Credentials: crm.Credentials{ClientSecret: "s"}, Timeout: time.Second}
	if _, err := New(good, nil); err != nil {
		t.Fatal(err)
	}
	crmtest.RejectsEdits(t, New, good, map[string]func(*crm.Config){
		"no base":          func(c *crm.Config) { c.BaseURL = "" },
		"relative":         func(c *crm.Config) { c.BaseURL = "acme.my.salesforce.com" },
		"ftp":              func(c *crm.Config) { c.BaseURL = "ftp://acme.my.salesforce.com" },
		"path":             func(c *crm.Config) { c.BaseURL = "https://acme.my.salesforce.com/services" },
		"user info":        func(c *crm.Config) { c.BaseURL = "https://u:p@acme.my.salesforce.com" },
		"query":            func(c *crm.Config) { c.BaseURL = "https://acme.my.salesforce.com?x=1" },
		"version":          func(c *crm.Config) { c.APIVersion = "62" },
		"token url":        func(c *crm.Config) { c.Auth.TokenURL = "/services/oauth2/token" },
		"no secret":        func(c *crm.Config) { c.Credentials.ClientSecret = "" },
		"no client id":     func(c *crm.Config) { c.Auth.ClientID = "" },
		"basic auth":       func(c *crm.Config) { c.Auth.Type = crm.AuthBasic },
		"jwt without user": func(c *crm.Config) { c.Auth.Type = crm.AuthJWTBearer; c.Credentials.PrivateKey = pkcs1 },
		"jwt bad key": func(c *crm.Config) {
			c.Auth.Type, c.Auth.Username, c.Credentials.PrivateKey = crm.AuthJWTBearer, "u", "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----"
		},
	})
	jwt := good
	jwt.Auth = crm.Auth{Type: crm.AuthJWTBearer, ClientID: "id", Username: "u", TokenURL: "https://login.salesforce.com/services/oauth2/token"}
	jwt.Credentials = crm.Credentials{PrivateKey: pkcs1}
	if _, err := New(jwt, nil); err != nil {
		t.Fatal(err)
	}
}

// TestRecordURL: record URLs point to Lightning Experience, on the appUrl
// when set, else on the org's Lightning host derived from its My Domain,
// else on a loopback baseUrl; otherwise there is none, and a reference no
// org could have gets none either.
func TestRecordURL(t *testing.T) {
	const id = "003Dn0000000001AAA"
	cases := []struct{ base, app, entity, want string }{
		{"https://ACME.my.salesforce.com/", "", "Contact", "https://acme.lightning.force.com/lightning/r/Contact/" + id + "/view"},
		{"https://acme.my.salesforce.com", "", "contact", "https://acme.lightning.force.com/lightning/r/Contact/" + id + "/view"},
		{"https://acme--uat.sandbox.my.salesforce.com", "", "Case", "https://acme--uat.sandbox.lightning.force.com/lightning/r/Case/" + id + "/view"},
		{"https://acme.my.salesforce.com", "https://acme.my.salesforce.com", "Invoice__c", "https://acme.my.salesforce.com/lightning/r/Invoice__c/" + id + "/view"},
		{"https://proxy.example.com", "https://acme.lightning.force.com/", "Contact", "https://acme.lightning.force.com/lightning/r/Contact/" + id + "/view"},
		{"http://127.0.0.1:8080", "", "Contact", "http://127.0.0.1:8080/lightning/r/Contact/" + id + "/view"},
		{"https://proxy.example.com", "", "Contact", ""},
		{"https://acme.my.salesforce.com", "", "contacts", ""},
	}
	for _, tc := range cases {
		c, err := newConnector(crm.Config{BaseURL: tc.base, AppURL: tc.app, Auth: crm.Auth{Type: crm.AuthClientCredentials, ClientID: "i"},
			Credentials: crm.Credentials{ClientSecret: "s"}}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if got := c.RecordURL(crm.Ref{Entity: tc.entity, ID: id}); got != tc.want {
			t.Errorf("%s (app %q) %s: %q, want %q", tc.base, tc.app, tc.entity, got, tc.want)
		}
	}
	c, _ := newConnector(crm.Config{BaseURL: "https://acme.my.salesforce.com", Auth: crm.Auth{Type: crm.AuthClientCredentials, ClientID: "i"},
		Credentials: crm.Credentials{ClientSecret: "s"}}, nil)
	if got := c.RecordURL(crm.Ref{Entity: "Contact", ID: "not-an-id"}); got != "" {
		t.Errorf("bad id: %q", got)
	}
}

func TestAppHostAllowed(t *testing.T) {
	for host, want := range map[string]bool{
		"acme.lightning.force.com": true, "acme--uat.sandbox.lightning.force.com": true, "ACME.my.salesforce.com": true,
		"acme-dev-ed.develop.lightning.force.com": true, "lightning.force.com": false, "acme.force.com": false,
		"evil.com": false, "acme.lightning.force.com.evil.com": false, "-acme.lightning.force.com": false,
	} {
		if got := Driver().AppHostAllowed(host); got != want {
			t.Errorf("AppHostAllowed(%q) = %v", host, got)
		}
	}
}
