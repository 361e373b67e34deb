package oracle

import (
	"fmt"
	"strings"

	"github.com/crmflow/crmflow/shared/crm"
)

// readOnlyEverywhere are the fields every Connect object answers but no
// write may set: its id, the name the site derives for it, and its stamps.
var readOnlyEverywhere = []string{"id", "lookupName", "createdTime", "updatedTime"}

// readOnlyFields are the standard read-only fields of one resource the
// driver knows: an incident's reference number and derived status type, a
// contact's phone digits (phones.rawNumber, which the site computes).
var readOnlyFields = map[string][]string{
	resIncidents: {"referenceNumber", "statusWithType.statusType"},
	resTasks:     {"statusWithType.statusType"},
	resContacts:  {"phones.rawNumber"},
}

// listFields are standard fields that are JSON arrays in the REST binding
// ("emails": [{"address": …}], "threads": [{"text": …}]): a write sets the
// whole list, so a dotted target into one (emails.address) can never be
// written.
var listFields = map[string][]string{
	resContacts:      {"emails", "phones"},
	resIncidents:     {"threads"},
	resOrganizations: {"addresses"},
	resTasks:         {"notes"},
}

// mappingCheck refuses, when a mapping is saved, what no Oracle site can
// take: an entity that is no Oracle object, a mode other than create or
// update, a create into a resource that cannot hold the write key (no
// custom fields: its write could not be found again, so a retry after a
// crash would write twice), a target that is no field path, the key field
// itself, a standard read-only field or a path into a list field; and, for a search, fields that are no ROQL field
// paths. Custom fields (customFields.c.x) and custom objects pass: only
// the site knows them, and a configuration test checks them against its
// metadata catalog.
func mappingCheck(m crm.MappingCheck) error {
	const op = "oracle: check mapping"
	entity, err := resolveEntity(op, m.Entity)
	if err != nil {
		return err
	}
	switch m.Kind {
	case crm.MappingSearch:
		for i, f := range m.SearchFields {
			if !validField(f) {
				return crm.Refusal(op, fmt.Sprintf("searchFields[%d]", i), "%s is not a ROQL field path (emails.address, phones.rawNumber)", crm.QuoteName(f))
			}
		}
		for i, f := range m.DisplayFields {
			if !validField(f) {
				return crm.Refusal(op, fmt.Sprintf("displayFields[%d].name", i), "%s is not a ROQL field path (name.first, organization.name)", crm.QuoteName(f))
			}
		}
		return nil
	case crm.MappingMemorialization:
		switch m.Mode {
		case "", crm.ModeCreate, crm.ModeUpdate:
		default:
			return crm.Refusal(op, "mode", "mode must be create or update, not %s", crm.QuoteName(string(m.Mode)))
		}
		if m.Mode != crm.ModeUpdate && keyPath(entity) == "" {
			return crm.Refusal(op, "entity", "%s takes no custom field, so a record created in it carries no write key "+
				"and could be written twice after a crash: create into incidents, contacts, organizations, tasks, "+
				"opportunities or a custom object (with a crmflow_key attribute), or use mode update", entity)
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
	if !validField(target) {
		return fmt.Sprintf("%s is not an Oracle B2C Service field path (subject, name.first, organization.id)", crm.QuoteName(target))
	}
	if isKeyPath(entity, target) {
		return fmt.Sprintf("%s holds crmflow's write key on %s and cannot be mapped", crm.QuoteName(target), entity)
	}
	ro := append(append([]string{}, readOnlyEverywhere...), readOnlyFields[entity]...)
	for _, f := range ro {
		if strings.EqualFold(target, f) || hasPathPrefix(target, f) {
			return fmt.Sprintf("%s is read-only on %s", crm.QuoteName(target), entity)
		}
	}
	for _, l := range listFields[entity] {
		if hasPathPrefix(target, l) {
			return fmt.Sprintf("%s is a list on %s: map the whole %s list, not %s", l, entity, l, crm.QuoteName(target))
		}
	}
	return ""
}

// hasPathPrefix reports whether path lies below prefix (emails.address
// below emails), ignoring case as the object model does.
func hasPathPrefix(path, prefix string) bool {
	return len(path) > len(prefix) && path[len(prefix)] == '.' && strings.EqualFold(path[:len(prefix)], prefix)
}
