package salesforce

import (
	"maps"
	"net/http"
	"slices"
	"strings"
	"unicode"
)

// handleResources serves GET /services/data/{version}/, Resources by
// Version (REST API Developer Guide, resources_discoveryresource.htm): the
// resources of the version by name, as relative URLs.
func (s *Server) handleResources(w http.ResponseWriter, version string) {
	o := newObject()
	for _, name := range []string{"parameterizedSearch", "query", "search", "sobjects"} {
		o.set(name, "/services/data/"+version+"/"+name)
	}
	writeJSON(w, http.StatusOK, o)
}

// handleDescribe serves GET /sobjects/{sObject}/describe, sObject Describe
// (dome_sobject_describe.htm): the object's properties and every field with
// SOAP API's Field properties the sandbox knows (name, label, type, length,
// createable, updateable, nillable, custom).
func (s *Server) handleDescribe(w http.ResponseWriter, r *http.Request, name, version string) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		writeError(w, methodNotAllowed(r.Method, "GET,HEAD"))
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.entityByName(name)
	if !ok {
		writeError(w, notFound())
		return
	}
	var fields []any
	for _, fn := range describeOrder(e) {
		f := e.fields[fn]
		d := newObject()
		d.set("name", fn)
		d.set("label", fieldLabel(e.name, fn))
		d.set("type", describeType(f.typ))
		d.set("custom", strings.HasSuffix(fn, "__c"))
		d.set("createable", !f.readOnly)
		d.set("updateable", !f.readOnly)
		d.set("nillable", f.typ != tBool && !slices.Contains(e.required, fn) && fn != "Id")
		if len(f.refs) > 0 {
			d.set("referenceTo", f.refs)
		}
		if len(f.restricted) > 0 {
			d.set("restrictedPicklist", true)
		}
		if f.externalID {
			// Field properties externalId, idLookup, unique, caseSensitive (SOAP API Field).
			d.set("externalId", true)
			d.set("idLookup", true)
			d.set("unique", f.unique)
			d.set("caseSensitive", f.unique)
			d.set("length", 255)
		}
		fields = append(fields, d)
	}
	o := newObject()
	o.set("name", e.name)
	o.set("label", objectLabel(e.name))
	o.set("keyPrefix", e.prefix)
	o.set("custom", e.custom)
	o.set("createable", e.createable)
	o.set("updateable", e.createable)
	o.set("queryable", true)
	o.set("searchable", true)
	o.set("fields", fields)
	urls := newObject()
	urls.set("sobject", "/services/data/"+version+"/sobjects/"+e.name)
	urls.set("describe", "/services/data/"+version+"/sobjects/"+e.name+"/describe")
	urls.set("rowTemplate", "/services/data/"+version+"/sobjects/"+e.name+"/{ID}")
	o.set("urls", urls)
	writeJSON(w, http.StatusOK, o)
}

// describeOrder lists Id first, then the other fields by name.
func describeOrder(e *entity) []string {
	out := []string{"Id"}
	for _, k := range slices.Sorted(maps.Keys(e.fields)) {
		if k != "Id" {
			out = append(out, k)
		}
	}
	return out
}

// describeType is SOAP API's fieldType name of a sandbox field type.
func describeType(t fieldType) string {
	switch t {
	case tID:
		return "id"
	case tRef:
		return "reference"
	case tPhone:
		return "phone"
	case tEmail:
		return "email"
	case tURL:
		return "url"
	case tTextarea:
		return "textarea"
	case tPicklist:
		return "picklist"
	case tBool:
		return "boolean"
	case tInt:
		return "int"
	case tDouble:
		return "double"
	case tDate:
		return "date"
	case tDateTime:
		return "datetime"
	case tAny:
		return "anyType"
	}
	return "string"
}

// objectLabels are the standard objects' labels where they differ from the name.
var objectLabels = map[string]string{"WorkOrder": "Work Order"}

func objectLabel(name string) string {
	if l, ok := objectLabels[name]; ok {
		return l
	}
	return splitWords(strings.TrimSuffix(name, "__c"))
}

// fieldLabels are standard labels that are not the field name in words
// (Object Reference; the Contact page shows Phone as "Business Phone").
var fieldLabels = map[string]string{
	"Contact.Phone": "Business Phone", "Contact.Name": "Full Name", "Lead.Name": "Full Name", "User.Name": "Full Name",
	"Contact.Email": "Email", "Contact.Birthdate": "Birthdate", "Case.Origin": "Case Origin", "Case.Reason": "Case Reason",
	"Case.Type": "Case Type", "Case.Status": "Status", "Task.ActivityDate": "Due Date Only", "Task.WhoId": "Name ID",
	"Task.WhatId": "Related To ID", "Task.CallObject": "Call Object Identifier", "Task.CallDisposition": "Call Result",
	"Task.CallDurationInSeconds": "Call Duration", "IsDeleted": "Deleted", "SystemModstamp": "System Modstamp",
	"CreatedById": "Created By ID", "LastModifiedById": "Last Modified By ID", "OwnerId": "Owner ID",
}

func fieldLabel(entity, name string) string {
	if l, ok := fieldLabels[entity+"."+name]; ok {
		return l
	}
	if l, ok := fieldLabels[name]; ok {
		return l
	}
	if name == "Id" {
		return objectLabel(entity) + " ID"
	}
	base := strings.TrimSuffix(name, "__c")
	if strings.HasSuffix(base, "Id") && len(base) > 2 {
		return splitWords(strings.TrimSuffix(base, "Id")) + " ID"
	}
	return splitWords(base)
}

// splitWords writes a camel-case API name as words: MobilePhone → Mobile Phone.
func splitWords(name string) string {
	var b strings.Builder
	rs := []rune(strings.ReplaceAll(name, "_", " "))
	for i, r := range rs {
		if i > 0 && unicode.IsUpper(r) && rs[i-1] != ' ' && (unicode.IsLower(rs[i-1]) || (i+1 < len(rs) && unicode.IsLower(rs[i+1]))) {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
	}
	return b.String()
}
