package servicenow

import "slices"

// colType is how a column compares and renders. Every value travels as a
// string on the Table API, as on a real instance.
type colType int

const (
	tString colType = iota
	tReference
	tBoolean
	tInteger
	tDateTime
	// tJournal columns (work_notes, comments) are write-only on the record:
	// a write adds a sys_journal_field row and reads answer "".
	tJournal
)

type column struct {
	typ colType
	ref string // the referenced table of a tReference column
}

// table is one table of the dictionary. Children inherit their parent's
// columns and a query on a parent returns the children's rows too, as
// incident and interaction rows appear in a task query.
type table struct {
	name   string
	parent string
	// prefix and first make record numbers (INC0010001); "" means no number column.
	prefix string
	first  int
	// display is the column a reference shows with sysparm_display_value.
	display string
	// mandatory columns are enforced like a data policy on web service inserts.
	mandatory []string
	columns   map[string]column
	// defaults are set on insert when the request leaves them out.
	defaults map[string]string
	// closed are the state values that make a task inactive.
	closed []string
}

func str() column             { return column{typ: tString} }
func ref(table string) column { return column{typ: tReference, ref: table} }
func boolean() column         { return column{typ: tBoolean} }
func integer() column         { return column{typ: tInteger} }
func datetime() column        { return column{typ: tDateTime} }
func journal() column         { return column{typ: tJournal} }
func cols(kv ...any) map[string]column {
	m := map[string]column{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i].(string)] = kv[i+1].(column)
	}
	return m
}

// systemColumns are on every table.
var systemColumns = cols("sys_id", str(), "sys_class_name", str(), "sys_created_on", datetime(), "sys_created_by", str(),
	"sys_updated_on", datetime(), "sys_updated_by", str(), "sys_mod_count", integer())

// dictionary is the slice of a CSM/ITSM instance the sandbox serves: users
// and CSM contacts, companies and accounts, the task hierarchy with
// incidents, interactions and cases, the journal, and one custom table.
func dictionary() map[string]*table {
	ts := []*table{
		{name: "sys_user", display: "name", columns: cols("user_name", str(), "first_name", str(), "last_name", str(),
			"name", str(), "title", str(), "email", str(), "phone", str(), "mobile_phone", str(), "home_phone", str(),
			"company", ref("core_company"), "department", str(), "manager", ref("sys_user"), "active", boolean(),
			"city", str(), "time_zone", str()),
			defaults: map[string]string{"active": "true"}},
		{name: "customer_contact", parent: "sys_user", display: "name", columns: cols("account", ref("customer_account"))},
		{name: "core_company", display: "name", columns: cols("name", str(), "phone", str(), "website", str(),
			"city", str(), "country", str(), "customer", boolean())},
		{name: "customer_account", parent: "core_company", prefix: "ACC", first: 1001, display: "name",
			columns: cols("number", str(), "primary_contact", ref("customer_contact")), defaults: map[string]string{"customer": "true"}},
		{name: "task", prefix: "TASK", first: 10001, display: "number", columns: cols("number", str(),
			"short_description", str(), "description", str(), "state", integer(), "active", boolean(), "priority", integer(),
			"urgency", integer(), "impact", integer(), "opened_at", datetime(), "opened_by", ref("sys_user"),
			"assigned_to", ref("sys_user"), "parent", ref("task"), "contact_type", str(), "correlation_id", str(),
			"correlation_display", str(), "closed_at", datetime(), "work_notes", journal(), "comments", journal()),
			defaults: map[string]string{"state": "1", "active": "true", "priority": "4", "urgency": "3", "impact": "3"},
			closed:   []string{"3", "4", "7"}},
		{name: "incident", parent: "task", prefix: "INC", first: 10001, display: "number", mandatory: []string{"short_description"},
			columns: cols("caller_id", ref("sys_user"), "category", str(), "subcategory", str(), "close_code", str(), "close_notes", str()),
			closed:  []string{"6", "7", "8"}},
		{name: "sn_customerservice_case", parent: "task", prefix: "CS", first: 1001, display: "number",
			mandatory: []string{"short_description"}, columns: cols("contact", ref("customer_contact"), "account", ref("customer_account")),
			defaults: map[string]string{"state": "1"}, closed: []string{"3", "6", "7"}},
		// interaction overrides task.state with its own string choices (new,
		// work_in_progress, closed_complete…).
		{name: "interaction", parent: "task", prefix: "IMS", first: 1, display: "number",
			columns: cols("type", str(), "state", str(), "opened_for", ref("sys_user"), "contact", ref("customer_contact"),
				"account", ref("customer_account"), "channel", str()),
			defaults: map[string]string{"state": "new", "type": "phone"}, closed: []string{"closed_complete", "closed_abandoned"}},
		{name: "sys_journal_field", display: "value", columns: cols("name", str(), "element", str(), "element_id", str(), "value", str())},
		{name: "u_call_note", display: "u_summary", mandatory: []string{"u_summary"},
			columns: cols("u_summary", str(), "u_caller", ref("sys_user"), "u_duration", integer(), "u_recording", str())},
	}
	ts = append(ts, metaTables()...)
	out := map[string]*table{}
	for _, t := range ts {
		out[t.name] = t
	}
	return out
}

// schema answers dictionary questions across the table hierarchy.
type schema map[string]*table

// column finds a column on t or its ancestors; a child's column overrides its parent's.
func (sc schema) column(t *table, name string) (column, bool) {
	for cur := t; cur != nil; cur = sc[cur.parent] {
		if c, ok := cur.columns[name]; ok {
			return c, true
		}
	}
	c, ok := systemColumns[name]
	return c, ok
}

// columnNames lists every column of t, sorted.
func (sc schema) columnNames(t *table) []string {
	seen := map[string]bool{}
	for name := range systemColumns {
		seen[name] = true
	}
	for cur := t; cur != nil; cur = sc[cur.parent] {
		for name := range cur.columns {
			seen[name] = true
		}
	}
	names := make([]string, 0, len(seen))
	for n := range seen {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// isA reports whether class is table or one of its descendants.
func (sc schema) isA(class, table string) bool {
	for cur := sc[class]; cur != nil; cur = sc[cur.parent] {
		if cur.name == table {
			return true
		}
	}
	return false
}

// closedStates finds the state values that close a row of t.
func (sc schema) closedStates(t *table) []string {
	for cur := t; cur != nil; cur = sc[cur.parent] {
		if cur.closed != nil {
			return cur.closed
		}
	}
	return nil
}

// defaults merges the insert defaults of t and its ancestors (children win).
func (sc schema) defaults(t *table) map[string]string {
	out := map[string]string{}
	var chain []*table
	for cur := t; cur != nil; cur = sc[cur.parent] {
		chain = append(chain, cur)
	}
	for i := len(chain) - 1; i >= 0; i-- {
		for k, v := range chain[i].defaults {
			out[k] = v
		}
	}
	return out
}
