package servicenow

import (
	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/phone"
)

// maxPhoneForms bounds the IN list of a phone search.
const maxPhoneForms = 16

// phoneForms lists the texts a phone column may hold for the number.
// sys_user and customer_contact phone columns are free text compared as
// such (only the E.164 phone type normalizes), so the search looks for
// what people type (phone.SearchForms).
func phoneForms(s crm.PhoneSearch) []string {
	return phone.SearchForms(s.Variants, s.Number, maxPhoneForms, nil)
}
