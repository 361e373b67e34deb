package hubspot

import (
	"strings"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/lazyre"
)

// standardObject is one of HubSpot's objects as its paths name it: the
// plural name (the canonical form here: in paths, records and cards), the
// singular name (v4 association examples use it) and the object type id.
// HubSpot: "object paths take the plural name, the singular name or the
// type id"; the ids are those of the object type id table in "Using the
// object APIs" (developers.hubspot.com/docs/guides/crm/using-object-apis).
type standardObject struct {
	plural, singular, typeID string
}

var standardObjectList = []standardObject{
	{"contacts", "contact", typeContact},
	{"companies", "company", typeCompany},
	{"deals", "deal", typeDeal},
	{"tickets", "ticket", typeTicket},
	{"calls", "call", typeCall},
	{"notes", "note", typeNote},
	{"tasks", "task", typeTask},
	{"meetings", "meeting", typeMeeting},
	{"emails", "email", typeEmail},
	{"communications", "communication", "0-18"},
	{"postal_mail", "postal_mail", "0-116"},
	{"products", "product", "0-7"},
	{"line_items", "line_item", "0-8"},
	{"quotes", "quote", "0-14"},
	{"feedback_submissions", "feedback_submission", "0-19"},
	{"invoices", "invoice", "0-53"},
	{"leads", "lead", "0-136"},
}

// spellings maps every accepted name of a standard object, lower-cased
// (plural, singular, type id), to the object.
var spellings = func() map[string]standardObject {
	names := map[string]standardObject{}
	for _, o := range standardObjectList {
		names[o.plural], names[o.singular], names[o.typeID] = o, o, o
	}
	return names
}()

// typeIDShape is an object type id: 0-N for HubSpot's objects, 2-N for
// custom objects.
var typeIDShape = lazyre.New(`^[02]-[1-9][0-9]{0,11}$`)

// customNameShape is a custom object's fully qualified name,
// p{portalId}_{name} (p62515123_devices), or its short form p_{name};
// custom object names start with a letter and hold letters, digits and
// underscores (HubSpot custom objects guide).
var customNameShape = lazyre.New(`^p[0-9]{0,12}_[A-Za-z][A-Za-z0-9_]{0,99}$`)

// recordIDShape is a record id: HubSpot ids are positive integers.
var recordIDShape = lazyre.New(`^[1-9][0-9]{0,19}$`)

// acceptedNames says what canonicalEntity takes, for its refusals.
const acceptedNames = "an object name, plural or singular (contacts, contact, companies, deals, tickets, calls, notes, tasks…), " +
	"an object type id (0-1, 0-48, 2-9001) or a custom object's name (p12345_cars, p_cars)"

// object is an entity as the driver addresses it.
type object struct {
	entity string // canonical: contacts, 0-410, 2-9001, p12345_cars
	typeID string // the object type id, for record URLs and association types; "" for a custom object named by name
}

// canonicalEntity maps a spelling of a HubSpot object to the name the
// driver uses: the plural name of a standard object (contacts for
// contact, Contacts and 0-1), any other type id as given (0-410, 2-9001),
// a custom object's name as given. HubSpot's own names are lower case;
// other cases are taken for standard objects since the driver sends the
// canonical name anyway.
func canonicalEntity(name string) (string, error) {
	o, ok := lookupObject(name)
	if !ok {
		return "", crm.Refusal("hubspot: entity", "entity", "%s is not a HubSpot object: use %s", crm.QuoteName(name), acceptedNames)
	}
	return o.entity, nil
}

func lookupObject(name string) (object, bool) {
	if o, ok := spellings[strings.ToLower(name)]; ok {
		return object{entity: o.plural, typeID: o.typeID}, true
	}
	if typeIDShape.MatchString(name) {
		return object{entity: name, typeID: name}, true
	}
	if customNameShape.MatchString(name) {
		return object{entity: name}, true
	}
	return object{}, false
}

// resolve checks an entity name given as the input's "entity".
func resolve(op, entity string) (object, error) { return resolveAt(op, "entity", entity) }

// resolveAt checks an entity named at field (links[0].entity).
func resolveAt(op, field, entity string) (object, error) {
	entity = strings.TrimSpace(entity)
	o, ok := lookupObject(entity)
	if !ok || !crm.ValidEntityName(entity) {
		return object{}, crm.Refusal(op, field, "%s is not a HubSpot object: use %s", crm.QuoteName(entity), acceptedNames)
	}
	return o, nil
}

// checkRef checks a record reference: entity and id ("id" or, for a link,
// prefix.entity and prefix.id).
func checkRef(op string, ref crm.Ref) (object, error) { return checkRefAt(op, "", ref) }

func checkRefAt(op, prefix string, ref crm.Ref) (object, error) {
	o, err := resolveAt(op, prefix+"entity", ref.Entity)
	if err != nil {
		return object{}, err
	}
	if !recordIDShape.MatchString(ref.ID) {
		return object{}, crm.Refusal(op, prefix+"id", "record id %s is not a HubSpot record id (a positive integer)", crm.QuoteName(ref.ID))
	}
	return o, nil
}

// objectLabel names an object for metadata: Contact for contacts.
func objectLabel(o object) string {
	for _, s := range standardObjectList {
		if s.plural == o.entity {
			return strings.ToUpper(s.singular[:1]) + strings.ReplaceAll(s.singular[1:], "_", " ")
		}
	}
	return o.entity
}
