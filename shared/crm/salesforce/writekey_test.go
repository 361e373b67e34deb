package salesforce

import (
	"strings"
	"testing"
	"time"

	"github.com/crmflow/crmflow/shared/crm"
	sfsandbox "github.com/crmflow/crmflow/shared/sandbox/salesforce"
)

// FindWrite reads consistently: with SOSL's index an hour behind, every
// earlier write is found by its key and a phone search does not see it.
func TestFindWriteWhileSearchLags(t *testing.T) {
	c, sb := startSandbox(t, nil, sfsandbox.Options{IndexLag: time.Hour})
	jane := sb.Records("Contact")[0]["Id"].(string)
	links := []crm.Ref{{Entity: "Contact", ID: jane}}

	act, err := c.AddActivity(ctx(t), crm.Activity{Key: "job_act1", Subject: "Call", Links: links})
	if err != nil {
		t.Fatal(err)
	}
	created := map[string]crm.WriteResult{}
	for _, entity := range []string{"Task", "Case", "Contact", "Call_Note__c"} {
		fields := map[string]any{"Subject": "After-call summary"}
		switch entity {
		case "Contact":
			fields = map[string]any{"LastName": "Lagging", "Phone": "(415) 555-0142"}
		case "Call_Note__c":
			fields = map[string]any{"Name": "Summary"}
		}
		res, err := c.WriteRecord(ctx(t), crm.Memorialization{Key: "job_" + strings.ToLower(entity), Entity: entity, Mode: crm.ModeCreate, Fields: fields, Links: links})
		if err != nil {
			t.Fatalf("%s: %v", entity, err)
		}
		created[entity] = res
	}
	if recs, err := c.SearchByPhone(ctx(t), crm.PhoneSearch{Variants: []string{"+14155550142", "4155550142"}, Limit: 5}); err != nil || len(recs) != 0 {
		t.Fatalf("the search index does not lag: %v %+v", err, recs)
	}
	sb.ResetCalls()
	got, found, err := c.FindWrite(ctx(t), crm.WriteLookup{Kind: crm.WriteActivity, Key: "job_act1", Links: links})
	if err != nil || !found || got.Records[0] != act.Records[0] {
		t.Fatalf("activity: %+v %v %v", got, found, err)
	}
	for entity, res := range created {
		got, found, err := c.FindWrite(ctx(t), crm.WriteLookup{Kind: crm.WriteMemorialization, Entity: entity, Key: "job_" + strings.ToLower(entity), Links: links})
		if err != nil || !found || len(got.Records) != 1 || got.Records[0] != res.Records[0] {
			t.Fatalf("%s: %+v %v %v, want %+v", entity, got, found, err, res)
		}
	}
	if n := sb.CallsPrefix("GET /services/data/v62.0/search"); n != 0 {
		t.Fatalf("FindWrite used SOSL %d times", n)
	}
	// Task by SOQL on CallObject (no External ID field); the rest by sObject Rows by External ID.
	if n := sb.CallsPrefix("GET /services/data/v62.0/sobjects/Case/crmflow_key__c/"); n != 1 {
		t.Fatalf("Case read by external id %d times", n)
	}
	if n := sb.CallsPrefix("GET /services/data/v62.0/query"); n != 2 {
		t.Fatalf("SOQL calls %d, want 2 (activity and Task)", n)
	}
	for _, entity := range []string{"Task", "Case", "Contact", "Call_Note__c"} {
		if _, found, err := c.FindWrite(ctx(t), crm.WriteLookup{Kind: crm.WriteMemorialization, Entity: entity, Key: "job_never", Links: links}); found || err != nil {
			t.Fatalf("%s: unwritten key found=%v err=%v", entity, found, err)
		}
	}
}

func TestWriteKeyField(t *testing.T) {
	c, sb := startSandbox(t, nil, sfsandbox.Options{})
	// The key goes in the key field whatever the fields say.
	res, err := c.WriteRecord(ctx(t), crm.Memorialization{Key: "job.with.dots", Entity: "Case",
		Fields: map[string]any{"Subject": "s", "CRMFLOW_KEY__C": "other"}})
	if err != nil {
		t.Fatal(err)
	}
	cases := sb.Records("Case")
	if k := cases[len(cases)-1]["crmflow_key__c"]; k != "job.with.dots" {
		t.Fatalf("key field %v", k)
	}
	// A key that cannot go in a URL path is read by SOQL on the field.
	sb.ResetCalls()
	got, found, err := c.FindWrite(ctx(t), crm.WriteLookup{Kind: crm.WriteMemorialization, Entity: "Case", Key: "job.with.dots"})
	if err != nil || !found || got.Records[0] != res.Records[0] || sb.CallsPrefix("GET /services/data/v62.0/query") != 1 {
		t.Fatalf("%+v %v %v", got, found, err)
	}
	// Several records with the key (an org without Unique): 300, all found.
	sb.Add("Contact", map[string]any{"LastName": "A", "crmflow_key__c": "job_twice"})
	sb.Add("Contact", map[string]any{"LastName": "B", "crmflow_key__c": "job_twice"})
	got, found, err = c.FindWrite(ctx(t), crm.WriteLookup{Kind: crm.WriteMemorialization, Entity: "Contact", Key: "job_twice"})
	if err != nil || !found || len(got.Records) != 2 || got.Records[0].Entity != "Contact" {
		t.Fatalf("300: %+v %v %v", got, found, err)
	}
	// An object that cannot hold a key has nothing to find, and no call is made.
	sb.ResetCalls()
	if _, found, err := c.FindWrite(ctx(t), crm.WriteLookup{Kind: crm.WriteMemorialization, Entity: "Call_Ended__e", Key: "job_x"}); found || err != nil || sb.TotalCalls() != 0 {
		t.Fatalf("event: %v %v %d calls", found, err, sb.TotalCalls())
	}
	_, _, err = c.FindWrite(ctx(t), crm.WriteLookup{Kind: crm.WriteMemorialization, Entity: "Case", Key: ""})
	wantCode(t, err, crm.InvalidArgument)
}

// An org whose admin did not make crmflow_key__c: writes and look-ups say
// what to make, they never pass as "not written".
func TestWriteKeyFieldMissing(t *testing.T) {
	c, _ := startSandbox(t, nil, sfsandbox.Options{NoWriteKeyField: true})
	_, err := c.WriteRecord(ctx(t), crm.Memorialization{Key: "job_1", Entity: "Case", Fields: map[string]any{"Subject": "s"}})
	e := wantCode(t, err, crm.InvalidArgument)
	if !strings.Contains(e.Message, "crmflow_key__c") || !strings.Contains(e.Message, "External ID") {
		t.Fatalf("write: %v", e)
	}
	_, found, err := c.FindWrite(ctx(t), crm.WriteLookup{Kind: crm.WriteMemorialization, Entity: "Case", Key: "job_1"})
	e = wantCode(t, err, crm.InvalidArgument)
	if found || !strings.Contains(e.Message, "create it once") {
		t.Fatalf("find: %v %v", found, e)
	}
	// Tasks need nothing: CallObject is standard.
	if _, err := c.WriteRecord(ctx(t), crm.Memorialization{Key: "job_2", Entity: "Task", Fields: map[string]any{"Subject": "s"}}); err != nil {
		t.Fatal(err)
	}
}
