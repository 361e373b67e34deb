package admin

import (
	"strings"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/store"
)

// Catalog is the built-in workflows a new configuration gets (SPEC §2):
// three searches, a create per standard entity, custom create, update and
// timeline. Their ids are readable and the same in every configuration of a
// CRM type (search_phone, create_contact, …), so a Studio script written for
// one configuration works for the next; ids are unique within a configuration.
func Catalog(d crm.Driver, tenantID, configurationID string) []store.Workflow {
	w := func(id string, action store.Action, kind, name, entity string) store.Workflow {
		return store.Workflow{TenantID: tenantID, ConfigurationID: configurationID, ID: id,
			Action: action, Kind: kind, Name: name, Entity: entity, BuiltIn: true}
	}
	out := []store.Workflow{
		w("search_phone", store.ActionSearch, store.KindPhone, "Search for ANI", ""),
		w("search_email", store.ActionSearch, store.KindEmail, "Search by email", ""),
		w("search_custom", store.ActionSearch, store.KindCustomSearch, "Custom search", ""),
	}
	for _, e := range d.StandardEntities {
		out = append(out, w("create_"+catalogID(e.Entity), store.ActionCreate, store.KindStandard, "Create "+e.Label, e.Entity))
	}
	out = append(out,
		w("create_custom", store.ActionCreate, store.KindCustomCreate, "Create custom record", ""),
		w("update_record", store.ActionUpdate, store.KindUpdate, "Update record", ""),
		w("timeline_activity", store.ActionTimeline, store.KindTimeline, "Add timeline activity", ""),
	)
	return out
}

// catalogID turns an entity name into an id part: lower case, letters,
// digits and underscores (HubSpot's "contacts" → "contacts", Salesforce's
// "WorkOrder" → "workorder").
func catalogID(entity string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(entity) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '_':
			b.WriteRune(r)
		default:
			b.WriteRune('_')
		}
	}
	return b.String()
}
