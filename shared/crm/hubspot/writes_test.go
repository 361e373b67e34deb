package hubspot

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/crmflow/crmflow/shared/crm"
	hssandbox "github.com/crmflow/crmflow/shared/sandbox/hubspot"
)

func TestCreateConvertsValues(t *testing.T) {
	c, sb := startSandbox(t, nil, hssandbox.Options{})
	rec, err := c.Create(ctx(t), "companies", map[string]any{"name": "Initech", "numberofemployees": 250.0,
		"annualrevenue": 1.5e7, "description": nil, "industry": []any{"Software", "Consulting"}})
	if err != nil {
		t.Fatal(err)
	}
	props, _ := sb.Object("companies", rec.ID)
	if props["numberofemployees"] != "250" || props["annualrevenue"] != "15000000" || props["industry"] != "Software;Consulting" {
		t.Fatalf("stored %v", props)
	}
	if _, has := props["description"]; has || rec.Display != "Initech" || rec.Entity != "companies" ||
		!strings.HasSuffix(rec.URL, "/record/0-2/"+rec.ID) || rec.Fields["name"] != "Initech" {
		t.Fatalf("record %+v", rec)
	}
	for name, fields := range map[string]map[string]any{
		"nested":        {"name": map[string]any{"a": 1}},
		"nested list":   {"name": []any{[]any{"a"}}},
		"dotted":        {"address.city": "Oslo"},
		"invalid UTF-8": {"name": "\xff"},
	} {
		if _, err := c.Create(ctx(t), "companies", fields); crm.CodeOf(err) != crm.InvalidArgument {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestCreateErrorsFromHubSpot(t *testing.T) {
	c, _ := startSandbox(t, nil, hssandbox.Options{})
	_, err := c.Create(ctx(t), "contacts", map[string]any{"favourite_colour": "red"})
	e := wantCode(t, err, crm.InvalidArgument)
	if e.CRMCode != "VALIDATION_ERROR" || !strings.Contains(e.Message, "PROPERTY_DOESNT_EXIST") {
		t.Fatalf("%+v", e)
	}
	_, err = c.Create(ctx(t), "tickets", map[string]any{"subject": "No stage"})
	wantCode(t, err, crm.InvalidArgument)
	_, err = c.Create(ctx(t), "contacts", map[string]any{"email": "JANE.DOE@example.com"})
	e = wantCode(t, err, crm.AlreadyExists)
	if !strings.Contains(e.Message, "Existing ID") {
		t.Fatalf("%+v", e)
	}
}

func TestGetWithoutFieldsShowsDefaults(t *testing.T) {
	c, sb := startSandbox(t, nil, hssandbox.Options{})
	rec, err := c.Get(ctx(t), crm.Ref{Entity: "contacts", ID: sb.IDs("contacts")[0]}, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"createdate", "email", "firstname", "hs_object_id", "lastmodifieddate", "lastname"}
	if got := sortedKeys(rec.Fields); !slices.Equal(got, want) || rec.Display != "Jane Doe" {
		t.Fatalf("fields %v, record %+v", got, rec)
	}
}

func TestWriteRecordCreateTicket(t *testing.T) {
	c, sb := startSandbox(t, nil, hssandbox.Options{})
	jane, acme := sb.IDs("contacts")[0], sb.IDs("companies")[0]
	res, err := c.WriteRecord(ctx(t), crm.Memorialization{Key: "job-9", Entity: "tickets", Mode: crm.ModeCreate,
		Fields: map[string]any{"subject": "Call summary", "hs_pipeline_stage": "1"},
		Links:  []crm.Ref{{Entity: "contacts", ID: jane}, {Entity: "companies", ID: acme}}})
	if err != nil {
		t.Fatal(err)
	}
	ticket := res.Records[0]
	props, _ := sb.Object("tickets", ticket.ID)
	if ticket.Entity != "tickets" || props[keyProperty] != "job-9" || props["subject"] != "Call summary" {
		t.Fatalf("%+v stored %v", ticket, props)
	}
	if !slices.Equal(sb.Associations("tickets", ticket.ID, "contacts"), []string{jane}) ||
		!slices.Equal(sb.Associations("tickets", ticket.ID, "companies"), []string{acme}) {
		t.Fatal("ticket not associated")
	}
	sb.ResetCalls()
	got, found, err := c.FindWrite(ctx(t), crm.WriteLookup{Kind: crm.WriteMemorialization, Entity: "ticket", Key: "job-9"})
	if err != nil || !found || got.Records[0] != ticket {
		t.Fatalf("%+v found=%v err=%v", got, found, err)
	}
	// One read by the unique value, no search.
	if sb.TotalCalls() != 1 || sb.Calls("GET /crm/v3/objects/tickets/job-9") != 1 {
		t.Fatalf("%d calls", sb.TotalCalls())
	}
}

func TestWriteRecordRefusesUnkeyedObjects(t *testing.T) {
	c, sb := startSandbox(t, nil, hssandbox.Options{})
	jane := sb.IDs("contacts")[0]
	for _, entity := range []string{"notes", "tasks", "meetings", "products"} {
		_, err := c.WriteRecord(ctx(t), crm.Memorialization{Key: "job-9", Entity: entity, Mode: crm.ModeCreate,
			Fields: map[string]any{"hs_note_body": "Call summary"}, Links: []crm.Ref{{Entity: "contacts", ID: jane}}})
		if e := wantCode(t, err, crm.InvalidArgument); e.Field != "entity" || !strings.Contains(e.Message, "unique") {
			t.Fatalf("%s: %+v", entity, e)
		}
		// Nothing was written there, so there is nothing to find, and nothing is asked.
		_, found, err := c.FindWrite(ctx(t), crm.WriteLookup{Kind: crm.WriteMemorialization, Entity: entity, Key: "job-9"})
		if err != nil || found {
			t.Fatalf("%s: found=%v err=%v", entity, found, err)
		}
	}
	if sb.TotalCalls() != 0 || sb.Count("notes") != 0 {
		t.Fatalf("%d requests, %d notes", sb.TotalCalls(), sb.Count("notes"))
	}
}

func TestWriteRecordCallKey(t *testing.T) {
	c, _ := startSandbox(t, nil, hssandbox.Options{})
	_, err := c.WriteRecord(ctx(t), crm.Memorialization{Key: "job-1", Entity: "calls",
		Fields: map[string]any{keyProperty: "mine"}})
	wantCode(t, err, crm.InvalidArgument)
	res, err := c.WriteRecord(ctx(t), crm.Memorialization{Key: "job-2", Entity: "0-48", Fields: map[string]any{"hs_call_title": "x"}})
	if err != nil {
		t.Fatal(err)
	}
	got, found, err := c.FindWrite(ctx(t), crm.WriteLookup{Kind: crm.WriteMemorialization, Entity: "0-48", Key: "job-2"})
	if err != nil || !found || got.Records[0] != res.Records[0] || res.Records[0].Entity != "calls" {
		t.Fatalf("%+v %+v found=%v err=%v", res, got, found, err)
	}
}

func TestFindWriteNeedsExactKey(t *testing.T) {
	c, sb := startSandbox(t, nil, hssandbox.Options{})
	if _, err := sb.Add("calls", map[string]string{"hs_timestamp": "2026-11-23T10:00:00.000Z", keyProperty: "JOB-5"}); err != nil {
		t.Fatal(err)
	}
	// A unique value is matched exactly: a key differing in case is another write.
	_, found, err := c.FindWrite(ctx(t), crm.WriteLookup{Kind: crm.WriteActivity, Key: "job-5"})
	if err != nil || found {
		t.Fatalf("found=%v err=%v", found, err)
	}
	_, found, err = c.FindWrite(ctx(t), crm.WriteLookup{Kind: crm.WriteActivity, Key: "JOB-5"})
	if err != nil || !found {
		t.Fatalf("found=%v err=%v", found, err)
	}
	// A key with characters that mean something in a path stays one segment.
	odd := "job/6 ?x=1#"
	if _, err := c.AddActivity(ctx(t), crm.Activity{Key: odd, Direction: "inbound"}); err != nil {
		t.Fatal(err)
	}
	if _, found, err = c.FindWrite(ctx(t), crm.WriteLookup{Kind: crm.WriteActivity, Key: odd}); err != nil || !found {
		t.Fatalf("found=%v err=%v", found, err)
	}
	for _, l := range []crm.WriteLookup{{Kind: "other", Key: "k"}, {Kind: crm.WriteActivity}, {Kind: crm.WriteMemorialization, Entity: "notez", Key: "k"}} {
		if _, _, err := c.FindWrite(ctx(t), l); crm.CodeOf(err) != crm.InvalidArgument {
			t.Errorf("%+v: %v", l, err)
		}
	}
}

// TestFindWriteWhileSearchLags: FindWrite reads by the unique value, so a
// write is found at once while the search index trails by an hour.
func TestFindWriteWhileSearchLags(t *testing.T) {
	c, sb := startSandbox(t, nil, hssandbox.Options{IndexLag: time.Hour})
	jane := sb.IDs("contacts")[0]
	links := []crm.Ref{{Entity: "contacts", ID: jane}}
	call, err := c.AddActivity(ctx(t), crm.Activity{Key: "job-lag-1", Direction: "inbound", Links: links})
	if err != nil {
		t.Fatal(err)
	}
	ticket, err := c.WriteRecord(ctx(t), crm.Memorialization{Key: "job-lag-2", Entity: "tickets",
		Fields: map[string]any{"subject": "Lagging", "hs_pipeline_stage": "1"}, Links: links})
	if err != nil {
		t.Fatal(err)
	}
	device, err := c.WriteRecord(ctx(t), crm.Memorialization{Key: "job-lag-3", Entity: "2-9001",
		Fields: map[string]any{"name": "Printer"}, Links: links})
	if err != nil {
		t.Fatal(err)
	}
	// The search does not see them yet…
	recs, err := c.search(ctx(t), "test", calls, []filterGroup{{Filters: []searchFilter{{PropertyName: keyProperty,
		Operator: filterOpEqual, Value: ptr("job-lag-1")}}}}, []string{keyProperty}, 10)
	if err != nil || len(recs) != 0 {
		t.Fatalf("search found %v (%v) within the lag", recs, err)
	}
	// …FindWrite does.
	for _, tc := range []struct {
		l    crm.WriteLookup
		want crm.WriteResult
	}{
		{crm.WriteLookup{Kind: crm.WriteActivity, Key: "job-lag-1", Links: links}, call},
		{crm.WriteLookup{Kind: crm.WriteMemorialization, Entity: "tickets", Key: "job-lag-2", Links: links}, ticket},
		{crm.WriteLookup{Kind: crm.WriteMemorialization, Entity: "2-9001", Key: "job-lag-3", Links: links}, device},
	} {
		got, found, err := c.FindWrite(ctx(t), tc.l)
		if err != nil || !found || !slices.Equal(got.Records, tc.want.Records) {
			t.Errorf("%+v: %+v found=%v err=%v", tc.l, got, found, err)
		}
	}
	if n := sb.CallsPrefix("POST /crm/v3/objects/calls/search"); n != 1 {
		t.Fatalf("%d searches, want only the test's own", n)
	}
}

func ptr(s string) *string { return &s }

func TestWriteRecordUpdate(t *testing.T) {
	c, sb := startSandbox(t, nil, hssandbox.Options{})
	jane, acme := sb.IDs("contacts")[0], sb.IDs("companies")[0]
	links := []crm.Ref{{Entity: "contacts", ID: jane}, {Entity: "companies", ID: acme}}
	res, err := c.WriteRecord(ctx(t), crm.Memorialization{Entity: "contacts", Mode: crm.ModeUpdate,
		Fields: map[string]any{"jobtitle": "Head of Facilities"}, Links: links})
	if err != nil || !slices.Equal(res.Records, links[:1]) {
		t.Fatalf("%+v, %v", res, err)
	}
	if props, _ := sb.Object("contacts", jane); props["jobtitle"] != "Head of Facilities" {
		t.Fatalf("stored %v", props)
	}
	_, err = c.WriteRecord(ctx(t), crm.Memorialization{Entity: "deals", Mode: crm.ModeUpdate, Fields: map[string]any{"amount": 1.0}, Links: links})
	wantCode(t, err, crm.InvalidArgument)
	_, err = c.WriteRecord(ctx(t), crm.Memorialization{Entity: "deals", Mode: "upsert"})
	wantCode(t, err, crm.InvalidArgument)
	err = c.Update(ctx(t), crm.Ref{Entity: "contacts", ID: "99999999999"}, map[string]any{"jobtitle": "x"})
	wantCode(t, err, crm.NotFound)
}
