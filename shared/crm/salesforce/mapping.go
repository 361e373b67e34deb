package salesforce

import (
	"fmt"
	"slices"
	"strings"

	"github.com/crmflow/crmflow/shared/crm"
)

// systemFields are the audit fields every object has and Salesforce alone
// sets (Object Reference, "System Fields": Id, CreatedDate, CreatedById,
// LastModifiedDate, LastModifiedById, SystemModstamp, IsDeleted; "Fields
// Common to Many Objects": LastActivityDate, LastViewedDate,
// LastReferencedDate).
var systemFields = []string{"Id", "IsDeleted", "CreatedDate", "CreatedById", "LastModifiedDate", "LastModifiedById",
	"SystemModstamp", "LastActivityDate", "LastViewedDate", "LastReferencedDate"}

// readOnlyFields are standard fields of the objects the driver knows that
// no create or update may set (Object Reference, each field's properties
// lack Create and Update): compound and auto-number names and derived flags.
var readOnlyFields = map[string][]string{
	"Contact":     {"Name"},
	"Lead":        {"Name"},
	"User":        {"Name"},
	"Case":        {"CaseNumber", "IsClosed", "ClosedDate"},
	"WorkOrder":   {"WorkOrderNumber", "IsClosed"},
	"Opportunity": {"IsClosed", "IsWon"},
	"Task":        {"IsClosed"},
}

// mappingCheck refuses, when a mapping is saved, what no org can take: an
// entity that is no Salesforce object name or whose records the REST API
// cannot write in that mode (custom metadata, history, change events;
// platform events in update mode), a mode other than create or update, a
// create into an object whose records cannot carry the write key
// (keyProblem: a retry after a crash would write twice), a target that is
// no field API name (a relationship path such as Account.Name cannot be
// written), the key field itself, a system field or a standard read-only
// field the driver knows; and a search on an event, or search or display
// fields that are no field API names. Custom fields pass: the org's
// describe (a configuration test) checks them.
func mappingCheck(m crm.MappingCheck) error {
	const op = "salesforce: check mapping"
	entity, err := resolveEntity(op, m.Entity)
	if err != nil {
		return err
	}
	switch m.Kind {
	case crm.MappingSearch:
		if msg := searchProblem(entity); msg != "" {
			return crm.Refusal(op, "entity", "%s", msg)
		}
		for i, f := range m.SearchFields {
			if !validName(f, true) {
				return crm.Refusal(op, fmt.Sprintf("searchFields[%d]", i), "%s is not a Salesforce field API name (Phone, MobilePhone, Account.Phone)", crm.QuoteName(f))
			}
		}
		for i, f := range m.DisplayFields {
			if !validName(f, true) {
				return crm.Refusal(op, fmt.Sprintf("displayFields[%d].name", i), "%s is not a Salesforce field API name (Name, Account.Name)", crm.QuoteName(f))
			}
		}
		return nil
	case crm.MappingMemorialization:
		switch m.Mode {
		case "", crm.ModeCreate, crm.ModeUpdate:
		default:
			return crm.Refusal(op, "mode", "mode must be create or update, not %s", crm.QuoteName(string(m.Mode)))
		}
		if msg := writeProblem(entity, m.Mode); msg != "" {
			return crm.Refusal(op, "entity", "%s", msg)
		}
		if m.Mode != crm.ModeUpdate {
			if msg := keyProblem(entity); msg != "" {
				return crm.Refusal(op, "entity", "%s: a record created there could be written twice after a crash; "+
					"create into Task, a standard object with custom fields or a custom object (with the %s field), or use mode update", msg, keyFieldCustom)
			}
		}
		for i, target := range m.Targets {
			if msg := targetProblem(entity, target); msg != "" {
				return crm.Refusal(op, fmt.Sprintf("fields[%d].target", i), "%s", msg)
			}
		}
		return nil
	}
	return crm.Refusal(op, "kind", "unknown mapping kind %s", crm.QuoteName(string(m.Kind)))
}

// targetProblem says why target can never be written into entity, "" when
// it may be.
func targetProblem(entity, target string) string {
	if !validName(target, true) {
		return fmt.Sprintf("%s is not a Salesforce field API name (Subject, CallDisposition, Call_Id__c)", crm.QuoteName(target))
	}
	if strings.Contains(target, ".") {
		return fmt.Sprintf("%s is a relationship path: a write sets the lookup field (AccountId), not a field of the related record", crm.QuoteName(target))
	}
	if kf := keyField(entity); kf != "" && strings.EqualFold(target, kf) {
		return fmt.Sprintf("%s holds crmflow's write key on %s and cannot be mapped", crm.QuoteName(target), entity)
	}
	fold := func(s string) bool { return strings.EqualFold(s, target) }
	if slices.ContainsFunc(systemFields, fold) || slices.ContainsFunc(readOnlyFields[entity], fold) {
		return fmt.Sprintf("%s is read-only on %s", crm.QuoteName(target), entity)
	}
	return ""
}
