package dynamics

import (
	"net/http"
	"testing"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/sandbox"
	dvsandbox "github.com/crmflow/crmflow/shared/sandbox/dynamics"
)

func TestWriteRecordCreateIsIdempotent(t *testing.T) {
	c, sb := startSandbox(t, nil, dvsandbox.Options{})
	jane, _ := janeAndCase(t, c)
	m := crm.Memorialization{Key: "job-7", Entity: "incident", Mode: crm.ModeCreate, Links: []crm.Ref{jane},
		Fields: map[string]any{"title": "Follow-up on the printer", "caseorigincode": 1.0}}
	before := len(sb.Records("incident"))
	// The first answer is lost after the write.
	sb.Inject(sandbox.Fault{Match: "/api/data/v9.2/incidents", Method: http.MethodPost, Times: 1, Status: 504, AfterWrite: true})
	if _, err := c.WriteRecord(ctx(t), m); crm.CodeOf(err) != crm.DeadlineExceeded {
		t.Fatalf("err = %v", err)
	}
	got, found, err := c.FindWrite(ctx(t), crm.WriteLookup{Kind: crm.WriteMemorialization, Entity: "incident", Key: m.Key})
	if err != nil || !found {
		t.Fatalf("FindWrite after lost answer: %v %v", found, err)
	}
	res, err := c.WriteRecord(ctx(t), m)
	if err != nil || res.Records[0] != got.Records[0] {
		t.Fatalf("second write: %+v %v (want %+v)", res, err, got)
	}
	if n := len(sb.Records("incident")); n != before+1 {
		t.Fatalf("%d incidents, want %d", n, before+1)
	}
	if row := sb.Record("incident", res.Records[0].ID); row["_customerid_value"] != jane.ID || row["title"] != "Follow-up on the printer" {
		t.Fatalf("row %+v", row)
	}
	if m.Fields["incidentid"] != nil || len(m.Fields) != 2 {
		t.Fatalf("caller's fields changed: %+v", m.Fields)
	}
}

func TestWriteRecordRelations(t *testing.T) {
	c, sb := startSandbox(t, nil, dvsandbox.Options{})
	jane, incident := janeAndCase(t, c)
	acme := sb.Record("contact", jane.ID)["_parentcustomerid_value"].(string)
	account := crm.Ref{Entity: "account", ID: acme}
	for _, tc := range []struct {
		entity string
		links  []crm.Ref
		fields map[string]any
		lookup string
		want   string
	}{
		{"task", []crm.Ref{jane, incident}, map[string]any{"subject": "Summary"}, "_regardingobjectid_value", incident.ID},
		{"phonecall", []crm.Ref{jane}, map[string]any{"subject": "Summary"}, "_regardingobjectid_value", jane.ID},
		{"opportunity", []crm.Ref{account, jane}, map[string]any{"name": "Upsell"}, "_parentaccountid_value", acme},
		{"opportunity", []crm.Ref{account, jane}, map[string]any{"name": "Upsell 2"}, "_parentcontactid_value", jane.ID},
		{"contact", []crm.Ref{account}, map[string]any{"lastname": "New"}, "_parentcustomerid_value", acme},
		// The mapping's own lookup wins over the link.
		{"incident", []crm.Ref{jane}, map[string]any{"title": "For Acme", "customerid_account": acme}, "_customerid_value", acme},
		{"new_callnote", []crm.Ref{jane}, map[string]any{"new_name": "Note", "new_contactid": "/contacts(" + jane.ID + ")"},
			"_new_contactid_value", jane.ID},
	} {
		res, err := c.WriteRecord(ctx(t), crm.Memorialization{Key: "job-" + tc.entity + tc.lookup, Entity: tc.entity, Links: tc.links, Fields: tc.fields})
		if err != nil {
			t.Fatalf("%s: %v", tc.entity, err)
		}
		if got := sb.Record(tc.entity, res.Records[0].ID)[tc.lookup]; got != tc.want {
			t.Errorf("%s %s = %v, want %s", tc.entity, tc.lookup, got, tc.want)
		}
	}
}

func TestWriteRecordUpdateMode(t *testing.T) {
	c, sb := startSandbox(t, nil, dvsandbox.Options{})
	jane, incident := janeAndCase(t, c)
	res, err := c.WriteRecord(ctx(t), crm.Memorialization{Entity: "contact", Mode: crm.ModeUpdate, Links: []crm.Ref{jane, incident},
		Fields: map[string]any{"jobtitle": "Facilities Director"}})
	if err != nil || len(res.Records) != 1 || res.Records[0] != jane {
		t.Fatalf("%+v %v", res, err)
	}
	if sb.Record("contact", jane.ID)["jobtitle"] != "Facilities Director" {
		t.Fatal("not updated")
	}
	_, err = c.WriteRecord(ctx(t), crm.Memorialization{Entity: "lead", Mode: crm.ModeUpdate, Links: []crm.Ref{jane}, Fields: map[string]any{"subject": "x"}})
	wantCode(t, err, crm.InvalidArgument)
}

func TestWriteRecordRefusals(t *testing.T) {
	c, _ := startSandbox(t, nil, dvsandbox.Options{})
	for _, m := range []crm.Memorialization{
		{Key: "k", Entity: "task", Fields: map[string]any{"activityid": "7d577253-3ef0-4a0a-bb7f-8335c2596e70"}},
		{Key: "", Entity: "task"},
		{Key: "k", Entity: "EntityDefinitions"},
		{Key: "k", Entity: "task", Mode: "upsert"},
		{Key: "k", Entity: "task", Fields: map[string]any{"sub.ject": "x"}},
	} {
		if _, err := c.WriteRecord(ctx(t), m); crm.CodeOf(err) != crm.InvalidArgument {
			t.Errorf("%+v: %v", m, err)
		}
	}
}

func TestCreateCaseNeedsCustomer(t *testing.T) {
	c, _ := startSandbox(t, nil, dvsandbox.Options{})
	_, err := c.Create(ctx(t), "incident", map[string]any{"title": "No customer"})
	e := wantCode(t, err, crm.InvalidArgument)
	if e.Status != 400 || e.CRMCode != "0x80040200" || e.Message != "You should specify a parent contact or account." {
		t.Fatalf("%+v", e)
	}
	jane, _ := janeAndCase(t, c)
	rec, err := c.Create(ctx(t), "incident", map[string]any{"title": "With customer", "customerid_contact": jane.ID})
	if err != nil || rec.Display != "With customer" || rec.Entity != "incident" {
		t.Fatalf("%+v %v", rec, err)
	}
}

func TestLookupBody(t *testing.T) {
	id := "7D577253-3EF0-4A0A-BB7F-8335C2596E70"
	body, err := lookupBody("op", map[string]any{
		"customerid_contact":                   id,
		"regardingobjectid_incident_phonecall": id,
		"new_contactid":                        "contacts(" + id + ")",
		"parentaccountid@odata.bind":           "/accounts(" + id + ")",
		"description":                          id, // a GUID in a text column stays text
		"numberofemployees":                    12.0,
	})
	if err != nil {
		t.Fatal(err)
	}
	lower := "7d577253-3ef0-4a0a-bb7f-8335c2596e70"
	want := map[string]any{
		"customerid_contact@odata.bind":                   "/contacts(" + lower + ")",
		"regardingobjectid_incident_phonecall@odata.bind": "/incidents(" + lower + ")",
		"new_contactid@odata.bind":                        "/contacts(" + lower + ")",
		"parentaccountid@odata.bind":                      "/accounts(" + id + ")",
		"description":                                     id,
		"numberofemployees":                               12.0,
	}
	if len(body) != len(want) {
		t.Fatalf("%+v", body)
	}
	for k, v := range want {
		if body[k] != v {
			t.Errorf("%s = %v, want %v", k, body[k], v)
		}
	}
}

func TestUpdateNeverCreates(t *testing.T) {
	c, sb := startSandbox(t, nil, dvsandbox.Options{})
	before := len(sb.Records("contact"))
	err := c.Update(ctx(t), crm.Ref{Entity: "contact", ID: "6f1c9a52-0d3e-4b8a-9c1d-3e5f7a9b0c42"}, map[string]any{"jobtitle": "x"})
	e := wantCode(t, err, crm.NotFound)
	if e.CRMCode != "0x80040217" || len(sb.Records("contact")) != before {
		t.Fatalf("%+v", e)
	}
}

func TestFindWriteUnknownKinds(t *testing.T) {
	c, _ := startSandbox(t, nil, dvsandbox.Options{})
	if _, _, err := c.FindWrite(ctx(t), crm.WriteLookup{Kind: "other", Key: "k"}); crm.CodeOf(err) != crm.InvalidArgument {
		t.Fatal(err)
	}
	if _, _, err := c.FindWrite(ctx(t), crm.WriteLookup{Kind: crm.WriteMemorialization, Entity: "Bad)", Key: "k"}); crm.CodeOf(err) != crm.InvalidArgument {
		t.Fatal(err)
	}
	_, found, err := c.FindWrite(ctx(t), crm.WriteLookup{Kind: crm.WriteMemorialization, Entity: "new_callnote", Key: "never"})
	if err != nil || found {
		t.Fatalf("%v %v", found, err)
	}
	if _, _, err := c.FindWrite(ctx(t), crm.WriteLookup{Kind: crm.WriteMemorialization, Entity: "new_unknown", Key: "k"}); crm.CodeOf(err) != crm.NotFound {
		t.Fatalf("unknown table: %v", err)
	}
}

func TestWriteIDIsStableAndDistinct(t *testing.T) {
	a := writeID(crm.WriteActivity, "phonecall", "job-1")
	if a != writeID(crm.WriteActivity, "phonecall", "job-1") || !guidShape.MatchString(a) || a[14] != '5' {
		t.Fatalf("id %s", a)
	}
	for _, other := range []string{writeID(crm.WriteMemorialization, "phonecall", "job-1"), writeID(crm.WriteActivity, "task", "job-1"),
		writeID(crm.WriteActivity, "phonecall", "job-2")} {
		if other == a {
			t.Fatal("ids collide")
		}
	}
}
