package dynamics

import (
	"testing"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmtest"
	dvsandbox "github.com/crmflow/crmflow/shared/sandbox/dynamics"
)

// spellingTable is every documented spelling the driver takes, with the
// logical name it maps to: logical, entity set and schema names of the
// standard tables in any case, custom tables by logical or schema name,
// other system tables by logical name.
var spellingTable = map[string]string{
	"contact": "contact", "contacts": "contact", "Contact": "contact", "CONTACT": "contact", "Contacts": "contact",
	"lead": "lead", "leads": "lead", "Lead": "lead",
	"account": "account", "accounts": "account", "Account": "account",
	"incident": "incident", "incidents": "incident", "Incident": "incident",
	"opportunity": "opportunity", "opportunities": "opportunity", "Opportunity": "opportunity",
	"phonecall": "phonecall", "phonecalls": "phonecall", "PhoneCall": "phonecall",
	"task": "task", "tasks": "task", "Task": "task",
	"annotation": "annotation", "annotations": "annotation", "Annotation": "annotation",
	"systemuser": "systemuser", "systemusers": "systemuser", "SystemUser": "systemuser",
	"email": "email", "emails": "email", "fax": "fax", "faxes": "fax", "socialactivities": "socialactivity",
	"activitypointer": "activitypointer", "ActivityPointer": "activitypointer", "activityparties": "activityparty",
	"new_callnote": "new_callnote", "new_CallNote": "new_callnote", "NEW_CALLNOTE": "new_callnote",
	"msdyn_workorder": "msdyn_workorder", "cr755_sauditrecords": "cr755_sauditrecords",
	"connection": "connection", "customeraddress": "customeraddress",
	" Contact ": "contact",
}

var goodMappings = []crm.MappingCheck{
	{Kind: crm.MappingMemorialization, Entity: "phonecall", Mode: crm.ModeCreate,
		Targets: []string{"subject", "description", "phonenumber", "directioncode", "regardingobjectid_contact_phonecall"}},
	{Kind: crm.MappingMemorialization, Entity: "task", Targets: []string{"subject", "description", "scheduledend"}},
	{Kind: crm.MappingMemorialization, Entity: "contact", Mode: crm.ModeUpdate, Targets: []string{"jobtitle", "new_lastcall", "statecode"}},
	{Kind: crm.MappingMemorialization, Entity: "new_callnote", Mode: crm.ModeCreate, Targets: []string{"new_name", "new_notes", "new_contactid"}},
	{Kind: crm.MappingMemorialization, Entity: "Incident", Targets: []string{"title", "customerid_contact", "parentcaseid@odata.bind"}},
	{Kind: crm.MappingSearch, Entity: "contacts", SearchFields: []string{"telephone1", "mobilephone", "emailaddress1"},
		DisplayFields: []string{"fullname", "jobtitle", "_parentcustomerid_value"}},
	{Kind: crm.MappingSearch, Entity: "new_callnote", SearchFields: []string{"new_phone"}},
}

var badMappings = []crmtest.BadMapping{
	{Check: crm.MappingCheck{Kind: crm.MappingMemorialization, Entity: "EntityDefinitions", Targets: []string{"subject"}}, Field: "entity"},
	{Check: crm.MappingCheck{Kind: crm.MappingMemorialization, Entity: "new_", Targets: []string{"subject"}}, Field: "entity"},
	{Check: crm.MappingCheck{Kind: crm.MappingMemorialization, Entity: "task", Mode: "upsert", Targets: []string{"subject"}}, Field: "mode"},
	{Check: crm.MappingCheck{Kind: crm.MappingMemorialization, Entity: "task", Targets: []string{"subject", "activityid"}}, Field: "fields[1].target"},
	{Check: crm.MappingCheck{Kind: crm.MappingMemorialization, Entity: "incident", Targets: []string{"ticketnumber"}}, Field: "fields[0].target"},
	{Check: crm.MappingCheck{Kind: crm.MappingMemorialization, Entity: "contact", Mode: crm.ModeUpdate, Targets: []string{"fullname"}}, Field: "fields[0].target"},
	{Check: crm.MappingCheck{Kind: crm.MappingMemorialization, Entity: "contact", Targets: []string{"jobtitle", "createdon"}}, Field: "fields[1].target"},
	{Check: crm.MappingCheck{Kind: crm.MappingMemorialization, Entity: "phonecall", Targets: []string{"statecode"}}, Field: "fields[0].target"},
	{Check: crm.MappingCheck{Kind: crm.MappingMemorialization, Entity: "phonecall", Targets: []string{"_regardingobjectid_value"}}, Field: "fields[0].target"},
	{Check: crm.MappingCheck{Kind: crm.MappingMemorialization, Entity: "contact", Targets: []string{"parentcustomerid_account.name"}}, Field: "fields[0].target"},
	{Check: crm.MappingCheck{Kind: crm.MappingMemorialization, Entity: "contact", Targets: []string{"job title"}}, Field: "fields[0].target"},
	{Check: crm.MappingCheck{Kind: crm.MappingMemorialization, Entity: "new_callnote", Targets: []string{"versionnumber"}}, Field: "fields[0].target"},
	{Check: crm.MappingCheck{Kind: crm.MappingSearch, Entity: "contact", SearchFields: []string{"telephone 1"}}, Field: "searchFields[0]"},
	{Check: crm.MappingCheck{Kind: crm.MappingSearch, Entity: "contact", SearchFields: []string{"telephone1"},
		DisplayFields: []string{"fullname", "parentcustomerid_account.name"}}, Field: "displayFields[1].name"},
	{Check: crm.MappingCheck{Kind: crm.MappingSearch, Entity: "WhoAmI", SearchFields: []string{"telephone1"}}, Field: "entity"},
}

func TestCanonicalEntity(t *testing.T) {
	d := Driver()
	for in, want := range spellingTable {
		if got, err := d.Canonical(in); err != nil || got != want {
			t.Errorf("Canonical(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "EntityDefinitions", "entitydefinitions", "WhoAmI", "GlobalOptionSetDefinitions", "new_",
		"_contact", "new__", "mscrm_x", "n_x", "toolongprefix_x", "contact.fullname", "con tact", "1contact", "contacts(x)",
		"contact-x", "$batch", "$metadata"} {
		_, err := d.Canonical(bad)
		e, ok := crm.AsRefusal(err)
		if !ok || e.Field != "entity" || e.Message == "" {
			t.Errorf("Canonical(%q) = %v, want a refusal naming entity", bad, err)
		}
	}
}

func TestEntitySets(t *testing.T) {
	for logical, set := range map[string]string{
		"contact": "contacts", "opportunity": "opportunities", "fax": "faxes", "socialactivity": "socialactivities",
		"new_callnote": "new_callnotes", "cr755_sauditrecords": "cr755_sauditrecordses", "dapdev_6scategory": "dapdev_6scategories",
		"new_batch": "new_batches", "new_day": "new_days",
	} {
		if got := entitySet(logical); got != set {
			t.Errorf("entitySet(%s) = %s, want %s", logical, got, set)
		}
	}
}

// TestEveryActionResolvesSpellings: each action takes the entity set and
// schema names where it takes the logical name, and writes the logical name
// into results and the entity set name into paths.
func TestEveryActionResolvesSpellings(t *testing.T) {
	c, sb := startSandbox(t, nil, dvsandbox.Options{})
	recs, err := c.SearchByEmail(ctx(t), crm.EmailSearch{Email: crmtest.JaneEmail, Entities: []crm.EntitySpec{{Entity: "Contacts"}}})
	if err != nil || len(recs) != 1 || recs[0].Entity != "contact" {
		t.Fatalf("search by email: %+v %v", recs, err)
	}
	jane := recs[0].ID
	rec, err := c.Create(ctx(t), "Incidents", map[string]any{"title": "Spelled as Incidents", "customerid_contact": jane})
	if err != nil || rec.Entity != "incident" {
		t.Fatalf("create: %+v %v", rec, err)
	}
	if err := c.Update(ctx(t), crm.Ref{Entity: "Incident", ID: rec.ID}, map[string]any{"title": "Updated as Incident"}); err != nil {
		t.Fatalf("update: %v", err)
	}
	got, err := c.Get(ctx(t), crm.Ref{Entity: "INCIDENTS", ID: rec.ID}, []string{"title"})
	if err != nil || got.Entity != "incident" || got.Fields["title"] != "Updated as Incident" {
		t.Fatalf("get: %+v %v", got, err)
	}
	found, err := c.Search(ctx(t), crm.Query{Entity: "Contact", Filter: crm.Filter{Field: "lastname", Op: crm.OpEq, Value: "Doe"}})
	if err != nil || len(found) == 0 || found[0].Entity != "contact" {
		t.Fatalf("search: %+v %v", found, err)
	}
	open, err := c.RelatedOpen(ctx(t), crm.Ref{Entity: "Contacts", ID: jane}, 5)
	if err != nil || len(open) == 0 || open[0].Entity != "incident" {
		t.Fatalf("related open: %+v %v", open, err)
	}
	res, err := c.AddActivity(ctx(t), crm.Activity{Key: "job-spell-1", Subject: "Call", Direction: "inbound",
		Links: []crm.Ref{{Entity: "Incidents", ID: rec.ID}, {Entity: "CONTACT", ID: jane}}})
	if err != nil || res.Records[0].Entity != "phonecall" {
		t.Fatalf("activity: %+v %v", res, err)
	}
	if p := sb.Parties(res.Records[0].ID); len(p) != 2 {
		t.Fatalf("parties: %+v", p)
	}
	res, err = c.WriteRecord(ctx(t), crm.Memorialization{Key: "job-spell-2", Entity: "Tasks", Mode: crm.ModeCreate,
		Fields: map[string]any{"subject": "Call back"}, Links: []crm.Ref{{Entity: "Contact", ID: jane}}})
	if err != nil || res.Records[0].Entity != "task" {
		t.Fatalf("memorialize: %+v %v", res, err)
	}
	w, ok, err := c.FindWrite(ctx(t), crm.WriteLookup{Kind: crm.WriteMemorialization, Entity: "Task", Key: "job-spell-2"})
	if err != nil || !ok || w.Records[0] != res.Records[0] {
		t.Fatalf("find write: %+v %v %v", w, ok, err)
	}
	res, err = c.WriteRecord(ctx(t), crm.Memorialization{Entity: "contacts", Mode: crm.ModeUpdate,
		Fields: map[string]any{"jobtitle": "Chief Printer Officer"}, Links: []crm.Ref{{Entity: "Contact", ID: jane}}})
	if err != nil || res.Records[0] != (crm.Ref{Entity: "contact", ID: jane}) {
		t.Fatalf("update-mode memorialize: %+v %v", res, err)
	}
	if u := c.RecordURL(crm.Ref{Entity: "Contacts", ID: jane}); u == "" || u != c.RecordURL(crm.Ref{Entity: "contact", ID: jane}) {
		t.Fatalf("record url %q", u)
	}
}

// TestRefusalsNameTheirField: the driver's own refusals, before any call,
// name the argument to fix.
func TestRefusalsNameTheirField(t *testing.T) {
	c, sb := startSandbox(t, nil, dvsandbox.Options{})
	const id = "6f1c9a52-0d3e-4b8a-9c1d-3e5f7a9b0c42"
	cases := map[string]crmtest.Refusal{
		"create entity": {func() error { _, err := c.Create(ctx(t), "EntityDefinitions", nil); return err }, "entity"},
		"create field": {func() error {
			_, err := c.Create(ctx(t), "contact", map[string]any{"first name": "x"})
			return err
		}, "fields.first name"},
		"get id": {func() error { _, err := c.Get(ctx(t), crm.Ref{Entity: "contact", ID: "42"}, nil); return err }, "id"},
		"get fields": {func() error {
			_, err := c.Get(ctx(t), crm.Ref{Entity: "contact", ID: id}, []string{"fullname", "x y"})
			return err
		}, "fields[1]"},
		"update id": {func() error { return c.Update(ctx(t), crm.Ref{Entity: "contact", ID: "x"}, nil) }, "id"},
		"update entity": {func() error {
			return c.Update(ctx(t), crm.Ref{Entity: "WhoAmI", ID: id}, map[string]any{"jobtitle": "x"})
		}, "entity"},
		"search field": {func() error {
			_, err := c.Search(ctx(t), crm.Query{Entity: "contact", Fields: []string{"a b"}})
			return err
		}, "fields[0]"},
		"search filter": {func() error {
			_, err := c.Search(ctx(t), crm.Query{Entity: "contact", Filter: crm.Filter{Field: "eq", Op: crm.OpEq, Value: "x"}})
			return err
		}, "filter"},
		"search entity spec": {func() error {
			_, err := c.SearchByEmail(ctx(t), crm.EmailSearch{Email: "a@b.c", Entities: []crm.EntitySpec{{Entity: "contact"}, {Entity: "new_"}}})
			return err
		}, "entities[1].entity"},
		"search display field": {func() error {
			_, err := c.SearchByEmail(ctx(t), crm.EmailSearch{Email: "a@b.c", Entities: []crm.EntitySpec{{Entity: "contact", DisplayFields: []string{"ok", "not ok"}}}})
			return err
		}, "entities[0].displayFields[1]"},
		"activity link": {func() error {
			_, err := c.AddActivity(ctx(t), crm.Activity{Key: "k", Links: []crm.Ref{{Entity: "contact", ID: id}, {Entity: "people.x", ID: id}}})
			return err
		}, "links[1].entity"},
		"memorialize link id": {func() error {
			_, err := c.WriteRecord(ctx(t), crm.Memorialization{Key: "k", Entity: "task", Links: []crm.Ref{{Entity: "contact", ID: "x"}}})
			return err
		}, "links[0].id"},
		"memorialize mode": {func() error {
			_, err := c.WriteRecord(ctx(t), crm.Memorialization{Entity: "task", Mode: "upsert"})
			return err
		}, "mode"},
		"related id":      {func() error { _, err := c.RelatedOpen(ctx(t), crm.Ref{Entity: "contact", ID: "1"}, 1); return err }, "person.id"},
		"describe entity": {func() error { _, err := c.Describe(ctx(t), "new_"); return err }, "entity"},
		"sample entity":   {func() error { _, _, err := c.Sample(ctx(t), "WhoAmI"); return err }, "entity"},
	}
	crmtest.WantRefusals(t, sb.TotalCalls, cases)
}
