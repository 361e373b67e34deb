package kustomer

import (
	"testing"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmtest"
	kussandbox "github.com/crmflow/crmflow/shared/sandbox/kustomer"
)

// spellingTable is every documented spelling the driver takes, with its
// canonical name: the singular resource type (customer) and the plural
// collection (customers) of each standard object, KObjects as
// kobject.{klassName} (Kustomer's own type and metadata resource) or by
// their bare Klass name.
var spellingTable = map[string]string{
	"customer": "customer", "customers": "customer", "Customer": "customer", "CUSTOMERS": "customer",
	"company": "company", "companies": "company", "Company": "company",
	"conversation": "conversation", "conversations": "conversation", "Conversation": "conversation",
	"message": "message", "messages": "message",
	"note": "note", "notes": "note",
	"kobject.order": "kobject.order", "order": "kobject.order", "KObject.order": "kobject.order",
	"call_note": "kobject.call_note", "kobject.call_note": "kobject.call_note",
	"shop-Order2": "kobject.shop-Order2", "kobject.shop_Order2": "kobject.shop_Order2", "2fa_event": "kobject.2fa_event",
	" customers ": "customer",
}

var badEntities = []string{"Contacts Us", "kobject.", "kobject", "klasses", "users", "metadata", "kobject.customer",
	"kobject.a/b", "kobject.a.b", "customers/5f3a1c2b0000000000000000", "call note", "5f3a1c2b9d8e7f0012a4b001", ""}

var goodMappings = []crm.MappingCheck{
	{Kind: crm.MappingMemorialization, Entity: "conversation", Mode: crm.ModeCreate,
		Targets: []string{"name", "status", "priority", "custom.dispositionStr", "tags", "assignedUsers"}},
	{Kind: crm.MappingMemorialization, Entity: "customers", Mode: crm.ModeUpdate,
		Targets: []string{"name", "email", "phone", "externalId", "custom.lastCallAt", "locale"}},
	{Kind: crm.MappingMemorialization, Entity: "message", Targets: []string{"subject", "preview", "meta.agentName", "channel"}},
	{Kind: crm.MappingMemorialization, Entity: "note", Targets: []string{"body"}},
	{Kind: crm.MappingMemorialization, Entity: "note", Mode: crm.ModeUpdate, Targets: []string{"body", "conversation"}},
	{Kind: crm.MappingMemorialization, Entity: "company", Mode: crm.ModeUpdate, Targets: []string{"externalId"}},
	{Kind: crm.MappingMemorialization, Entity: "call_note", Targets: []string{"title", "custom.durationNum", "data.x"}},
	{Kind: crm.MappingMemorialization, Entity: "companies", Mode: crm.ModeUpdate, Targets: []string{"name", "domains", "custom.tierStr"}},
	{Kind: crm.MappingMemorialization, Entity: "conversation", Mode: crm.ModeUpdate, Targets: []string{"externalId"}},
	{Kind: crm.MappingSearch, Entity: "customers", SearchFields: []string{"phone", "email", "custom.accountNum", "customer_externalId"},
		DisplayFields: []string{"name", "custom.tierStr"}},
}

var badMappings = []crmtest.BadMapping{
	{Check: crm.MappingCheck{Kind: crm.MappingMemorialization, Entity: "kobject.", Targets: []string{"name"}}, Field: "entity"},
	{Check: crm.MappingCheck{Kind: crm.MappingMemorialization, Entity: "users", Targets: []string{"name"}}, Field: "entity"},
	{Check: crm.MappingCheck{Kind: crm.MappingMemorialization, Entity: "conversation", Mode: "upsert", Targets: []string{"name"}}, Field: "mode"},
	{Check: crm.MappingCheck{Kind: crm.MappingMemorialization, Entity: "customer", Targets: []string{"name", "firstName"}}, Field: "fields[1].target"},
	{Check: crm.MappingCheck{Kind: crm.MappingMemorialization, Entity: "customer", Targets: []string{"name.first"}}, Field: "fields[0].target"},
	{Check: crm.MappingCheck{Kind: crm.MappingMemorialization, Entity: "customer", Targets: []string{"displayName"}}, Field: "fields[0].target"},
	{Check: crm.MappingCheck{Kind: crm.MappingMemorialization, Entity: "customer", Targets: []string{"emails.email"}}, Field: "fields[0].target"},
	{Check: crm.MappingCheck{Kind: crm.MappingMemorialization, Entity: "conversation", Targets: []string{"messageCount"}}, Field: "fields[0].target"},
	{Check: crm.MappingCheck{Kind: crm.MappingMemorialization, Entity: "conversation", Targets: []string{"id"}}, Field: "fields[0].target"},
	{Check: crm.MappingCheck{Kind: crm.MappingMemorialization, Entity: "conversation", Targets: []string{"name", "externalId"}}, Field: "fields[1].target"},
	{Check: crm.MappingCheck{Kind: crm.MappingMemorialization, Entity: "note", Targets: []string{"custom.xStr"}}, Field: "fields[0].target"},
	// In create mode externalId carries the write key on every object, and a
	// note goes into its linked conversation, where FindWrite reads it.
	{Check: crm.MappingCheck{Kind: crm.MappingMemorialization, Entity: "customer", Mode: crm.ModeCreate, Targets: []string{"name", "externalId"}}, Field: "fields[1].target"},
	{Check: crm.MappingCheck{Kind: crm.MappingMemorialization, Entity: "companies", Targets: []string{"externalId"}}, Field: "fields[0].target"},
	{Check: crm.MappingCheck{Kind: crm.MappingMemorialization, Entity: "note", Mode: crm.ModeCreate, Targets: []string{"body", "conversation"}}, Field: "fields[1].target"},
	{Check: crm.MappingCheck{Kind: crm.MappingMemorialization, Entity: "call_note", Targets: []string{"name"}}, Field: "fields[0].target"},
	{Check: crm.MappingCheck{Kind: crm.MappingMemorialization, Entity: "message", Targets: []string{"custom."}}, Field: "fields[0].target"},
	{Check: crm.MappingCheck{Kind: crm.MappingMemorialization, Entity: "message", Targets: []string{"sub ject"}}, Field: "fields[0].target"},
	{Check: crm.MappingCheck{Kind: crm.MappingSearch, Entity: "conversation", SearchFields: []string{"name"}}, Field: "entity"},
	{Check: crm.MappingCheck{Kind: crm.MappingSearch, Entity: "customer", SearchFields: []string{"phone", "firstName"}}, Field: "searchFields[1]"},
	{Check: crm.MappingCheck{Kind: crm.MappingSearch, Entity: "customer", SearchFields: []string{"phone"},
		DisplayFields: []string{"name", "na;me"}}, Field: "displayFields[1].name"},
}

func TestCanonicalEntity(t *testing.T) {
	d := Driver()
	for in, want := range spellingTable {
		if got, err := d.Canonical(in); err != nil || got != want {
			t.Errorf("Canonical(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range badEntities {
		_, err := d.Canonical(bad)
		e, ok := crm.AsRefusal(err)
		if !ok || e.Field != "entity" || e.Message == "" {
			t.Errorf("Canonical(%q) = %v, want a refusal naming entity", bad, err)
		}
	}
}

// TestEveryActionResolvesSpellings: each action takes any spelling and
// answers with the canonical name, and the request goes to the canonical
// collection.
func TestEveryActionResolvesSpellings(t *testing.T) {
	c, sb := startSandbox(t, nil, kussandbox.Options{Klasses: []string{"order", "call_note"}})
	jane := sb.IDs("customer")[0]
	rec, err := c.Get(ctx(t), crm.Ref{Entity: "customers", ID: jane}, []string{"name"})
	if err != nil || rec.Entity != "customer" {
		t.Fatalf("get: %+v %v", rec, err)
	}
	conv, err := c.Create(ctx(t), "conversations", map[string]any{"customer": jane, "name": "Spelled"})
	if err != nil || conv.Entity != "conversation" {
		t.Fatalf("create: %+v %v", conv, err)
	}
	if err := c.Update(ctx(t), crm.Ref{Entity: "Conversation", ID: conv.ID}, map[string]any{"priority": 2}); err != nil {
		t.Fatal(err)
	}
	k, err := c.Create(ctx(t), "call_note", map[string]any{"title": "Call 1", "customer": jane})
	if err != nil || k.Entity != "kobject.call_note" {
		t.Fatalf("create KObject by bare name: %+v %v", k, err)
	}
	if err := c.Update(ctx(t), crm.Ref{Entity: "call_note", ID: k.ID}, map[string]any{"title": "Call 1b"}); err != nil {
		t.Fatal(err)
	}
	recs, err := c.Search(ctx(t), crm.Query{Entity: "customers", Filter: crm.Filter{Field: "email", Op: crm.OpEq, Value: crmtest.JaneEmail}})
	if err != nil || len(recs) != 1 || recs[0].Entity != "customer" {
		t.Fatalf("search: %+v %v", recs, err)
	}
	open, err := c.RelatedOpen(ctx(t), crm.Ref{Entity: "customers", ID: jane}, 5)
	if err != nil || len(open) == 0 {
		t.Fatalf("related: %v %v", open, err)
	}
	res, err := c.WriteRecord(ctx(t), crm.Memorialization{Entity: "notes", Mode: crm.ModeCreate, Key: "job-note",
		Fields: map[string]any{"body": "Called back"}, Links: []crm.Ref{{Entity: "conversations", ID: conv.ID}}})
	if err != nil || res.Records[0].Entity != "note" {
		t.Fatalf("note: %+v %v", res, err)
	}
	res, err = c.WriteRecord(ctx(t), crm.Memorialization{Entity: "conversations", Mode: crm.ModeUpdate,
		Fields: map[string]any{"priority": 4}, Links: []crm.Ref{{Entity: "Conversations", ID: conv.ID}}})
	if err != nil || len(res.Records) != 1 || res.Records[0].Entity != "conversation" {
		t.Fatalf("update mode: %+v %v", res, err)
	}
	if _, found, err := c.FindWrite(ctx(t), crm.WriteLookup{Kind: crm.WriteMemorialization, Entity: "call_note", Key: "nope"}); err != nil || found {
		t.Fatalf("find: %v %v", found, err)
	}
	if got, _ := sb.Record(conv.ID); got["priority"] == nil {
		t.Fatalf("conversation %+v", got)
	}
}

func TestRefusalsNameTheirField(t *testing.T) {
	c, sb := startSandbox(t, nil, kussandbox.Options{})
	jane := sb.IDs("customer")[0]
	before := sb.TotalCalls()
	for field, err := range map[string]error{
		"fields.name first": func() error { _, err := c.Create(ctx(t), "customer", map[string]any{"name first": "x"}); return err }(),
		"fields[1]": func() error {
			_, err := c.Get(ctx(t), crm.Ref{Entity: "customer", ID: jane}, []string{"name", "a;b"})
			return err
		}(),
		"id": c.Update(ctx(t), crm.Ref{Entity: "customer", ID: "12"}, map[string]any{"name": "x"}),
		"filter": func() error {
			_, err := c.Search(ctx(t), crm.Query{Entity: "customer", Filter: crm.Filter{Field: "name", Op: crm.OpStartsWith, Value: "J"}})
			return err
		}(),
		"links[0].id": func() error {
			_, err := c.AddActivity(ctx(t), crm.Activity{Key: "k", Links: []crm.Ref{{Entity: "customer", ID: "x"}}})
			return err
		}(),
		"links[1].entity": func() error {
			_, err := c.AddActivity(ctx(t), crm.Activity{Key: "k", Links: []crm.Ref{{Entity: "customer", ID: jane}, {Entity: "metadata", ID: jane}}})
			return err
		}(),
		"links": func() error {
			_, err := c.WriteRecord(ctx(t), crm.Memorialization{Entity: "note", Key: "k", Fields: map[string]any{"body": "x"},
				Links: []crm.Ref{{Entity: "customer", ID: jane}}})
			return err
		}(),
	} {
		e, ok := crm.AsRefusal(err)
		if !ok || e.Field != field {
			t.Errorf("%s: %v (%+v)", field, err, e)
		}
	}
	if n := sb.TotalCalls() - before; n != 0 {
		t.Fatalf("%d CRM calls before refusing", n)
	}
}
