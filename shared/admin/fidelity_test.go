package admin_test

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/crmflow/crmflow/shared/admin"
	"github.com/crmflow/crmflow/shared/apperr"
	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmfake"
	"github.com/crmflow/crmflow/shared/secrets/memsecrets"
	"github.com/crmflow/crmflow/shared/store"
	"github.com/crmflow/crmflow/shared/store/memory"
)

// fakeDriver takes contact/contacts for Contact and Task, refuses other
// names, refuses a memorialization into Contact in create mode, a target
// called ReadOnly, and a search mapping on Task — a driver's static rules.
func fakeDriver(c *crmfake.Connector) crm.Driver {
	d := crmfake.Driver("fake", c)
	d.HostAllowed = func(h string) bool { return strings.HasSuffix(h, ".api.fake.example") }
	d.AppHostAllowed = func(h string) bool { return strings.HasSuffix(h, ".app.fake.example") }
	d.CanonicalEntity = func(name string) (string, error) {
		switch strings.ToLower(name) {
		case "contact", "contacts":
			return "Contact", nil
		case "task", "tasks":
			return "Task", nil
		}
		return "", crm.Refusal("fake: entity", "entity", "%s is not a fake object", crm.QuoteName(name))
	}
	d.MappingCheck = func(m crm.MappingCheck) error {
		switch {
		case m.Kind == crm.MappingMemorialization && m.Entity == "Contact" && m.Mode == crm.ModeCreate:
			return crm.Refusal("fake: mapping", "mode", "Contact records are only updated")
		case m.Kind == crm.MappingSearch && m.Entity == "Task":
			return crm.Refusal("fake: mapping", "entity", "Task cannot be searched by phone or email")
		}
		for i, f := range m.Targets {
			if f == "ReadOnly" {
				return crm.Refusal("fake: mapping", "fields["+itoa(i)+"].target", "ReadOnly cannot be written")
			}
		}
		for i, f := range m.SearchFields {
			if f == "Name" {
				return crm.Refusal("fake: mapping", "searchFields["+itoa(i)+"]", "Name is no phone field")
			}
		}
		return nil
	}
	d.New = func(cfg crm.Config, _ *http.Client) (crm.Connector, error) {
		if cfg.APIVersion != "" && cfg.APIVersion != "v1" {
			return nil, &crm.Error{Code: crm.InvalidArgument, Op: "fake: configure", Field: "apiVersion", Message: "apiVersion must be v1"}
		}
		return c, nil
	}
	return d
}

func itoa(i int) string { return string(rune('0' + i)) }

// conns hands the test its fake connector, like workflow.Service would.
type conns struct {
	c      crm.Connector
	forgot int
}

func (cs *conns) Connection(ctx context.Context, tenantID, id string) (crm.Connector, store.Configuration, error) {
	return cs.c, store.Configuration{}, nil
}
func (cs *conns) Forget(string, string) { cs.forgot++ }

func fakeService(t *testing.T, recs ...crm.Record) (*admin.Service, *crmfake.Connector, *conns) {
	t.Helper()
	st := memory.New()
	fake := crmfake.New(recs...)
	cs := &conns{c: fake}
	svc := &admin.Service{Store: st, Secrets: memsecrets.New(), Registry: crm.NewRegistry(fakeDriver(fake)), Connections: cs,
		SecretPrefix: "crmflow/test/"}
	if _, _, err := svc.PutConfiguration(context.Background(), tenant, "fk", fakeConfig()); err != nil {
		t.Fatal(err)
	}
	return svc, fake, cs
}

func fakeConfig() admin.ConfigurationInput {
	return admin.ConfigurationInput{Name: "Fake", CRM: "fake", BaseURL: "https://acme.api.fake.example",
		Auth: crm.Auth{Type: crm.AuthBearerToken}, Credentials: &crm.Credentials{Token: "t"}}
}

func wantInvalid(t *testing.T, what string, err error, field string) {
	t.Helper()
	e, ok := apperr.As(err)
	if !ok || e.Kind != apperr.Invalid || e.Field != field {
		t.Fatalf("%s: %v, want 400 naming %s", what, err, field)
	}
}

func TestAppURL(t *testing.T) {
	svc, _, _ := fakeService(t)
	ctx := context.Background()
	in := fakeConfig()
	in.AppURL = "https://acme.app.fake.example/"
	c, _, err := svc.PutConfiguration(ctx, tenant, "fk", in)
	if err != nil || c.AppURL != "https://acme.app.fake.example" {
		t.Fatalf("appUrl on the app host: %+v, %v", c.AppURL, err)
	}
	in.AppURL = "https://acme.api.fake.example" // the baseUrl's host is fine too
	if _, _, err := svc.PutConfiguration(ctx, tenant, "fk", in); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"https://evil.example", "http://acme.app.fake.example", "https://acme.app.fake.example/app", "https://u:p@acme.app.fake.example", "nohost"} {
		in.AppURL = bad
		_, _, err := svc.PutConfiguration(ctx, tenant, "fk", in)
		wantInvalid(t, bad, err, "appUrl")
	}
}

// TestDriverChecksConfigurationWhenSaved: what only the driver knows of a
// configuration is a 400 at PUT, naming the driver's field.
func TestDriverChecksConfigurationWhenSaved(t *testing.T) {
	svc, _, _ := fakeService(t)
	in := fakeConfig()
	in.APIVersion = "v2"
	_, _, err := svc.PutConfiguration(context.Background(), tenant, "fk", in)
	wantInvalid(t, "apiVersion v2", err, "apiVersion")
}

func TestMappingsCheckedWhenSaved(t *testing.T) {
	svc, _, _ := fakeService(t)
	ctx := context.Background()
	dm := func(entity string, mode crm.WriteMode, target string) admin.DataMappingInput {
		return admin.DataMappingInput{Entity: entity, Mode: mode, Fields: []store.FieldMapping{
			{Source: "agentName", Target: "Subject"}, {Source: "dispositionNotes", Target: target}}}
	}
	m, err := svc.PutDataMapping(ctx, tenant, "fk", "ok", dm("tasks", crm.ModeCreate, "Description"))
	if err != nil || m.Entity != "Task" {
		t.Fatalf("good mapping: %+v, %v (want entity stored as Task)", m, err)
	}
	w, err := svc.GetWorkflow(ctx, tenant, "fk", admin.MemorializeWorkflowID("ok"))
	if err != nil || w.Entity != "Task" {
		t.Fatalf("mapping's workflow: %+v, %v", w, err)
	}
	_, err = svc.PutDataMapping(ctx, tenant, "fk", "bad", dm("Lead", crm.ModeCreate, "Description"))
	wantInvalid(t, "unknown entity", err, "entity")
	_, err = svc.PutDataMapping(ctx, tenant, "fk", "bad", dm("Contact", crm.ModeCreate, "Description"))
	wantInvalid(t, "mode the CRM cannot take", err, "mode")
	_, err = svc.PutDataMapping(ctx, tenant, "fk", "bad", dm("Task", crm.ModeCreate, "ReadOnly"))
	wantInvalid(t, "read-only target", err, "fields[1].target")

	ddm := func(entity string, search ...string) admin.DynamicMappingInput {
		return admin.DynamicMappingInput{Entities: []store.EntityMapping{
			{Entity: "Contact", SearchFields: []string{"Phone"}},
			{Entity: entity, SearchFields: search, DisplayFields: []store.DisplayField{{Name: "Phone", Label: "Phone"}}}}}
	}
	got, err := svc.PutDynamicDataMapping(ctx, tenant, "fk", "d1", ddm("contacts", "MobilePhone"))
	if err != nil || got.Entities[1].Entity != "Contact" {
		t.Fatalf("good dynamic mapping: %+v, %v", got, err)
	}
	_, err = svc.PutDynamicDataMapping(ctx, tenant, "fk", "d1", ddm("Lead"))
	wantInvalid(t, "unknown entity", err, "entities[1].entity")
	_, err = svc.PutDynamicDataMapping(ctx, tenant, "fk", "d1", ddm("Task"))
	wantInvalid(t, "unsearchable entity", err, "entities[1].entity")
	_, err = svc.PutDynamicDataMapping(ctx, tenant, "fk", "d1", ddm("Contact", "Phone", "Name"))
	wantInvalid(t, "unsearchable field", err, "entities[1].searchFields[1]")

	_, err = svc.PutWorkflow(ctx, tenant, "fk", "create_lead", admin.WorkflowInput{Name: "x", Action: store.ActionCreate, Entity: "Lead"})
	wantInvalid(t, "workflow entity", err, "entity")
}

// TestConfigurationTest: the report authenticates, reads a record of each
// entity the configuration uses, and checks each mapping field against the
// CRM's metadata; a CRM that refuses the credentials ends it there.
func TestConfigurationTest(t *testing.T) {
	svc, fake, cs := fakeService(t,
		crm.Record{Entity: "Task", ID: "t1", Fields: map[string]any{"Subject": "x", "Description": "y"}},
		crm.Record{Entity: "Contact", ID: "c1", Fields: map[string]any{"Phone": "+1", "Name": "Jane"}})
	ctx := context.Background()
	if _, err := svc.PutDataMapping(ctx, tenant, "fk", "notes", admin.DataMappingInput{Entity: "Task", Fields: []store.FieldMapping{
		{Source: "agentName", Target: "Subject"}, {Source: "dispositionNotes", Target: "Custom__c"}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.PutDynamicDataMapping(ctx, tenant, "fk", "card", admin.DynamicMappingInput{Entities: []store.EntityMapping{
		{Entity: "Contact", SearchFields: []string{"Phone"}, DisplayFields: []store.DisplayField{{Name: "Name"}}}}}); err != nil {
		t.Fatal(err)
	}
	rep, err := svc.TestConfiguration(ctx, tenant, "fk")
	if err != nil {
		t.Fatal(err)
	}
	if cs.forgot != 1 {
		t.Errorf("the test did not drop the cached connection first")
	}
	byName := map[string]admin.Check{}
	for _, c := range rep.Checks {
		byName[c.Name] = c
	}
	want := map[string]bool{
		"authenticate": true, "read Contact": true, "read Task": true,
		"data mapping notes: entity Task": true, "data mapping notes: fields[0].target Subject": true,
		"data mapping notes: fields[1].target Custom__c": false,
		"dynamic data mapping card: entities[0] Contact": true, "dynamic data mapping card: entities[0].searchFields[0] Phone": true,
		"dynamic data mapping card: entities[0].displayFields[0].name Name": true,
	}
	for name, ok := range want {
		c, found := byName[name]
		if !found || c.OK != ok {
			t.Errorf("check %q = %+v (found %v), want ok=%v; report %+v", name, c, found, ok, rep.Checks)
		}
	}
	if rep.OK || !strings.Contains(byName["data mapping notes: fields[1].target Custom__c"].Message, "no field") {
		t.Errorf("report ok=%v with a missing field: %+v", rep.OK, rep)
	}
	if fake.Calls("Describe") != 2 {
		t.Errorf("Describe calls = %d, want one per entity (2)", fake.Calls("Describe"))
	}

	fake.FailNext(&crm.Error{Code: crm.Unauthenticated, Status: 401, CRMCode: "INVALID_SESSION_ID", Message: "Session expired or invalid"})
	rep, err = svc.TestConfiguration(ctx, tenant, "fk")
	if err != nil || rep.OK || len(rep.Checks) != 1 || rep.Checks[0].Name != "authenticate" ||
		!strings.Contains(rep.Checks[0].Message, "Session expired or invalid") {
		t.Fatalf("refused credentials: %+v, %v", rep, err)
	}
	_, err = svc.TestConfiguration(ctx, "another-tenant", "fk")
	if e, ok := apperr.As(err); !ok || e.Kind != apperr.NotFound {
		t.Fatalf("another tenant's configuration: %v, want 404", err)
	}
}

// keySetter is a fake connector whose CRM needs a write-key field made.
type keySetter struct {
	*crmfake.Connector
	asked [][]string
	have  bool
}

func (k *keySetter) SetUpWriteKeys(ctx context.Context, entities []string) ([]string, error) {
	k.asked = append(k.asked, entities)
	if k.have {
		return nil, nil
	}
	k.have = true
	return []string{"crmflow_key on calls"}, nil
}

// TestConfigurationTestSetsUpWriteKeys: a connector that keeps write keys
// in a field the account must have is asked to make it, for the entities
// create-mode mappings write; the report says what was made, then that it
// is in place.
func TestConfigurationTestSetsUpWriteKeys(t *testing.T) {
	svc, fake, cs := fakeService(t, crm.Record{Entity: "Task", ID: "t1", Fields: map[string]any{"Subject": "x"}})
	ks := &keySetter{Connector: fake}
	cs.c = ks
	ctx := context.Background()
	for id, mode := range map[string]crm.WriteMode{"notes": crm.ModeCreate, "touch": crm.ModeUpdate} {
		if _, err := svc.PutDataMapping(ctx, tenant, "fk", id, admin.DataMappingInput{Entity: "Task", Mode: mode, Fields: []store.FieldMapping{
			{Source: "agentName", Target: "Subject"}}}); err != nil {
			t.Fatal(err)
		}
	}
	for _, want := range []string{"made crmflow_key on calls", "in place"} {
		rep, err := svc.TestConfiguration(ctx, tenant, "fk")
		if err != nil {
			t.Fatal(err)
		}
		var got *admin.Check
		for i := range rep.Checks {
			if rep.Checks[i].Name == "write keys" {
				got = &rep.Checks[i]
			}
		}
		if got == nil || !got.OK || got.Message != want {
			t.Fatalf("write keys check %+v, want ok %q; report %+v", got, want, rep.Checks)
		}
	}
	if len(ks.asked) != 2 || !slices.Equal(ks.asked[0], []string{"Task"}) {
		t.Errorf("asked for %v, want the create-mode entity Task each run", ks.asked)
	}
}

// TestRankingSettings: entityOrder is stored in the CRM's canonical
// spelling, a name the driver refuses or a repeat is a 400 naming its
// index; bestMatchMargin must be above 0 and at most 1.
func TestRankingSettings(t *testing.T) {
	svc, _, _ := fakeService(t)
	ctx := context.Background()
	in := fakeConfig()
	in.EntityOrder = []string{"contacts", "tasks"}
	m := 0.25
	in.BestMatchMargin = &m
	c, _, err := svc.PutConfiguration(ctx, tenant, "fk", in)
	if err != nil || !slices.Equal(c.EntityOrder, []string{"Contact", "Task"}) || c.BestMatchMargin == nil || *c.BestMatchMargin != 0.25 {
		t.Fatalf("ranking settings: %+v %v, %v", c.EntityOrder, c.BestMatchMargin, err)
	}
	for field, order := range map[string][]string{"entityOrder[1]": {"Contact", "Lead"}, "entityOrder[2]": {"Task", "Contact", "contact"}} {
		in := fakeConfig()
		in.EntityOrder = order
		_, _, err := svc.PutConfiguration(ctx, tenant, "fk", in)
		wantInvalid(t, strings.Join(order, ","), err, field)
	}
	for _, bad := range []float64{0, -0.1, 1.5} {
		in := fakeConfig()
		in.BestMatchMargin = &bad
		_, _, err := svc.PutConfiguration(ctx, tenant, "fk", in)
		wantInvalid(t, "margin", err, "bestMatchMargin")
	}
}
