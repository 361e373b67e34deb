package zendesk

import (
	"strings"
	"testing"

	"github.com/crmflow/crmflow/shared/crm"
	zdsandbox "github.com/crmflow/crmflow/shared/sandbox/zendesk"
)

// TestCustomObjectRecords: create custom record, get, update (PATCH) and
// memorialization into a custom object, by every spelling, with fields as
// custom_object_fields.{key} or bare keys.
func TestCustomObjectRecords(t *testing.T) {
	c, sb := startSandbox(t, nil, zdsandbox.Options{})
	rec, err := c.Create(ctx(t), "call_note", map[string]any{"name": "Call 1", "summary": "Printer on fire",
		"custom_object_fields.duration_seconds": 185})
	if err != nil {
		t.Fatal(err)
	}
	if rec.Entity != "zen:custom_object:call_note" || len(rec.ID) != 26 || rec.URL != "" || rec.Display != "Call 1" ||
		rec.Fields["summary"] != "Printer on fire" || rec.Fields["custom_object_fields.duration_seconds"] != "185" {
		t.Fatalf("created %+v", rec)
	}
	if err := c.Update(ctx(t), crm.Ref{Entity: "custom_object:call_note", ID: rec.ID}, map[string]any{"agent_name": "Ava"}); err != nil {
		t.Fatal(err)
	}
	got, err := c.Get(ctx(t), crm.Ref{Entity: "zen:custom_object:call_note", ID: rec.ID}, []string{"name", "summary", "agent_name"})
	if err != nil || got.Entity != "zen:custom_object:call_note" || got.Fields["agent_name"] != "Ava" || got.Fields["summary"] != "Printer on fire" {
		t.Fatalf("get %+v %v", got, err)
	}
	stored, _ := sb.CustomRecord("call_note", rec.ID)
	if stored["custom_object_fields"].(map[string]any)["agent_name"] != "Ava" || stored["name"] != "Call 1" {
		t.Fatalf("stored %+v", stored)
	}

	res, err := c.WriteRecord(ctx(t), crm.Memorialization{Key: "job-co-1", Entity: "call_note", Mode: crm.ModeCreate,
		Fields: map[string]any{"name": "Call with Jane", "summary": "notes"}, Links: []crm.Ref{{Entity: "user", ID: janeID(t, sb)}}})
	if err != nil || len(res.Records) != 1 || res.Records[0].Entity != "zen:custom_object:call_note" {
		t.Fatalf("memorialize %+v %v", res, err)
	}
	stored, _ = sb.CustomRecord("call_note", res.Records[0].ID)
	if stored["external_id"] != "crmflow:datamemorialization:job-co-1" {
		t.Fatalf("key not in external_id: %+v", stored)
	}
	found, ok, err := c.FindWrite(ctx(t), crm.WriteLookup{Kind: crm.WriteMemorialization, Entity: "custom_object:call_note", Key: "job-co-1"})
	if err != nil || !ok || found.Records[0] != res.Records[0] {
		t.Fatalf("find write %+v %v %v", found, ok, err)
	}
	if _, ok, err := c.FindWrite(ctx(t), crm.WriteLookup{Kind: crm.WriteMemorialization, Entity: "call_note", Key: "job-none"}); err != nil || ok {
		t.Fatalf("find unwritten: %v %v", ok, err)
	}
	up, err := c.WriteRecord(ctx(t), crm.Memorialization{Entity: "call_note", Mode: crm.ModeUpdate,
		Fields: map[string]any{"summary": "updated"}, Links: []crm.Ref{{Entity: "zen:custom_object:call_note", ID: rec.ID}}})
	if err != nil || up.Records[0].ID != rec.ID {
		t.Fatalf("update mode %+v %v", up, err)
	}

	// Zendesk's own refusals keep their words.
	_, err = c.Create(ctx(t), "call_note", map[string]any{"summary": "no name"})
	e := wantCode(t, err, crm.InvalidArgument)
	if e.IsRefusal() || e.Status != 422 || !strings.Contains(e.Message, "Name: cannot be blank") {
		t.Fatalf("blank name: %+v", e)
	}
	_, err = c.Create(ctx(t), "call_note", map[string]any{"name": "x", "duration_seconds": "long"})
	if e := wantCode(t, err, crm.InvalidArgument); !strings.Contains(e.Message, "Duration (seconds): is invalid") {
		t.Fatalf("bad integer: %+v", e)
	}
	_, err = c.Get(ctx(t), crm.Ref{Entity: "no_such_object", ID: rec.ID}, nil)
	wantCode(t, err, crm.NotFound)
	_, err = c.Get(ctx(t), crm.Ref{Entity: "call_note", ID: "01ZZZZZZZZZZZZZZZZZZZZZZZZ"}, nil)
	wantCode(t, err, crm.NotFound)
}

// TestPhoneValidationKeepsZendeskWords: with "Validate user phone numbers"
// on, Zendesk refuses a phone that is not E.164 and its message reaches
// the caller (issue 10, item 4).
func TestPhoneValidationKeepsZendeskWords(t *testing.T) {
	c, _ := startSandbox(t, nil, zdsandbox.Options{ValidatePhoneNumbers: true})
	_, err := c.Create(ctx(t), "user", map[string]any{"name": "Roger Wilco", "phone": "5551234567"})
	e := wantCode(t, err, crm.InvalidArgument)
	if e.IsRefusal() || e.Status != 422 || e.CRMCode != "RecordInvalid" ||
		e.Message != "Record validation errors: Phone 5551234567 is not properly formatted" {
		t.Fatalf("%+v", e)
	}
	if _, err := c.Create(ctx(t), "user", map[string]any{"name": "Roger Wilco", "phone": "+15551234567"}); err != nil {
		t.Fatal(err)
	}
}

// TestRecordURLs: from appUrl, from a {subdomain}.zendesk.com or loopback
// baseUrl, and none behind a proxy; none for custom object records.
func TestRecordURLs(t *testing.T) {
	c, _ := startSandbox(t, nil, zdsandbox.Options{}, func(cfg *crm.Config) { cfg.AppURL = "https://acme.zendesk.com" })
	if u := c.RecordURL(crm.Ref{Entity: "tickets", ID: "7"}); u != "https://acme.zendesk.com/agent/tickets/7" {
		t.Fatalf("appUrl: %q", u)
	}
	p, _ := startBehindProxy(t, nil, zdsandbox.Options{})
	if u := p.RecordURL(crm.Ref{Entity: "user", ID: "7"}); u != "" {
		t.Fatalf("behind a proxy: %q", u)
	}
	local, _ := startSandbox(t, nil, zdsandbox.Options{})
	if u := local.RecordURL(crm.Ref{Entity: "organization", ID: "7"}); !strings.HasPrefix(u, "http://127.0.0.1:") || !strings.HasSuffix(u, "/agent/organizations/7") {
		t.Fatalf("local: %q", u)
	}
	if _, err := newConnector(crm.Config{BaseURL: "https://acme.zendesk.com", AppURL: "acme", Auth: crm.Auth{Type: crm.AuthBearerToken},
		Credentials: crm.Credentials{Token: "t"}}, nil); crm.CodeOf(err) != crm.InvalidArgument {
		t.Fatalf("bad appUrl: %v", err)
	}
}
