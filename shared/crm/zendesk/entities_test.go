package zendesk

import (
	"testing"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmtest"
	zdsandbox "github.com/crmflow/crmflow/shared/sandbox/zendesk"
)

// spellingTable is every documented spelling the driver takes, with the
// canonical name it maps to: the singular (search type:, JSON root), the
// plural of the REST paths and the zen: relationship target type, in any
// case; custom objects as zen:custom_object:{key}, custom_object:{key} or
// the bare key, keys kept as given.
var spellingTable = map[string]string{
	"user": "user", "users": "user", "Users": "user", "USER": "user", "zen:user": "user", "ZEN:USER": "user",
	"ticket": "ticket", "tickets": "ticket", "Ticket": "ticket", "zen:ticket": "ticket",
	"organization": "organization", "organizations": "organization", "Organizations": "organization", "zen:organization": "organization",
	"zen:custom_object:call_note": "zen:custom_object:call_note", "custom_object:call_note": "zen:custom_object:call_note",
	"call_note": "zen:custom_object:call_note", "Zen:Custom_Object:call_note": "zen:custom_object:call_note",
	"car": "zen:custom_object:car", "zen:custom_object:Car": "zen:custom_object:Car",
	// A prefixed key may be a name the bare form refuses (other resources).
	"custom_object:groups": "zen:custom_object:groups",
	" ticket ":             "ticket",
}

var goodMappings = []crm.MappingCheck{
	{Kind: crm.MappingMemorialization, Entity: "ticket", Mode: crm.ModeCreate,
		Targets: []string{"subject", "comment.body", "comment.public", "custom_fields.360001", "priority", "tags", "requester_id"}},
	{Kind: crm.MappingMemorialization, Entity: "users", Mode: crm.ModeUpdate, Targets: []string{"notes", "user_fields.last_call", "phone"}},
	{Kind: crm.MappingMemorialization, Entity: "organization", Targets: []string{"notes", "organization_fields.account_tier"}},
	{Kind: crm.MappingMemorialization, Entity: "call_note", Mode: crm.ModeCreate,
		Targets: []string{"name", "summary", "custom_object_fields.duration_seconds"}},
	{Kind: crm.MappingMemorialization, Entity: "user", Mode: crm.ModeUpdate, Targets: []string{"external_id"}},
	{Kind: crm.MappingMemorialization, Entity: "zen:custom_object:call_note", Mode: crm.ModeUpdate, Targets: []string{"custom_object_fields.summary"}},
	{Kind: crm.MappingSearch, Entity: "user", SearchFields: []string{"phone", "email", "user_fields.mobile"},
		DisplayFields: []string{"name", "user_fields.job_title"}},
	{Kind: crm.MappingSearch, Entity: "tickets", SearchFields: []string{"subject", "custom_fields.360001"}},
}

var badMappings = []crmtest.BadMapping{
	{Check: crm.MappingCheck{Kind: crm.MappingMemorialization, Entity: "groups", Targets: []string{"name"}}, Field: "entity"},
	{Check: crm.MappingCheck{Kind: crm.MappingMemorialization, Entity: "ticket", Mode: "upsert", Targets: []string{"subject"}}, Field: "mode"},
	{Check: crm.MappingCheck{Kind: crm.MappingMemorialization, Entity: "ticket", Targets: []string{"subject", "description"}}, Field: "fields[1].target"},
	{Check: crm.MappingCheck{Kind: crm.MappingMemorialization, Entity: "ticket", Targets: []string{"id"}}, Field: "fields[0].target"},
	{Check: crm.MappingCheck{Kind: crm.MappingMemorialization, Entity: "ticket", Targets: []string{"custom_fields.tier"}}, Field: "fields[0].target"},
	{Check: crm.MappingCheck{Kind: crm.MappingMemorialization, Entity: "ticket", Targets: []string{"user_fields.job_title"}}, Field: "fields[0].target"},
	{Check: crm.MappingCheck{Kind: crm.MappingMemorialization, Entity: "user", Targets: []string{"name", "created_at"}}, Field: "fields[1].target"},
	{Check: crm.MappingCheck{Kind: crm.MappingMemorialization, Entity: "user", Targets: []string{"last_login_at"}}, Field: "fields[0].target"},
	{Check: crm.MappingCheck{Kind: crm.MappingMemorialization, Entity: "user", Targets: []string{"user_fields.a.b"}}, Field: "fields[0].target"},
	{Check: crm.MappingCheck{Kind: crm.MappingMemorialization, Entity: "user", Targets: []string{"job title"}}, Field: "fields[0].target"},
	{Check: crm.MappingCheck{Kind: crm.MappingMemorialization, Entity: "organization", Targets: []string{"comment.body"}}, Field: "fields[0].target"},
	{Check: crm.MappingCheck{Kind: crm.MappingMemorialization, Entity: "call_note", Targets: []string{"custom_object_key"}}, Field: "fields[0].target"},
	{Check: crm.MappingCheck{Kind: crm.MappingMemorialization, Entity: "call_note", Targets: []string{"summary", "user_fields.x"}}, Field: "fields[1].target"},
	// Created records keep the write key in external_id.
	{Check: crm.MappingCheck{Kind: crm.MappingMemorialization, Entity: "call_note", Mode: crm.ModeCreate,
		Targets: []string{"name", "external_id"}}, Field: "fields[1].target"},
	{Check: crm.MappingCheck{Kind: crm.MappingMemorialization, Entity: "ticket", Targets: []string{"external_id"}}, Field: "fields[0].target"},
	{Check: crm.MappingCheck{Kind: crm.MappingSearch, Entity: "user", SearchFields: []string{"phone", "user_fields.a.b"}}, Field: "searchFields[1]"},
	{Check: crm.MappingCheck{Kind: crm.MappingSearch, Entity: "user", SearchFields: []string{"phone"},
		DisplayFields: []string{"name", "name;x"}}, Field: "displayFields[1].name"},
	{Check: crm.MappingCheck{Kind: crm.MappingSearch, Entity: "call_note", SearchFields: []string{"summary"}}, Field: "entity"},
}

func TestCanonicalEntity(t *testing.T) {
	d := Driver()
	for in, want := range spellingTable {
		if got, err := d.Canonical(in); err != nil || got != want {
			t.Errorf("Canonical(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "groups", "Groups", "ticket_fields", "search", "custom_objects", "zen:group", "zen:custom_object:",
		"custom_object:", "custom_object:9x", "zen:custom_object:user", "custom_object:tickets", "tickets/12", "call note", "9lives",
		"zen:custom_object:a.b", "me"} {
		_, err := d.Canonical(bad)
		e, ok := crm.AsRefusal(err)
		if !ok || e.Field != "entity" || e.Message == "" {
			t.Errorf("Canonical(%q) = %v, want a refusal naming entity", bad, err)
		}
	}
}

// TestEveryActionResolvesSpellings: each action takes the plural or zen:
// spelling where it takes the singular, and writes the canonical form
// into paths, records and results.
func TestEveryActionResolvesSpellings(t *testing.T) {
	c, sb := startSandbox(t, nil, zdsandbox.Options{})
	jane := janeID(t, sb)
	rec, err := c.Create(ctx(t), "Tickets", map[string]any{"subject": "Spelled as Tickets", "comment.body": "b", "requester_id": jane})
	if err != nil || rec.Entity != "ticket" || rec.URL == "" {
		t.Fatalf("create: %+v %v", rec, err)
	}
	if err := c.Update(ctx(t), crm.Ref{Entity: "zen:ticket", ID: rec.ID}, map[string]any{"subject": "Updated as zen:ticket"}); err != nil {
		t.Fatalf("update: %v", err)
	}
	got, err := c.Get(ctx(t), crm.Ref{Entity: "TICKETS", ID: rec.ID}, []string{"subject"})
	if err != nil || got.Entity != "ticket" || got.Fields["subject"] != "Updated as zen:ticket" {
		t.Fatalf("get: %+v %v", got, err)
	}
	recs, err := c.Search(ctx(t), crm.Query{Entity: "Users", Filter: crm.Filter{Field: "email", Op: crm.OpEq, Value: crmtest.JaneEmail}})
	if err != nil || len(recs) != 1 || recs[0].Entity != "user" {
		t.Fatalf("search: %+v %v", recs, err)
	}
	recs, err = c.SearchByEmail(ctx(t), crm.EmailSearch{Email: crmtest.JaneEmail, Entities: []crm.EntitySpec{{Entity: "users"}}})
	if err != nil || len(recs) != 1 || recs[0].Entity != "user" {
		t.Fatalf("search by email: %+v %v", recs, err)
	}
	open, err := c.RelatedOpen(ctx(t), crm.Ref{Entity: "users", ID: jane}, 5)
	if err != nil || len(open) == 0 || open[0].Entity != "ticket" {
		t.Fatalf("related open: %+v %v", open, err)
	}
	res, err := c.AddActivity(ctx(t), crm.Activity{Key: "job-spell-1", Subject: "Call", Links: []crm.Ref{{Entity: "tickets", ID: rec.ID}}})
	if err != nil || res.Records[0] != (crm.Ref{Entity: "ticket", ID: rec.ID}) {
		t.Fatalf("activity: %+v %v", res, err)
	}
	res, err = c.WriteRecord(ctx(t), crm.Memorialization{Key: "job-spell-2", Entity: "tickets", Mode: crm.ModeCreate,
		Fields: map[string]any{"subject": "Call back", "comment.body": "Call back tomorrow"}, Links: []crm.Ref{{Entity: "zen:user", ID: jane}}})
	if err != nil || res.Records[0].Entity != "ticket" {
		t.Fatalf("memorialize: %+v %v", res, err)
	}
	tk, _ := sb.Record("ticket", mustInt(t, res.Records[0].ID))
	if tk["requester_id"] != mustInt(t, jane) {
		t.Fatalf("ticket not requested by the linked user: %v", tk["requester_id"])
	}
	found, ok, err := c.FindWrite(ctx(t), crm.WriteLookup{Kind: crm.WriteMemorialization, Entity: "Tickets", Key: "job-spell-2"})
	if err != nil || !ok || found.Records[0] != res.Records[0] {
		t.Fatalf("find write: %+v %v %v", found, ok, err)
	}
	if u := c.RecordURL(crm.Ref{Entity: "Users", ID: jane}); u != c.RecordURL(crm.Ref{Entity: "user", ID: jane}) || u == "" {
		t.Fatalf("record url %q", u)
	}
}

// TestRefusalsNameTheirField: the driver's own refusals, before any call,
// name the argument to fix.
func TestRefusalsNameTheirField(t *testing.T) {
	c, sb := startSandbox(t, nil, zdsandbox.Options{})
	cases := map[string]crmtest.Refusal{
		"create entity": {func() error { _, err := c.Create(ctx(t), "groups", nil); return err }, "entity"},
		"create field": {func() error {
			_, err := c.Create(ctx(t), "user", map[string]any{"job title": "x"})
			return err
		}, "fields.job title"},
		"create custom field id": {func() error {
			_, err := c.Create(ctx(t), "ticket", map[string]any{"custom_fields.tier": "x"})
			return err
		}, "fields.custom_fields.tier"},
		"get id":        {func() error { _, err := c.Get(ctx(t), crm.Ref{Entity: "user", ID: "0"}, nil); return err }, "id"},
		"get custom id": {func() error { _, err := c.Get(ctx(t), crm.Ref{Entity: "call_note", ID: "a-b"}, nil); return err }, "id"},
		"get fields": {func() error {
			_, err := c.Get(ctx(t), crm.Ref{Entity: "user", ID: "1"}, []string{"name", "x y"})
			return err
		}, "fields[1]"},
		"update id": {func() error { return c.Update(ctx(t), crm.Ref{Entity: "ticket", ID: "-1"}, nil) }, "id"},
		"search field": {func() error {
			_, err := c.Search(ctx(t), crm.Query{Entity: "user", Fields: []string{"a b"}})
			return err
		}, "fields[0]"},
		"search custom": {func() error {
			_, err := c.Search(ctx(t), crm.Query{Entity: "call_note", Filter: crm.Filter{Field: "name", Op: crm.OpEq, Value: "x"}})
			return err
		}, "entity"},
		"search filter": {func() error {
			_, err := c.Search(ctx(t), crm.Query{Entity: "user", Filter: crm.Filter{Field: "name;x", Op: crm.OpEq, Value: "x"}})
			return err
		}, "filter"},
		"search entity spec": {func() error {
			_, err := c.SearchByEmail(ctx(t), crm.EmailSearch{Email: "a@b.c", Entities: []crm.EntitySpec{{Entity: "user"}, {Entity: "groups"}}})
			return err
		}, "entities[1].entity"},
		"search display field": {func() error {
			_, err := c.SearchByEmail(ctx(t), crm.EmailSearch{Email: "a@b.c", Entities: []crm.EntitySpec{{Entity: "user", DisplayFields: []string{"ok", "not ok"}}}})
			return err
		}, "entities[0].displayFields[1]"},
		"phone": {func() error { _, err := c.SearchByPhone(ctx(t), crm.PhoneSearch{Variants: []string{"12"}}); return err }, "variants"},
		"activity link": {func() error {
			_, err := c.AddActivity(ctx(t), crm.Activity{Links: []crm.Ref{{Entity: "user", ID: "1"}, {Entity: "zen:group", ID: "2"}}})
			return err
		}, "links[1].entity"},
		"memorialize link id": {func() error {
			_, err := c.WriteRecord(ctx(t), crm.Memorialization{Entity: "ticket", Links: []crm.Ref{{Entity: "user", ID: "x"}}})
			return err
		}, "links[0].id"},
		"memorialize mode": {func() error {
			_, err := c.WriteRecord(ctx(t), crm.Memorialization{Entity: "ticket", Mode: "upsert"})
			return err
		}, "mode"},
		"memorialize nothing to update": {func() error {
			_, err := c.WriteRecord(ctx(t), crm.Memorialization{Entity: "ticket", Mode: crm.ModeUpdate, Links: []crm.Ref{{Entity: "user", ID: "1"}}})
			return err
		}, "links"},
		"related entity":  {func() error { _, err := c.RelatedOpen(ctx(t), crm.Ref{Entity: "ticket", ID: "1"}, 1); return err }, "person.entity"},
		"describe entity": {func() error { _, err := c.Describe(ctx(t), "groups"); return err }, "entity"},
		"sample entity":   {func() error { _, _, err := c.Sample(ctx(t), "groups"); return err }, "entity"},
	}
	crmtest.WantRefusals(t, sb.TotalCalls, cases)
}
