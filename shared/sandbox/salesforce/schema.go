package salesforce

import "strings"

// fieldType is the part of a Salesforce field's describe type the sandbox
// needs: how literals compare with it and which SOSL search group holds it.
type fieldType int

const (
	tString fieldType = iota
	tID
	tRef
	tPhone
	tEmail
	tURL
	tTextarea
	tPicklist
	tBool
	tInt
	tDouble
	tDate
	tDateTime
	// tAny is a custom field of a custom object: the sandbox has no describe
	// for it, so it takes what it is given.
	tAny
)

func (t fieldType) stringLike() bool {
	switch t {
	case tString, tID, tRef, tPhone, tEmail, tURL, tTextarea, tPicklist:
		return true
	}
	return false
}

func (t fieldType) numeric() bool { return t == tInt || t == tDouble }

// field describes one field of an entity.
type field struct {
	typ      fieldType
	readOnly bool
	// refs are the entities a reference field may point to (polymorphic when more than one).
	refs []string
	// restricted lists the only values a restricted picklist accepts.
	restricted []string
	// def is the value a create gets when the field is left out.
	def any
	// externalID marks an External ID field: sObject Rows by External ID
	// (sobjects/{Entity}/{field}/{value}) reads by it. unique refuses a
	// second record with the same value (DUPLICATE_VALUE), case-sensitively.
	externalID, unique bool
}

// WriteKeyField is the custom field crmflow keeps its write key in on every
// object but Task: Text(255), External ID, Unique, case-sensitive, made once
// per org (shared/crm/salesforce doc.go). The sandbox org has it on its
// standard objects unless Options.NoWriteKeyField, and on every custom object.
const WriteKeyField = "crmflow_key__c"

func writeKeyField() field { return field{typ: tString, externalID: true, unique: true} }

// entity describes one sObject type.
type entity struct {
	name     string
	prefix   string
	fields   map[string]field
	required []string
	// nameFields feed NAME FIELDS searches.
	nameFields []string
	custom     bool
	createable bool
}

// system fields every sObject carries.
func systemFields() map[string]field {
	return map[string]field{
		"Id":               {typ: tID, readOnly: true},
		"IsDeleted":        {typ: tBool, readOnly: true},
		"CreatedDate":      {typ: tDateTime, readOnly: true},
		"CreatedById":      {typ: tRef, readOnly: true, refs: []string{"User"}},
		"LastModifiedDate": {typ: tDateTime, readOnly: true},
		"LastModifiedById": {typ: tRef, readOnly: true, refs: []string{"User"}},
		"SystemModstamp":   {typ: tDateTime, readOnly: true},
	}
}

func ownerField() field { return field{typ: tRef, refs: []string{"User"}} }

func addressFields(fs map[string]field, prefix string) {
	for _, f := range []string{"Street", "City", "State", "PostalCode", "Country"} {
		fs[prefix+f] = field{typ: tString}
	}
}

func with(fs map[string]field, more map[string]field) map[string]field {
	for k, v := range more {
		fs[k] = v
	}
	return fs
}

// whatTargets are the entities Task.WhatId may point to besides custom objects.
var whatTargets = []string{"Account", "Opportunity", "Case", "WorkOrder"}

// standardEntities is the slice of the Salesforce schema the sandbox serves;
// field names and key prefixes are Salesforce's own. withKeyField adds
// crmflow_key__c to the createable objects but Task (which keys by
// CallObject).
func standardEntities(withKeyField bool) map[string]*entity {
	account := with(systemFields(), map[string]field{
		"Name": {typ: tString}, "AccountNumber": {typ: tString}, "Type": {typ: tPicklist},
		"Industry": {typ: tPicklist}, "Phone": {typ: tPhone}, "Fax": {typ: tPhone}, "Website": {typ: tURL},
		"Description": {typ: tTextarea}, "NumberOfEmployees": {typ: tInt}, "AnnualRevenue": {typ: tDouble},
		"Rating": {typ: tPicklist}, "ParentId": {typ: tRef, refs: []string{"Account"}}, "OwnerId": ownerField(),
	})
	addressFields(account, "Billing")
	addressFields(account, "Shipping")

	contact := with(systemFields(), map[string]field{
		"FirstName": {typ: tString}, "LastName": {typ: tString}, "Name": {typ: tString, readOnly: true},
		"Salutation": {typ: tPicklist}, "Title": {typ: tString}, "Department": {typ: tString},
		"AccountId": {typ: tRef, refs: []string{"Account"}}, "Email": {typ: tEmail},
		"Phone": {typ: tPhone}, "MobilePhone": {typ: tPhone}, "HomePhone": {typ: tPhone},
		"OtherPhone": {typ: tPhone}, "AssistantPhone": {typ: tPhone}, "Fax": {typ: tPhone},
		"Birthdate": {typ: tDate}, "LeadSource": {typ: tPicklist}, "Description": {typ: tTextarea},
		"ReportsToId": {typ: tRef, refs: []string{"Contact"}}, "HasOptedOutOfEmail": {typ: tBool, def: false},
		"DoNotCall": {typ: tBool, def: false}, "OwnerId": ownerField(),
	})
	addressFields(contact, "Mailing")

	lead := with(systemFields(), map[string]field{
		"FirstName": {typ: tString}, "LastName": {typ: tString}, "Name": {typ: tString, readOnly: true},
		"Company": {typ: tString}, "Title": {typ: tString}, "Email": {typ: tEmail}, "Phone": {typ: tPhone},
		"MobilePhone": {typ: tPhone}, "Fax": {typ: tPhone}, "Status": {typ: tPicklist, def: "Open - Not Contacted"},
		"LeadSource": {typ: tPicklist}, "Industry": {typ: tPicklist}, "Rating": {typ: tPicklist},
		"Website": {typ: tURL}, "Description": {typ: tTextarea}, "NumberOfEmployees": {typ: tInt},
		"AnnualRevenue": {typ: tDouble}, "IsConverted": {typ: tBool, readOnly: true, def: false},
		"DoNotCall": {typ: tBool, def: false}, "HasOptedOutOfEmail": {typ: tBool, def: false}, "OwnerId": ownerField(),
	})
	addressFields(lead, "")

	kase := with(systemFields(), map[string]field{
		"CaseNumber": {typ: tString, readOnly: true}, "Subject": {typ: tString}, "Description": {typ: tTextarea},
		"Status": {typ: tPicklist, def: "New"}, "Priority": {typ: tPicklist, def: "Medium"}, "Origin": {typ: tPicklist},
		"Type": {typ: tPicklist}, "Reason": {typ: tPicklist}, "ContactId": {typ: tRef, refs: []string{"Contact"}},
		"AccountId": {typ: tRef, refs: []string{"Account"}}, "SuppliedName": {typ: tString},
		"SuppliedEmail": {typ: tEmail}, "SuppliedPhone": {typ: tString}, "IsClosed": {typ: tBool, readOnly: true},
		"IsEscalated": {typ: tBool, def: false}, "ClosedDate": {typ: tDateTime, readOnly: true},
		"ParentId": {typ: tRef, refs: []string{"Case"}}, "OwnerId": ownerField(),
	})

	opp := with(systemFields(), map[string]field{
		"Name": {typ: tString}, "StageName": {typ: tPicklist}, "CloseDate": {typ: tDate},
		"Amount": {typ: tDouble}, "Probability": {typ: tDouble}, "AccountId": {typ: tRef, refs: []string{"Account"}},
		"Type": {typ: tPicklist}, "LeadSource": {typ: tPicklist}, "NextStep": {typ: tString},
		"Description": {typ: tTextarea}, "IsClosed": {typ: tBool, readOnly: true}, "IsWon": {typ: tBool, readOnly: true},
		"OwnerId": ownerField(),
	})

	workOrder := with(systemFields(), map[string]field{
		"WorkOrderNumber": {typ: tString, readOnly: true}, "Subject": {typ: tString}, "Description": {typ: tTextarea},
		"Status": {typ: tPicklist, def: "New"}, "Priority": {typ: tPicklist, def: "Low"},
		"AccountId": {typ: tRef, refs: []string{"Account"}}, "ContactId": {typ: tRef, refs: []string{"Contact"}},
		"CaseId": {typ: tRef, refs: []string{"Case"}}, "StartDate": {typ: tDateTime}, "EndDate": {typ: tDateTime},
		"IsClosed": {typ: tBool, readOnly: true}, "OwnerId": ownerField(),
	})
	addressFields(workOrder, "")

	task := with(systemFields(), map[string]field{
		"Subject": {typ: tString}, "Description": {typ: tTextarea}, "Status": {typ: tPicklist, def: "Not Started"},
		"Priority": {typ: tPicklist, def: "Normal"}, "ActivityDate": {typ: tDate},
		"WhoId":                 {typ: tRef, refs: []string{"Contact", "Lead"}},
		"WhatId":                {typ: tRef, refs: whatTargets},
		"TaskSubtype":           {typ: tPicklist, restricted: []string{"Task", "Email", "ListEmail", "Cadence", "Call", "LinkedIn"}, def: "Task"},
		"CallType":              {typ: tPicklist, restricted: []string{"Inbound", "Outbound", "Internal"}},
		"CallDurationInSeconds": {typ: tInt}, "CallObject": {typ: tString}, "CallDisposition": {typ: tString},
		"Type": {typ: tPicklist}, "IsClosed": {typ: tBool, readOnly: true}, "OwnerId": ownerField(),
	})

	user := with(systemFields(), map[string]field{
		"Name": {typ: tString, readOnly: true}, "FirstName": {typ: tString}, "LastName": {typ: tString},
		"Username": {typ: tString}, "Email": {typ: tEmail}, "IsActive": {typ: tBool},
	})

	es := []*entity{
		{name: "Account", prefix: "001", fields: account, required: []string{"Name"}, nameFields: []string{"Name"}},
		{name: "Contact", prefix: "003", fields: contact, required: []string{"LastName"}, nameFields: []string{"Name", "FirstName", "LastName"}},
		{name: "Lead", prefix: "00Q", fields: lead, required: []string{"LastName", "Company"}, nameFields: []string{"Name", "FirstName", "LastName", "Company"}},
		{name: "Case", prefix: "500", fields: kase, nameFields: []string{"CaseNumber", "Subject"}},
		{name: "Opportunity", prefix: "006", fields: opp, required: []string{"Name", "StageName", "CloseDate"}, nameFields: []string{"Name"}},
		{name: "WorkOrder", prefix: "0WO", fields: workOrder, nameFields: []string{"WorkOrderNumber", "Subject"}},
		{name: "Task", prefix: "00T", fields: task, nameFields: []string{"Subject"}},
		{name: "User", prefix: "005", fields: user, nameFields: []string{"Name"}},
	}
	out := make(map[string]*entity, len(es))
	for _, e := range es {
		e.createable = e.name != "User"
		if e.createable && e.name != "Task" && withKeyField {
			e.fields[WriteKeyField] = writeKeyField()
		}
		out[strings.ToLower(e.name)] = e
	}
	return out
}

// customEntity describes a custom object the first time a record of it is created.
func customEntity(name, prefix string) *entity {
	fs := with(systemFields(), map[string]field{"Name": {typ: tString}, "OwnerId": ownerField(), WriteKeyField: writeKeyField()})
	return &entity{name: name, prefix: prefix, fields: fs, nameFields: []string{"Name"}, custom: true, createable: true}
}

// lookup finds a field by name, case-insensitively as Salesforce does, and
// returns its canonical name. Custom objects accept any custom field name.
func (e *entity) lookup(name string) (string, field, bool) {
	if f, ok := e.fields[name]; ok {
		return name, f, true
	}
	for k, f := range e.fields {
		if strings.EqualFold(k, name) {
			return k, f, true
		}
	}
	if e.custom && isCustomName(name) {
		return name, field{typ: tAny}, true
	}
	return "", field{}, false
}

// relationship finds the reference field behind a relationship name: Account
// for AccountId, Who for WhoId, Parent__r for Parent__c.
func (e *entity) relationship(rel string) (string, field, bool) {
	candidate := rel + "Id"
	if strings.HasSuffix(strings.ToLower(rel), "__r") {
		candidate = rel[:len(rel)-3] + "__c"
	}
	name, f, ok := e.lookup(candidate)
	if !ok || (f.typ != tRef && f.typ != tAny) {
		return "", field{}, false
	}
	return name, f, true
}

func isCustomName(s string) bool {
	return len(s) > 3 && strings.HasSuffix(strings.ToLower(s), "__c")
}
