package workflow

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/crmflow/crmflow/shared/apperr"
	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmfake"
	"github.com/crmflow/crmflow/shared/metrics"
	"github.com/crmflow/crmflow/shared/secrets/memsecrets"
	"github.com/crmflow/crmflow/shared/store"
	"github.com/crmflow/crmflow/shared/store/memory"
)

// spelled is a driver that takes "contact", "contacts" and "Contact" for
// Contact and refuses anything else, like a real driver's CanonicalEntity.
func spelled(c *crmfake.Connector) crm.Driver {
	d := crmfake.Driver("fake", c, crm.EntityDef{Entity: "Contact", Label: "Contact", Fields: []string{"Name", "Phone"}})
	d.CanonicalEntity = func(name string) (string, error) {
		switch strings.ToLower(name) {
		case "contact", "contacts":
			return "Contact", nil
		case "case":
			return "Case", nil
		}
		return "", crm.Refusal("fake: entity", "entity", "%s is not a fake object", crm.QuoteName(name))
	}
	return d
}

type fixture struct {
	svc  *Service
	st   *memory.Store
	fake *crmfake.Connector
	sec  *memsecrets.Store
}

func newFixture(t *testing.T, recs ...crm.Record) fixture {
	t.Helper()
	st, sec := memory.New(), memsecrets.New()
	fake := crmfake.New(recs...)
	ctx := context.Background()
	if err := st.PutConfiguration(ctx, &store.Configuration{TenantID: "t1", ID: "c1", CRM: "fake", BaseURL: "https://fake.example", SecretName: "s1"}); err != nil {
		t.Fatal(err)
	}
	if err := sec.Put(ctx, "s1", crm.Credentials{Token: "x"}); err != nil {
		t.Fatal(err)
	}
	ws := []store.Workflow{
		{TenantID: "t1", ConfigurationID: "c1", ID: "create_contact", Action: store.ActionCreate, Kind: store.KindStandard, Entity: "Contact"},
		{TenantID: "t1", ConfigurationID: "c1", ID: "create_custom", Action: store.ActionCreate, Kind: store.KindCustomCreate},
		{TenantID: "t1", ConfigurationID: "c1", ID: "update_record", Action: store.ActionUpdate, Kind: store.KindUpdate},
		{TenantID: "t1", ConfigurationID: "c1", ID: "search_phone", Action: store.ActionSearch, Kind: store.KindPhone},
	}
	if err := st.PutWorkflows(ctx, ws...); err != nil {
		t.Fatal(err)
	}
	svc := New(Options{Store: st, Secrets: sec, Registry: crm.NewRegistry(spelled(fake)), HTTP: http.DefaultClient})
	return fixture{svc: svc, st: st, fake: fake, sec: sec}
}

func req(workflowID string, input any) ExecRequest {
	b, _ := json.Marshal(input)
	return ExecRequest{ConfigurationID: "c1", WorkflowID: workflowID, ContactID: "k1", WorkflowInput: b}
}

func wantField(t *testing.T, err error, field string) {
	t.Helper()
	e, ok := apperr.As(err)
	if !ok || e.Kind != apperr.Invalid || e.Field != field {
		t.Fatalf("error %v, want 400 INVALID_ARGUMENT naming %s", err, field)
	}
}

// TestEntitySpellings: every spelling the driver takes reaches the CRM, the
// result and the card in the canonical one; a standard-create workflow takes
// its entity by any spelling; what the driver refuses is a 400 naming
// workflowInput.entity, before any CRM call.
func TestEntitySpellings(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	for _, tc := range []struct{ workflow, entity string }{
		{"create_custom", "contacts"}, {"create_custom", "contact"}, {"create_contact", "contacts"}, {"create_contact", ""},
	} {
		res, err := f.svc.Create(ctx, "t1", req(tc.workflow, map[string]any{"entity": tc.entity, "fields": map[string]any{"Name": "A"}}))
		if err != nil {
			t.Fatalf("%s as %q: %v", tc.workflow, tc.entity, err)
		}
		if res.Records[0].Entity != "Contact" {
			t.Fatalf("%s as %q: entity %q, want Contact", tc.workflow, tc.entity, res.Records[0].Entity)
		}
	}
	for _, r := range f.fake.Records() {
		if r.Entity != "Contact" {
			t.Fatalf("the CRM got entity %q, want the canonical Contact", r.Entity)
		}
	}
	card, err := f.st.GetCard(ctx, "t1", "k1")
	if err != nil || len(card.Current) == 0 || card.Current[0].Entity != "Contact" {
		t.Fatalf("card: %+v, %v", card, err)
	}
	// A pin by another spelling finds the card's record.
	if err := f.svc.Pin(ctx, "t1", "k1", crm.Ref{Entity: "contacts", ID: card.Current[0].ID}, true); err != nil {
		t.Fatalf("pin by another spelling: %v", err)
	}

	calls := f.fake.Calls("Create")
	_, err = f.svc.Create(ctx, "t1", req("create_custom", map[string]any{"entity": "2-9001x", "fields": map[string]any{"Name": "A"}}))
	wantField(t, err, "workflowInput.entity")
	_, err = f.svc.Create(ctx, "t1", req("create_contact", map[string]any{"entity": "Case", "fields": map[string]any{"Name": "A"}}))
	wantField(t, err, "workflowInput.entity")
	_, err = f.svc.Update(ctx, "t1", req("update_record", map[string]any{"entity": "lead", "id": "1", "fields": map[string]any{"Name": "A"}}))
	wantField(t, err, "workflowInput.entity")
	if f.fake.Calls("Create") != calls || f.fake.Calls("Update") != 0 {
		t.Fatal("a refused entity reached the CRM")
	}
}

// TestDriverRefusalIs400: a refusal the driver makes inside a call (here a
// field name) answers 400 naming the request field with the driver's words;
// a CRM's own refusal stays a *crm.Error for the edge to answer 422.
func TestDriverRefusalIs400(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.fake.FailNext(crm.Refusal("fake: create Contact", "fields.Nmae", "Nmae is not a Contact field"))
	_, err := f.svc.Create(ctx, "t1", req("create_custom", map[string]any{"entity": "Contact", "fields": map[string]any{"Nmae": "A"}}))
	wantField(t, err, "workflowInput.fields.Nmae")
	if e, _ := apperr.As(err); e.Message != "Nmae is not a Contact field" {
		t.Fatalf("message %q lost the driver's words", e.Message)
	}
	f.fake.FailNext(crm.Refusal("fake: update", "id", "1x is not a fake id"))
	_, err = f.svc.Update(ctx, "t1", req("update_record", map[string]any{"entity": "Contact", "id": "1x", "fields": map[string]any{"Name": "A"}}))
	wantField(t, err, "workflowInput.id")

	crmSaid := &crm.Error{Code: crm.InvalidArgument, Status: 400, CRMCode: "REQUIRED_FIELD_MISSING", Message: "Required fields are missing: [LastName]"}
	f.fake.FailNext(crmSaid)
	_, err = f.svc.Create(ctx, "t1", req("create_custom", map[string]any{"entity": "Contact", "fields": map[string]any{"Name": "A"}}))
	if e, ok := crm.AsError(err); !ok || e != crmSaid {
		t.Fatalf("CRM refusal became %v", err)
	}
}

// TestNoURLNoPop: a record the driver could build no URL for is still
// answered and carded; nothing pops.
func TestNoURLNoPop(t *testing.T) {
	f := newFixture(t, crm.Record{Entity: "Contact", ID: "1", Display: "Jane Doe", Fields: map[string]any{"Phone": "+14155550100"}})
	f.svc = New(Options{Store: f.st, Secrets: f.sec, Registry: crm.NewRegistry(noURL(spelled(f.fake))), HTTP: http.DefaultClient})
	res, err := f.svc.Search(context.Background(), "t1", req("search_phone", map[string]any{"phoneNumber": "+14155550100"}))
	if err != nil {
		t.Fatal(err)
	}
	if res.MatchCount != 1 || res.Records[0].URL != "" || res.Records[0].ScreenPop || res.ScreenPopURL != "" {
		t.Fatalf("URL-less match: %+v", res)
	}
}

// noURL wraps a driver's connectors so they build no record URLs.
func noURL(d crm.Driver) crm.Driver {
	next := d.New
	d.New = func(cfg crm.Config, hc *http.Client) (crm.Connector, error) {
		c, err := next(cfg, hc)
		return urlless{c}, err
	}
	return d
}

type urlless struct{ crm.Connector }

func (urlless) RecordURL(crm.Ref) string { return "" }

func (u urlless) SearchByPhone(ctx context.Context, s crm.PhoneSearch) ([]crm.Record, error) {
	recs, err := u.Connector.SearchByPhone(ctx, s)
	for i := range recs {
		recs[i].URL = ""
	}
	return recs, err
}

// TestCardLabels: fields the card shows by API name get the CRM's labels
// when the card is read, from metadata read once per entity; a mapping's
// label stays; a CRM that cannot describe leaves API names and the card
// still answers.
func TestCardLabels(t *testing.T) {
	f := newFixture(t, crm.Record{Entity: "Contact", ID: "1", Display: "Jane Doe", Fields: map[string]any{"Phone": "+14155550100", "Name": "Jane"}})
	f.fake.Labels = map[string]map[string]string{"Contact": {"Phone": "Business Phone"}}
	ctx := context.Background()
	if _, err := f.svc.Search(ctx, "t1", req("search_phone", map[string]any{"phoneNumber": "+14155550100"})); err != nil {
		t.Fatal(err)
	}
	for range 3 {
		c, err := f.svc.Card(ctx, "t1", "k1")
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		for _, fl := range c.Related[0].Fields {
			got[fl.Name] = fl.Label
		}
		if got["Phone"] != "Business Phone" || got["Name"] != "Name" {
			t.Fatalf("labels %v", got)
		}
	}
	if n := f.fake.Calls("Describe"); n != 1 {
		t.Fatalf("Describe calls = %d for three card reads, want 1", n)
	}

	g := newFixture(t, crm.Record{Entity: "Contact", ID: "1", Display: "Jane Doe", Fields: map[string]any{"Phone": "+14155550100"}})
	if _, err := g.svc.Search(ctx, "t1", req("search_phone", map[string]any{"phoneNumber": "+14155550100"})); err != nil {
		t.Fatal(err)
	}
	g.fake.FailNext(crm.Errorf(crm.Unavailable, "down"))
	c, err := g.svc.Card(ctx, "t1", "k1")
	if err != nil || c.Related[0].Fields[0].Label != "Phone" {
		t.Fatalf("card with the CRM down: %+v, %v", c, err)
	}
}

// TestSearchMetrics: a search records its latency, matches and zero-match
// flag per CRM type, and every connector call with its error code.
func TestSearchMetrics(t *testing.T) {
	f := newFixture(t, crm.Record{Entity: "Contact", ID: "1", Display: "Jane Doe", Fields: map[string]any{"Phone": "+14155550100"}})
	set := metrics.NewSet("search")
	ctx := metrics.With(context.Background(), set)
	if _, err := f.svc.Search(ctx, "t1", req("search_phone", map[string]any{"phoneNumber": "+14155550100"})); err != nil {
		t.Fatal(err)
	}
	f.fake.FailNext(crm.Errorf(crm.Unavailable, "down"))
	if _, err := f.svc.Search(ctx, "t1", req("search_phone", map[string]any{"phoneNumber": "+14155550100"})); err == nil {
		t.Fatal("want the CRM's failure")
	}
	var b bytes.Buffer
	if err := set.Flush(&b); err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	for _, l := range strings.Split(strings.TrimSpace(b.String()), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatal(err)
		}
		for _, name := range []string{metrics.SearchLatency, metrics.SearchMatches, metrics.SearchNoMatch, metrics.CRMCalls, metrics.CRMErrors} {
			if v, ok := m[name].([]any); ok {
				key := name + "/" + m["CRM"].(string)
				if code, ok := m["Code"].(string); ok {
					key += "/" + code
				}
				got[key] += len(v)
			}
		}
	}
	want := map[string]int{"SearchLatency/fake": 1, "SearchMatches/fake": 1, "SearchNoMatch/fake": 1,
		"CRMErrors/fake/UNAVAILABLE": 1}
	for k, n := range want {
		if got[k] != n {
			t.Errorf("%s: %d values, want %d (all: %v)", k, got[k], n, got)
		}
	}
	if got["CRMCalls/fake"] < 3 { // search, its open cases, the failed search
		t.Errorf("CRMCalls %d, want at least 3 (all: %v)", got["CRMCalls/fake"], got)
	}
}

// TestPopIsOnTheCard: the single match a search pops is popped on the card
// it writes too (as create's record is), not only in the answer.
func TestPopIsOnTheCard(t *testing.T) {
	f := newFixture(t, crm.Record{Entity: "Contact", ID: "1", Display: "Jane Doe", URL: "https://fake.example/Contact/1", Fields: map[string]any{"Phone": "+14155550100"}})
	res, err := f.svc.Search(context.Background(), "t1", req("search_phone", map[string]any{"phoneNumber": "+14155550100"}))
	if err != nil {
		t.Fatal(err)
	}
	if res.MatchCount != 1 || !res.Records[0].ScreenPop {
		t.Fatalf("single match not popped: %+v", res)
	}
	card, err := f.st.GetCard(context.Background(), "t1", res.ContactID)
	if err != nil {
		t.Fatal(err)
	}
	if len(card.Related) != 1 || !card.Related[0].ScreenPop || card.Related[0].Match != nil {
		t.Fatalf("card %+v: want the popped record, popped, without the search's match", card.Related)
	}
}
