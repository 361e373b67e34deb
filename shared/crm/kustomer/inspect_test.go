package kustomer

import (
	"net/http"
	"testing"

	"github.com/crmflow/crmflow/shared/crm"
	kussandbox "github.com/crmflow/crmflow/shared/sandbox/kustomer"
)

func TestInspect(t *testing.T) {
	c, sb := startSandbox(t, nil, kussandbox.Options{})
	if err := c.Ping(ctx(t)); err != nil || sb.Calls("GET /v1/users/current") != 1 {
		t.Fatalf("ping: %v", err)
	}
	for entity, found := range map[string]bool{"customers": true, "conversation": true, "company": true, "messages": true,
		"notes": false, "order": true} {
		rec, ok, err := c.Sample(ctx(t), entity)
		canon, _ := canonicalEntity(entity)
		if err != nil || ok != found || (found && (rec.Entity != canon || rec.ID == "")) {
			t.Errorf("Sample(%s) = %+v, %v, %v", entity, rec, ok, err)
		}
	}
	meta, err := c.Describe(ctx(t), "customers")
	if err != nil || meta.Entity != "customer" || meta.Label != "Customer" {
		t.Fatalf("%+v %v", meta, err)
	}
	for name, label := range map[string]string{"custom.tierStr": "Tier", "custom.jobTitleStr": "Job Title", "name": "Name",
		"externalId": "External id", "email": "Email (first of emails)", "displayName": "Display name"} {
		if f, ok := meta.Field(name); !ok || f.Label != label {
			t.Errorf("customer field %s: %+v %v", name, f, ok)
		}
	}
	if f, _ := meta.Field("birthdayAt"); f.Type != "date-time" {
		t.Errorf("birthdayAt %+v", f)
	}
	k, err := c.Describe(ctx(t), "order")
	if err != nil || k.Entity != "kobject.order" || k.Label != "Order" {
		t.Fatalf("%+v %v", k, err)
	}
	for _, f := range []string{"title", "externalId", "custom.totalNum", "custom.statusStr"} {
		if _, ok := k.Field(f); !ok {
			t.Errorf("order lacks %s", f)
		}
	}
	if f, _ := k.Field("custom.totalNum"); f.Type != "number" || f.Label != "Total" {
		t.Errorf("totalNum %+v", f)
	}
	before := sb.Calls("GET /v1/metadata/note")
	if n, err := c.Describe(ctx(t), "note"); err != nil || len(n.Fields) == 0 || sb.Calls("GET /v1/metadata/note") != before {
		t.Fatalf("note: %+v %v", n, err)
	}
	if _, err := c.Describe(ctx(t), "call_note"); crm.CodeOf(err) != crm.NotFound {
		t.Fatalf("unknown Klass: %v", err)
	}
}

// A metadata resource Kustomer answers 404 for has no custom attributes;
// other failures are passed on.
func TestDescribeMetadataAnswers(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1/metadata/customer", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(404)
		w.Write([]byte(`{"errors":[{"status":404,"code":"not_found","title":"Not Found","detail":"metadata not found"}]}`))
	})
	mux.HandleFunc("GET /v1/metadata/company", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(403)
		w.Write([]byte(`{"errors":[{"status":403,"code":"forbidden","title":"Forbidden","detail":"missing org.permission.metadata.read"}]}`))
	})
	c := fakeAPI(t, mux)
	meta, err := c.Describe(ctx(t), "customer")
	if err != nil || len(meta.Fields) == 0 {
		t.Fatalf("%+v %v", meta, err)
	}
	for _, f := range meta.Fields {
		if len(f.Name) > 7 && f.Name[:7] == "custom." {
			t.Fatalf("custom field %s without metadata", f.Name)
		}
	}
	_, err = c.Describe(ctx(t), "company")
	if e := wantCode(t, err, crm.PermissionDenied); e.Status != 403 || e.Message != "missing org.permission.metadata.read" {
		t.Fatalf("%+v", e)
	}
}

// Notes go into their conversation (POST /v1/notes takes no conversation),
// companies are updated with PUT, the one update Kustomer documents.
func TestNotesAndCompaniesFollowTheReference(t *testing.T) {
	c, sb := startSandbox(t, nil, kussandbox.Options{})
	conv := sb.IDs("conversation")[0]
	rec, err := c.Create(ctx(t), "note", map[string]any{"body": "Called", "conversation": conv})
	if err != nil || sb.Calls("POST /v1/conversations/"+conv+"/notes") != 1 {
		t.Fatalf("%+v %v", rec, err)
	}
	if got, _ := sb.Record(rec.ID); got["conversation"] != conv {
		t.Fatalf("note %+v", got)
	}
	company := sb.IDs("company")[0]
	if err := c.Update(ctx(t), crm.Ref{Entity: "companies", ID: company}, map[string]any{"custom.tierStr": "gold"}); err != nil {
		t.Fatal(err)
	}
	if got, _ := sb.Record(company); got["name"] != "Acme Corporation" || sb.Calls("PUT /v1/companies/"+company) != 1 {
		t.Fatalf("company %+v", got)
	}
}
