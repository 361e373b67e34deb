package hubspot

import "github.com/crmflow/crmflow/shared/crm"

// fieldSpecs are the formats and lengths of the fields memorialization
// converts values for (crm.Driver.Fields), by entity and field in lower
// case; other fields take the source's natural form.
var fieldSpecs = map[string]map[string]crm.FieldSpec{
	"calls": {
		"hs_call_title": {Format: crm.FieldText, MaxLen: 255}, "hs_call_duration": {Format: crm.FieldMillis}, "hs_timestamp": {Format: crm.FieldDateTime},
	},
}
