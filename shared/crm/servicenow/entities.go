package servicenow

import (
	"strings"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/lazyre"
)

// tableSpelling is a table name as an instance makes them: a lowercase
// letter, then lowercase letters, digits and underscores, up to 80
// characters (sys_db_object.name).
var tableSpelling = lazyre.New(`^[a-z][a-z0-9_]{0,79}$`)

// Canonical table names of the tables the driver treats specially.
const (
	tableUser        = "sys_user"
	tableContact     = "customer_contact"
	tableIncident    = "incident"
	tableInteraction = "interaction"
	tableCase        = "sn_customerservice_case"
	tableCompany     = "core_company"
	tableAccount     = "customer_account"
	tableTask        = "task"
	tableJournal     = "sys_journal_field"
	tableDictionary  = "sys_dictionary"
	tableDBObject    = "sys_db_object"
)

// labelsNotTables are the base-system labels of standard tables whose
// labels are not their table names, as ServiceNow's documentation names
// a table, "Label [table_name]". A label is no spelling the Table API
// takes, and it does not name one table: the same documentation labels
// sn_customerservice_case, sn_hcls_case and sn_sprb_mgmt_case "Case",
// sys_user and imp_user "User", core_company and csm_company "Company",
// and an instance may relabel any table. So a label is refused, naming
// the table a CSM/ITSM integration most likely means. (Incident,
// Interaction and Task are labels and table names alike: any letter case
// of a table name is that table.)
var labelsNotTables = map[string]string{
	"user":         tableUser,
	"users":        tableUser,
	"contact":      tableContact,
	"contacts":     tableContact,
	"case":         tableCase,
	"cases":        tableCase,
	"company":      tableCompany,
	"account":      tableAccount,
	"incidents":    tableIncident,
	"interactions": tableInteraction,
	"tasks":        tableTask,
}

// acceptedNames says what canonicalEntity takes, for its refusals.
const acceptedNames = "a ServiceNow table name such as sys_user, customer_contact, incident, interaction, " +
	"sn_customerservice_case, core_company, a custom u_ table or a scoped x_vendor_app_ table"

// canonicalEntity maps a spelling of a ServiceNow table to its table name,
// the one spelling the Table API takes in /api/now/table/{tableName}.
// Table names hold only lowercase ASCII letters, digits and underscores
// (ServiceNow, "Create a table": custom ones u_…, scoped ones carry their
// application's namespace, x_{vendor}_{app}_…), so any letter case of a
// table name is that table. What cannot be a table name (a dot, a dash, a
// space, a leading digit or underscore, more than 80 characters, the
// length of sys_db_object.name) is refused, and so are the labels and
// plurals of the standard tables, with the table name to use instead.
func canonicalEntity(name string) (string, error) {
	lower := strings.ToLower(strings.TrimSpace(name))
	if t, ok := labelsNotTables[lower]; ok {
		return "", crm.Refusal("servicenow: entity", "entity", "%s is not a ServiceNow table name: the Table API takes table names, such as %s", crm.QuoteName(name), t)
	}
	if tableSpelling.MatchString(lower) {
		return lower, nil
	}
	return "", crm.Refusal("servicenow: entity", "entity", "%s is not a ServiceNow table name: use %s", crm.QuoteName(name), acceptedNames)
}

// resolveEntity is canonicalEntity behind the generic shape check
// (crm.Driver.Canonical), with op naming the refused action.
func resolveEntity(op, name string) (string, error) {
	return resolveEntityAt(op, "entity", name)
}

// resolveEntityAt is resolveEntity for an entity named at field
// ("links[0].entity", "entities[1].entity").
func resolveEntityAt(op, field, name string) (string, error) {
	name = strings.TrimSpace(name)
	if !crm.ValidEntityName(name) {
		return "", crm.Refusal(op, field, "%s is not an entity name: use %s", crm.QuoteName(name), acceptedNames)
	}
	canon, err := canonicalEntity(name)
	if err != nil {
		e, _ := crm.AsRefusal(err)
		e.Op, e.Field = op, field
		return "", e
	}
	return canon, nil
}

// resolveRef resolves a reference's table and checks its sys_id, naming
// prefix+"entity" or prefix+"id" when refused.
func resolveRef(op, prefix string, ref crm.Ref) (crm.Ref, error) {
	table, err := resolveEntityAt(op, prefix+"entity", ref.Entity)
	if err != nil {
		return crm.Ref{}, err
	}
	if !validSysID(ref.ID) {
		return crm.Ref{}, crm.Refusal(op, prefix+"id", "%s is not a sys_id (32 lowercase hex characters)", crm.QuoteName(ref.ID))
	}
	return crm.Ref{Entity: table, ID: ref.ID}, nil
}
