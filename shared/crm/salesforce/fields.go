package salesforce

import "github.com/crmflow/crmflow/shared/crm"

// fieldSpecs are the formats and lengths of the fields memorialization
// converts values for (crm.Driver.Fields), by entity and field in lower
// case; other fields take the source's natural form.
var fieldSpecs = map[string]map[string]crm.FieldSpec{
	"task": {
		"subject": {Format: crm.FieldText, MaxLen: maxSubject}, "description": {Format: crm.FieldText, MaxLen: maxDescription},
		"calldisposition": {Format: crm.FieldText, MaxLen: maxDisposition}, "calldurationinseconds": {Format: crm.FieldSeconds},
		"activitydate": {Format: crm.FieldDate}, "completeddatetime": {Format: crm.FieldDateTime},
	},
	"case": {
		"subject": {Format: crm.FieldText, MaxLen: 255}, "description": {Format: crm.FieldText, MaxLen: 32000}, "suppliedname": {Format: crm.FieldText, MaxLen: 80},
		"suppliedphone": {Format: crm.FieldText, MaxLen: 40}, "suppliedemail": {Format: crm.FieldText, MaxLen: 80}, "comments": {Format: crm.FieldText, MaxLen: 4000},
	},
	"contact":     {"description": {Format: crm.FieldText, MaxLen: 32000}},
	"account":     {"description": {Format: crm.FieldText, MaxLen: 32000}},
	"lead":        {"description": {Format: crm.FieldText, MaxLen: 32000}},
	"opportunity": {"description": {Format: crm.FieldText, MaxLen: 32000}, "nextstep": {Format: crm.FieldText, MaxLen: 255}},
}
