package oracle

import (
	"strconv"
	"testing"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmtest"
	osvcsandbox "github.com/crmflow/crmflow/shared/sandbox/oracle"
)

// spellingTable is every documented spelling the driver takes, with the
// canonical REST resource name it maps to: object names (Contact) and
// resource names (contacts) in any case, and custom objects as
// Package.Object (kept as given).
var spellingTable = map[string]string{
	"contacts": "contacts", "Contacts": "contacts", "CONTACTS": "contacts", "contact": "contacts", "Contact": "contacts",
	"incidents": "incidents", "Incidents": "incidents", "incident": "incidents", "Incident": "incidents",
	"organizations": "organizations", "organization": "organizations", "Organization": "organizations",
	"tasks": "tasks", "task": "tasks", "Task": "tasks",
	"opportunities": "opportunities", "Opportunity": "opportunities",
	"serviceProducts": "serviceProducts", "serviceproducts": "serviceProducts", "ServiceProduct": "serviceProducts",
	"serviceCategories": "serviceCategories", "ServiceCategory": "serviceCategories",
	"accounts": "accounts", "Account": "accounts", "answers": "answers", "Answer": "answers", "assets": "assets", "Asset": "assets",
	"purchasedProducts": "purchasedProducts", "PurchasedProduct": "purchasedProducts",
	"salesProducts": "salesProducts", "serviceDispositions": "serviceDispositions",
	"CO.CallNote": "CO.CallNote", "STPBX.Call_Track": "STPBX.Call_Track", "CO.OSEMINCIDENT": "CO.OSEMINCIDENT",
	" Contact ": "contacts",
}

var goodMappings = []crm.MappingCheck{
	{Kind: crm.MappingMemorialization, Entity: "incidents", Mode: crm.ModeCreate,
		Targets: []string{"subject", "channel.id", "severity.lookupName", "customFields.c.call_id", "threads", "primaryContact.id"}},
	{Kind: crm.MappingMemorialization, Entity: "contacts", Mode: crm.ModeUpdate, Targets: []string{"title", "customFields.c.last_call", "emails"}},
	{Kind: crm.MappingMemorialization, Entity: "tasks", Mode: crm.ModeCreate, Targets: []string{"name", "dueTime", "notes"}},
	{Kind: crm.MappingMemorialization, Entity: "CO.CallNote", Mode: crm.ModeCreate, Targets: []string{"summary", "durationSeconds"}},
	{Kind: crm.MappingMemorialization, Entity: "Incident", Targets: []string{"statusWithType.status.id"}},
	{Kind: crm.MappingSearch, Entity: "contacts", SearchFields: []string{"phones.rawNumber", "emails.address"},
		DisplayFields: []string{"name.first", "organization.name"}},
	{Kind: crm.MappingSearch, Entity: "CO.CallNote", SearchFields: []string{"agentName"}},
	{Kind: crm.MappingMemorialization, Entity: "organizations", Mode: crm.ModeCreate, Targets: []string{"name"}},
	{Kind: crm.MappingMemorialization, Entity: "contacts", Mode: crm.ModeCreate, Targets: []string{"name.first", "customFields.c.source"}},
	{Kind: crm.MappingMemorialization, Entity: "serviceProducts", Mode: crm.ModeUpdate, Targets: []string{"name"}},
}

var badMappings = []crmtest.BadMapping{
	{Check: crm.MappingCheck{Kind: crm.MappingMemorialization, Entity: "contactz", Targets: []string{"title"}}, Field: "entity"},
	{Check: crm.MappingCheck{Kind: crm.MappingMemorialization, Entity: "queryResults", Targets: []string{"title"}}, Field: "entity"},
	{Check: crm.MappingCheck{Kind: crm.MappingMemorialization, Entity: "incidents", Mode: "upsert", Targets: []string{"subject"}}, Field: "mode"},
	{Check: crm.MappingCheck{Kind: crm.MappingMemorialization, Entity: "incidents", Targets: []string{"subject", "referenceNumber"}}, Field: "fields[1].target"},
	{Check: crm.MappingCheck{Kind: crm.MappingMemorialization, Entity: "incidents", Targets: []string{"id"}}, Field: "fields[0].target"},
	{Check: crm.MappingCheck{Kind: crm.MappingMemorialization, Entity: "incidents", Targets: []string{"subject", "createdTime"}}, Field: "fields[1].target"},
	{Check: crm.MappingCheck{Kind: crm.MappingMemorialization, Entity: "incidents", Targets: []string{"statusWithType.statusType.id"}}, Field: "fields[0].target"},
	{Check: crm.MappingCheck{Kind: crm.MappingMemorialization, Entity: "incidents", Targets: []string{"threads.text"}}, Field: "fields[0].target"},
	{Check: crm.MappingCheck{Kind: crm.MappingMemorialization, Entity: "contacts", Targets: []string{"title", "emails.address"}}, Field: "fields[1].target"},
	{Check: crm.MappingCheck{Kind: crm.MappingMemorialization, Entity: "contacts", Targets: []string{"phones.rawNumber"}}, Field: "fields[0].target"},
	{Check: crm.MappingCheck{Kind: crm.MappingMemorialization, Entity: "contacts", Targets: []string{"name first"}}, Field: "fields[0].target"},
	{Check: crm.MappingCheck{Kind: crm.MappingMemorialization, Entity: "tasks", Targets: []string{"notes.text"}}, Field: "fields[0].target"},
	{Check: crm.MappingCheck{Kind: crm.MappingMemorialization, Entity: "CO.CallNote", Targets: []string{"lookupName"}}, Field: "fields[0].target"},
	{Check: crm.MappingCheck{Kind: crm.MappingSearch, Entity: "contacts", SearchFields: []string{"phones number"}}, Field: "searchFields[0]"},
	{Check: crm.MappingCheck{Kind: crm.MappingSearch, Entity: "contacts", SearchFields: []string{"phones.rawNumber"},
		DisplayFields: []string{"name.first", "name;last"}}, Field: "displayFields[1].name"},
	// No custom field: a created record could not be found again.
	{Check: crm.MappingCheck{Kind: crm.MappingMemorialization, Entity: "serviceProducts", Mode: crm.ModeCreate, Targets: []string{"name"}}, Field: "entity"},
	{Check: crm.MappingCheck{Kind: crm.MappingMemorialization, Entity: "assets", Targets: []string{"name"}}, Field: "entity"},
	// The key field is crmflow's.
	{Check: crm.MappingCheck{Kind: crm.MappingMemorialization, Entity: "incidents", Targets: []string{"subject", "CustomFields.c.CRMFLOW_KEY"}}, Field: "fields[1].target"},
	{Check: crm.MappingCheck{Kind: crm.MappingMemorialization, Entity: "contacts", Mode: crm.ModeUpdate, Targets: []string{"customFields.c.crmflow_key"}}, Field: "fields[0].target"},
	{Check: crm.MappingCheck{Kind: crm.MappingMemorialization, Entity: "CO.CallNote", Targets: []string{"crmflow_key"}}, Field: "fields[0].target"},
	{Check: crm.MappingCheck{Kind: crm.MappingSearch, Entity: "namedIDs", SearchFields: []string{"id"}}, Field: "entity"},
}

func TestCanonicalEntity(t *testing.T) {
	d := Driver()
	for in, want := range spellingTable {
		if got, err := d.Canonical(in); err != nil || got != want {
			t.Errorf("Canonical(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "contactz", "Contacts Us", "queryResults", "analyticsReportResults", "namedIDs",
		"metadata-catalog", "CO.", ".CallNote", "CO.Call.Note", "incidents/12", "select", "1contacts", "CO.9x"} {
		_, err := d.Canonical(bad)
		e, ok := crm.AsRefusal(err)
		if !ok || e.Field != "entity" || e.Message == "" {
			t.Errorf("Canonical(%q) = %v, want a refusal naming entity", bad, err)
		}
	}
}

// TestEveryActionResolvesSpellings: each action the driver has takes the
// object name where it takes the resource name, and writes the canonical
// form into paths, queries and records.
func TestEveryActionResolvesSpellings(t *testing.T) {
	c, sb := startSandbox(t, nil, osvcsandbox.Options{})
	jane := janeID(t, c)
	rec, err := c.Create(ctx(t), "Incident", map[string]any{"subject": "Spelled as Incident", "primaryContact.id": jane})
	if err != nil || rec.Entity != "incidents" {
		t.Fatalf("create: %+v %v", rec, err)
	}
	if err := c.Update(ctx(t), crm.Ref{Entity: "incident", ID: rec.ID}, map[string]any{"subject": "Updated as incident"}); err != nil {
		t.Fatalf("update: %v", err)
	}
	got, err := c.Get(ctx(t), crm.Ref{Entity: "INCIDENTS", ID: rec.ID}, []string{"subject"})
	if err != nil || got.Entity != "incidents" || got.Fields["subject"] != "Updated as incident" {
		t.Fatalf("get: %+v %v", got, err)
	}
	recs, err := c.Search(ctx(t), crm.Query{Entity: "Contact", Filter: crm.Filter{Field: "name.last", Op: crm.OpEq, Value: "Doe"}})
	if err != nil || len(recs) != 1 || recs[0].Entity != "contacts" {
		t.Fatalf("search: %+v %v", recs, err)
	}
	recs, err = c.SearchByEmail(ctx(t), crm.EmailSearch{Email: crmtest.JaneEmail, Entities: []crm.EntitySpec{{Entity: "Contact"}}})
	if err != nil || len(recs) != 1 || recs[0].Entity != "contacts" {
		t.Fatalf("search by email: %+v %v", recs, err)
	}
	open, err := c.RelatedOpen(ctx(t), crm.Ref{Entity: "Contact", ID: jane}, 5)
	if err != nil || len(open) == 0 || open[0].Entity != "incidents" {
		t.Fatalf("related open: %+v %v", open, err)
	}
	res, err := c.AddActivity(ctx(t), crm.Activity{Key: "job-spell-1", Subject: "Call", Links: []crm.Ref{{Entity: "Incident", ID: rec.ID}}})
	if err != nil || res.Records[0] != (crm.Ref{Entity: "incidents", ID: rec.ID}) {
		t.Fatalf("activity: %+v %v", res, err)
	}
	res, err = c.WriteRecord(ctx(t), crm.Memorialization{Key: "job-spell-2", Entity: "Task", Mode: crm.ModeCreate,
		Fields: map[string]any{"name": "Call back"}, Links: []crm.Ref{{Entity: "contact", ID: jane}}})
	if err != nil || res.Records[0].Entity != "tasks" {
		t.Fatalf("memorialize: %+v %v", res, err)
	}
	task, _ := sb.Record("tasks", mustID(t, res.Records[0].ID))
	if task["contact"].(map[string]any)["id"] != float64(mustID(t, jane)) {
		t.Fatalf("task not related to the contact: %v", task)
	}
	found, ok, err := c.FindWrite(ctx(t), crm.WriteLookup{Kind: crm.WriteMemorialization, Entity: "task", Key: "job-spell-2"})
	if err != nil || !ok || found.Records[0] != res.Records[0] {
		t.Fatalf("find write: %+v %v %v", found, ok, err)
	}
	res, err = c.WriteRecord(ctx(t), crm.Memorialization{Entity: "Contact", Mode: crm.ModeUpdate,
		Fields: map[string]any{"title": "Chief Printer Officer"}, Links: []crm.Ref{{Entity: "contact", ID: jane}}})
	if err != nil || res.Records[0] != (crm.Ref{Entity: "contacts", ID: jane}) {
		t.Fatalf("update-mode memorialize: %+v %v", res, err)
	}
	if u := c.RecordURL(crm.Ref{Entity: "Contact", ID: jane}); u != c.RecordURL(crm.Ref{Entity: "contacts", ID: jane}) || u == "" {
		t.Fatalf("record url %q", u)
	}
}

// TestRefusalsNameTheirField: the driver's own refusals, before any call,
// name the argument to fix.
func TestRefusalsNameTheirField(t *testing.T) {
	c, sb := startSandbox(t, nil, osvcsandbox.Options{})
	cases := map[string]crmtest.Refusal{
		"create entity": {func() error { _, err := c.Create(ctx(t), "contactz", nil); return err }, "entity"},
		"create field": {func() error {
			_, err := c.Create(ctx(t), "contacts", map[string]any{"name first": "x"})
			return err
		}, "fields.name first"},
		"get id": {func() error { _, err := c.Get(ctx(t), crm.Ref{Entity: "contacts", ID: "0"}, nil); return err }, "id"},
		"get fields": {func() error {
			_, err := c.Get(ctx(t), crm.Ref{Entity: "contacts", ID: "1"}, []string{"id", "x y"})
			return err
		}, "fields[1]"},
		"update id": {func() error { return c.Update(ctx(t), crm.Ref{Entity: "contacts", ID: "-1"}, nil) }, "id"},
		"search field": {func() error {
			_, err := c.Search(ctx(t), crm.Query{Entity: "contacts", Fields: []string{"a b"}})
			return err
		}, "fields[0]"},
		"search filter": {func() error {
			_, err := c.Search(ctx(t), crm.Query{Entity: "contacts", Filter: crm.Filter{Field: "name;x", Op: crm.OpEq, Value: "x"}})
			return err
		}, "filter"},
		"search entity spec": {func() error {
			_, err := c.SearchByEmail(ctx(t), crm.EmailSearch{Email: "a@b.c", Entities: []crm.EntitySpec{{Entity: "contacts"}, {Entity: "nope"}}})
			return err
		}, "entities[1].entity"},
		"search display field": {func() error {
			_, err := c.SearchByEmail(ctx(t), crm.EmailSearch{Email: "a@b.c", Entities: []crm.EntitySpec{{Entity: "contacts", DisplayFields: []string{"ok", "not ok"}}}})
			return err
		}, "entities[0].displayFields[1]"},
		"activity link": {func() error {
			_, err := c.AddActivity(ctx(t), crm.Activity{Links: []crm.Ref{{Entity: "contacts", ID: "1"}, {Entity: "people", ID: "2"}}})
			return err
		}, "links[1].entity"},
		"memorialize link id": {func() error {
			_, err := c.WriteRecord(ctx(t), crm.Memorialization{Entity: "incidents", Links: []crm.Ref{{Entity: "contacts", ID: "x"}}})
			return err
		}, "links[0].id"},
		"memorialize mode": {func() error {
			_, err := c.WriteRecord(ctx(t), crm.Memorialization{Entity: "incidents", Mode: "upsert"})
			return err
		}, "mode"},
		"related entity":  {func() error { _, err := c.RelatedOpen(ctx(t), crm.Ref{Entity: "tasks", ID: "1"}, 1); return err }, "person.entity"},
		"describe entity": {func() error { _, err := c.Describe(ctx(t), "nope"); return err }, "entity"},
		"sample entity":   {func() error { _, _, err := c.Sample(ctx(t), "nope"); return err }, "entity"},
	}
	crmtest.WantRefusals(t, sb.TotalCalls, cases)
}

func mustID(t testing.TB, id string) int64 {
	t.Helper()
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return n
}
