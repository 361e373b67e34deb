package servicenow

import (
	"fmt"
	"strings"

	"github.com/crmflow/crmflow/shared/crm"
)

// systemColumns are the sys_ columns the instance sets on every row and no
// write may set: its id, its stamps and its update count (ServiceNow,
// "System fields": sys_id, sys_created_on, sys_created_by, sys_updated_on,
// sys_updated_by, sys_mod_count).
var systemColumns = map[string]bool{
	"sys_id": true, "sys_created_on": true, "sys_created_by": true, "sys_updated_on": true,
	"sys_updated_by": true, "sys_mod_count": true,
}

// notWritable are tables no memorialization can write into: journal
// entries are written through a record's journal column (work_notes,
// comments), and the dictionary is the instance's schema.
var notWritable = map[string]string{
	tableJournal:    "journal entries are written through a record's work_notes or comments",
	tableDictionary: "it is the instance's data dictionary",
	tableDBObject:   "it is the instance's table list",
}

// keyedCreateTables names, for a refusal, the tables a create-mode
// memorialization may go to: those in taskTables.
const keyedCreateTables = "incident, interaction, sn_customerservice_case, problem, change_request, sc_task or another task table"

// mappingCheck refuses, when a mapping is saved, what no instance can
// take: a name that is no table, a mode other than create or update, a
// target that is no writable column name (lowercase, no dot-walk), a
// system column, the correlation columns the driver keeps its write key
// in on task tables, tables no memorialization may write, and a
// create into a table that is no known task table (it has no
// correlation_id to key the write, so a retry after a crash could write it
// twice; custom tables extending task are not told from others without
// a call, so they too take mode update); for a
// search, fields that are no column paths. Custom columns (u_…) and
// custom tables pass: only the instance knows them, and a configuration
// test checks them against sys_dictionary.
func mappingCheck(m crm.MappingCheck) error {
	const op = "servicenow: check mapping"
	entity, err := resolveEntity(op, m.Entity)
	if err != nil {
		return err
	}
	switch m.Kind {
	case crm.MappingSearch:
		for i, f := range m.SearchFields {
			if !validColumn(f) {
				return crm.Refusal(op, fmt.Sprintf("searchFields[%d]", i), "%s is not a ServiceNow column name (phone, mobile_phone, company.phone)", crm.QuoteName(f))
			}
		}
		for i, f := range m.DisplayFields {
			if !validColumn(f) {
				return crm.Refusal(op, fmt.Sprintf("displayFields[%d].name", i), "%s is not a ServiceNow column name (name, email, company.name)", crm.QuoteName(f))
			}
		}
		return nil
	case crm.MappingMemorialization:
		switch m.Mode {
		case "", crm.ModeCreate, crm.ModeUpdate:
		default:
			return crm.Refusal(op, "mode", "mode must be create or update, not %s", crm.QuoteName(string(m.Mode)))
		}
		if why, ok := notWritable[entity]; ok {
			return crm.Refusal(op, "entity", "%s cannot be written by a memorialization: %s", entity, why)
		}
		if m.Mode != crm.ModeUpdate && !taskTables[entity] {
			return crm.Refusal(op, "entity", "%s has no correlation_id column (it is no task table the driver knows), so a record "+
				"created in it carries no write key and could be written twice after a crash: create into %s, or use mode update",
				entity, keyedCreateTables)
		}
		for i, target := range m.Targets {
			if msg := targetProblem(entity, m.Mode, target); msg != "" {
				return crm.Refusal(op, fmt.Sprintf("fields[%d].target", i), "%s", msg)
			}
		}
		return nil
	}
	return crm.Refusal(op, "kind", "unknown mapping kind %s", crm.QuoteName(string(m.Kind)))
}

// targetProblem says why target can never be written into entity, "" when
// it may be.
func targetProblem(entity string, mode crm.WriteMode, target string) string {
	switch {
	case strings.Contains(target, ".") && validColumn(target):
		return fmt.Sprintf("%s is dot-walked: a write sets a column of %s itself (a reference takes a sys_id)", crm.QuoteName(target), entity)
	case !validWriteColumn(target):
		return fmt.Sprintf("%s is not a ServiceNow column name (lowercase, such as short_description or u_call_id)", crm.QuoteName(target))
	case systemColumns[target]:
		return fmt.Sprintf("%s is a system column the instance sets", crm.QuoteName(target))
	case target == "sys_class_name":
		return fmt.Sprintf("%s is the row's class: a memorialization writes into the table the mapping names", crm.QuoteName(target))
	case mode != crm.ModeUpdate && taskTables[entity] && (target == "correlation_id" || target == "correlation_display"):
		return fmt.Sprintf("%s holds crmflow's write key on %s", crm.QuoteName(target), entity)
	}
	return ""
}
