package dynamics

import (
	"fmt"
	"strings"

	"github.com/crmflow/crmflow/shared/crm"
)

// readOnlyEverywhere are columns every table has that no create or update
// may set: the stamps and the row version Dataverse keeps (IsValidForCreate
// and IsValidForUpdate false in every table's column reference).
var readOnlyEverywhere = []string{"createdon", "modifiedon", "versionnumber", "createdby", "modifiedby",
	"createdonbehalfby", "modifiedonbehalfby", "owningbusinessunit", "owninguser", "owningteam", "overriddencreatedon"}

// readOnlyColumns are standard tables' computed columns the driver knows:
// names Dataverse composes, the case number it assigns, the activity type.
var readOnlyColumns = map[string][]string{
	"contact":    {"fullname", "yominame"},
	"lead":       {"fullname"},
	"systemuser": {"fullname"},
	"incident":   {"ticketnumber"},
}

// mappingCheck refuses, when a mapping is saved, what no Dataverse
// environment can take: a name that is no table, a mode other than create
// or update, a target that is no column or navigation property (a dotted
// path cannot be written), a read-only column, the lookup's read form
// _x_value, the primary key (a create-mode write sets it from its key),
// statecode on create (not valid for create; the driver completes phone
// calls itself); for a search, fields that are no columns. Custom columns
// and tables pass: only the environment knows them, and a configuration
// test checks them against EntityDefinitions.
func mappingCheck(m crm.MappingCheck) error {
	const op = "dynamics: check mapping"
	entity, err := resolveEntity(op, m.Entity)
	if err != nil {
		return err
	}
	switch m.Kind {
	case crm.MappingSearch:
		for i, f := range m.SearchFields {
			if !columnName.MatchString(f) || !crm.ValidField(f) {
				return crm.Refusal(op, fmt.Sprintf("searchFields[%d]", i), "%s is not a Dataverse column name (telephone1, emailaddress1)", crm.QuoteName(f))
			}
		}
		for i, f := range m.DisplayFields {
			if !columnName.MatchString(f) || !crm.ValidField(f) {
				return crm.Refusal(op, fmt.Sprintf("displayFields[%d].name", i), "%s is not a Dataverse column name (fullname, jobtitle)", crm.QuoteName(f))
			}
		}
		return nil
	case crm.MappingMemorialization:
		switch m.Mode {
		case "", crm.ModeCreate, crm.ModeUpdate:
		default:
			return crm.Refusal(op, "mode", "mode must be create or update, not %s", crm.QuoteName(string(m.Mode)))
		}
		for i, target := range m.Targets {
			if msg := targetProblem(entity, m.Mode, target); msg != "" {
				return crm.Refusal(op, fmt.Sprintf("fields[%d].target", i), "%s", msg)
			}
		}
		return nil
	}
	return crm.Refusal(op, "kind", "unknown mapping kind %s", crm.QuoteName(string(m.Kind)))
}

// targetProblem says why target can never be written into entity, "" when
// it may be.
func targetProblem(entity string, mode crm.WriteMode, target string) string {
	nav, _ := strings.CutSuffix(target, "@odata.bind")
	switch {
	case strings.Contains(nav, "."):
		return fmt.Sprintf("%s is a path into a related record: a write sets %s's own columns or lookups (parentcustomerid_account), not the related record's", crm.QuoteName(target), entity)
	case !columnName.MatchString(nav) || !crm.ValidField(nav):
		return fmt.Sprintf("%s is not a Dataverse column name (subject, description, telephone1)", crm.QuoteName(target))
	case isLookupKey(nav):
		return fmt.Sprintf("%s is the read-only form of a lookup: set the lookup by its navigation property (%s)", crm.QuoteName(target), strings.TrimSuffix(strings.TrimPrefix(nav, "_"), "_value"))
	case strings.EqualFold(nav, primaryKey(entity)):
		return fmt.Sprintf("%s is %s's primary key, which crmflow sets from the write key", crm.QuoteName(target), entity)
	case mode != crm.ModeUpdate && strings.EqualFold(nav, "statecode"):
		return fmt.Sprintf("statecode is not valid for create on %s: records are created open", entity)
	}
	ro := append(append([]string{}, readOnlyEverywhere...), readOnlyColumns[entity]...)
	if activityTables[entity] {
		ro = append(ro, "activitytypecode")
	}
	for _, f := range ro {
		if strings.EqualFold(nav, f) {
			return fmt.Sprintf("%s is read-only on %s", crm.QuoteName(target), entity)
		}
	}
	return ""
}

// isLookupKey reports whether a property is a lookup's read form, _x_value.
func isLookupKey(name string) bool {
	return len(name) > len("__value") && strings.HasPrefix(name, "_") && strings.HasSuffix(name, "_value")
}
