package drivers

import (
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/crmflow/crmflow/shared/crm"
)

// TestEveryCRM: every registered driver is complete, its Example is a
// configuration its own rules take, and it accepts its own production host
// and none of the others' (a configuration cannot point one CRM type at
// another's host).
func TestEveryCRM(t *testing.T) {
	reg := Registry()
	// The sandbox table's test checks that every driver has a sandbox row
	// and every row a driver (shared/sandbox/sandboxes).
	if len(reg.Types()) == 0 {
		t.Fatal("no driver registered")
	}
	hosts := map[crm.Type]string{}
	for _, typ := range reg.Types() {
		d, _ := reg.Driver(typ)
		u, err := url.Parse(d.Example.BaseURL)
		if err != nil || u.Scheme != "https" || u.Host == "" {
			t.Fatalf("%s: Example.BaseURL %q is not an https address", typ, d.Example.BaseURL)
		}
		hosts[typ] = u.Host
	}
	for _, typ := range reg.Types() {
		d, ok := reg.Driver(typ)
		if !ok || d.Type != typ {
			t.Fatalf("%s not registered under its type", typ)
		}
		if d.Label == "" || d.New == nil || len(d.AuthTypes) == 0 || len(d.StandardEntities) == 0 {
			t.Errorf("%s: incomplete driver %+v", typ, d)
		}
		ex := d.Example
		if !slices.Contains(d.AuthTypes, ex.Auth.Type) {
			t.Errorf("%s: Example auth %s is not one of %v", typ, ex.Auth.Type, d.AuthTypes)
		}
		if ex.Auth.TokenURL != "" {
			tu, err := url.Parse(ex.Auth.TokenURL)
			fits := err == nil && (strings.EqualFold(tu.Host, hosts[typ]) || (d.TokenHostAllowed != nil && d.TokenHostAllowed(tu.Host)))
			if !fits {
				t.Errorf("%s: Example token URL %q fits no token host rule", typ, ex.Auth.TokenURL)
			}
		}
		cfg := crm.Config{ConfigurationID: "c1", Type: typ, BaseURL: ex.BaseURL, Auth: ex.Auth, Credentials: ex.Credentials}
		if d.ConfigCheck != nil {
			if err := d.ConfigCheck(cfg); err != nil {
				t.Errorf("%s: Example refused by ConfigCheck: %v", typ, err)
			}
		}
		if _, err := reg.New(cfg, nil); err != nil {
			t.Errorf("%s: Example refused by New: %v", typ, err)
		}
		for other, host := range hosts {
			if got := d.HostAllowed(host); got != (other == typ) {
				t.Errorf("%s.HostAllowed(%s) = %v", typ, host, got)
			}
		}
		for _, evil := range []string{"evil.example.com", "my.salesforce.com.evil.example", "127.0.0.1", ""} {
			if d.HostAllowed(evil) {
				t.Errorf("%s accepts %q", typ, evil)
			}
		}
	}
}
