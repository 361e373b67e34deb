package hubspot

import (
	"fmt"
	"strings"

	"github.com/crmflow/crmflow/shared/crm"
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

// validProperty: HubSpot property names are flat (no dotted paths).
func validProperty(name string) bool { return crm.ValidField(name) && !strings.Contains(name, ".") }

// checkProperties refuses a name that is no property name, naming it as
// field[i] (fields[1], entities[0].displayFields[2]).
func checkProperties(op, field string, names []string) error {
	for i, n := range names {
		if !validProperty(n) {
			return crm.Refusal(op, fmt.Sprintf("%s[%d]", field, i), "%s is not a HubSpot property name (flat names such as firstname, hs_pipeline_stage)", crm.QuoteName(n))
		}
	}
	return nil
}

// quoteName quotes a caller-given name for an error message.
func quoteName(s string) string { return crm.QuoteName(s) }

// associationTypes are HubSpot-defined unlabeled association type ids by
// (from, to) object type id, from HubSpot's association type id tables.
// Only objects that can hold the write key are ever created with links
// (calls, contacts, companies, deals, tickets; see keyed), so only they
// are listed as from. Pairs not listed here (custom objects) are associated
// through the v4 default association endpoint instead.
var associationTypes = map[[2]string]int{
	{typeCall, typeContact}: 194, {typeCall, typeCompany}: 182, {typeCall, typeDeal}: 206, {typeCall, typeTicket}: 220,
	{typeTicket, typeContact}: 16, {typeTicket, typeCompany}: 339, {typeTicket, typeDeal}: 28,
	{typeDeal, typeContact}: 3, {typeDeal, typeCompany}: 341, {typeDeal, typeTicket}: 27,
	{typeContact, typeCompany}: 279, {typeContact, typeDeal}: 4, {typeContact, typeTicket}: 15,
	{typeCompany, typeContact}: 280, {typeCompany, typeDeal}: 342, {typeCompany, typeTicket}: 340,
}
