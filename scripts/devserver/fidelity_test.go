package main

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/drivers"
)

// fidelityCase is what one CRM's documented reference says a user may send
// and what it refuses, as a Studio engineer and an admin meet it over HTTP.
type fidelityCase struct {
	// altEntity is another documented spelling of canonical, the entity a
	// create by that spelling answers with.
	altEntity, canonical string
	createFields         map[string]any
	// badEntity is a name the driver refuses before any CRM call.
	badEntity string
	// refused is a create the CRM itself refuses (its own words come back).
	refusedEntity string
	refusedFields map[string]any
	// badMapping is a memorialization mapping whose first target the CRM
	// type can never take: refused when saved, naming fields[0].target.
	mappingEntity, badTarget string
}

var fidelityCases = map[crm.Type]fidelityCase{
	crm.Oracle: {altEntity: "Incident", canonical: "incidents",
		createFields: map[string]any{"subject": "Paper jam on the third floor"},
		badEntity:    "queryResults", refusedEntity: "contacts", refusedFields: map[string]any{"name.first": "Janie", "nickname": "JD"},
		mappingEntity: "incidents", badTarget: "referenceNumber"},
	crm.Salesforce: {altEntity: "case", canonical: "Case",
		createFields: map[string]any{"Subject": "Paper jam on the third floor", "Origin": "Phone"},
		badEntity:    "Cases", refusedEntity: "Contact", refusedFields: map[string]any{"LastName": "Doe", "Nickname": "JD"},
		mappingEntity: "Task", badTarget: "CreatedDate"},
	crm.HubSpot: {altEntity: "ticket", canonical: "tickets",
		createFields: map[string]any{"subject": "Replacement toner", "content": "Caller needs two cartridges.",
			"hs_pipeline": "0", "hs_pipeline_stage": "1"},
		badEntity: "1-1", refusedEntity: "contacts", refusedFields: map[string]any{"firstname": "Janie", "nickname": "JD"},
		mappingEntity: "tickets", badTarget: "hs_lastmodifieddate"},
	crm.Dynamics: {altEntity: "leads", canonical: "lead",
		createFields: map[string]any{"firstname": "Ada", "lastname": "Lovelace", "companyname": "Analytical Engines", "subject": "Printer fleet"},
		badEntity:    "EntityDefinitions", refusedEntity: "contact", refusedFields: map[string]any{"firstname": "Janie", "nickname": "JD"},
		mappingEntity: "phonecall", badTarget: "activityid"},
	crm.ServiceNow: {altEntity: "Incident", canonical: "incident",
		createFields: map[string]any{"short_description": "Paper jam on the third floor"},
		badEntity:    "Case", refusedEntity: "u_no_such_table", refusedFields: map[string]any{"u_summary": "x"},
		mappingEntity: "incident", badTarget: "sys_created_on"},
	crm.Zendesk: {altEntity: "tickets", canonical: "ticket",
		createFields: map[string]any{"subject": "Paper jam on the third floor", "comment.body": "The printer on the third floor jams."},
		badEntity:    "groups", refusedEntity: "user", refusedFields: map[string]any{"name": "Janie Doe", "email": "janie.doe@"},
		mappingEntity: "ticket", badTarget: "description"},
	crm.Kustomer: {altEntity: "customers", canonical: "customer",
		createFields: map[string]any{"name": "Alex Rivera", "email": "alex.rivera@example.com"},
		badEntity:    "users", refusedEntity: "customer", refusedFields: map[string]any{"name": "Janie Doe", "firstName": "Janie"},
		mappingEntity: "customer", badTarget: "displayName"},
}

// TestEveryCRMEndToEnd: on every CRM's sandbox through ./scripts/dev's
// gateway, as a user meets it: the configuration test passes, a create by
// another documented spelling answers the canonical entity, a name the
// driver refuses is 400 naming workflowInput.entity with the driver's
// words, a create the CRM refuses is 422 with the CRM's own message in
// crmError, and a memorialization mapping the CRM type can never take is
// refused when saved.
func TestEveryCRMEndToEnd(t *testing.T) {
	if _, err := exec.LookPath("moto_server"); err != nil {
		t.Skip(`moto_server not found: pip install "moto[server]"`)
	}
	srv := startDev(t)
	c := client{t: t, base: srv.base}
	for _, typ := range drivers.Registry().Types() {
		fc, ok := fidelityCases[typ]
		t.Run(string(typ), func(t *testing.T) {
			if !ok {
				t.Fatalf("%s has no end-to-end fidelity case: add one to fidelityCases", typ)
			}
			c := client{t: t, base: c.base}
			conf := string(typ) + "-demo"
			var report struct {
				OK     bool `json:"ok"`
				Checks []struct {
					Name    string `json:"name"`
					OK      bool   `json:"ok"`
					Message string `json:"message"`
				} `json:"checks"`
			}
			c.call(srv.admin, "POST", "/v1/configurations/"+conf+"/test", nil, 200, &report)
			if !report.OK || len(report.Checks) == 0 {
				t.Errorf("configuration test: %+v", report)
			}

			create := func(entity string, fields map[string]any) map[string]any {
				return map[string]any{"configurationId": conf, "workflowId": "create_custom", "contactId": "e2e-" + string(typ),
					"workflowInput": map[string]any{"entity": entity, "fields": fields}}
			}
			var made struct {
				Records []struct{ Entity, ID string } `json:"records"`
			}
			c.call(srv.studio, "POST", "/v1/workflows/create", create(fc.altEntity, fc.createFields), 201, &made)
			if len(made.Records) != 1 || made.Records[0].Entity != fc.canonical || made.Records[0].ID == "" {
				t.Errorf("create as %q: %+v, want entity %q", fc.altEntity, made.Records, fc.canonical)
			}

			var bad struct {
				Error struct{ Code, Message, Field string } `json:"error"`
			}
			c.call(srv.studio, "POST", "/v1/workflows/create", create(fc.badEntity, fc.createFields), 400, &bad)
			if bad.Error.Code != "INVALID_ARGUMENT" || bad.Error.Field != "workflowInput.entity" || bad.Error.Message == "" {
				t.Errorf("create as %q: %+v", fc.badEntity, bad.Error)
			}

			var refused struct {
				Error struct {
					Code     string `json:"code"`
					CRMError *struct {
						Status  int    `json:"status"`
						Message string `json:"message"`
					} `json:"crmError"`
				} `json:"error"`
			}
			c.call(srv.studio, "POST", "/v1/workflows/create", create(fc.refusedEntity, fc.refusedFields), 422, &refused)
			if e := refused.Error.CRMError; e == nil || e.Status < 400 || strings.TrimSpace(e.Message) == "" {
				t.Errorf("the CRM's refusal lost its words: %+v", refused.Error)
			}

			var mb struct {
				Error struct{ Code, Field string } `json:"error"`
			}
			c.call(srv.admin, "PUT", "/v1/configurations/"+conf+"/data-mappings/e2e-bad", map[string]any{
				"entity": fc.mappingEntity, "mode": "create", "fields": []map[string]any{{"target": fc.badTarget, "source": "dispositionNotes"}},
			}, 400, &mb)
			if mb.Error.Field != "fields[0].target" {
				t.Errorf("mapping with target %q: %+v", fc.badTarget, mb.Error)
			}
		})
	}
}
