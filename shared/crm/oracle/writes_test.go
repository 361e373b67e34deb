package oracle

import (
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
	res, err := c.AddActivity(ctx(t), crm.Activity{Key: "job-7", Direction: "outbound", MediaType: "voice",
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
	if !strings.HasPrefix(last["text"].(string), "Outbound call") || !strings.HasSuffix(last["text"].(string), "[crmflow:timeline:job-7]") {
		t.Fatalf("thread %+v", last)
	}
	got, found, err := c.FindWrite(ctx(t), crm.WriteLookup{Kind: crm.WriteActivity, Key: "job-7"})
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
	if len([]rune(subject)) > maxSubject || !strings.HasSuffix(subject, "["+marker+"]") || rec["channel"] != nil {
		t.Fatalf("incident %+v", rec)
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
	if task["name"] != "Contact center interaction [crmflow:datamemorialization:job-9]" || task["contact"] == nil {
		t.Fatalf("task %+v", task)
	}
	got, found, err := c.FindWrite(ctx(t), crm.WriteLookup{Kind: crm.WriteMemorialization, Entity: "tasks", Key: "job-9"})
	if err != nil || !found || got.Records[0] != res.Records[0] {
		t.Fatalf("FindWrite: %+v %v %v", got, found, err)
	}
	if _, found, err := c.FindWrite(ctx(t), crm.WriteLookup{Kind: crm.WriteMemorialization, Entity: "contacts", Key: "job-9"}); found || err != nil {
		t.Fatalf("contacts cannot be keyed: %v %v", found, err)
	}
	note, err := c.WriteRecord(ctx(t), crm.Memorialization{Key: "job-10", Entity: "CO.CallNote", Mode: crm.ModeCreate,
		Fields: map[string]any{"summary": "Asked for a refund"}, Links: links})
	if err != nil {
		t.Fatal(err)
	}
	if rec, _ := sb.Record("CO.CallNote", idNumber(note.Records[0].ID)); rec["contact"] == nil {
		t.Fatalf("custom object not related: %+v", rec)
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
