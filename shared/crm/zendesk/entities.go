package zendesk

import (
	"strings"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/lazyre"
)

// Canonical names of the standard resources: the Search API's type: values
// and the JSON roots of their bodies ({"user": {...}}).
const (
	entUser         = "user"
	entTicket       = "ticket"
	entOrganization = "organization"
)

// customPrefix names a custom object in the canonical form
// zen:custom_object:{key}, the way Zendesk spells it as the target of a
// lookup relationship field (relationship_target_type "zen:custom_object:car",
// beside "zen:user", "zen:ticket", "zen:organization").
const customPrefix = "zen:custom_object:"

// standardSpellings maps the documented spellings of the standard
// resources, lower-cased, to their canonical name: the singular (search
// type:user, JSON root "user"), the plural of the REST paths
// (/api/v2/users) and the relationship target type (zen:user). Zendesk's
// resource names are lower case; any case is taken as the same resource.
var standardSpellings = map[string]string{
	"user": entUser, "users": entUser, "zen:user": entUser,
	"ticket": entTicket, "tickets": entTicket, "zen:ticket": entTicket,
	"organization": entOrganization, "organizations": entOrganization, "zen:organization": entOrganization,
}

// customKeyRe is a custom object key as the driver takes it. Zendesk's
// reference calls the key "a user-defined unique identifier" set once on
// create; its exact character rules are not published, so the driver
// takes what fits a path segment unescaped and keeps the case it is given.
var customKeyRe = lazyre.New(`^[A-Za-z][A-Za-z0-9_]{0,63}$`)

// reservedNames are other /api/v2 resources of the Support API: a bare name
// among them is refused rather than taken for a custom object key.
var reservedNames = map[string]bool{
	"account": true, "activities": true, "apps": true, "attachments": true, "audit_logs": true, "audits": true,
	"automations": true, "brands": true, "calls": true, "channels": true, "comments": true, "custom_object": true,
	"custom_objects": true, "custom_roles": true, "deleted_tickets": true, "deleted_users": true, "dynamic_content": true,
	"group": true, "group_memberships": true, "groups": true, "identities": true, "imports": true, "incremental": true,
	"job_statuses": true, "locales": true, "macros": true, "me": true, "organization_fields": true,
	"organization_memberships": true, "problems": true, "recipient_addresses": true, "requests": true, "request": true,
	"satisfaction_ratings": true, "search": true, "sessions": true, "sla_policies": true, "suspended_tickets": true,
	"tags": true, "targets": true, "ticket_fields": true, "ticket_forms": true, "triggers": true, "uploads": true,
	"user_fields": true, "views": true, "webhooks": true, "zen": true,
}

// acceptedNames says what canonicalEntity takes, for its refusals.
const acceptedNames = "user, ticket, organization (or users, tickets, organizations, zen:user…), " +
	"or a custom object by its key: zen:custom_object:{key}, custom_object:{key} or the bare key (call_note)"

// canonicalEntity maps a spelling of a Zendesk object to the name the
// driver uses in paths, records and cards: user, ticket, organization, and
// zen:custom_object:{key} for a custom object named so, as
// custom_object:{key} or by its bare key. Keys keep their case.
func canonicalEntity(name string) (string, error) {
	if canon, ok := standardSpellings[strings.ToLower(name)]; ok {
		return canon, nil
	}
	key, prefixed := cutFold(name, customPrefix)
	if !prefixed {
		key, prefixed = cutFold(name, "custom_object:")
	}
	switch {
	case !customKeyRe.MatchString(key):
	case standardSpellings[strings.ToLower(key)] != "":
	case !prefixed && reservedNames[strings.ToLower(key)]:
	default:
		return customPrefix + key, nil
	}
	return "", crm.Refusal("zendesk: entity", "entity", "%s is not a Zendesk object: use %s", crm.QuoteName(name), acceptedNames)
}

// cutFold is strings.CutPrefix ignoring the prefix's case.
func cutFold(s, prefix string) (string, bool) {
	if len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix) {
		return s[len(prefix):], true
	}
	return s, false
}

// resolve finds the resource of an entity named at field ("entity",
// "links[0].entity"), behind the generic shape check, refusing with op.
func resolve(op, field, name string) (resource, error) {
	name = strings.TrimSpace(name)
	if !crm.ValidEntityName(name) {
		return resource{}, crm.Refusal(op, field, "%s is not an entity name: use %s", crm.QuoteName(name), acceptedNames)
	}
	canon, err := canonicalEntity(name)
	if err != nil {
		e, _ := crm.AsRefusal(err)
		e.Op, e.Field = op, field
		return resource{}, e
	}
	return resourceOf(canon), nil
}

// resourceOf is the resource of a canonical entity name.
func resourceOf(canon string) resource {
	if r, ok := standard[canon]; ok {
		return r
	}
	key := strings.TrimPrefix(canon, customPrefix)
	return resource{entity: canon, plural: "custom_objects/" + key + "/records", root: "custom_object_record",
		customKey: key, show: []string{"name", "external_id"}}
}
