package servicenow

import (
	"maps"
	"slices"
	"strings"
)

// The instance's own description of its tables, served through the Table
// API like any other table: sys_db_object (one row per table: name, label,
// super_class, the table it extends) and sys_dictionary (one row per
// column a table defines: name, element, column_label, internal_type,
// plus the table's collection row with an empty element). A column is
// defined once, on the table that adds it: incident's rows list its own
// columns, and task's rows the columns incident inherits. System columns
// (sys_id, sys_created_on…) are defined on the tables that extend none.

// tableLabels are the base-system labels of the sandbox's tables.
var tableLabels = map[string]string{
	"sys_user": "User", "customer_contact": "Contact", "core_company": "Company", "customer_account": "Account",
	"task": "Task", "incident": "Incident", "sn_customerservice_case": "Case", "interaction": "Interaction",
	"sys_journal_field": "Journal Entry", "u_call_note": "Call Note", "sys_db_object": "Table",
	"sys_dictionary": "Dictionary Entry",
}

// columnLabels are labels the base system gives columns differently from
// their names; every other column is labelled from its name
// (short_description: "Short description").
var columnLabels = map[string]string{
	"sys_id": "Sys ID", "sys_class_name": "Class", "sys_created_on": "Created", "sys_created_by": "Created by",
	"sys_updated_on": "Updated", "sys_updated_by": "Updated by", "sys_mod_count": "Updates",
	"user_name": "User ID", "phone": "Business phone", "caller_id": "Caller", "correlation_id": "Correlation ID",
	"cmdb_ci": "Configuration item", "element_id": "Element ID", "super_class": "Extends table",
}

// internalTypes are the dictionary's internal_type of each column type.
var internalTypes = map[colType]string{
	tString: "string", tReference: "reference", tBoolean: "boolean", tInteger: "integer",
	tDateTime: "glide_date_time", tJournal: "journal_input",
}

func columnLabel(name string) string {
	if l, ok := columnLabels[name]; ok {
		return l
	}
	l := strings.ReplaceAll(strings.TrimPrefix(name, "u_"), "_", " ")
	if l == "" {
		return name
	}
	return strings.ToUpper(l[:1]) + l[1:]
}

// metaTables are the dictionary's own tables.
func metaTables() []*table {
	return []*table{
		{name: "sys_db_object", display: "label", columns: cols("name", str(), "label", str(),
			"super_class", ref("sys_db_object"), "is_extendable", boolean())},
		{name: "sys_dictionary", display: "column_label", columns: cols("name", str(), "element", str(),
			"column_label", str(), "internal_type", ref("sys_glide_object"), "reference", str(), "max_length", integer(),
			"mandatory", boolean(), "read_only", boolean(), "active", boolean())},
	}
}

// loadMetadata writes the sys_db_object and sys_dictionary rows of every
// table; the caller holds s.mu or owns s. Their sys_ids are fixed.
func (s *Server) loadMetadata() {
	names := make([]string, 0, len(s.sc))
	for n := range s.sc {
		names = append(names, n)
	}
	slices.Sort(names)
	dbo, dict := s.sc["sys_db_object"], s.sc["sys_dictionary"]
	for _, n := range names {
		t := s.sc[n]
		label := tableLabels[n]
		if label == "" {
			label = columnLabel(n)
		}
		obj := map[string]string{"sys_id": demoSysID("sys_db_object:" + n), "name": n, "label": label,
			"is_extendable": "true"}
		if t.parent != "" {
			obj["super_class"] = demoSysID("sys_db_object:" + t.parent)
		}
		s.insertMeta(dbo, obj)
		s.insertMeta(dict, map[string]string{"sys_id": demoSysID("sys_dictionary:" + n), "name": n,
			"column_label": label, "internal_type": "collection", "active": "true"})
		own := maps.Clone(t.columns)
		if t.parent == "" {
			for k, c := range systemColumns {
				own[k] = c
			}
		}
		elements := make([]string, 0, len(own))
		for e := range own {
			elements = append(elements, e)
		}
		slices.Sort(elements)
		for _, e := range elements {
			c := own[e]
			typ := internalTypes[c.typ]
			switch e {
			case "sys_id":
				typ = "GUID"
			case "sys_class_name":
				typ = "sys_class_name"
			}
			row := map[string]string{"sys_id": demoSysID("sys_dictionary:" + n + "." + e), "name": n, "element": e,
				"column_label": columnLabel(e), "internal_type": typ, "reference": c.ref, "active": "true",
				"mandatory": boolText(slices.Contains(t.mandatory, e)), "read_only": boolText(strings.HasPrefix(e, "sys_") && e != "sys_class_name")}
			s.insertMeta(dict, row)
		}
	}
}

func boolText(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

// metaStamp is when the instance's own rows were made.
const metaStamp = "2026-01-01 00:00:00"

func (s *Server) insertMeta(t *table, row map[string]string) {
	row["sys_created_on"], row["sys_updated_on"] = metaStamp, metaStamp
	row["sys_created_by"], row["sys_updated_by"] = "system", "system"
	s.insert(t, row, true)
}
