package dynamics

import (
	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/phone"
)

// maxPhoneForms bounds the or-chain of a phone search (forms × columns).
const maxPhoneForms = 16

// phoneForms lists the texts a phone column may hold for the searched
// number. Dataverse phone columns are free text compared as such, so the
// search looks for what agents type (phone.SearchForms).
func phoneForms(s crm.PhoneSearch) []string {
	return phone.SearchForms(s.Variants, s.Number, maxPhoneForms, nil)
}
