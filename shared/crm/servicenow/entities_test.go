package servicenow

import (
	"strings"
	"testing"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmtest"
)

// spellingTable is every spelling the driver takes, with the table name it
// maps to: table names in any letter case (instances make them lowercase),
// custom u_ and scoped x_ tables, and any other table name as it is.
var spellingTable = map[string]string{
	"sys_user": "sys_user", "SYS_USER": "sys_user", "Sys_User": "sys_user",
	"customer_contact": "customer_contact", "Customer_Contact": "customer_contact", "CUSTOMER_CONTACT": "customer_contact",
	"incident": "incident", "Incident": "incident", "INCIDENT": "incident",
	"interaction": "interaction", "Interaction": "interaction",
	"sn_customerservice_case": "sn_customerservice_case", "SN_CUSTOMERSERVICE_CASE": "sn_customerservice_case",
	"Sn_Customerservice_Case": "sn_customerservice_case",
	"core_company":            "core_company", "Core_Company": "core_company",
	"customer_account": "customer_account", "csm_consumer": "csm_consumer", "CSM_Consumer": "csm_consumer",
	"task": "task", "Task": "task",
	"u_call_note": "u_call_note", "U_Call_Note": "u_call_note",
	"x_acme_crm_call_log": "x_acme_crm_call_log", "X_ACME_CRM_CALL_LOG": "x_acme_crm_call_log",
	"change_request": "change_request", "cmdb_ci": "cmdb_ci", "sc_req_item": "sc_req_item",
	" incident ": "incident",
}

// badEntities are names no instance has as a table: no table name shape,
// or a label or plural of a standard table (the refusal names the table).
var badEntities = []string{"incident/12", "Contacts Us", "sys_user.email", "1incident", "sn-customerservice-case",
	"incident:1", "_incident", "User", "Contact", "contacts", "Case", "Company", "Account", "incidents", "users"}

var goodMappings = []crm.MappingCheck{
	{Kind: crm.MappingMemorialization, Entity: "incident", Mode: crm.ModeCreate,
		Targets: []string{"short_description", "description", "caller_id", "contact_type", "work_notes", "u_call_id"}},
	{Kind: crm.MappingMemorialization, Entity: "sys_user", Mode: crm.ModeUpdate, Targets: []string{"title", "u_last_call"}},
	{Kind: crm.MappingMemorialization, Entity: "incident", Mode: crm.ModeUpdate, Targets: []string{"correlation_display", "comments"}},
	{Kind: crm.MappingMemorialization, Entity: "u_call_note", Mode: crm.ModeUpdate, Targets: []string{"u_summary", "u_duration"}},
	{Kind: crm.MappingMemorialization, Entity: "x_acme_crm_call_log", Mode: crm.ModeUpdate, Targets: []string{"x_acme_crm_notes"}},
	{Kind: crm.MappingMemorialization, Entity: "sn_customerservice_case", Mode: crm.ModeCreate, Targets: []string{"short_description"}},
	{Kind: crm.MappingMemorialization, Entity: "Interaction", Targets: []string{"type", "short_description", "opened_for"}},
	{Kind: crm.MappingSearch, Entity: "sys_user", SearchFields: []string{"phone", "mobile_phone"},
		DisplayFields: []string{"name", "company.name"}},
	{Kind: crm.MappingSearch, Entity: "Customer_Contact", SearchFields: []string{"email", "account.phone"}},
}

var badMappings = []crmtest.BadMapping{
	{Check: crm.MappingCheck{Kind: crm.MappingMemorialization, Entity: "incident/1", Targets: []string{"title"}}, Field: "entity"},
	{Check: crm.MappingCheck{Kind: crm.MappingMemorialization, Entity: "sys-user", Targets: []string{"title"}}, Field: "entity"},
	{Check: crm.MappingCheck{Kind: crm.MappingMemorialization, Entity: "sys_journal_field", Targets: []string{"value"}}, Field: "entity"},
	{Check: crm.MappingCheck{Kind: crm.MappingMemorialization, Entity: "sys_dictionary", Targets: []string{"column_label"}}, Field: "entity"},
	{Check: crm.MappingCheck{Kind: crm.MappingMemorialization, Entity: "incident", Mode: "upsert", Targets: []string{"short_description"}}, Field: "mode"},
	{Check: crm.MappingCheck{Kind: crm.MappingMemorialization, Entity: "incident", Targets: []string{"short_description", "sys_id"}}, Field: "fields[1].target"},
	{Check: crm.MappingCheck{Kind: crm.MappingMemorialization, Entity: "incident", Targets: []string{"sys_created_on"}}, Field: "fields[0].target"},
	{Check: crm.MappingCheck{Kind: crm.MappingMemorialization, Entity: "incident", Targets: []string{"sys_mod_count"}}, Field: "fields[0].target"},
	{Check: crm.MappingCheck{Kind: crm.MappingMemorialization, Entity: "incident", Targets: []string{"sys_class_name"}}, Field: "fields[0].target"},
	{Check: crm.MappingCheck{Kind: crm.MappingMemorialization, Entity: "incident", Targets: []string{"caller_id.email"}}, Field: "fields[0].target"},
	{Check: crm.MappingCheck{Kind: crm.MappingMemorialization, Entity: "incident", Targets: []string{"Short_Description"}}, Field: "fields[0].target"},
	{Check: crm.MappingCheck{Kind: crm.MappingMemorialization, Entity: "incident", Mode: crm.ModeCreate, Targets: []string{"correlation_id"}}, Field: "fields[0].target"},
	{Check: crm.MappingCheck{Kind: crm.MappingMemorialization, Entity: "interaction", Targets: []string{"short_description", "correlation_display"}}, Field: "fields[1].target"},
	{Check: crm.MappingCheck{Kind: crm.MappingMemorialization, Entity: "sys_user", Mode: crm.ModeUpdate, Targets: []string{"first name"}}, Field: "fields[0].target"},
	// No correlation_id to key a create: found again only on task tables.
	{Check: crm.MappingCheck{Kind: crm.MappingMemorialization, Entity: "u_call_note", Mode: crm.ModeCreate, Targets: []string{"u_summary"}}, Field: "entity"},
	{Check: crm.MappingCheck{Kind: crm.MappingMemorialization, Entity: "x_acme_crm_call_log", Targets: []string{"x_acme_crm_notes"}}, Field: "entity"},
	{Check: crm.MappingCheck{Kind: crm.MappingMemorialization, Entity: "sys_user", Mode: crm.ModeCreate, Targets: []string{"title"}}, Field: "entity"},
	{Check: crm.MappingCheck{Kind: crm.MappingMemorialization, Entity: "customer_contact", Targets: []string{"title"}}, Field: "entity"},
	{Check: crm.MappingCheck{Kind: crm.MappingSearch, Entity: "sys_user", SearchFields: []string{"phone number"}}, Field: "searchFields[0]"},
	{Check: crm.MappingCheck{Kind: crm.MappingSearch, Entity: "sys_user", SearchFields: []string{"phone"},
		DisplayFields: []string{"name", "Email"}}, Field: "displayFields[1].name"},
	{Check: crm.MappingCheck{Kind: crm.MappingSearch, Entity: "1user", SearchFields: []string{"phone"}}, Field: "entity"},
	{Check: crm.MappingCheck{Kind: crm.MappingSearch, Entity: "Contact", SearchFields: []string{"phone"}}, Field: "entity"},
	{Check: crm.MappingCheck{Kind: crm.MappingMemorialization, Entity: "Case", Targets: []string{"short_description"}}, Field: "entity"},
}

func TestCanonicalEntity(t *testing.T) {
	d := Driver()
	for in, want := range spellingTable {
		if got, err := d.Canonical(in); err != nil || got != want {
			t.Errorf("Canonical(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	long := "u_"
	for len(long) <= 80 {
		long += "x"
	}
	for _, bad := range append([]string{"", long, "incident%00", "incident?sysparm_query=x"}, badEntities...) {
		_, err := d.Canonical(bad)
		e, ok := crm.AsRefusal(err)
		if !ok || e.Field != "entity" || e.Message == "" {
			t.Errorf("Canonical(%q) = %v, want a refusal naming entity", bad, err)
		}
	}
	// A label's refusal names the table to use.
	for label, table := range map[string]string{"User": "sys_user", "contacts": "customer_contact", "Case": "sn_customerservice_case"} {
		if _, err := d.Canonical(label); err == nil || !strings.Contains(err.Error(), table) {
			t.Errorf("Canonical(%q) = %v, want a refusal naming %s", label, err, table)
		}
	}
}
