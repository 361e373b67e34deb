package crmtest

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/crmflow/crmflow/shared/crm"
)

// fidelityScenarios hold a driver to what its CRM documents rather than to
// what its own sandbox happens to accept: every spelling of an entity, a
// driver's own refusals told apart from the CRM's, mappings refused when they
// are saved, record URLs that never fail an action, and the calls a
// configuration test makes.
var fidelityScenarios = []scenario{
	{"EntitySpellings", false, func(t *testing.T, h Harness, c crm.Connector, sb Sandbox) {
		if len(h.Spellings) == 0 {
			t.Fatal("harness lists no entity spellings")
		}
		for in, want := range h.Spellings {
			got, err := h.Driver.Canonical(in)
			if err != nil || got != want {
				t.Errorf("Canonical(%q) = %q, %v; want %q", in, got, err, want)
			}
			// Canonical forms are fixed points.
			if again, err := h.Driver.Canonical(want); err != nil || again != want {
				t.Errorf("Canonical(%q) = %q, %v; canonical forms must map to themselves", want, again, err)
			}
		}
		for _, name := range []string{h.Person, h.CreateEntity} {
			if !hasOtherSpelling(h.Spellings, name) {
				t.Errorf("harness lists no other spelling of %s", name)
			}
		}
	}},
	{"EntityRefused", false, func(t *testing.T, h Harness, c crm.Connector, sb Sandbox) {
		if len(h.BadEntities) == 0 {
			t.Fatal("harness lists no refused entity names")
		}
		for _, name := range h.BadEntities {
			_, err := h.Driver.Canonical(name)
			wantRefusal(t, "Canonical("+name+")", err, "entity")
			before := sb.TotalCalls()
			_, err = c.Create(ctx(t), name, map[string]any{h.UpdateField: "x"})
			wantRefusal(t, "Create("+name+")", err, "entity")
			err = c.Update(ctx(t), crm.Ref{Entity: name, ID: h.MissingID}, map[string]any{h.UpdateField: "x"})
			wantRefusal(t, "Update("+name+")", err, "entity")
			if n := sb.TotalCalls() - before; n != 0 {
				t.Errorf("%q: the driver made %d CRM calls before refusing", name, n)
			}
		}
		if h.BadID != "" {
			before := sb.TotalCalls()
			_, err := c.Get(ctx(t), crm.Ref{Entity: h.Person, ID: h.BadID}, nil)
			wantRefusal(t, "Get(bad id)", err, "id")
			err = c.Update(ctx(t), crm.Ref{Entity: h.Person, ID: h.BadID}, map[string]any{h.UpdateField: "x"})
			wantRefusal(t, "Update(bad id)", err, "id")
			if n := sb.TotalCalls() - before; n != 0 {
				t.Errorf("bad id: the driver made %d CRM calls before refusing", n)
			}
		}
	}},
	{"OtherSpellingsWork", false, func(t *testing.T, h Harness, c crm.Connector, sb Sandbox) {
		spelling := otherSpelling(h.Spellings, h.CreateEntity)
		if spelling == "" {
			t.Fatalf("harness lists no other spelling of %s", h.CreateEntity)
		}
		rec, err := c.Create(ctx(t), spelling, h.CreateFields)
		if err != nil {
			t.Fatalf("create as %q: %v", spelling, err)
		}
		if rec.Entity != h.CreateEntity {
			t.Fatalf("created as %q: entity %q, want the canonical %q", spelling, rec.Entity, h.CreateEntity)
		}
		if err := c.Update(ctx(t), crm.Ref{Entity: spelling, ID: rec.ID}, map[string]any{h.UpdateField: h.UpdateValue}); err != nil {
			t.Fatalf("update as %q: %v", spelling, err)
		}
		got, err := c.Get(ctx(t), crm.Ref{Entity: spelling, ID: rec.ID}, []string{h.UpdateField})
		if err != nil {
			t.Fatalf("get as %q: %v", spelling, err)
		}
		if got.Entity != h.CreateEntity {
			t.Fatalf("read as %q: entity %q, want %q", spelling, got.Entity, h.CreateEntity)
		}
		if u := c.RecordURL(crm.Ref{Entity: spelling, ID: rec.ID}); rec.URL != "" && u != rec.URL {
			t.Fatalf("RecordURL as %q = %q, want %q", spelling, u, rec.URL)
		}
		// A memorialization by another spelling writes into the same entity.
		recs, _ := c.SearchByEmail(ctx(t), crm.EmailSearch{Email: JaneEmail, Limit: 1})
		jane := findJane(t, h, recs)
		m := h.Memorialize
		if s := otherSpelling(h.Spellings, m.Entity); s != "" {
			m.Entity = s
		}
		m.Key = "job-spelling"
		m.Links = []crm.Ref{{Entity: otherSpelling(h.Spellings, h.Person), ID: jane.ID}}
		if _, err := c.WriteRecord(ctx(t), m); err != nil {
			t.Fatalf("memorialize into %q linked to %q: %v", m.Entity, m.Links[0].Entity, err)
		}
	}},
	{"MappingsCheckedWhenSaved", false, func(t *testing.T, h Harness, c crm.Connector, sb Sandbox) {
		if len(h.GoodMappings) == 0 || len(h.BadMappings) == 0 {
			t.Fatal("harness lists no good or no bad mappings")
		}
		for _, m := range h.GoodMappings {
			if err := h.Driver.CheckMapping(m); err != nil {
				t.Errorf("CheckMapping(%+v): %v", m, err)
			}
		}
		for _, b := range h.BadMappings {
			wantRefusal(t, "CheckMapping", h.Driver.CheckMapping(b.Check), b.Field)
		}
	}},
	{"CRMRefusalKeepsItsWords", false, func(t *testing.T, h Harness, c crm.Connector, sb Sandbox) {
		if h.CRMRefusal.Entity == "" {
			t.Fatal("harness has no create the CRM refuses")
		}
		_, err := c.Create(ctx(t), h.CRMRefusal.Entity, h.CRMRefusal.Fields)
		e := wantCode(t, err, crm.InvalidArgument)
		if e.IsRefusal() {
			t.Fatalf("the CRM's refusal reads as the driver's own: %+v", e)
		}
		if e.Status < 400 || strings.TrimSpace(e.Message) == "" {
			t.Fatalf("CRM refusal lost its status or message: %+v", e)
		}
	}},
	{"NoAppURLStillAnswers", false, func(t *testing.T, h Harness, _ crm.Connector, sb Sandbox) {
		if h.NoAppURL == nil {
			t.Skip("record URLs always follow from baseUrl")
		}
		c := h.NoAppURL(t, &http.Client{Timeout: 10 * time.Second})
		recs, err := c.SearchByPhone(ctx(t), crm.PhoneSearch{Variants: janeVariants(t), Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		jane := findJane(t, h, recs)
		if jane.URL != "" {
			t.Fatalf("record has a URL %q without an app URL to build it from", jane.URL)
		}
		rec, err := c.Create(ctx(t), h.CreateEntity, h.CreateFields)
		if err != nil {
			t.Fatalf("create without an app URL: %v", err)
		}
		if err := c.Update(ctx(t), crm.Ref{Entity: h.CreateEntity, ID: rec.ID}, map[string]any{h.UpdateField: h.UpdateValue}); err != nil {
			t.Fatalf("update without an app URL: %v", err)
		}
	}},
	{"Inspect", false, func(t *testing.T, h Harness, c crm.Connector, sb Sandbox) {
		in, ok := c.(crm.Inspector)
		if !ok {
			t.Fatal("connector is no crm.Inspector")
		}
		if err := in.Ping(ctx(t)); err != nil {
			t.Fatalf("Ping: %v", err)
		}
		rec, found, err := in.Sample(ctx(t), h.Person)
		if err != nil || !found || rec.ID == "" || rec.Entity != h.Person {
			t.Fatalf("Sample(%s) = %+v, %v, %v", h.Person, rec, found, err)
		}
		if other := otherSpelling(h.Spellings, h.Person); other != "" {
			if rec, found, err := in.Sample(ctx(t), other); err != nil || !found || rec.Entity != h.Person {
				t.Fatalf("Sample(%s) = %+v, %v, %v", other, rec, found, err)
			}
		}
		meta, err := in.Describe(ctx(t), h.Person)
		if err != nil {
			t.Fatalf("Describe(%s): %v", h.Person, err)
		}
		if meta.Entity != h.Person {
			t.Fatalf("Describe(%s).Entity = %q", h.Person, meta.Entity)
		}
		for _, f := range append([]string{h.PersonEmailField}, h.DescribeFields...) {
			if _, ok := meta.Field(f); !ok {
				t.Errorf("Describe(%s) lacks %s (has %d fields)", h.Person, f, len(meta.Fields))
			}
		}
		if _, err := in.Describe(ctx(t), h.Memorialize.Entity); err != nil {
			t.Fatalf("Describe(%s): %v", h.Memorialize.Entity, err)
		}
		_, err = in.Describe(ctx(t), h.BadEntities[0])
		wantRefusal(t, "Describe(bad entity)", err, "entity")
	}},
}

func wantRefusal(t *testing.T, what string, err error, field string) {
	t.Helper()
	e, ok := crm.AsError(err)
	if !ok {
		t.Errorf("%s: error %v is no *crm.Error refusal", what, err)
		return
	}
	if !e.IsRefusal() {
		t.Errorf("%s: %v is not the driver's own refusal (code %s, status %d)", what, err, e.Code, e.Status)
		return
	}
	if e.Field != field {
		t.Errorf("%s: refusal names field %q, want %q (%v)", what, e.Field, field, err)
	}
	if strings.TrimSpace(e.Message) == "" {
		t.Errorf("%s: refusal without a message", what)
	}
}

func hasOtherSpelling(sp map[string]string, canonical string) bool {
	return otherSpelling(sp, canonical) != ""
}

// otherSpelling is a spelling of canonical other than itself, the same one
// every run (the shortest, then the first in byte order).
func otherSpelling(sp map[string]string, canonical string) string {
	best := ""
	for in, c := range sp {
		if c != canonical || in == canonical {
			continue
		}
		if best == "" || len(in) < len(best) || (len(in) == len(best) && in < best) {
			best = in
		}
	}
	return best
}
