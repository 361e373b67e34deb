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

func TestRecordURL(t *testing.T) {
	c, err := newConnector(crm.Config{BaseURL: "https://ACME.my.salesforce.com/", Auth: crm.Auth{Type: crm.AuthClientCredentials, ClientID: "i"},
		Credentials: crm.Credentials{ClientSecret: "s"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := c.RecordURL(crm.Ref{Entity: "Contact", ID: "003Dn0000000001AAA"}); got != "https://acme.my.salesforce.com/lightning/r/Contact/003Dn0000000001AAA/view" {
		t.Fatal(got)
	}
}
