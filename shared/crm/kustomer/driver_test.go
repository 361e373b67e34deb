package kustomer

import (
	"slices"
	"testing"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmtest"
)

func TestHostAllowed(t *testing.T) {
	crmtest.WantHosts(t, hostAllowed, map[string]bool{
		"api.kustomerapp.com": true, "API.KustomerApp.com": true, "acme.api.kustomerapp.com": true,
		"api.prod2.kustomerapp.com": true, "api.prod4.kustomerapp.com": true, "acme-eu.api.prod2.kustomerapp.com": true,
		"kustomerapp.com": false, "acme.kustomerapp.com": false, "api.kustomerapp.com.evil.example": false,
		"evil.example/api.kustomerapp.com": false, "a.b.api.kustomerapp.com": false, "-x.api.kustomerapp.com": false,
		"api.staging.kustomerapp.com": false, "": false,
	})
}

func TestDriver(t *testing.T) {
	d := Driver()
	if d.Type != crm.Kustomer || d.Label != "Kustomer" || d.DefaultAPIVersion != "v1" || d.TokenHostAllowed != nil || d.New == nil {
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
		o, _ := resolve("test", e.Entity)
		for _, f := range e.Fields {
			if !validPath(f) || !writable(o, f) {
				t.Errorf("%s field %q is not an attribute Kustomer takes", e.Entity, f)
			}
		}
	}
	if !slices.Equal(names, []string{"customer", "conversation"}) {
		t.Fatalf("standard entities %v", names)
	}
}

func TestNewValidatesConfig(t *testing.T) {
	good := crm.Config{BaseURL: "https://acme.api.kustomerapp.com", Auth: crm.Auth{Type: crm.AuthBearerToken},
		Credentials: crm.Credentials{Token: "eyJhbGciOiJIUzI1NiJ9.e30.sig"}}
	if _, err := New(good, nil); err != nil {
		t.Fatalf("good config: %v", err)
	}
	crmtest.RejectsEdits(t, New, good, map[string]func(*crm.Config){
		"ftp scheme":       func(c *crm.Config) { c.BaseURL = "ftp://api.kustomerapp.com" },
		"path":             func(c *crm.Config) { c.BaseURL = "https://api.kustomerapp.com/v1" },
		"query":            func(c *crm.Config) { c.BaseURL = "https://api.kustomerapp.com?x=1" },
		"user info":        func(c *crm.Config) { c.BaseURL = "https://u:p@api.kustomerapp.com" },
		"api version":      func(c *crm.Config) { c.APIVersion = "v2" },
		"basic auth":       func(c *crm.Config) { c.Auth.Type = crm.AuthBasic },
		"no token":         func(c *crm.Config) { c.Credentials.Token = "" },
		"token with space": func(c *crm.Config) { c.Credentials.Token = "ey J" },
		"token with CRLF":  func(c *crm.Config) { c.Credentials.Token = "ey\r\nX-Evil: 1" },
	})
}
