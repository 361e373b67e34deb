package kustomer

import (
	"strings"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/lazyre"
)

// standardSpellings maps the documented spellings of Kustomer's standard
// objects to the driver's canonical name, the singular the API uses as the
// resource type ("type": "customer") and as the metadata resource
// (GET /v1/metadata/{resource}: "company, conversation, customer, message,
// and kobject.*"); the plural is the collection path (/v1/customers).
// Source: Kustomer's OpenAPI "Core Resources" (developer.kustomer.com, as
// captured in LarisLab/kustomer-client openapi.json). Kustomer spells them
// lower case; other cases are taken as the same object, since no Klass can
// be a standard object.
var standardSpellings = map[string]string{
	"customer": entCustomer, "customers": entCustomer,
	"company": entCompany, "companies": entCompany,
	"conversation": entConversation, "conversations": entConversation,
	"message": entMessage, "messages": entMessage,
	"note": entNote, "notes": entNote,
}

// klassName is a Klass (custom object type) name: Kustomer's POST
// /v1/klasses takes ^[0-9a-zA-Z_-]+$, at most 255 characters (kept below
// the generic entity-name length with the kobject. prefix).
var klassName = lazyre.New(`^[0-9A-Za-z_-]{1,200}$`)

// reservedNames are other /v1 resources of Kustomer's API (OpenAPI paths)
// that are not records the driver reads or writes; a bare name among them
// is refused rather than taken for a Klass.
var reservedNames = map[string]bool{
	"attachments": true, "audit-logs": true, "auth": true, "brands": true, "drafts": true, "forwards": true,
	"klass": true, "klasses": true, "kobject": true, "kobjects": true, "media": true, "metadata": true,
	"orgs": true, "org": true, "outboundaccounts": true, "role-groups": true, "satisfaction": true,
	"schedules": true, "search": true, "teams": true, "users": true, "user": true, "tracking": true,
	"events": true, "sessions": true, "shortcuts": true, "tags": true, "queues": true, "bulk": true,
}

// acceptedNames says what canonicalEntity takes, for its refusals.
const acceptedNames = "customer, company, conversation, message, note (or their plurals), " +
	"a custom object as kobject.{klassName} or its bare Klass name (call_note)"

// canonicalEntity maps a spelling of a Kustomer object to the name the
// driver uses in records and cards: customer, company, conversation,
// message, note, and kobject.{klassName} for a KObject, whether named
// kobject.call_note (Kustomer's own resource type) or by its bare Klass
// name call_note. Klass names keep their case: Kustomer compares them
// exactly.
func canonicalEntity(name string) (string, error) {
	if canon, ok := standardSpellings[strings.ToLower(name)]; ok {
		return canon, nil
	}
	klass, prefixed := strings.CutPrefix(name, kobjectPrefix)
	if !prefixed {
		if k, ok := cutFold(name, kobjectPrefix); ok {
			klass, prefixed = k, true
		}
	}
	switch {
	case !klassName.MatchString(klass):
	case idShape.MatchString(strings.ToLower(klass)):
		// /v1/klasses/{24 hex} is a Klass definition by id, not a Klass.
	case !prefixed && reservedNames[strings.ToLower(klass)]:
	case prefixed && standardSpellings[strings.ToLower(klass)] != "":
	default:
		return kobjectPrefix + klass, nil
	}
	return "", crm.Refusal("kustomer: entity", "entity", "%s is not a Kustomer object: use %s", crm.QuoteName(name), acceptedNames)
}

// cutFold is strings.CutPrefix ignoring the prefix's case (KObject.order).
func cutFold(s, prefix string) (string, bool) {
	if len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix) {
		return s[len(prefix):], true
	}
	return s, false
}
