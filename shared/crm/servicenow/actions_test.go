package servicenow

import (
	"strings"
	"testing"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmtest"
	snsandbox "github.com/crmflow/crmflow/shared/sandbox/servicenow"
)

// TestEveryActionResolvesSpellings: each action takes any letter case of a
// table name where it takes the table name, and writes
// the table name into paths, queries and records.
func TestEveryActionResolvesSpellings(t *testing.T) {
	c, sb := startSandbox(t, nil, snsandbox.Options{})
	jane := janeID(t, sb)
	rec, err := c.Create(ctx(t), "Incident", map[string]any{"short_description": "Spelled as Incident", "caller_id": jane})
	if err != nil || rec.Entity != "incident" {
		t.Fatalf("create: %+v %v", rec, err)
	}
	if err := c.Update(ctx(t), crm.Ref{Entity: "INCIDENT", ID: rec.ID}, map[string]any{"short_description": "Updated"}); err != nil {
		t.Fatalf("update: %v", err)
	}
	got, err := c.Get(ctx(t), crm.Ref{Entity: "Incident", ID: rec.ID}, []string{"short_description"})
	if err != nil || got.Entity != "incident" || got.Fields["short_description"] != "Updated" {
		t.Fatalf("get: %+v %v", got, err)
	}
	recs, err := c.Search(ctx(t), crm.Query{Entity: "Sys_User", Filter: crm.Filter{Field: "last_name", Op: crm.OpEq, Value: "Doe"}})
	if err != nil || len(recs) != 1 || recs[0].Entity != "sys_user" {
		t.Fatalf("search: %+v %v", recs, err)
	}
	recs, err = c.SearchByEmail(ctx(t), crm.EmailSearch{Email: crmtest.JaneEmail, Entities: []crm.EntitySpec{{Entity: "SYS_USER"}}})
	if err != nil || len(recs) != 1 || recs[0].Entity != "sys_user" {
		t.Fatalf("search by email: %+v %v", recs, err)
	}
	open, err := c.RelatedOpen(ctx(t), crm.Ref{Entity: "SYS_USER", ID: jane}, 5)
	if err != nil || len(open) == 0 || open[0].Entity != "incident" {
		t.Fatalf("related open: %+v %v", open, err)
	}
	res, err := c.AddActivity(ctx(t), crm.Activity{Key: "job-spell-1", Subject: "Call", Links: []crm.Ref{{Entity: "Incident", ID: rec.ID}}})
	if err != nil || res.Records[0] != (crm.Ref{Entity: "incident", ID: rec.ID}) {
		t.Fatalf("activity: %+v %v", res, err)
	}
	res, err = c.WriteRecord(ctx(t), crm.Memorialization{Key: "job-spell-2", Entity: "Incident", Mode: crm.ModeCreate,
		Fields: map[string]any{"short_description": "Call back"}, Links: []crm.Ref{{Entity: "Sys_User", ID: jane}}})
	if err != nil || res.Records[0].Entity != "incident" {
		t.Fatalf("memorialize: %+v %v", res, err)
	}
	if row, _ := sb.Record("incident", res.Records[0].ID); row["caller_id"] != jane {
		t.Fatalf("incident not related to the user: %v", row)
	}
	found, ok, err := c.FindWrite(ctx(t), crm.WriteLookup{Kind: crm.WriteMemorialization, Entity: "INCIDENT", Key: "job-spell-2"})
	if err != nil || !ok || found.Records[0] != res.Records[0] {
		t.Fatalf("find write: %+v %v %v", found, ok, err)
	}
	res, err = c.WriteRecord(ctx(t), crm.Memorialization{Entity: "SYS_USER", Mode: crm.ModeUpdate,
		Fields: map[string]any{"title": "Chief Printer Officer"}, Links: []crm.Ref{{Entity: "sys_user", ID: jane}}})
	if err != nil || res.Records[0] != (crm.Ref{Entity: "sys_user", ID: jane}) {
		t.Fatalf("update-mode memorialize: %+v %v", res, err)
	}
	if u := c.RecordURL(crm.Ref{Entity: "SYS_USER", ID: jane}); u == "" || u != c.RecordURL(crm.Ref{Entity: "sys_user", ID: jane}) {
		t.Fatalf("record url %q", u)
	}
	meta, err := c.Describe(ctx(t), "Incident")
	if err != nil || meta.Entity != "incident" {
		t.Fatalf("describe: %+v %v", meta, err)
	}
	if s, found, err := c.Sample(ctx(t), "SN_CUSTOMERSERVICE_CASE"); err != nil || !found || s.Entity != "sn_customerservice_case" {
		t.Fatalf("sample: %+v %v %v", s, found, err)
	}
}

// TestRefusalsNameTheirField: the driver's own refusals, before any call,
// name the argument to fix.
func TestRefusalsNameTheirField(t *testing.T) {
	c, sb := startSandbox(t, nil, snsandbox.Options{})
	id := strings.Repeat("a", 32)
	cases := map[string]crmtest.Refusal{
		"create entity": {func() error { _, err := c.Create(ctx(t), "sys-user", nil); return err }, "entity"},
		"create field": {func() error {
			_, err := c.Create(ctx(t), "incident", map[string]any{"Short_Description": "x"})
			return err
		}, "fields.Short_Description"},
		"create dot-walk": {func() error {
			_, err := c.Create(ctx(t), "incident", map[string]any{"caller_id.email": "x"})
			return err
		}, "fields.caller_id.email"},
		"get id": {func() error { _, err := c.Get(ctx(t), crm.Ref{Entity: "incident", ID: "INC0010001"}, nil); return err }, "id"},
		"get fields": {func() error {
			_, err := c.Get(ctx(t), crm.Ref{Entity: "incident", ID: id}, []string{"number", "x y"})
			return err
		}, "fields[1]"},
		"update id": {func() error { return c.Update(ctx(t), crm.Ref{Entity: "incident", ID: "1"}, nil) }, "id"},
		"search field": {func() error {
			_, err := c.Search(ctx(t), crm.Query{Entity: "sys_user", Fields: []string{"a b"}})
			return err
		}, "fields[0]"},
		"search filter": {func() error {
			_, err := c.Search(ctx(t), crm.Query{Entity: "sys_user", Filter: crm.Filter{Field: "Email", Op: crm.OpEq, Value: "x"}})
			return err
		}, "filter"},
		"search entity spec": {func() error {
			_, err := c.SearchByEmail(ctx(t), crm.EmailSearch{Email: "a@b.c", Entities: []crm.EntitySpec{{Entity: "sys_user"}, {Entity: "no-table"}}})
			return err
		}, "entities[1].entity"},
		"search display field": {func() error {
			_, err := c.SearchByEmail(ctx(t), crm.EmailSearch{Email: "a@b.c", Entities: []crm.EntitySpec{{Entity: "sys_user", DisplayFields: []string{"name", "Name"}}}})
			return err
		}, "entities[0].displayFields[1]"},
		"search needs fields": {func() error {
			_, err := c.SearchByPhone(ctx(t), crm.PhoneSearch{Variants: []string{"+14155550100"}, Entities: []crm.EntitySpec{{Entity: "u_call_note"}}})
			return err
		}, "entities[0].searchFields"},
		"activity link": {func() error {
			_, err := c.AddActivity(ctx(t), crm.Activity{Links: []crm.Ref{{Entity: "sys_user", ID: id}, {Entity: "people!", ID: id}}})
			return err
		}, "links[1].entity"},
		"memorialize link id": {func() error {
			_, err := c.WriteRecord(ctx(t), crm.Memorialization{Entity: "incident", Links: []crm.Ref{{Entity: "sys_user", ID: "x"}}})
			return err
		}, "links[0].id"},
		"memorialize mode": {func() error {
			_, err := c.WriteRecord(ctx(t), crm.Memorialization{Entity: "incident", Mode: "upsert"})
			return err
		}, "mode"},
		"related entity":  {func() error { _, err := c.RelatedOpen(ctx(t), crm.Ref{Entity: "incident", ID: id}, 1); return err }, "person.entity"},
		"related id":      {func() error { _, err := c.RelatedOpen(ctx(t), crm.Ref{Entity: "sys_user", ID: "x"}, 1); return err }, "person.id"},
		"describe entity": {func() error { _, err := c.Describe(ctx(t), "no-table"); return err }, "entity"},
		"sample entity":   {func() error { _, _, err := c.Sample(ctx(t), "no.table"); return err }, "entity"},
	}
	crmtest.WantRefusals(t, sb.TotalCalls, cases)
}

// TestUnknownSearchColumnNeverWidens: a default instance drops a condition
// on a column it does not have, answering every row; the driver reads the
// searched columns back and keeps only the rows that hold the key.
func TestUnknownSearchColumnNeverWidens(t *testing.T) {
	c, sb := startSandbox(t, nil, snsandbox.Options{})
	recs, err := c.SearchByEmail(ctx(t), crm.EmailSearch{Email: crmtest.JaneEmail,
		Entities: []crm.EntitySpec{{Entity: "sys_user", SearchFields: []string{"u_typo"}, DisplayFields: []string{"name"}}}})
	if err != nil || len(recs) != 0 {
		t.Fatalf("search on an unknown column: %d records, %v", len(recs), err)
	}
	recs, err = c.SearchByPhone(ctx(t), crm.PhoneSearch{Variants: variants(t, crmtest.JanePhone),
		Entities: []crm.EntitySpec{{Entity: "sys_user", SearchFields: []string{"u_typo", "phone"}, DisplayFields: []string{"name"}}}})
	if err != nil || len(recs) != 1 || recs[0].Display != "Jane Doe" {
		t.Fatalf("search on an unknown and a known column: %+v, %v", recs, err)
	}
	if len(sb.InvalidQueries()) != 2 {
		t.Fatalf("invalid queries %v", sb.InvalidQueries())
	}
	sb.ClearInvalidQueries()

	// A custom search has no key to check rows against: an unknown column
	// in its filter is refused once the answer shows the instance lacks it.
	_, err = c.Search(ctx(t), crm.Query{Entity: "sys_user", Fields: []string{"name"}, Filter: crm.Filter{All: []crm.Filter{
		{Field: "last_name", Op: crm.OpEq, Value: "Doe"}, {Field: "u_typo", Op: crm.OpEq, Value: "x"}}}})
	if e, ok := crm.AsRefusal(err); !ok || e.Field != "filter" || !strings.Contains(e.Message, "u_typo") {
		t.Fatalf("search with an unknown filter column: %v", err)
	}
	if len(sb.InvalidQueries()) != 1 {
		t.Fatalf("invalid queries %v", sb.InvalidQueries())
	}
	sb.ClearInvalidQueries()
	recs, err = c.Search(ctx(t), crm.Query{Entity: "incident", Fields: []string{"number"},
		Filter: crm.Filter{Field: "caller_id.email", Op: crm.OpEq, Value: crmtest.JaneEmail}})
	if err != nil || len(recs) == 0 {
		t.Fatalf("search on a dot-walked column: %+v %v", recs, err)
	}
}

// TestRecordURLOnAppOrInstance: record URLs are on the instance (or the configured
// appUrl) and are "" for what is no table and sys_id.
func TestRecordURLOnAppOrInstance(t *testing.T) {
	id := strings.Repeat("0a", 16)
	c := fakeInstance(t, nil)
	if got, want := c.RecordURL(crm.Ref{Entity: "Incident", ID: id}), c.origin+"/nav_to.do?uri=incident.do%3Fsys_id%3D"+id; got != want {
		t.Fatalf("RecordURL = %q, want %q", got, want)
	}
	for _, ref := range []crm.Ref{{Entity: "incident", ID: "INC0010001"}, {Entity: "in-cident", ID: id}, {}} {
		if u := c.RecordURL(ref); u != "" {
			t.Errorf("RecordURL(%+v) = %q, want none", ref, u)
		}
	}
	cfg := crmtest.BasicConfig("https://acme.service-now.com", "u", "p")
	cfg.AppURL = "https://acme.service-now.com"
	app, err := newConnector(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	if u := app.RecordURL(crm.Ref{Entity: "sys_user", ID: id}); u != "https://acme.service-now.com/nav_to.do?uri=sys_user.do%3Fsys_id%3D"+id {
		t.Fatalf("appUrl record URL %q", u)
	}
	cfg.AppURL = "https://acme.service-now.com/now/nav"
	if _, err := newConnector(cfg, nil); err == nil {
		t.Fatal("an appUrl with a path was taken")
	}
}

// TestDescribeInheritsParentColumns: an incident's columns include those
// it inherits from task, labelled as the dictionary labels them, and a
// child's own definition wins (interaction.state is a string).
func TestDescribeInheritsParentColumns(t *testing.T) {
	c, _ := startSandbox(t, nil, snsandbox.Options{MaxLimit: 7})
	meta, err := c.Describe(ctx(t), "incident")
	if err != nil {
		t.Fatal(err)
	}
	for name, label := range map[string]string{"caller_id": "Caller", "short_description": "Short description",
		"work_notes": "Work notes", "correlation_id": "Correlation ID", "sys_id": "Sys ID"} {
		if f, ok := meta.Field(name); !ok || f.Label != label {
			t.Errorf("incident %s: %+v %v, want label %q", name, f, ok, label)
		}
	}
	if meta.Label != "Incident" {
		t.Errorf("label %q", meta.Label)
	}
	inter, err := c.Describe(ctx(t), "interaction")
	if err != nil {
		t.Fatal(err)
	}
	if f, _ := inter.Field("state"); f.Type != "string" {
		t.Errorf("interaction.state %+v, want its own string column", f)
	}
	_, err = c.Describe(ctx(t), "u_no_such_table")
	wantCode(t, err, crm.NotFound)
}
