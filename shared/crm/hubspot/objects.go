package hubspot

import (
	"strings"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/lazyre"
)

// Object type ids of the objects the driver treats specially.
const (
	typeContact = "0-1"
	typeCompany = "0-2"
	typeDeal    = "0-3"
	typeTicket  = "0-5"
	typeCall    = "0-48"
	typeNote    = "0-46"
	typeTask    = "0-27"
	typeMeeting = "0-47"
	typeEmail   = "0-49"
)

// standardObjects maps the plural names HubSpot's object paths take to
// their object type ids (HubSpot "Understanding the CRM": object type ids).
var standardObjects = map[string]string{
	"contacts": typeContact, "companies": typeCompany, "deals": typeDeal, "tickets": typeTicket,
	"calls": typeCall, "notes": typeNote, "tasks": typeTask, "meetings": typeMeeting, "emails": typeEmail,
	"products": "0-7", "line_items": "0-8", "quotes": "0-14", "communications": "0-18",
	"feedback_submissions": "0-19", "invoices": "0-52", "postal_mail": "0-116",
}

// engagements are activity objects, which HubSpot requires an hs_timestamp for.
var engagements = map[string]bool{typeCall: true, typeNote: true, typeTask: true, typeMeeting: true, typeEmail: true,
	"0-18": true, "0-116": true}

// typeIDShape is an object type id: 0-N for HubSpot's objects, 2-N for
// custom objects.
var typeIDShape = lazyre.New(`^[02]-[1-9][0-9]{0,11}$`)

// recordIDShape is a record id: HubSpot ids are positive integers.
var recordIDShape = lazyre.New(`^[1-9][0-9]{0,19}$`)

// object is an entity as the driver addresses it.
type object struct {
	entity string // as the caller named it: contacts, 0-1, 2-9001
	typeID string // the object type id, for record URLs and association types
}

// resolve checks an entity name: a standard object's plural name or an
// object type id. Custom objects are named by their id (2-…), because a
// record URL needs the id and a fully qualified name (p123_cars) does not
// carry it.
func resolve(op, entity string) (object, error) {
	if id, ok := standardObjects[entity]; ok {
		return object{entity: entity, typeID: id}, nil
	}
	if typeIDShape.MatchString(entity) {
		return object{entity: entity, typeID: entity}, nil
	}
	return object{}, &crm.Error{Code: crm.InvalidArgument, Op: op,
		Message: "entity " + quoteName(entity) + " is not a HubSpot object: use a plural object name (contacts, companies, tickets, deals, calls…) or an object type id (0-1, 2-9001)"}
}

func checkRef(op string, ref crm.Ref) (object, error) {
	o, err := resolve(op, ref.Entity)
	if err != nil {
		return object{}, err
	}
	if !recordIDShape.MatchString(ref.ID) {
		return object{}, &crm.Error{Code: crm.InvalidArgument, Op: op, Message: "record id " + quoteName(ref.ID) + " is not a HubSpot id (digits)"}
	}
	return o, nil
}

// validProperty: HubSpot property names are flat (no dotted paths).
func validProperty(name string) bool { return crm.ValidField(name) && !strings.Contains(name, ".") }

func checkProperties(op string, names []string) error {
	for _, n := range names {
		if !validProperty(n) {
			return &crm.Error{Code: crm.InvalidArgument, Op: op, Message: "property " + quoteName(n) + " is not a HubSpot property name"}
		}
	}
	return nil
}

// quoteName quotes a caller-given name for an error message, shortened so
// that a long value cannot flood it.
func quoteName(s string) string {
	if r := []rune(s); len(r) > 60 {
		s = string(r[:60]) + "…"
	}
	return `"` + s + `"`
}

// associationTypes are HubSpot-defined unlabeled association type ids by
// (from, to) object type id, from HubSpot's association type id tables.
// Pairs not listed here (custom objects) are associated through the v4
// default association endpoint instead.
var associationTypes = map[[2]string]int{
	{typeCall, typeContact}: 194, {typeCall, typeCompany}: 182, {typeCall, typeDeal}: 206, {typeCall, typeTicket}: 220,
	{typeNote, typeContact}: 202, {typeNote, typeCompany}: 190, {typeNote, typeDeal}: 214, {typeNote, typeTicket}: 228,
	{typeTask, typeContact}: 204, {typeTask, typeCompany}: 192, {typeTask, typeDeal}: 216, {typeTask, typeTicket}: 230,
	{typeMeeting, typeContact}: 200, {typeMeeting, typeCompany}: 188, {typeMeeting, typeDeal}: 212, {typeMeeting, typeTicket}: 226,
	{typeEmail, typeContact}: 198, {typeEmail, typeCompany}: 186, {typeEmail, typeDeal}: 210, {typeEmail, typeTicket}: 224,
	{typeTicket, typeContact}: 16, {typeTicket, typeCompany}: 339, {typeTicket, typeDeal}: 28,
	{typeDeal, typeContact}: 3, {typeDeal, typeCompany}: 341, {typeDeal, typeTicket}: 27,
	{typeContact, typeCompany}: 279, {typeContact, typeDeal}: 4, {typeContact, typeTicket}: 15,
	{typeCompany, typeContact}: 280, {typeCompany, typeDeal}: 342, {typeCompany, typeTicket}: 340,
}
