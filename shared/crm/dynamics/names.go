package dynamics

import (
	"fmt"
	"github.com/crmflow/crmflow/shared/lazyre"
	"strings"

	"github.com/crmflow/crmflow/shared/crm"
)

// logicalName is a Dataverse table logical name: always lowercase, custom
// tables carry their publisher prefix (new_callnote).
var logicalName = lazyre.New(`^[a-z][a-z0-9_]{0,63}$`)

// columnName is a Web API property: a column logical name, a lookup's
// _x_value form, or a navigation property (which may be mixed case).
var columnName = lazyre.New(`^[A-Za-z_][A-Za-z0-9_]{0,127}$`)

// guidShape is a record id as Dataverse writes it.
var guidShape = lazyre.New(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// entitySets are the entity set names of the standard tables; every other
// table follows the English plural rule Dataverse applies to new tables.
var entitySets = map[string]string{
	"contact": "contacts", "account": "accounts", "lead": "leads", "incident": "incidents",
	"opportunity": "opportunities", "phonecall": "phonecalls", "task": "tasks", "systemuser": "systemusers",
}

// entitySet maps a logical name to the entity set its URLs use: the table
// above, else "y" after a consonant → "ies", s/x/ch/sh → "es", otherwise "s".
func entitySet(logical string) string {
	if s, ok := entitySets[logical]; ok {
		return s
	}
	n := len(logical)
	switch {
	case strings.HasSuffix(logical, "s"), strings.HasSuffix(logical, "x"),
		strings.HasSuffix(logical, "ch"), strings.HasSuffix(logical, "sh"):
		return logical + "es"
	case n >= 2 && logical[n-1] == 'y' && !strings.ContainsRune("aeiou", rune(logical[n-2])):
		return logical[:n-1] + "ies"
	}
	return logical + "s"
}

// activityTables share the activitypointer key column, activityid.
var activityTables = map[string]bool{
	"phonecall": true, "task": true, "email": true, "appointment": true, "letter": true, "fax": true,
	"socialactivity": true, "recurringappointmentmaster": true, "serviceappointment": true, "activitypointer": true,
}

// primaryKey is a table's key column: activityid for activities, else {logicalname}id.
func primaryKey(logical string) string {
	if activityTables[logical] {
		return "activityid"
	}
	return logical + "id"
}

// nameColumns are the columns an entity's display name is made of.
func nameColumns(logical string) []string {
	switch {
	case logical == "contact" || logical == "lead" || logical == "systemuser":
		return []string{"fullname"}
	case logical == "incident":
		return []string{"ticketnumber", "title"}
	case activityTables[logical]:
		return []string{"subject"}
	case isCustom(logical):
		// A custom table's primary name column is {prefix}_name by default.
		return []string{logical[:strings.IndexByte(logical, '_')] + "_name"}
	}
	return []string{"name"}
}

// isCustom tells publisher-prefixed tables (new_callnote, msdyn_workorder)
// from the system tables, whose names have no underscore.
func isCustom(logical string) bool {
	i := strings.IndexByte(logical, '_')
	return i > 0 && i < len(logical)-1
}

func checkEntity(op, entity string) error {
	if !logicalName.MatchString(entity) || !crm.ValidField(entity) {
		return &crm.Error{Code: crm.InvalidArgument, Op: op, Message: fmt.Sprintf(
			"entity %q is not a Dataverse table logical name (lowercase, such as contact or new_callnote)", entity)}
	}
	return nil
}

// checkColumns validates names that go into $select or a JSON body.
func checkColumns(op string, names []string) error {
	for _, n := range names {
		if !columnName.MatchString(n) || !crm.ValidField(n) {
			return &crm.Error{Code: crm.InvalidArgument, Op: op, Message: fmt.Sprintf("field %q is not a Dataverse column name", n)}
		}
	}
	return nil
}

// checkBodyKeys validates the keys of a create or update body: columns, or
// navigation properties with @odata.bind to set a lookup.
func checkBodyKeys(op string, fields map[string]any) error {
	for k := range fields {
		name, _ := strings.CutSuffix(k, "@odata.bind")
		if err := checkColumns(op, []string{name}); err != nil {
			return err
		}
	}
	return nil
}

func checkID(op, id string) error {
	if !guidShape.MatchString(id) {
		return &crm.Error{Code: crm.InvalidArgument, Op: op, Message: "record id must be a GUID such as 7d577253-3ef0-4a0a-bb7f-8335c2596e70"}
	}
	return nil
}

// checkRef validates a record reference before it goes into a URL.
func checkRef(op string, ref crm.Ref) error {
	if err := checkEntity(op, ref.Entity); err != nil {
		return err
	}
	return checkID(op, ref.ID)
}

// checkLinks validates the records a write relates to.
func checkLinks(op string, links []crm.Ref) error {
	for _, l := range links {
		if err := checkRef(op, l); err != nil {
			return err
		}
	}
	return nil
}

// recordPath is the address of one row below the API root: contacts(guid).
// Both parts are validated, so nothing in them needs escaping.
func recordPath(ref crm.Ref) string {
	return entitySet(ref.Entity) + "(" + strings.ToLower(ref.ID) + ")"
}

// bindValue is what an @odata.bind takes to point a lookup at ref.
func bindValue(ref crm.Ref) string { return "/" + recordPath(ref) }
