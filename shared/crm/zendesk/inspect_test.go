package zendesk

import (
	"net/http"
	"testing"

	"github.com/crmflow/crmflow/shared/crm"
	zdsandbox "github.com/crmflow/crmflow/shared/sandbox/zendesk"
)

// TestDescribe: every entity's metadata from the account's field lists,
// titles as labels, in the names the driver takes.
func TestDescribe(t *testing.T) {
	c, _ := startSandbox(t, nil, zdsandbox.Options{})
	cases := map[string]map[string]string{
		"tickets":      {"subject": "Subject", "comment.body": "Description", "type": "Type", "assignee_id": "Assignee", "custom_fields.360001": "Support tier", "requester_id": "Requester"},
		"user":         {"email": "Email", "user_fields.job_title": "Job title"},
		"organization": {"name": "Name", "organization_fields.account_tier": "Account tier"},
		"call_note":    {"name": "Name", "external_id": "External ID", "custom_object_fields.summary": "Summary", "custom_object_fields.duration_seconds": "Duration (seconds)"},
	}
	for entity, want := range cases {
		meta, err := c.Describe(ctx(t), entity)
		if err != nil {
			t.Fatalf("%s: %v", entity, err)
		}
		canon, _ := canonicalEntity(entity)
		if meta.Entity != canon {
			t.Errorf("%s: entity %q", entity, meta.Entity)
		}
		for name, label := range want {
			if f, ok := meta.Field(name); !ok || f.Label != label {
				t.Errorf("%s: field %s = %+v, %v; want label %q", entity, name, f, ok, label)
			}
		}
	}
	_, err := c.Describe(ctx(t), "no_such_object")
	wantCode(t, err, crm.NotFound)
}

func TestSampleAndPing(t *testing.T) {
	c, sb := startSandbox(t, nil, zdsandbox.Options{})
	if err := c.Ping(ctx(t)); err != nil {
		t.Fatal(err)
	}
	for _, entity := range []string{"ticket", "organizations", "call_note"} {
		rec, found, err := c.Sample(ctx(t), entity)
		if err != nil || !found || rec.ID == "" {
			t.Fatalf("%s: %+v %v %v", entity, rec, found, err)
		}
	}
	empty, _ := startSandbox(t, nil, zdsandbox.Options{Empty: true})
	if _, found, err := empty.Sample(ctx(t), "ticket"); err != nil || found {
		t.Fatalf("empty account: %v %v", found, err)
	}
	_ = sb
	anon := fakeAccount(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`{"user":{"id":null,"name":"Anonymous user","role":"end-user"}}`))
	}))
	wantCode(t, anon.Ping(ctx(t)), crm.Unauthenticated)
}
