package drivers

import (
	"testing"

	"github.com/crmflow/crmflow/shared/crm"
)

// TestEveryCRM: all seven CRM types are registered, each with a standard
// entity catalog, and each accepts its own production host and none of the
// others' (a configuration cannot point one CRM type at another's host).
func TestEveryCRM(t *testing.T) {
	reg := Registry()
	hosts := map[crm.Type]string{
		crm.Salesforce: "acme.my.salesforce.com",
		crm.Dynamics:   "acme.crm.dynamics.com",
		crm.ServiceNow: "acme.service-now.com",
		crm.Zendesk:    "acme.zendesk.com",
		crm.HubSpot:    "api.hubapi.com",
		crm.Kustomer:   "acme.api.kustomerapp.com",
		crm.Oracle:     "acme.custhelp.com",
	}
	if got := len(reg.Types()); got != len(hosts) {
		t.Fatalf("%d drivers registered, want %d", got, len(hosts))
	}
	for _, typ := range reg.Types() {
		d, ok := reg.Driver(typ)
		if !ok {
			t.Fatalf("%s not registered", typ)
		}
		if d.Label == "" || d.New == nil || len(d.AuthTypes) == 0 || len(d.StandardEntities) == 0 {
			t.Errorf("%s: incomplete driver %+v", typ, d)
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
