package servicenow

import "github.com/crmflow/crmflow/shared/crm"

// fieldSpecs are the formats and lengths of the fields memorialization
// converts values for (crm.Driver.Fields), by entity and field in lower
// case; other fields take the source's natural form.
var fieldSpecs = map[string]map[string]crm.FieldSpec{
	"incident":    {"short_description": {Format: crm.FieldText, MaxLen: 160}},
	"interaction": {"short_description": {Format: crm.FieldText, MaxLen: 160}},
}
