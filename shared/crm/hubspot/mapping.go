package hubspot

import (
	"fmt"

	"github.com/crmflow/crmflow/shared/crm"
)

// readOnlyProperties are properties HubSpot computes on every object (the
// record id and the last-modified stamps: readOnlyValue in their property
// definitions), which no write may set.
var readOnlyProperties = map[string]bool{"hs_object_id": true, "lastmodifieddate": true, "hs_lastmodifieddate": true}

// mappingCheck refuses, when a mapping is saved, what no HubSpot account
// can take: an entity that is no HubSpot object, a mode other than create
// or update, a target that is no property name (properties are flat) or a
// property HubSpot computes, a create-mode mapping into an object that
// cannot have a unique-value property (notes, tasks, meetings, emails,
// products…: crmflow could not find the write again), crmflow_key in a
// create-mode mapping (crmflow writes the job's key there), and search or display
// fields that are no property names. Custom properties and custom objects
// pass: only the account knows them, and a configuration test checks them
// against GET /crm/v3/properties/{objectType}.
func mappingCheck(m crm.MappingCheck) error {
	const op = "hubspot: check mapping"
	o, err := resolve(op, m.Entity)
	if err != nil {
		return err
	}
	switch m.Kind {
	case crm.MappingSearch:
		if err := checkProperties(op, "searchFields", m.SearchFields); err != nil {
			return err
		}
		for i, f := range m.DisplayFields {
			if !validProperty(f) {
				return crm.Refusal(op, fmt.Sprintf("displayFields[%d].name", i), "%s is not a HubSpot property name (flat names such as firstname, hs_pipeline_stage)", quoteName(f))
			}
		}
		return nil
	case crm.MappingMemorialization:
		switch m.Mode {
		case "", crm.ModeCreate, crm.ModeUpdate:
		default:
			return crm.Refusal(op, "mode", "mode must be create or update, not %s", quoteName(string(m.Mode)))
		}
		if m.Mode != crm.ModeUpdate && !keyed(o) {
			return crm.Refusal(op, "entity", "%s", unkeyedReason(o))
		}
		for i, target := range m.Targets {
			field := fmt.Sprintf("fields[%d].target", i)
			switch {
			case !validProperty(target):
				return crm.Refusal(op, field, "%s is not a HubSpot property name (flat names such as hs_call_title, subject)", quoteName(target))
			case readOnlyProperties[target]:
				return crm.Refusal(op, field, "%s is computed by HubSpot and cannot be written", quoteName(target))
			case target == keyProperty && m.Mode != crm.ModeUpdate:
				return crm.Refusal(op, field, "%s is set by crmflow from the job's key", keyProperty)
			}
		}
		return nil
	}
	return crm.Refusal(op, "kind", "unknown mapping kind %s", quoteName(string(m.Kind)))
}
