package dynamics

import "strings"

// attrType is the Dataverse type of a column as the Web API exposes it.
type attrType int

const (
	tString attrType = iota
	tMemo
	tInt
	tDecimal
	tMoney
	tBool
	tDateTime
	tDateOnly
	tPicklist
	tState
	tStatus
	tGuid
	tLookup // exposed as _{name}_value, written through navigation properties
)

// edmName is the OData type name used in error messages.
func (t attrType) edmName() string {
	switch t {
	case tInt, tPicklist, tState, tStatus:
		return "Edm.Int32"
	case tDecimal, tMoney:
		return "Edm.Decimal"
	case tBool:
		return "Edm.Boolean"
	case tDateTime:
		return "Edm.DateTimeOffset"
	case tDateOnly:
		return "Edm.Date"
	case tGuid, tLookup:
		return "Edm.Guid"
	}
	return "Edm.String"
}

func (t attrType) numeric() bool {
	switch t {
	case tInt, tDecimal, tMoney, tPicklist, tState, tStatus:
		return true
	}
	return false
}

func (t attrType) text() bool { return t == tString || t == tMemo }

// attr is one column. max is the MaxLength of text columns.
type attr struct {
	typ      attrType
	max      int
	readOnly bool
}

// nav is a single-valued navigation property: the lookup column it sets and
// the table it points to (a polymorphic lookup has one nav per target).
type nav struct {
	lookup string
	target string
}

// state is one statecode with its status reasons; the first is the default.
type state struct {
	name     string
	statuses []int
}

// table is one Dataverse table.
type table struct {
	logical string
	set     string
	pk      string
	primary string
	// stateType names the state enum in messages (ContactState, PhoneCallState).
	stateType string
	activity  bool
	attrs     map[string]attr
	navs      map[string]nav
	states    map[int]state
	// customerRequired: the table refuses a create without this lookup set.
	customerRequired string
}

// lookupKey is the property a lookup column is read and filtered by.
func lookupKey(name string) string { return "_" + name + "_value" }

// attrOf finds a column by its Web API property name (lookups as _x_value).
func (t *table) attrOf(name string) (attr, bool) {
	a, ok := t.attrs[name]
	return a, ok
}

// schemaBuilder keeps the table definitions readable.
type schemaBuilder struct{ t *table }

func newTable(logical, set, pk, primary, stateType string, activity bool) schemaBuilder {
	t := &table{logical: logical, set: set, pk: pk, primary: primary, stateType: stateType, activity: activity,
		attrs: map[string]attr{}, navs: map[string]nav{}, states: map[int]state{}}
	b := schemaBuilder{t}
	b.col(pk, tGuid, 0)
	b.ro("createdon", tDateTime).ro("modifiedon", tDateTime).ro("versionnumber", tInt)
	b.col("statecode", tState, 0).col("statuscode", tStatus, 0)
	b.t.attrs[lookupKey("ownerid")] = attr{typ: tLookup, readOnly: true}
	b.t.attrs[lookupKey("createdby")] = attr{typ: tLookup, readOnly: true}
	b.t.attrs[lookupKey("modifiedby")] = attr{typ: tLookup, readOnly: true}
	if activity {
		b.ro("activitytypecode", tString)
	}
	return b
}

func (b schemaBuilder) col(name string, typ attrType, max int) schemaBuilder {
	b.t.attrs[name] = attr{typ: typ, max: max}
	return b
}

func (b schemaBuilder) ro(name string, typ attrType) schemaBuilder {
	b.t.attrs[name] = attr{typ: typ, readOnly: true}
	return b
}

func (b schemaBuilder) text(max int, names ...string) schemaBuilder {
	for _, n := range names {
		b.col(n, tString, max)
	}
	return b
}

// lookup adds a lookup column and one navigation property per target;
// navName maps a target to its navigation property name.
func (b schemaBuilder) lookup(name string, targets map[string]string) schemaBuilder {
	b.t.attrs[lookupKey(name)] = attr{typ: tLookup, readOnly: true}
	for target, navName := range targets {
		b.t.navs[navName] = nav{lookup: name, target: target}
	}
	return b
}

// requires makes a create without this lookup fail, as incident does without a customer.
func (b schemaBuilder) requires(lookup string) schemaBuilder {
	b.t.customerRequired = lookup
	return b
}

func (b schemaBuilder) state(code int, name string, statuses ...int) schemaBuilder {
	b.t.states[code] = state{name: name, statuses: statuses}
	return b
}

// regarding adds regardingobjectid with the navigation properties Dataverse
// names regardingobjectid_{target}_{activity}.
func (b schemaBuilder) regarding(targets ...string) schemaBuilder {
	m := map[string]string{}
	for _, t := range targets {
		m[t] = "regardingobjectid_" + t + "_" + b.t.logical
	}
	return b.lookup("regardingobjectid", m)
}

func address(b schemaBuilder) schemaBuilder {
	return b.text(250, "address1_line1").text(80, "address1_city", "address1_stateorprovince", "address1_country").
		text(20, "address1_postalcode")
}

// standardTables is the slice of Dataverse the sandbox serves: the tables a
// contact center touches, with their real column names, lengths and states.
func standardTables() map[string]*table {
	person := map[string]string{"account": "customerid_account", "contact": "customerid_contact"}
	tables := []*table{
		newTable("systemuser", "systemusers", "systemuserid", "fullname", "SystemUserState", false).
			text(64, "firstname", "lastname").ro("fullname", tString).text(100, "internalemailaddress", "domainname").
			col("isdisabled", tBool, 0).col("applicationid", tGuid, 0).state(0, "Active", 1).t,
		address(newTable("account", "accounts", "accountid", "name", "AccountState", false).
			text(160, "name").text(20, "accountnumber").text(50, "telephone1", "telephone2", "telephone3", "fax").
			text(100, "emailaddress1", "emailaddress2", "emailaddress3").text(200, "websiteurl").
			col("industrycode", tPicklist, 0).col("numberofemployees", tInt, 0).col("revenue", tMoney, 0).
			col("description", tMemo, 2000).
			lookup("primarycontactid", map[string]string{"contact": "primarycontactid"}).
			lookup("parentaccountid", map[string]string{"account": "parentaccountid"})).
			state(0, "Active", 1).state(1, "Inactive", 2).t,
		address(newTable("contact", "contacts", "contactid", "fullname", "ContactState", false).
			text(50, "firstname", "lastname", "middlename").ro("fullname", tString).text(100, "jobtitle", "department").
			text(100, "emailaddress1", "emailaddress2", "emailaddress3").
			text(50, "telephone1", "telephone2", "telephone3", "mobilephone", "fax").
			col("birthdate", tDateOnly, 0).col("description", tMemo, 2000).col("preferredcontactmethodcode", tPicklist, 0).
			lookup("parentcustomerid", map[string]string{"account": "parentcustomerid_account", "contact": "parentcustomerid_contact"})).
			state(0, "Active", 1).state(1, "Inactive", 2).t,
		address(newTable("lead", "leads", "leadid", "fullname", "LeadState", false).
			text(50, "firstname", "lastname").ro("fullname", tString).text(300, "subject").text(100, "companyname", "jobtitle").
			text(100, "emailaddress1", "emailaddress2", "emailaddress3").
			text(50, "telephone1", "telephone2", "telephone3", "mobilephone").text(200, "websiteurl").
			col("leadsourcecode", tPicklist, 0).col("industrycode", tPicklist, 0).col("description", tMemo, 2000).
			lookup("parentaccountid", map[string]string{"account": "parentaccountid"}).
			lookup("parentcontactid", map[string]string{"contact": "parentcontactid"})).
			state(0, "Open", 1, 2).state(1, "Qualified", 3).state(2, "Disqualified", 4, 5, 6, 7).t,
		newTable("incident", "incidents", "incidentid", "title", "IncidentState", false).
			text(200, "title").ro("ticketnumber", tString).col("description", tMemo, 2000).
			col("prioritycode", tPicklist, 0).col("caseorigincode", tPicklist, 0).col("casetypecode", tPicklist, 0).
			col("severitycode", tPicklist, 0).
			lookup("customerid", person).requires("customerid").
			lookup("primarycontactid", map[string]string{"contact": "primarycontactid"}).
			state(0, "Active", 1, 2, 3, 4).state(1, "Resolved", 5, 1000).state(2, "Canceled", 6, 2000).t,
		newTable("opportunity", "opportunities", "opportunityid", "name", "OpportunityState", false).
			text(300, "name").text(200, "stepname").col("estimatedvalue", tMoney, 0).col("estimatedclosedate", tDateOnly, 0).
			col("closeprobability", tInt, 0).col("description", tMemo, 2000).
			lookup("customerid", person).
			lookup("parentaccountid", map[string]string{"account": "parentaccountid"}).
			lookup("parentcontactid", map[string]string{"contact": "parentcontactid"}).
			state(0, "Open", 1, 2).state(1, "Won", 3).state(2, "Lost", 4, 5).t,
		newTable("phonecall", "phonecalls", "activityid", "subject", "PhoneCallState", true).
			text(200, "subject").col("description", tMemo, 2000).text(200, "phonenumber").col("directioncode", tBool, 0).
			col("actualdurationminutes", tInt, 0).col("actualstart", tDateTime, 0).col("actualend", tDateTime, 0).
			col("scheduledstart", tDateTime, 0).col("scheduledend", tDateTime, 0).text(250, "category", "subcategory").
			col("prioritycode", tPicklist, 0).col("leftvoicemail", tBool, 0).
			regarding("account", "contact", "incident", "lead", "opportunity").
			state(0, "Open", 1).state(1, "Completed", 2, 4).state(2, "Canceled", 3).t,
		newTable("task", "tasks", "activityid", "subject", "TaskState", true).
			text(200, "subject").col("description", tMemo, 2000).col("scheduledend", tDateTime, 0).
			col("actualdurationminutes", tInt, 0).col("percentcomplete", tInt, 0).col("prioritycode", tPicklist, 0).
			text(250, "category", "subcategory").
			regarding("account", "contact", "incident", "lead", "opportunity").
			state(0, "Open", 2, 3, 4, 7).state(1, "Completed", 5).state(2, "Canceled", 6).t,
		// A custom table as a publisher would add it: prefix new_, primary name new_name.
		newTable("new_callnote", "new_callnotes", "new_callnoteid", "new_name", "new_callnoteState", false).
			text(100, "new_name").col("new_notes", tMemo, 4000).text(20, "new_direction").
			col("new_durationseconds", tInt, 0).
			lookup("new_contactid", map[string]string{"contact": "new_contactid"}).
			state(0, "Active", 1).state(1, "Inactive", 2).t,
	}
	out := make(map[string]*table, len(tables))
	for _, t := range tables {
		out[t.set] = t
	}
	return out
}

// partyTargets are the tables an activity party may point at, by navigation property.
var partyTargets = map[string]string{
	"partyid_account": "account", "partyid_contact": "contact", "partyid_lead": "lead", "partyid_systemuser": "systemuser",
}

// hasFullname: tables whose fullname Dataverse composes from first and last name.
func hasFullname(logical string) bool {
	return logical == "contact" || logical == "lead" || logical == "systemuser"
}

// typeName is the qualified entity type used in OData messages.
func typeName(t *table) string { return "Microsoft.Dynamics.CRM." + t.logical }

func (s *Server) tableByLogical(logical string) (*table, bool) {
	for _, t := range s.tables {
		if t.logical == logical {
			return t, true
		}
	}
	return nil, false
}

// isLookupKey reports whether a property name is a lookup's _x_value form.
func isLookupKey(name string) bool {
	return strings.HasPrefix(name, "_") && strings.HasSuffix(name, "_value")
}
