package oracle

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/crmflow/crmflow/shared/crm"
	osvcsandbox "github.com/crmflow/crmflow/shared/sandbox/oracle"
)

func TestActivityOnLinkedIncidentAppendsThread(t *testing.T) {
	c, sb := startSandbox(t, nil, osvcsandbox.Options{})
	jane := janeID(t, c)
	open, err := c.RelatedOpen(ctx(t), crm.Ref{Entity: "contacts", ID: jane}, 5)
	if err != nil || len(open) != 1 {
		t.Fatalf("%v %+v", err, open)
	}
	incident := crm.Ref{Entity: "incidents", ID: open[0].ID}
	before := len(sb.Records("incidents"))
	res, err := c.AddActivity(ctx(t), crm.Activity{Key: "job_7", Direction: "outbound", MediaType: "voice",
		Duration: 42 * time.Second, Links: []crm.Ref{{Entity: "contacts", ID: jane}, incident}})
	if err != nil || len(res.Records) != 1 || res.Records[0] != incident {
		t.Fatalf("%v %+v", err, res)
	}
	if len(sb.Records("incidents")) != before {
		t.Fatal("a new incident was created")
	}
	rec, _ := sb.Record("incidents", idNumber(incident.ID))
	threads := rec["threads"].([]any)
	last := threads[len(threads)-1].(map[string]any)
	if !strings.HasPrefix(last["text"].(string), "Outbound call") || !strings.HasSuffix(last["text"].(string), "[crmflow:timeline:job_7]") {
		t.Fatalf("thread %+v", last)
	}
	got, found, err := c.FindWrite(ctx(t), crm.WriteLookup{Kind: crm.WriteActivity, Key: "job_7"})
	if err != nil || !found || got.Records[0] != incident {
		t.Fatalf("FindWrite: %+v %v %v", got, found, err)
	}
}

func TestActivityCallLogIsSolvedAndKeyed(t *testing.T) {
	c, sb := startSandbox(t, nil, osvcsandbox.Options{})
	jane := janeID(t, c)
	long := strings.Repeat("Very long subject ", 30)
	res, err := c.AddActivity(ctx(t), crm.Activity{Key: "a key with spaces", Subject: long, MediaType: "chat",
		Links: []crm.Ref{{Entity: "contacts", ID: jane}}})
	if err != nil {
		t.Fatal(err)
	}
	rec, _ := sb.Record("incidents", idNumber(res.Records[0].ID))
	subject := rec["subject"].(string)
	marker := writeMarker(crm.WriteActivity, "a key with spaces")
	if len([]rune(subject)) > maxSubject || strings.Contains(subject, "crmflow:") || rec["channel"] != nil {
		t.Fatalf("incident %+v", rec)
	}
	if keyOf(rec) != marker {
		t.Fatalf("key field %+v, want %s", rec["customFields"], marker)
	}
	status := rec["statusWithType"].(map[string]any)["statusType"].(map[string]any)
	if status["lookupName"] != "Solved" || rec["primaryContact"].(map[string]any)["id"] != float64(idNumber(jane)) {
		t.Fatalf("incident %+v", rec)
	}
	open, _ := c.RelatedOpen(ctx(t), crm.Ref{Entity: "contacts", ID: jane}, 5)
	if len(open) != 1 {
		t.Fatalf("call log shows as open: %+v", open)
	}
	got, found, err := c.FindWrite(ctx(t), crm.WriteLookup{Kind: crm.WriteActivity, Key: "a key with spaces"})
	if err != nil || !found || got.Records[0] != res.Records[0] {
		t.Fatalf("FindWrite: %+v %v %v", got, found, err)
	}
}

func TestMemorialization(t *testing.T) {
	c, sb := startSandbox(t, nil, osvcsandbox.Options{})
	jane := janeID(t, c)
	links := []crm.Ref{{Entity: "contacts", ID: jane}}
	res, err := c.WriteRecord(ctx(t), crm.Memorialization{Key: "job-9", Entity: "tasks", Mode: crm.ModeCreate,
		Fields: map[string]any{"taskType.lookupName": "Contact"}, Links: links})
	if err != nil {
		t.Fatal(err)
	}
	task, _ := sb.Record("tasks", idNumber(res.Records[0].ID))
	if task["name"] != "Contact center interaction" || task["contact"] == nil || keyOf(task) != "crmflow:datamemorialization:job-9" {
		t.Fatalf("task %+v", task)
	}
	got, found, err := c.FindWrite(ctx(t), crm.WriteLookup{Kind: crm.WriteMemorialization, Entity: "tasks", Key: "job-9"})
	if err != nil || !found || got.Records[0] != res.Records[0] {
		t.Fatalf("FindWrite: %+v %v %v", got, found, err)
	}
	if _, found, err := c.FindWrite(ctx(t), crm.WriteLookup{Kind: crm.WriteMemorialization, Entity: "contacts", Key: "job-9"}); found || err != nil {
		t.Fatalf("a task's key found on contacts: %v %v", found, err)
	}
	// Contacts, organizations and custom objects carry the key too.
	for _, m := range []crm.Memorialization{
		{Key: "job-11", Entity: "contacts", Fields: map[string]any{"name.first": "Walk", "name.last": "In"}},
		{Key: "job-12", Entity: "Organization", Fields: map[string]any{"name": "Initech"}},
		{Key: "job-10", Entity: "CO.CallNote", Fields: map[string]any{"summary": "Asked for a refund"}, Links: links},
	} {
		m.Mode = crm.ModeCreate
		res, err := c.WriteRecord(ctx(t), m)
		if err != nil {
			t.Fatalf("%s: %v", m.Entity, err)
		}
		got, found, err := c.FindWrite(ctx(t), crm.WriteLookup{Kind: crm.WriteMemorialization, Entity: m.Entity, Key: m.Key})
		if err != nil || !found || got.Records[0] != res.Records[0] {
			t.Fatalf("FindWrite %s: %+v %v %v", m.Entity, got, found, err)
		}
	}
	noteID := sb.Records("CO.CallNote")[len(sb.Records("CO.CallNote"))-1]
	if rec, _ := sb.Record("CO.CallNote", noteID); rec["contact"] == nil || rec["crmflow_key"] != "crmflow:datamemorialization:job-10" {
		t.Fatalf("custom object not related or not keyed: %+v", rec)
	}
	upd, err := c.WriteRecord(ctx(t), crm.Memorialization{Entity: "contacts", Mode: crm.ModeUpdate,
		Fields: map[string]any{"title": "Head of Facilities"}, Links: links})
	if err != nil || len(upd.Records) != 1 {
		t.Fatalf("%v %+v", err, upd)
	}
	if rec, _ := c.Get(ctx(t), links[0], []string{"title"}); rec.Fields["title"] != "Head of Facilities" {
		t.Fatalf("title %+v", rec.Fields)
	}
	_, err = c.WriteRecord(ctx(t), crm.Memorialization{Entity: "incidents", Mode: crm.ModeUpdate, Links: links})
	wantCode(t, err, crm.InvalidArgument)
}

func TestCreateRefusedBySite(t *testing.T) {
	c, _ := startSandbox(t, nil, osvcsandbox.Options{})
	_, err := c.Create(ctx(t), "incidents", map[string]any{"subject": "x", "primaryContact.id": "424242"})
	e := wantCode(t, err, crm.InvalidArgument)
	if e.CRMCode != osvcsandbox.CodeWriteFailed || !strings.Contains(e.Message, "No such Contact with ID = 424242") {
		t.Fatalf("%+v", e)
	}
	rec, err := c.Create(ctx(t), "contacts", map[string]any{"name.first": "Ana", "name.last": "Silva", "organization.id": "1"})
	if err != nil || rec.Display != "Ana Silva" || rec.Fields["name.first"] != "Ana" || rec.Fields["organization.id"] != "1" {
		t.Fatalf("%v %+v", err, rec)
	}
}

// keyOf is the write key a sandbox record holds in customFields.c.crmflow_key.
func keyOf(rec map[string]any) string {
	cf, _ := rec["customFields"].(map[string]any)
	c, _ := cf["c"].(map[string]any)
	k, _ := c["crmflow_key"].(string)
	return k
}

func TestFindWriteChecksTheKeyExactly(t *testing.T) {
	c, sb := startSandbox(t, nil, osvcsandbox.Options{})
	// The site compares text ignoring case: a key differing in case only
	// comes back from the query, and the driver must not take it.
	if _, err := sb.AddRecord("incidents", map[string]any{"subject": "Other",
		"customFields": map[string]any{"c": map[string]any{"crmflow_key": "crmflow:timeline:JOB-7"}}}); err != nil {
		t.Fatal(err)
	}
	if _, found, err := c.FindWrite(ctx(t), crm.WriteLookup{Kind: crm.WriteActivity, Key: "job-7"}); found || err != nil {
		t.Fatalf("found=%v err=%v", found, err)
	}
	if _, found, err := c.FindWrite(ctx(t), crm.WriteLookup{Kind: crm.WriteMemorialization, Entity: "serviceProducts", Key: "job-7"}); found || err != nil {
		t.Fatalf("unkeyed resource: found=%v err=%v", found, err)
	}
}

func TestFindWriteIsImmediate(t *testing.T) {
	// ROQL reads the operational database: a write is found by its key the
	// moment the site has answered it, with no index lag to wait out.
	c, _ := startSandbox(t, nil, osvcsandbox.Options{})
	jane := janeID(t, c)
	for i := range 20 {
		key := fmt.Sprintf("job_%026d", i)
		res, err := c.WriteRecord(ctx(t), crm.Memorialization{Key: key, Entity: "incidents", Mode: crm.ModeCreate,
			Fields: map[string]any{"subject": "Call"}, Links: []crm.Ref{{Entity: "contacts", ID: jane}}})
		if err != nil {
			t.Fatal(err)
		}
		got, found, err := c.FindWrite(ctx(t), crm.WriteLookup{Kind: crm.WriteMemorialization, Entity: "incidents", Key: key})
		if err != nil || !found || got.Records[0] != res.Records[0] {
			t.Fatalf("%s: %+v %v %v", key, got, found, err)
		}
	}
}

func TestSiteWithoutKeyField(t *testing.T) {
	c, _ := startSandbox(t, nil, osvcsandbox.Options{CustomFields: map[string][]string{}})
	jane := janeID(t, c)
	_, err := c.AddActivity(ctx(t), crm.Activity{Key: "job-1", Links: []crm.Ref{{Entity: "contacts", ID: jane}}})
	e := wantCode(t, err, crm.InvalidArgument)
	if !strings.Contains(e.Message, "Invalid property specified") || !strings.Contains(e.Message, "customFields.c.crmflow_key on incidents") {
		t.Fatalf("%+v", e)
	}
}
