package servicenow

import "github.com/crmflow/crmflow/shared/crm"

// fieldSpecs are the formats and lengths of the fields memorialization
// converts values for (crm.Driver.Fields), by entity and field in lower
// case; other fields take the source's natural form. Every task table a
// memorialization may create into (taskTables) has task's short_description.
var fieldSpecs = taskFieldSpecs()

// taskFieldSpecs gives each of taskTables its own spec of short_description.
func taskFieldSpecs() map[string]map[string]crm.FieldSpec {
	specs := make(map[string]map[string]crm.FieldSpec, len(taskTables))
	for table := range taskTables {
		specs[table] = map[string]crm.FieldSpec{
			"short_description": {Format: crm.FieldText, MaxLen: maxShortDescription},
		}
	}
	return specs
}
