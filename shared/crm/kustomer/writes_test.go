package kustomer

import (
	"strings"
	"testing"
	"time"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmhttp"
	"github.com/crmflow/crmflow/shared/phone"
	kussandbox "github.com/crmflow/crmflow/shared/sandbox/kustomer"
)

func TestMessageBody(t *testing.T) {
	start := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	b := messageBody(crm.Activity{Key: "k1", Direction: "outbound", MediaType: "social", Start: start,
		RecordingURL: "http://insecure.example/rec"}, testNow)
	if b["channel"] != "chat" || b["direction"] != "out" || b["status"] != "sent" || b["subject"] != "Outbound social" ||
		b["sentAt"] != "2026-11-23T09:00:00.000Z" || b["externalId"] != "k1" || b["app"] != messageApp {
		t.Fatalf("%v", b)
	}
	if meta, _ := b["meta"].(map[string]any); meta["recordingUrl"] != nil {
		t.Fatalf("http recording URL kept: %v", meta)
	}
	b = messageBody(crm.Activity{Key: "k2", MediaType: "email", RecordingURL: "https://rec.example/1"}, testNow)
	meta, _ := b["meta"].(map[string]any)
	if b["channel"] != "email" || b["direction"] != "in" || b["sentAt"] != "2026-11-23T10:05:00.000Z" ||
		b["preview"] != "Email" || meta["recordingUrl"] != "https://rec.example/1" {
		t.Fatalf("%v", b)
	}
}

func TestActivityIntoLinkedConversation(t *testing.T) {
	c, sb := startSandbox(t, nil, kussandbox.Options{})
	jane := sb.IDs("customer")[0]
	open, err := c.RelatedOpen(ctx(t), crm.Ref{Entity: "customer", ID: jane}, 1)
	if err != nil || len(open) != 1 || open[0].Display != "Printer on fire" {
		t.Fatalf("%+v %v", open, err)
	}
	convs := sb.Count("conversation")
	res, err := c.AddActivity(ctx(t), crm.Activity{Key: "job-7", Description: "Follow-up", Direction: "inbound",
		Links: []crm.Ref{{Entity: "customer", ID: jane}, {Entity: "conversation", ID: open[0].ID}, {Entity: "kobject.order", ID: jane}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Records) != 2 || res.Records[1] != (crm.Ref{Entity: "conversation", ID: open[0].ID}) || sb.Count("conversation") != convs {
		t.Fatalf("%+v (%d conversations)", res, sb.Count("conversation"))
	}
	// The same key again is refused by Kustomer's externalId uniqueness.
	_, err = c.AddActivity(ctx(t), crm.Activity{Key: "job-7", Links: []crm.Ref{{Entity: "customer", ID: jane}}})
	wantCode(t, err, crm.AlreadyExists)
	got, found, err := c.FindWrite(ctx(t), crm.WriteLookup{Kind: crm.WriteActivity, Key: "job-7"})
	if err != nil || !found || len(got.Records) != 2 || got.Records[0] != res.Records[0] {
		t.Fatalf("%+v %v %v", got, found, err)
	}
	_, err = c.AddActivity(ctx(t), crm.Activity{Key: "job-8", Links: []crm.Ref{{Entity: "company", ID: sb.IDs("company")[0]}}})
	if e := wantCode(t, err, crm.InvalidArgument); !strings.Contains(e.Message, "linked customer or conversation") {
		t.Fatal(e)
	}
}

func TestMemorializeKObjectAndNote(t *testing.T) {
	c, sb := startSandbox(t, nil, kussandbox.Options{})
	jane := sb.IDs("customer")[0]
	links := []crm.Ref{{Entity: "customer", ID: jane}}
	res, err := c.WriteRecord(ctx(t), crm.Memorialization{Key: "job-9", Entity: "kobject.order", Mode: crm.ModeCreate, Links: links,
		Fields: map[string]any{"title": "Call about order 10042", "custom.statusStr": "called"}})
	if err != nil {
		t.Fatal(err)
	}
	stored, _ := sb.Record(res.Records[0].ID)
	if stored["externalId"] != "job-9" || stored["customer"] != jane {
		t.Fatalf("stored %v", stored)
	}
	got, found, err := c.FindWrite(ctx(t), crm.WriteLookup{Kind: crm.WriteMemorialization, Entity: "kobject.order", Key: "job-9"})
	if err != nil || !found || got.Records[0] != res.Records[0] {
		t.Fatalf("%+v %v %v", got, found, err)
	}
	// KObject updates read the object and put it back with the change.
	if err := c.Update(ctx(t), res.Records[0], map[string]any{"custom.statusStr": "resolved"}); err != nil {
		t.Fatal(err)
	}
	stored, _ = sb.Record(res.Records[0].ID)
	if stored["title"] != "Call about order 10042" || stored["externalId"] != "job-9" || stored["customer"] != jane ||
		stored["custom"].(map[string]any)["statusStr"] != "resolved" {
		t.Fatalf("after update %v", stored)
	}

	open, _ := c.RelatedOpen(ctx(t), links[0], 1)
	note, err := c.WriteRecord(ctx(t), crm.Memorialization{Key: "job-10", Entity: "note", Links: append(links, crm.Ref{Entity: "conversation", ID: open[0].ID}),
		Fields: map[string]any{"body": "Caller confirmed the fix."}})
	if err != nil || len(note.Records) != 1 {
		t.Fatalf("%+v %v", note, err)
	}
	noteLinks := append(links, crm.Ref{Entity: "conversation", ID: open[0].ID})
	got, found, err = c.FindWrite(ctx(t), crm.WriteLookup{Kind: crm.WriteMemorialization, Entity: "note", Key: "job-10", Links: noteLinks})
	if err != nil || !found || got.Records[0] != note.Records[0] {
		t.Fatalf("note: %+v %v %v", got, found, err)
	}
	// Without a linked conversation no note was written; without links the
	// conversation is unknown, which is refused rather than guessed.
	if _, found, err := c.FindWrite(ctx(t), crm.WriteLookup{Kind: crm.WriteMemorialization, Entity: "note", Key: "job-10", Links: links}); found || err != nil {
		t.Fatalf("note without a conversation: %v %v", found, err)
	}
	_, _, err = c.FindWrite(ctx(t), crm.WriteLookup{Kind: crm.WriteMemorialization, Entity: "note", Key: "job-10"})
	if e := wantCode(t, err, crm.InvalidArgument); e.Field != "links" {
		t.Fatal(e)
	}
	// A note goes into the linked conversation only.
	_, err = c.WriteRecord(ctx(t), crm.Memorialization{Key: "job-12", Entity: "note", Links: noteLinks,
		Fields: map[string]any{"body": "x", "conversation": sb.IDs("conversation")[1]}})
	if e := wantCode(t, err, crm.InvalidArgument); e.Field != "fields.conversation" {
		t.Fatal(e)
	}
	_, err = c.WriteRecord(ctx(t), crm.Memorialization{Key: "job-11", Entity: "conversation", Links: links,
		Fields: map[string]any{"externalId": "mine"}})
	wantCode(t, err, crm.InvalidArgument)
}

func TestMemorializeUpdateMode(t *testing.T) {
	c, sb := startSandbox(t, nil, kussandbox.Options{})
	ids := sb.IDs("customer")
	res, err := c.WriteRecord(ctx(t), crm.Memorialization{Entity: "customer", Mode: crm.ModeUpdate,
		Links:  []crm.Ref{{Entity: "customer", ID: ids[0]}, {Entity: "conversation", ID: sb.IDs("conversation")[0]}, {Entity: "customer", ID: ids[1]}},
		Fields: map[string]any{"custom.lastCallStr": "2026-11-23"}})
	if err != nil || len(res.Records) != 2 {
		t.Fatalf("%+v %v", res, err)
	}
	for _, id := range ids[:2] {
		stored, _ := sb.Record(id)
		if stored["custom"].(map[string]any)["lastCallStr"] != "2026-11-23" {
			t.Fatalf("%s: %v", id, stored)
		}
	}
	_, err = c.WriteRecord(ctx(t), crm.Memorialization{Entity: "company", Mode: crm.ModeUpdate,
		Links: []crm.Ref{{Entity: "customer", ID: ids[0]}}, Fields: map[string]any{"name": "x"}})
	wantCode(t, err, crm.InvalidArgument)
}

func TestWriteBody(t *testing.T) {
	fields := map[string]any{"custom": map[string]any{"aStr": "1"}, "custom.bStr": "2", "email": "a@b.example", "name": "A"}
	body, err := writeBody("t", object{entity: entCustomer}, fields)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := crmhttp.MarshalUnescaped(body)
	if string(b) != `{"custom":{"aStr":"1","bStr":"2"},"emails":[{"email":"a@b.example"}],"name":"A"}` {
		t.Fatalf("%s", b)
	}
	if len(fields["custom"].(map[string]any)) != 1 {
		t.Fatal("caller's map written to")
	}
	for name, f := range map[string]map[string]any{
		"both email forms": {"email": "a@b.example", "emails": []any{}},
		"email not text":   {"email": 5.0},
		"empty segment":    {"custom..x": "1"},
		"value and object": {"custom": "x", "custom.aStr": "1"},
	} {
		if _, err := writeBody("t", object{entity: entCustomer}, f); crm.CodeOf(err) != crm.InvalidArgument {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestSearchValidation(t *testing.T) {
	c, _ := startSandbox(t, nil, kussandbox.Options{})
	for name, call := range map[string]func() error{
		"formatted phone only": func() error {
			_, err := c.SearchByPhone(ctx(t), crm.PhoneSearch{Variants: []string{"(415) 555-0100"}})
			return err
		},
		"company by phone": func() error {
			_, err := c.SearchByPhone(ctx(t), crm.PhoneSearch{Variants: []string{"+14155550100"}, Entities: []crm.EntitySpec{{Entity: "company"}}})
			return err
		},
		"message search": func() error {
			_, err := c.Search(ctx(t), crm.Query{Entity: "message", Filter: crm.Filter{Field: "x", Op: crm.OpEq, Value: "y"}})
			return err
		},
		"empty email": func() error { _, err := c.SearchByEmail(ctx(t), crm.EmailSearch{Email: " "}); return err },
	} {
		if err := call(); crm.CodeOf(err) != crm.InvalidArgument {
			t.Errorf("%s: %v", name, err)
		}
	}
	// Conversations can be searched, and a phone's formatted forms are left out.
	recs, err := c.Search(ctx(t), crm.Query{Entity: "conversation", Filter: crm.Filter{Field: "status", Op: crm.OpEq, Value: "snoozed"}})
	if err != nil || len(recs) != 1 || recs[0].Display != "Badge reader offline" || recs[0].URL == "" {
		t.Fatalf("%+v %v", recs, err)
	}
	v, _ := phone.Variants("+1 312 555 0148")
	recs, err = c.SearchByPhone(ctx(t), crm.PhoneSearch{Variants: v, Limit: 3})
	if err != nil || len(recs) != 1 || recs[0].Fields["phone"] != "(312) 555-0148" {
		t.Fatalf("%+v %v", recs, err)
	}
}

// Searches follow links.next page by page up to the limit.
func TestSearchPaging(t *testing.T) {
	c, sb := startSandbox(t, nil, kussandbox.Options{PageSize: 2})
	recs, err := c.Search(ctx(t), crm.Query{Entity: "customer", Limit: 5,
		Filter: crm.Filter{Field: "createdAt", Op: crm.OpGte, Value: "2026-01-01"}})
	if err != nil || len(recs) != 5 {
		t.Fatalf("%d records, %v", len(recs), err)
	}
	if n := sb.Calls("POST /v1/customers/search"); n != 3 {
		t.Fatalf("%d search pages", n)
	}
}
