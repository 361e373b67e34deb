package dynamics

import (
	"strings"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/lazyre"
)

// standardTable is a Dataverse table the driver knows by all its names:
// the logical name (contact), which results, cards and record URLs carry;
// the entity set name (contacts), which Web API paths take; and the schema
// name (Contact, PhoneCall), which is the logical name with capitals
// ("LogicalName: the SchemaName in all lower case", EntityMetadata
// reference), so any case of the logical name covers it.
type standardTable struct {
	logical string
	set     string
}

// standardTables are the system tables a contact center reads and writes,
// with the entity set names Microsoft's table reference gives them
// (powerapps-docs developer/data-platform/reference/entities/*.md,
// "EntitySetName"). Other system tables are taken by logical name.
var standardTables = []standardTable{
	{"account", "accounts"},
	{"activityparty", "activityparties"},
	{"activitypointer", "activitypointers"},
	{"annotation", "annotations"},
	{"appointment", "appointments"},
	{"businessunit", "businessunits"},
	{"contact", "contacts"},
	{"email", "emails"},
	{"fax", "faxes"},
	{"incident", "incidents"},
	{"knowledgearticle", "knowledgearticles"},
	{"lead", "leads"},
	{"letter", "letters"},
	{"opportunity", "opportunities"},
	{"phonecall", "phonecalls"},
	{"queue", "queues"},
	{"queueitem", "queueitems"},
	{"socialactivity", "socialactivities"},
	{"systemuser", "systemusers"},
	{"task", "tasks"},
	{"team", "teams"},
}

// tableSpellings maps the lower-cased logical and entity set names of the
// standard tables to the logical name.
var tableSpellings = func() map[string]string {
	m := map[string]string{}
	for _, t := range standardTables {
		m[t.logical] = t.logical
		m[t.set] = t.logical
	}
	return m
}()

// notTables are Web API resources below /api/data/v9.x/ that are no table:
// the metadata entity sets (use-web-api-metadata.md), functions the driver
// calls. They are refused as entities so that no
// action reads or writes them by accident.
var notTables = map[string]bool{
	"entitydefinitions": true, "relationshipdefinitions": true, "globaloptionsetdefinitions": true,
	"managedpropertydefinitions": true, "whoami": true,
}

// tableShape is a table name as a caller may spell it: a logical, schema or
// entity set name (letters, digits, underscores; Dataverse logical names
// are at most 64 characters, entity set names a few more).
var tableShape = lazyre.New(`^[A-Za-z][A-Za-z0-9_]{0,69}$`)

// customShape is a table with a publisher prefix, {prefix}_{name}: the
// prefix "must be between two and eight characters long, can consist only
// of alphanumeric characters, must start with a letter" (Power Apps,
// "Create a solution publisher").
var customShape = lazyre.New(`^[a-z][a-z0-9]{1,7}_[a-z0-9_]*[a-z0-9]$`)

// acceptedNames says what canonicalEntity takes, for its refusals.
const acceptedNames = "a Dataverse table's logical name (contact, incident, phonecall, new_callnote), " +
	"its entity set name (contacts, incidents, phonecalls) or its schema name (Contact, PhoneCall, new_CallNote)"

// canonicalEntity maps a spelling of a Dataverse table to its logical name,
// the form the driver puts in results, cards and record URLs (Web API paths
// use the entity set name, derived from it by entitySet). Logical names are
// the schema name in lower case, so case never matters. Standard tables
// also take their entity set name. A custom table takes its logical or
// schema name: its entity set name is not taken, since new_status could be
// either a table or the set of new_statu (the set name of a custom table
// follows from its logical name, see entitySet).
func canonicalEntity(name string) (string, error) {
	if !tableShape.MatchString(name) {
		return "", entityRefusal("dynamics: entity", "entity", name)
	}
	lower := strings.ToLower(name)
	if logical, ok := tableSpellings[lower]; ok {
		return logical, nil
	}
	if notTables[lower] {
		return "", crm.Refusal("dynamics: entity", "entity", "%s is a Web API resource but no table: use %s", crm.QuoteName(name), acceptedNames)
	}
	if strings.Contains(lower, "_") {
		if !customShape.MatchString(lower) || strings.HasPrefix(lower, "mscrm") {
			return "", crm.Refusal("dynamics: entity", "entity",
				"%s is not a custom table name: custom tables are {publisher prefix}_{name}, such as new_callnote", crm.QuoteName(name))
		}
		return lower, nil
	}
	if len(lower) > 64 {
		return "", entityRefusal("dynamics: entity", "entity", name)
	}
	// Another system table (connection, customeraddress…), by logical name.
	return lower, nil
}

func entityRefusal(op, field, name string) error {
	return crm.Refusal(op, field, "%s is not a Dataverse table name: use %s", crm.QuoteName(name), acceptedNames)
}

// resolveEntity is canonicalEntity behind the generic shape check
// (crm.Driver.Canonical), with op naming the action that was refused.
func resolveEntity(op, name string) (string, error) {
	return resolveEntityAt(op, "entity", name)
}

// resolveEntityAt is resolveEntity for an entity named at field (the
// entity of a link: "links[0].entity").
func resolveEntityAt(op, field, name string) (string, error) {
	name = strings.TrimSpace(name)
	if !crm.ValidEntityName(name) {
		return "", entityRefusal(op, field, name)
	}
	logical, err := canonicalEntity(name)
	if err != nil {
		e, _ := crm.AsRefusal(err)
		e.Op, e.Field = op, field
		return "", e
	}
	return logical, nil
}

// tableLabel is a standard table's display name, for metadata without one.
func tableLabel(logical string) string {
	switch logical {
	case "incident":
		return "Case"
	case "phonecall":
		return "Phone Call"
	case "annotation":
		return "Note"
	case "systemuser":
		return "User"
	}
	return logical
}
