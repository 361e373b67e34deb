package hubspot

import (
	"testing"

	"github.com/crmflow/crmflow/shared/crm"
	hssandbox "github.com/crmflow/crmflow/shared/sandbox/hubspot"
)

// TestInspector: Ping reads the account details, Sample one record by any
// spelling, Describe the properties with HubSpot's labels and types.
func TestInspector(t *testing.T) {
	c, sb := startSandbox(t, nil, hssandbox.Options{})
	if err := c.Ping(ctx(t)); err != nil {
		t.Fatal(err)
	}
	if n := sb.Calls("GET /account-info/v3/details"); n != 1 {
		t.Fatalf("ping made %d account calls", n)
	}
	rec, found, err := c.Sample(ctx(t), "ticket")
	if err != nil || !found || rec.Entity != "tickets" || rec.ID == "" || rec.URL == "" {
		t.Fatalf("sample: %+v %v %v", rec, found, err)
	}
	if n := sb.Calls("GET /crm/v3/objects/tickets"); n != 1 {
		t.Fatalf("sample made %d list calls", n)
	}
	meta, err := c.Describe(ctx(t), "0-1")
	if err != nil || meta.Entity != "contacts" || meta.Label != "Contact" {
		t.Fatalf("describe: %+v %v", meta, err)
	}
	for name, want := range map[string]crm.FieldMeta{
		"firstname":      {Name: "firstname", Label: "First Name", Type: "string"},
		"phone":          {Name: "phone", Label: "Phone Number", Type: "string"},
		"createdate":     {Name: "createdate", Label: "Create Date", Type: "datetime"},
		"hs_object_id":   {Name: "hs_object_id", Label: "Record ID", Type: "number"},
		"lifecyclestage": {Name: "lifecyclestage", Label: "Lifecycle Stage", Type: "enumeration"},
	} {
		if got, ok := meta.Field(name); !ok || got != want {
			t.Errorf("field %s = %+v, want %+v", name, got, want)
		}
	}
	if m, err := c.Describe(ctx(t), "p_devices"); err != nil || m.Entity != "p_devices" || len(m.Fields) == 0 {
		t.Fatalf("custom object: %+v %v", m, err)
	}
	sb.Inject(hssandbox.ErrorFault(403, "MISSING_SCOPES", "This app hasn't been granted all required scopes to make this call."))
	err = c.Ping(ctx(t))
	if e := wantCode(t, err, crm.PermissionDenied); e.IsRefusal() || e.Status != 403 {
		t.Fatalf("%+v", e)
	}
}
