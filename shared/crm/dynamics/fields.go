package dynamics

import "github.com/crmflow/crmflow/shared/crm"

// fieldSpecs are the formats and lengths of the fields memorialization
// converts values for (crm.Driver.Fields), by entity and field in lower
// case; other fields take the source's natural form.
var fieldSpecs = map[string]map[string]crm.FieldSpec{
	"phonecall": {
		"subject": {Format: crm.FieldText, MaxLen: maxSubject}, "description": {Format: crm.FieldText, MaxLen: maxDescription}, "phonenumber": {Format: crm.FieldText, MaxLen: maxPhoneNumber},
		"actualdurationminutes": {Format: crm.FieldMinutes}, "actualstart": {Format: crm.FieldDateTime}, "actualend": {Format: crm.FieldDateTime},
	},
	"incident": {"title": {Format: crm.FieldText, MaxLen: 200}},
}
