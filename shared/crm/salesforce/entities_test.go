package salesforce

import (
	"testing"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmtest"
	sfsandbox "github.com/crmflow/crmflow/shared/sandbox/salesforce"
)

// spellingTable is every spelling the driver takes with the canonical API
// name it maps to: standard objects in any case (the REST API and SOQL
// ignore it) as Salesforce spells them; custom and derived objects as given
// with the suffix as Salesforce spells it; other standard names as given.
var spellingTable = map[string]string{
	"Contact": "Contact", "contact": "Contact", "CONTACT": "Contact", " Contact ": "Contact",
	"Case": "Case", "case": "Case", "CASE": "Case",
	"Task": "Task", "task": "Task", "TASK": "Task",
	"Account": "Account", "account": "Account", "Lead": "Lead", "lead": "Lead",
	"Opportunity": "Opportunity", "opportunity": "Opportunity", "WorkOrder": "WorkOrder", "workorder": "WorkOrder",
	"Event": "Event", "event": "Event", "User": "User", "Product2": "Product2", "product2": "Product2",
	"VoiceCall": "VoiceCall", "voicecall": "VoiceCall", "EmailMessage": "EmailMessage",
	"Invoice__c": "Invoice__c", "Invoice__C": "Invoice__c", "call_note__c": "call_note__c",
	"acme__Invoice__c": "acme__Invoice__c", "Call_Log_Entry__c": "Call_Log_Entry__c",
	"Support_Setting__mdt": "Support_Setting__mdt", "Call_Ended__e": "Call_Ended__e", "Order_Line__x": "Order_Line__x",
	"Invoice__Share": "Invoice__Share", "Invoice__history": "Invoice__History", "Invoice__ChangeEvent": "Invoice__ChangeEvent",
	"ContactPointPhone": "ContactPointPhone", "AccountHistory": "AccountHistory",
}

// badEntities are names no org has; the first is also refused by Describe.
var badEntities = []string{"contacts", "Contact Us", "Cases", "Opportunities", "Invoice__z", "ns__Invoice__c__c",
	"Contact/1", "select", "1Contact", "Contact_", "Con__tact", "__c", "_Contact", "Contact.Name", "Invoice___c"}

var goodMappings = []crm.MappingCheck{
	{Kind: crm.MappingMemorialization, Entity: "Task", Mode: crm.ModeCreate,
		Targets: []string{"Subject", "Description", "CallDisposition", "CallDurationInSeconds", "WhoId", "Call_Id__c"}},
	{Kind: crm.MappingMemorialization, Entity: "Case", Mode: crm.ModeUpdate, Targets: []string{"Status", "Priority", "Last_Call__c"}},
	{Kind: crm.MappingMemorialization, Entity: "Contact", Mode: crm.ModeUpdate, Targets: []string{"Description", "LastName"}},
	{Kind: crm.MappingMemorialization, Entity: "Call_Note__c", Targets: []string{"Name", "Summary__c", "acme__Score__c"}},
	{Kind: crm.MappingMemorialization, Entity: "Contact", Mode: crm.ModeCreate, Targets: []string{"LastName", "Description"}},
	{Kind: crm.MappingMemorialization, Entity: "Note", Mode: crm.ModeUpdate, Targets: []string{"Body"}},
	{Kind: crm.MappingMemorialization, Entity: "task", Targets: []string{"subject"}},
	{Kind: crm.MappingSearch, Entity: "Contact", SearchFields: []string{"Phone", "MobilePhone", "Account.Phone"},
		DisplayFields: []string{"Name", "Account.Name"}},
	{Kind: crm.MappingSearch, Entity: "Invoice__c", SearchFields: []string{"Billing_Phone__c"}},
}

var badMappings = []crmtest.BadMapping{
	{Check: crm.MappingCheck{Kind: crm.MappingMemorialization, Entity: "Tasks", Targets: []string{"Subject"}}, Field: "entity"},
	{Check: crm.MappingCheck{Kind: crm.MappingMemorialization, Entity: "Support_Setting__mdt", Targets: []string{"Label"}}, Field: "entity"},
	{Check: crm.MappingCheck{Kind: crm.MappingMemorialization, Entity: "Invoice__History", Targets: []string{"Field"}}, Field: "entity"},
	{Check: crm.MappingCheck{Kind: crm.MappingMemorialization, Entity: "Call_Ended__e", Mode: crm.ModeUpdate, Targets: []string{"Call_Id__c"}}, Field: "entity"},
	{Check: crm.MappingCheck{Kind: crm.MappingMemorialization, Entity: "Task", Mode: "upsert", Targets: []string{"Subject"}}, Field: "mode"},
	// Create into objects whose records cannot carry the write key.
	{Check: crm.MappingCheck{Kind: crm.MappingMemorialization, Entity: "Call_Ended__e", Mode: crm.ModeCreate, Targets: []string{"Call_Id__c"}}, Field: "entity"},
	{Check: crm.MappingCheck{Kind: crm.MappingMemorialization, Entity: "Order_Line__x", Targets: []string{"Qty__c"}}, Field: "entity"},
	{Check: crm.MappingCheck{Kind: crm.MappingMemorialization, Entity: "Call_Log__b", Targets: []string{"Qty__c"}}, Field: "entity"},
	{Check: crm.MappingCheck{Kind: crm.MappingMemorialization, Entity: "casecomment", Mode: crm.ModeCreate, Targets: []string{"CommentBody"}}, Field: "entity"},
	// The key fields themselves.
	{Check: crm.MappingCheck{Kind: crm.MappingMemorialization, Entity: "Task", Targets: []string{"Subject", "callobject"}}, Field: "fields[1].target"},
	{Check: crm.MappingCheck{Kind: crm.MappingMemorialization, Entity: "Case", Targets: []string{"crmflow_key__c"}}, Field: "fields[0].target"},
	{Check: crm.MappingCheck{Kind: crm.MappingMemorialization, Entity: "Task", Targets: []string{"Subject", "Id"}}, Field: "fields[1].target"},
	{Check: crm.MappingCheck{Kind: crm.MappingMemorialization, Entity: "Task", Targets: []string{"CreatedDate"}}, Field: "fields[0].target"},
	{Check: crm.MappingCheck{Kind: crm.MappingMemorialization, Entity: "Task", Targets: []string{"IsClosed"}}, Field: "fields[0].target"},
	{Check: crm.MappingCheck{Kind: crm.MappingMemorialization, Entity: "Case", Targets: []string{"Subject", "CaseNumber"}}, Field: "fields[1].target"},
	{Check: crm.MappingCheck{Kind: crm.MappingMemorialization, Entity: "Contact", Mode: crm.ModeUpdate, Targets: []string{"Name"}}, Field: "fields[0].target"},
	{Check: crm.MappingCheck{Kind: crm.MappingMemorialization, Entity: "Contact", Targets: []string{"Account.Name"}}, Field: "fields[0].target"},
	{Check: crm.MappingCheck{Kind: crm.MappingMemorialization, Entity: "Task", Targets: []string{"Call Result"}}, Field: "fields[0].target"},
	{Check: crm.MappingCheck{Kind: crm.MappingMemorialization, Entity: "Opportunity", Targets: []string{"IsWon"}}, Field: "fields[0].target"},
	{Check: crm.MappingCheck{Kind: crm.MappingSearch, Entity: "Call_Ended__e", SearchFields: []string{"Phone__c"}}, Field: "entity"},
	{Check: crm.MappingCheck{Kind: crm.MappingSearch, Entity: "Contact", SearchFields: []string{"Phone", "Mobile Phone"}}, Field: "searchFields[1]"},
	{Check: crm.MappingCheck{Kind: crm.MappingSearch, Entity: "Contact", SearchFields: []string{"Phone"},
		DisplayFields: []string{"Name", "Name;Email"}}, Field: "displayFields[1].name"},
	{Check: crm.MappingCheck{Kind: crm.MappingSearch, Entity: "contacts", SearchFields: []string{"Phone"}}, Field: "entity"},
}

func TestCanonicalEntity(t *testing.T) {
	d := Driver()
	for in, want := range spellingTable {
		if got, err := d.Canonical(in); err != nil || got != want {
			t.Errorf("Canonical(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range append(badEntities, "", "FROM", "limit") {
		_, err := d.Canonical(bad)
		e, ok := crm.AsRefusal(err)
		if !ok || e.Field != "entity" || e.Message == "" {
			t.Errorf("Canonical(%q) = %v, want a refusal naming entity", bad, err)
		}
	}
}

// TestEveryActionResolvesSpellings: every action takes any case of an
// object name and writes the canonical one into paths, queries and records.
func TestEveryActionResolvesSpellings(t *testing.T) {
	c, sb := startSandbox(t, nil, sfsandbox.Options{})
	recs, err := c.SearchByEmail(ctx(t), crm.EmailSearch{Email: crmtest.JaneEmail, Entities: []crm.EntitySpec{{Entity: "contact"}}})
	if err != nil || len(recs) != 1 || recs[0].Entity != "Contact" {
		t.Fatalf("search by email: %+v %v", recs, err)
	}
	jane := recs[0].ID
	rec, err := c.Create(ctx(t), "case", map[string]any{"Subject": "Spelled as case", "ContactId": jane})
	if err != nil || rec.Entity != "Case" {
		t.Fatalf("create: %+v %v", rec, err)
	}
	if err := c.Update(ctx(t), crm.Ref{Entity: "CASE", ID: rec.ID}, map[string]any{"Subject": "Updated as CASE"}); err != nil {
		t.Fatalf("update: %v", err)
	}
	got, err := c.Get(ctx(t), crm.Ref{Entity: "cAsE", ID: rec.ID}, []string{"Subject"})
	if err != nil || got.Entity != "Case" || got.Fields["Subject"] != "Updated as CASE" {
		t.Fatalf("get: %+v %v", got, err)
	}
	recs, err = c.Search(ctx(t), crm.Query{Entity: "contact", Filter: crm.Filter{Field: "LastName", Op: crm.OpEq, Value: "Doe"}})
	if err != nil || len(recs) == 0 || recs[0].Entity != "Contact" {
		t.Fatalf("search: %+v %v", recs, err)
	}
	open, err := c.RelatedOpen(ctx(t), crm.Ref{Entity: "contact", ID: jane}, 5)
	if err != nil || len(open) == 0 || open[0].Entity != "Case" {
		t.Fatalf("related open: %+v %v", open, err)
	}
	res, err := c.AddActivity(ctx(t), crm.Activity{Key: "job-spell-1", Links: []crm.Ref{{Entity: "contact", ID: jane}, {Entity: "case", ID: rec.ID}}})
	if err != nil {
		t.Fatalf("activity: %v", err)
	}
	tasks := sb.Records("Task")
	last := tasks[len(tasks)-1]
	if last["WhoId"] != jane || last["WhatId"] != rec.ID {
		t.Fatalf("task not related by WhoId/WhatId: %v", last)
	}
	res, err = c.WriteRecord(ctx(t), crm.Memorialization{Key: "job-spell-2", Entity: "task", Mode: crm.ModeCreate,
		Fields: map[string]any{"Subject": "Call back"}, Links: []crm.Ref{{Entity: "CONTACT", ID: jane}}})
	if err != nil || res.Records[0].Entity != "Task" {
		t.Fatalf("memorialize: %+v %v", res, err)
	}
	found, ok, err := c.FindWrite(ctx(t), crm.WriteLookup{Kind: crm.WriteMemorialization, Entity: "TASK", Key: "job-spell-2"})
	if err != nil || !ok || found.Records[0] != res.Records[0] {
		t.Fatalf("find write: %+v %v %v", found, ok, err)
	}
	res, err = c.WriteRecord(ctx(t), crm.Memorialization{Entity: "contact", Mode: crm.ModeUpdate,
		Fields: map[string]any{"Title": "Chief Printer Officer"}, Links: []crm.Ref{{Entity: "Contact", ID: jane}}})
	if err != nil || res.Records[0] != (crm.Ref{Entity: "Contact", ID: jane}) {
		t.Fatalf("update-mode memorialize: %+v %v", res, err)
	}
	if u := c.RecordURL(crm.Ref{Entity: "contact", ID: jane}); u == "" || u != c.RecordURL(crm.Ref{Entity: "Contact", ID: jane}) {
		t.Fatalf("record url %q", u)
	}
	if s, found, err := c.Sample(ctx(t), "CONTACT"); err != nil || !found || s.Entity != "Contact" {
		t.Fatalf("sample: %+v %v %v", s, found, err)
	}
	if m, err := c.Describe(ctx(t), "case"); err != nil || m.Entity != "Case" {
		t.Fatalf("describe: %+v %v", m, err)
	}
}

// TestRefusalsNameTheirField: the driver's own refusals, before any call,
// name the argument to fix.
func TestRefusalsNameTheirField(t *testing.T) {
	c, sb := startSandbox(t, nil, sfsandbox.Options{})
	const id = "003Dn0000000001AAA"
	cases := map[string]crmtest.Refusal{
		"create entity": {func() error { _, err := c.Create(ctx(t), "contacts", nil); return err }, "entity"},
		"create metadata": {func() error {
			_, err := c.Create(ctx(t), "Setting__mdt", map[string]any{"Label": "x"})
			return err
		}, "entity"},
		"create field": {func() error { _, err := c.Create(ctx(t), "Contact", map[string]any{"Last Name": "x"}); return err }, "fields.Last Name"},
		"get id":       {func() error { _, err := c.Get(ctx(t), crm.Ref{Entity: "Contact", ID: "003"}, nil); return err }, "id"},
		"get fields": {func() error {
			_, err := c.Get(ctx(t), crm.Ref{Entity: "Contact", ID: id}, []string{"Name", "x y"})
			return err
		}, "fields[1]"},
		"update id":    {func() error { return c.Update(ctx(t), crm.Ref{Entity: "Contact", ID: "x"}, nil) }, "id"},
		"update event": {func() error { return c.Update(ctx(t), crm.Ref{Entity: "Call__e", ID: id}, nil) }, "entity"},
		"search fields": {func() error {
			_, err := c.Search(ctx(t), crm.Query{Entity: "Contact", Fields: []string{"a b"}})
			return err
		}, "fields[0]"},
		"search filter": {func() error {
			_, err := c.Search(ctx(t), crm.Query{Entity: "Contact", Filter: crm.Filter{Field: "Name;x", Op: crm.OpEq, Value: "x"}})
			return err
		}, "filter"},
		"search entity spec": {func() error {
			_, err := c.SearchByEmail(ctx(t), crm.EmailSearch{Email: "a@b.c", Entities: []crm.EntitySpec{{Entity: "Contact"}, {Entity: "Leads"}}})
			return err
		}, "entities[1].entity"},
		"search display field": {func() error {
			_, err := c.SearchByPhone(ctx(t), crm.PhoneSearch{Variants: []string{"4155550100"}, Entities: []crm.EntitySpec{{Entity: "Contact", DisplayFields: []string{"Name", "not ok"}}}})
			return err
		}, "entities[0].displayFields[1]"},
		"search search field": {func() error {
			_, err := c.SearchByPhone(ctx(t), crm.PhoneSearch{Variants: []string{"4155550100"}, Entities: []crm.EntitySpec{{Entity: "Contact", SearchFields: []string{"Phone", "x-y"}}}})
			return err
		}, "entities[0].searchFields[1]"},
		"activity link": {func() error {
			_, err := c.AddActivity(ctx(t), crm.Activity{Key: "k", Links: []crm.Ref{{Entity: "Contact", ID: id}, {Entity: "People", ID: "x"}}})
			return err
		}, "links[1].id"},
		"activity link entity": {func() error {
			_, err := c.AddActivity(ctx(t), crm.Activity{Key: "k", Links: []crm.Ref{{Entity: "Contacts", ID: id}}})
			return err
		}, "links[0].entity"},
		"activity key": {func() error { _, err := c.AddActivity(ctx(t), crm.Activity{}); return err }, "key"},
		"memorialize mode": {func() error {
			_, err := c.WriteRecord(ctx(t), crm.Memorialization{Entity: "Task", Mode: "upsert"})
			return err
		}, "mode"},
		"memorialize link id": {func() error {
			_, err := c.WriteRecord(ctx(t), crm.Memorialization{Entity: "Task", Key: "k", Links: []crm.Ref{{Entity: "Contact", ID: "x"}}})
			return err
		}, "links[0].id"},
		"related entity":  {func() error { _, err := c.RelatedOpen(ctx(t), crm.Ref{Entity: "Contacts", ID: id}, 1); return err }, "person.entity"},
		"describe entity": {func() error { _, err := c.Describe(ctx(t), "Contact Us"); return err }, "entity"},
		"sample entity":   {func() error { _, _, err := c.Sample(ctx(t), "Cases"); return err }, "entity"},
	}
	crmtest.WantRefusals(t, sb.TotalCalls, cases)
}
