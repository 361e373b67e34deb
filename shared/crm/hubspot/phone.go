package hubspot

import (
	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/phone"
)

// maxPhoneForms bounds the values of a phone search's IN filter.
const maxPhoneForms = 16

// phoneForms lists the texts a phone property may hold for the number.
// HubSpot keeps phone properties as typed and IN matches whole values, so
// the search looks for what people type (phone.SearchForms), each within
// a filter value's length.
func phoneForms(s crm.PhoneSearch) []string {
	return phone.SearchForms(s.Variants, s.Number, maxPhoneForms, func(v string) bool { return len(v) <= maxValueLength })
}
