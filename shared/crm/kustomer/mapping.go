package kustomer

import (
	"fmt"
	"slices"
	"strings"

	"github.com/crmflow/crmflow/shared/crm"
)

// objectAttributes are the writable attributes that are JSON objects, the
// only ones a dotted target may go into (custom.tierStr, meta.agentName,
// data.x); the others are values or lists, set whole.
var objectAttributes = []string{"custom", "meta", "data"}

// mappingCheck refuses, when a mapping is saved, what Kustomer can never
// take: an entity that is no Kustomer object, a mode other than create or
// update, a target that is no attribute path, an attribute Kustomer's
// create and update bodies do not take, a dotted path into a value or list
// attribute, in create mode externalId (it carries the write key) and a
// note's conversation (a note is found again only in its linked
// conversation); and a search mapping of anything but customers, or with fields
// customer search cannot look in. Custom attributes (custom.…) and
// KObjects' Klasses pass: only the org knows them.
func mappingCheck(m crm.MappingCheck) error {
	const op = "kustomer: check mapping"
	o, err := resolve(op, m.Entity)
	if err != nil {
		return err
	}
	switch m.Kind {
	case crm.MappingSearch:
		if o.entity != entCustomer {
			return crm.Refusal(op, "entity", "entity %s cannot be searched by phone or email: Kustomer searches customers", quoteName(m.Entity))
		}
		for i, f := range m.SearchFields {
			if _, err := searchAttribute(entCustomer, f); err != nil {
				return crm.Refusal(op, fmt.Sprintf("searchFields[%d]", i), "%v", err)
			}
		}
		for i, f := range m.DisplayFields {
			if !validPath(f) {
				return crm.Refusal(op, fmt.Sprintf("displayFields[%d].name", i), "%s is not a Kustomer attribute name or dotted path", quoteName(f))
			}
		}
		return nil
	case crm.MappingMemorialization:
		switch m.Mode {
		case "", crm.ModeCreate, crm.ModeUpdate:
		default:
			return crm.Refusal(op, "mode", "mode must be create or update, not %s", quoteName(string(m.Mode)))
		}
		for i, target := range m.Targets {
			if msg := targetProblem(o, m.Mode, target); msg != "" {
				return crm.Refusal(op, fmt.Sprintf("fields[%d].target", i), "%s", msg)
			}
		}
		return nil
	}
	return crm.Refusal(op, "kind", "unknown mapping kind %s", quoteName(string(m.Kind)))
}

// writable reports whether a create or update body of o takes name: a
// standard attribute, or the email and phone shorthands of customers and
// companies.
func writable(o object, name string) bool {
	if (o.entity == entCustomer || o.entity == entCompany) && (name == "email" || name == "phone") {
		return true
	}
	return slices.ContainsFunc(attributesOf(o), func(a attr) bool { return a.name == name })
}

// targetProblem says why target can never be written into o, "" when it
// may be.
func targetProblem(o object, mode crm.WriteMode, target string) string {
	if !validPath(target) {
		return fmt.Sprintf("%s is not a Kustomer attribute name or dotted path (name, custom.tierStr)", quoteName(target))
	}
	head, rest, dotted := strings.Cut(target, ".")
	if head == "id" {
		return fmt.Sprintf("id names the %s record: it is not written", o.entity)
	}
	if !writable(o, head) {
		return fmt.Sprintf("%s is not an attribute Kustomer takes on %s", quoteName(head), o.entity)
	}
	if dotted && (!slices.Contains(objectAttributes, head) || rest == "") {
		return fmt.Sprintf("%s is not an object on %s: map the whole %s, not %s", head, o.entity, head, quoteName(target))
	}
	if mode == crm.ModeUpdate {
		return ""
	}
	if head == "externalId" {
		return fmt.Sprintf("externalId of a %s is set by crmflow from the write key, which finds the write again", o.entity)
	}
	if o.entity == entNote && head == "conversation" {
		// Kustomer has no note lookup by externalId: crmflow finds a note
		// again only by reading the notes of the conversation it went to.
		return "a note goes into the first linked conversation, the only place crmflow can find it again (Kustomer has no note lookup by externalId): link the conversation instead"
	}
	return ""
}
