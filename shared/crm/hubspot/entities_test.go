package hubspot

import (
	"testing"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmtest"
	hssandbox "github.com/crmflow/crmflow/shared/sandbox/hubspot"
)

// spellingTable is every documented spelling the driver takes, with the
// canonical name it maps to: plural and singular object names (any case)
// and type ids of HubSpot's objects map to the plural name; other type ids
// and custom object names are kept as given.
var spellingTable = map[string]string{
	"contacts": "contacts", "contact": "contacts", "0-1": "contacts", "Contacts": "contacts", "CONTACT": "contacts", " contact ": "contacts",
	"companies": "companies", "company": "companies", "0-2": "companies", "Company": "companies",
	"deals": "deals", "deal": "deals", "0-3": "deals",
	"tickets": "tickets", "ticket": "tickets", "0-5": "tickets", "Ticket": "tickets",
	"calls": "calls", "call": "calls", "0-48": "calls",
	"notes": "notes", "note": "notes", "0-46": "notes",
	"tasks": "tasks", "task": "tasks", "0-27": "tasks",
	"meetings": "meetings", "meeting": "meetings", "0-47": "meetings",
	"emails": "emails", "email": "emails", "0-49": "emails",
	"communications": "communications", "communication": "communications", "0-18": "communications",
	"postal_mail": "postal_mail", "0-116": "postal_mail",
	"products": "products", "product": "products", "0-7": "products",
	"line_items": "line_items", "line_item": "line_items", "0-8": "line_items",
	"quotes": "quotes", "quote": "quotes", "0-14": "quotes",
	"feedback_submissions": "feedback_submissions", "feedback_submission": "feedback_submissions", "0-19": "feedback_submissions",
	"invoices": "invoices", "invoice": "invoices", "0-53": "invoices",
	"leads": "leads", "lead": "leads", "0-136": "leads",
	// HubSpot objects named by type id only (appointments, courses, carts…)
	// and custom objects.
	"0-421": "0-421", "0-410": "0-410", "0-142": "0-142",
	"2-9001": "2-9001", "2-3508482": "2-3508482",
	"p62515123_devices": "p62515123_devices", "p_devices": "p_devices", "p_cars": "p_cars",
}

var goodMappings = []crm.MappingCheck{
	{Kind: crm.MappingMemorialization, Entity: "calls", Mode: crm.ModeCreate, Targets: []string{"hs_call_title", "hs_call_body", "hs_timestamp"}},
	{Kind: crm.MappingMemorialization, Entity: "note", Mode: crm.ModeUpdate, Targets: []string{"hs_note_body"}},
	{Kind: crm.MappingMemorialization, Entity: "tickets", Targets: []string{"subject", "content", "hs_pipeline_stage"}},
	{Kind: crm.MappingMemorialization, Entity: "contacts", Mode: crm.ModeUpdate, Targets: []string{"crmflow_key"}},
	{Kind: crm.MappingMemorialization, Entity: "0-1", Mode: crm.ModeUpdate, Targets: []string{"jobtitle", "last_call_summary__c"}},
	{Kind: crm.MappingMemorialization, Entity: "calls", Mode: crm.ModeUpdate, Targets: []string{"hs_call_external_id"}},
	{Kind: crm.MappingMemorialization, Entity: "2-9001", Targets: []string{"name", "serial_number"}},
	{Kind: crm.MappingMemorialization, Entity: "p_devices", Targets: []string{"model"}},
	{Kind: crm.MappingSearch, Entity: "contact", SearchFields: []string{"phone", "mobilephone", "hs_whatsapp_phone_number"},
		DisplayFields: []string{"firstname", "lastname"}},
	{Kind: crm.MappingSearch, Entity: "companies", SearchFields: []string{"phone"}},
}

var badMappings = []crmtest.BadMapping{
	{Check: crm.MappingCheck{Kind: crm.MappingMemorialization, Entity: "contactz", Targets: []string{"jobtitle"}}, Field: "entity"},
	{Check: crm.MappingCheck{Kind: crm.MappingMemorialization, Entity: "1-1", Targets: []string{"jobtitle"}}, Field: "entity"},
	{Check: crm.MappingCheck{Kind: crm.MappingMemorialization, Entity: "calls", Mode: "upsert", Targets: []string{"hs_call_title"}}, Field: "mode"},
	{Check: crm.MappingCheck{Kind: crm.MappingMemorialization, Entity: "calls", Targets: []string{"hs_call_title", "crmflow_key"}}, Field: "fields[1].target"},
	{Check: crm.MappingCheck{Kind: crm.MappingMemorialization, Entity: "tickets", Mode: crm.ModeCreate, Targets: []string{"crmflow_key"}}, Field: "fields[0].target"},
	// Objects that cannot have a unique-value property cannot hold the key.
	{Check: crm.MappingCheck{Kind: crm.MappingMemorialization, Entity: "notes", Targets: []string{"hs_note_body"}}, Field: "entity"},
	{Check: crm.MappingCheck{Kind: crm.MappingMemorialization, Entity: "tasks", Mode: crm.ModeCreate, Targets: []string{"hs_task_subject"}}, Field: "entity"},
	{Check: crm.MappingCheck{Kind: crm.MappingMemorialization, Entity: "0-7", Targets: []string{"name"}}, Field: "entity"},
	{Check: crm.MappingCheck{Kind: crm.MappingMemorialization, Entity: "contacts", Mode: crm.ModeUpdate, Targets: []string{"hs_object_id"}}, Field: "fields[0].target"},
	{Check: crm.MappingCheck{Kind: crm.MappingMemorialization, Entity: "tickets", Targets: []string{"subject", "hs_lastmodifieddate"}}, Field: "fields[1].target"},
	{Check: crm.MappingCheck{Kind: crm.MappingMemorialization, Entity: "contacts", Mode: crm.ModeUpdate, Targets: []string{"lastmodifieddate"}}, Field: "fields[0].target"},
	{Check: crm.MappingCheck{Kind: crm.MappingMemorialization, Entity: "contacts", Targets: []string{"address.city"}}, Field: "fields[0].target"},
	{Check: crm.MappingCheck{Kind: crm.MappingMemorialization, Entity: "notes", Mode: crm.ModeUpdate, Targets: []string{"note body"}}, Field: "fields[0].target"},
	{Check: crm.MappingCheck{Kind: crm.MappingSearch, Entity: "contacts", SearchFields: []string{"phone", "phone number"}}, Field: "searchFields[1]"},
	{Check: crm.MappingCheck{Kind: crm.MappingSearch, Entity: "contacts", SearchFields: []string{"phone"},
		DisplayFields: []string{"firstname", "associations.company"}}, Field: "displayFields[1].name"},
	{Check: crm.MappingCheck{Kind: crm.MappingSearch, Entity: "objects", SearchFields: []string{"phone"}}, Field: "entity"},
}

func TestCanonicalEntity(t *testing.T) {
	d := Driver()
	for in, want := range spellingTable {
		if got, err := d.Canonical(in); err != nil || got != want {
			t.Errorf("Canonical(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "contactz", "Contacts Us", "1-1", "0-0", "0-", "2-x", "3-1", "objects", "contacts/12",
		"p-cars", "p_", "p_9cars", "crm.contacts", "Contact.Phone", "0-1 ", "contacts\n"} {
		_, err := d.Canonical(bad)
		e, ok := crm.AsRefusal(err)
		if bad == "0-1 " || bad == "contacts\n" {
			// Surrounding space is trimmed, as for every CRM.
			if err != nil {
				t.Errorf("Canonical(%q): %v", bad, err)
			}
			continue
		}
		if !ok || e.Field != "entity" || e.Message == "" {
			t.Errorf("Canonical(%q) = %v, want a refusal naming entity", bad, err)
		}
	}
}

// TestEveryActionResolvesSpellings: every action takes the singular name
// and the type id where it takes the plural name, and answers (and sends)
// the canonical form.
func TestEveryActionResolvesSpellings(t *testing.T) {
	c, sb := startSandbox(t, nil, hssandbox.Options{})
	jane := janeID(t, c)
	rec, err := c.Create(ctx(t), "ticket", map[string]any{"subject": "Spelled as ticket", "hs_pipeline": "0", "hs_pipeline_stage": "1"})
	if err != nil || rec.Entity != "tickets" || rec.URL == "" {
		t.Fatalf("create: %+v %v", rec, err)
	}
	if err := c.Update(ctx(t), crm.Ref{Entity: "0-5", ID: rec.ID}, map[string]any{"subject": "Updated as 0-5"}); err != nil {
		t.Fatalf("update: %v", err)
	}
	got, err := c.Get(ctx(t), crm.Ref{Entity: "Ticket", ID: rec.ID}, []string{"subject"})
	if err != nil || got.Entity != "tickets" || got.Fields["subject"] != "Updated as 0-5" || got.URL != rec.URL {
		t.Fatalf("get: %+v %v", got, err)
	}
	recs, err := c.Search(ctx(t), crm.Query{Entity: "contact", Filter: crm.Filter{Field: "lastname", Op: crm.OpEq, Value: "Doe"}})
	if err != nil || len(recs) != 1 || recs[0].Entity != "contacts" {
		t.Fatalf("search: %+v %v", recs, err)
	}
	recs, err = c.SearchByEmail(ctx(t), crm.EmailSearch{Email: crmtest.JaneEmail, Entities: []crm.EntitySpec{{Entity: "0-1"}}})
	if err != nil || len(recs) != 1 || recs[0].Entity != "contacts" {
		t.Fatalf("search by email: %+v %v", recs, err)
	}
	open, err := c.RelatedOpen(ctx(t), crm.Ref{Entity: "contact", ID: jane}, 5)
	if err != nil || len(open) == 0 || open[0].Entity != "tickets" {
		t.Fatalf("related open: %+v %v", open, err)
	}
	res, err := c.AddActivity(ctx(t), crm.Activity{Key: "job-spell-1", Subject: "Call", Links: []crm.Ref{{Entity: "contact", ID: jane}, {Entity: "0-5", ID: rec.ID}}})
	if err != nil || res.Records[0].Entity != "calls" {
		t.Fatalf("activity: %+v %v", res, err)
	}
	if got := sb.Associations("calls", res.Records[0].ID, "contacts"); len(got) != 1 || got[0] != jane {
		t.Fatalf("call not associated with the contact: %v", got)
	}
	res, err = c.WriteRecord(ctx(t), crm.Memorialization{Key: "job-spell-2", Entity: "call", Mode: crm.ModeCreate,
		Fields: map[string]any{"hs_call_title": "Call back"}, Links: []crm.Ref{{Entity: "0-1", ID: jane}}})
	if err != nil || res.Records[0].Entity != "calls" {
		t.Fatalf("memorialize: %+v %v", res, err)
	}
	found, ok, err := c.FindWrite(ctx(t), crm.WriteLookup{Kind: crm.WriteMemorialization, Entity: "0-48", Key: "job-spell-2"})
	if err != nil || !ok || found.Records[0] != res.Records[0] {
		t.Fatalf("find write: %+v %v %v", found, ok, err)
	}
	res, err = c.WriteRecord(ctx(t), crm.Memorialization{Entity: "Contact", Mode: crm.ModeUpdate,
		Fields: map[string]any{"jobtitle": "Chief Printer Officer"}, Links: []crm.Ref{{Entity: "0-1", ID: jane}}})
	if err != nil || len(res.Records) != 1 || res.Records[0] != (crm.Ref{Entity: "contacts", ID: jane}) {
		t.Fatalf("update-mode memorialize: %+v %v", res, err)
	}
	res, err = c.WriteRecord(ctx(t), crm.Memorialization{Key: "job-spell-3", Entity: "p_devices", Mode: crm.ModeCreate,
		Fields: map[string]any{"name": "Scanner"}, Links: []crm.Ref{{Entity: "contact", ID: jane}}})
	if err != nil || res.Records[0].Entity != "p_devices" {
		t.Fatalf("custom object by name: %+v %v", res, err)
	}
	if u := c.RecordURL(res.Records[0]); u != "" {
		t.Fatalf("a custom object named by name has no type id for a URL: %q", u)
	}
	if u := c.RecordURL(crm.Ref{Entity: "contact", ID: jane}); u == "" || u != c.RecordURL(crm.Ref{Entity: "0-1", ID: jane}) {
		t.Fatalf("record url %q", u)
	}
}

// TestRefusalsNameTheirField: the driver's own refusals, before any call,
// name the argument to fix.
func TestRefusalsNameTheirField(t *testing.T) {
	c, sb := startSandbox(t, nil, hssandbox.Options{})
	cases := map[string]crmtest.Refusal{
		"create entity": {func() error { _, err := c.Create(ctx(t), "contactz", nil); return err }, "entity"},
		"create field": {func() error {
			_, err := c.Create(ctx(t), "contacts", map[string]any{"first name": "x"})
			return err
		}, "fields.first name"},
		"create value": {func() error {
			_, err := c.Create(ctx(t), "contacts", map[string]any{"firstname": map[string]any{"a": 1}})
			return err
		}, "fields.firstname"},
		"get id": {func() error { _, err := c.Get(ctx(t), crm.Ref{Entity: "contacts", ID: "0"}, nil); return err }, "id"},
		"get fields": {func() error {
			_, err := c.Get(ctx(t), crm.Ref{Entity: "contacts", ID: "1"}, []string{"email", "x y"})
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
		"search without fields": {func() error {
			_, err := c.SearchByEmail(ctx(t), crm.EmailSearch{Email: "a@b.c", Entities: []crm.EntitySpec{{Entity: "2-9001"}}})
			return err
		}, "entities[0].searchFields"},
		"activity link": {func() error {
			_, err := c.AddActivity(ctx(t), crm.Activity{Key: "k", Links: []crm.Ref{{Entity: "contacts", ID: "1"}, {Entity: "people", ID: "2"}}})
			return err
		}, "links[1].entity"},
		"memorialize link id": {func() error {
			_, err := c.WriteRecord(ctx(t), crm.Memorialization{Key: "k", Entity: "calls", Links: []crm.Ref{{Entity: "contacts", ID: "x"}}})
			return err
		}, "links[0].id"},
		"memorialize mode": {func() error {
			_, err := c.WriteRecord(ctx(t), crm.Memorialization{Entity: "calls", Mode: "upsert"})
			return err
		}, "mode"},
		"memorialize key property": {func() error {
			_, err := c.WriteRecord(ctx(t), crm.Memorialization{Key: "k", Entity: "calls", Fields: map[string]any{keyProperty: "x"}})
			return err
		}, "fields." + keyProperty},
		"related id":      {func() error { _, err := c.RelatedOpen(ctx(t), crm.Ref{Entity: "contacts", ID: "x"}, 1); return err }, "person.id"},
		"describe entity": {func() error { _, err := c.Describe(ctx(t), "nope"); return err }, "entity"},
		"sample entity":   {func() error { _, _, err := c.Sample(ctx(t), "nope"); return err }, "entity"},
	}
	crmtest.WantRefusals(t, sb.TotalCalls, cases)
}

// janeID finds Jane by email.
func janeID(t *testing.T, c *connector) string {
	t.Helper()
	recs, err := c.SearchByEmail(ctx(t), crm.EmailSearch{Email: crmtest.JaneEmail})
	if err != nil || len(recs) != 1 {
		t.Fatalf("jane: %+v %v", recs, err)
	}
	return recs[0].ID
}
