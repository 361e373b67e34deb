package dynamics

import (
	"fmt"
	"github.com/crmflow/crmflow/shared/lazyre"
	"strings"

	"github.com/crmflow/crmflow/shared/crm"
)

// columnName is a Web API property: a column logical name, a lookup's
// _x_value form, or a navigation property (which may be mixed case).
var columnName = lazyre.New(`^[A-Za-z_][A-Za-z0-9_]{0,127}$`)

// guidShape is a record id as Dataverse writes it.
var guidShape = lazyre.New(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// entitySet maps a logical name to the entity set its URLs use: a standard
// table's own (entities.go), else the English plural Dataverse gives new
// tables by default ("By default it is the same as the
// LogicalCollectionName", EntityMetadata.EntitySetName): "y" after a
// consonant → "ies", s/x/ch/sh → "es", otherwise "s". Real answers show
// the rule: cr755_sauditrecords → cr755_sauditrecordses,
// dapdev_6scategory → dapdev_6scategories (rajyraman/Levelup-for-Dynamics-CRM
// issue 376, where the naive "+s" got 0x80060888 "Resource not found for the
// segment").
func entitySet(logical string) string {
	for _, t := range standardTables {
		if t.logical == logical {
			return t.set
		}
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

// checkColumns validates names that go into $select or a JSON body; field
// names the refused argument: "fields" gives "fields[i]".
func checkColumns(op, field string, names []string) error {
	for i, n := range names {
		if !columnName.MatchString(n) || !crm.ValidField(n) {
			return crm.Refusal(op, fmt.Sprintf("%s[%d]", field, i), "%s is not a Dataverse column name", crm.QuoteName(n))
		}
	}
	return nil
}

// checkBodyKeys validates the keys of a create or update body: columns, or
// navigation properties with @odata.bind to set a lookup. A refusal names
// "fields.{key}".
func checkBodyKeys(op string, fields map[string]any) error {
	for k := range fields {
		name, _ := strings.CutSuffix(k, "@odata.bind")
		if !columnName.MatchString(name) || !crm.ValidField(name) {
			return crm.Refusal(op, "fields."+k, "%s is not a Dataverse column or navigation property", crm.QuoteName(k))
		}
	}
	return nil
}

func checkID(op, field, id string) error {
	if !guidShape.MatchString(id) {
		return crm.Refusal(op, field, "record id %s is not a GUID such as 7d577253-3ef0-4a0a-bb7f-8335c2596e70", crm.QuoteName(id))
	}
	return nil
}

// resolveRef validates a record reference before it goes into a URL and
// returns it with the table's logical name; prefix names the reference's
// place in the input ("" for entity and id, "person." or "links[0].").
func resolveRef(op, prefix string, ref crm.Ref) (crm.Ref, error) {
	logical, err := resolveEntityAt(op, prefix+"entity", ref.Entity)
	if err != nil {
		return crm.Ref{}, err
	}
	if err := checkID(op, prefix+"id", ref.ID); err != nil {
		return crm.Ref{}, err
	}
	return crm.Ref{Entity: logical, ID: strings.ToLower(ref.ID)}, nil
}

// resolveLinks validates the records a write relates to.
func resolveLinks(op string, links []crm.Ref) ([]crm.Ref, error) {
	out := make([]crm.Ref, 0, len(links))
	for i, l := range links {
		r, err := resolveRef(op, fmt.Sprintf("links[%d].", i), l)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// recordPath is the address of one row below the API root: contacts(guid).
// Both parts are validated, so nothing in them needs escaping.
func recordPath(ref crm.Ref) string {
	return entitySet(ref.Entity) + "(" + strings.ToLower(ref.ID) + ")"
}

// bindValue is what an @odata.bind takes to point a lookup at ref.
func bindValue(ref crm.Ref) string { return "/" + recordPath(ref) }
