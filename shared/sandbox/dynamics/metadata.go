package dynamics

import (
	"crypto/sha1"
	"encoding/hex"
	"maps"
	"net/http"
	"regexp"
	"slices"
	"strings"
)

// The EntityDefinitions entity set as "Query table definitions using the
// Web API" documents it (powerapps-docs developer/data-platform/webapi/
// query-metadata-web-api.md): one definition by its alternate key,
// EntityDefinitions(LogicalName='account'), with $select over the
// EntityMetadata properties and $expand=Attributes($select=…) over the
// common AttributeMetadata ones; labels as the Label complex type
// (LocalizedLabels and UserLocalizedLabel); MetadataId always returned; no
// paging.

// definitionKey is the key segment of one definition: LogicalName='x'.
var definitionKey = regexp.MustCompile(`^LogicalName='([^']*)'$`)

// expandAttributes is $expand=Attributes or Attributes($select=a,b).
var expandAttributes = regexp.MustCompile(`^Attributes(?:\(\$select=([A-Za-z,]+)\))?$`)

// schemaNames are the schema names of the sandbox's tables (Microsoft's
// table reference); a logical name is its schema name in lower case.
var schemaNames = map[string]string{
	"systemuser": "SystemUser", "account": "Account", "contact": "Contact", "lead": "Lead", "incident": "Incident",
	"opportunity": "Opportunity", "phonecall": "PhoneCall", "task": "Task", "new_callnote": "new_CallNote",
}

// tableLabels are the tables' display names.
var tableLabels = map[string]string{
	"systemuser": "User", "account": "Account", "contact": "Contact", "lead": "Lead", "incident": "Case",
	"opportunity": "Opportunity", "phonecall": "Phone Call", "task": "Task", "new_callnote": "Call Note",
}

// columnLabels are display names of columns as a new environment shows
// them; a column not listed shows its logical name.
var columnLabels = map[string]string{
	"firstname": "First Name", "lastname": "Last Name", "middlename": "Middle Name", "fullname": "Full Name",
	"emailaddress1": "Email", "emailaddress2": "Email Address 2", "emailaddress3": "Email Address 3",
	"telephone1": "Business Phone", "telephone2": "Home Phone", "telephone3": "Telephone 3", "mobilephone": "Mobile Phone",
	"jobtitle": "Job Title", "department": "Department", "description": "Description", "fax": "Fax",
	"name": "Account Name", "accountnumber": "Account Number", "websiteurl": "Website", "title": "Case Title",
	"ticketnumber": "Case Number", "subject": "Subject", "phonenumber": "Phone Number", "directioncode": "Direction",
	"statecode": "Status", "statuscode": "Status Reason", "createdon": "Created On", "modifiedon": "Modified On",
	"ownerid": "Owner", "parentcustomerid": "Company Name", "customerid": "Customer", "regardingobjectid": "Regarding",
	"companyname": "Company Name", "new_name": "Name", "new_notes": "Notes", "new_direction": "Direction",
	"new_durationseconds": "Duration (seconds)", "new_contactid": "Contact",
}

// attributeTypeCode is the AttributeTypeCode name of a column.
func attributeTypeCode(logical string, a attr) string {
	switch a.typ {
	case tString:
		return "String"
	case tMemo:
		return "Memo"
	case tInt:
		return "Integer"
	case tDecimal:
		return "Decimal"
	case tMoney:
		return "Money"
	case tBool:
		return "Boolean"
	case tDateTime, tDateOnly:
		return "DateTime"
	case tPicklist:
		return "Picklist"
	case tState:
		return "State"
	case tStatus:
		return "Status"
	case tGuid:
		return "Uniqueidentifier"
	}
	switch logical {
	case "customerid", "parentcustomerid":
		return "Customer"
	case "ownerid":
		return "Owner"
	}
	return "Lookup"
}

// metadataID is a stable MetadataId for a definition or a column.
func metadataID(parts ...string) string {
	h := sha1.Sum([]byte(strings.Join(parts, "\x00")))
	s := hex.EncodeToString(h[:16])
	return s[0:8] + "-" + s[8:12] + "-" + s[12:16] + "-" + s[16:20] + "-" + s[20:32]
}

func labelOf(text, id string) map[string]any {
	l := map[string]any{"Label": text, "LanguageCode": 1033, "IsManaged": true, "MetadataId": id, "HasChanged": nil}
	return map[string]any{"LocalizedLabels": []any{l}, "UserLocalizedLabel": l}
}

// definition is one table's EntityMetadata, every property the sandbox knows.
func definition(t *table) map[string]any {
	id := metadataID("entity", t.logical)
	schema := schemaNames[t.logical]
	if schema == "" {
		schema = t.logical
	}
	label := tableLabels[t.logical]
	if label == "" {
		label = t.logical
	}
	return map[string]any{
		"MetadataId": id, "LogicalName": t.logical, "SchemaName": schema, "EntitySetName": t.set,
		"LogicalCollectionName": t.set, "PrimaryIdAttribute": t.pk, "PrimaryNameAttribute": t.primary,
		"IsActivity": t.activity, "IsCustomEntity": strings.Contains(t.logical, "_"),
		"DisplayName": labelOf(label, metadataID("entity label", t.logical)),
	}
}

// columns are a table's AttributeMetadata: one per column, a lookup once
// under its logical name (not its _x_value read form).
func columns(t *table) []map[string]any {
	var out []map[string]any
	for _, key := range slices.Sorted(maps.Keys(t.attrs)) {
		logical := key
		if isLookupKey(key) {
			logical = strings.TrimSuffix(strings.TrimPrefix(key, "_"), "_value")
		}
		label := columnLabels[logical]
		if label == "" {
			label = logical
		}
		out = append(out, map[string]any{
			"MetadataId": metadataID("attribute", t.logical, logical), "LogicalName": logical,
			"SchemaName": logical, "AttributeType": attributeTypeCode(logical, t.attrs[key]),
			"DisplayName": labelOf(label, metadataID("attribute label", t.logical, logical)),
		})
	}
	return out
}

// pick keeps the selected properties and MetadataId, which is always returned.
func pick(m map[string]any, selects []string, known func(string) bool) (map[string]any, string) {
	if len(selects) == 0 {
		return m, ""
	}
	out := map[string]any{"MetadataId": m["MetadataId"]}
	for _, s := range selects {
		if !known(s) {
			return nil, s
		}
		if v, ok := m[s]; ok {
			out[s] = v
		}
	}
	return out, ""
}

// entityProperties and attributeProperties are the EntityMetadata and
// AttributeMetadata properties a $select may name here (of the many the
// reference lists, those the sandbox serves).
var (
	entityProperties = []string{"MetadataId", "LogicalName", "SchemaName", "EntitySetName", "LogicalCollectionName",
		"PrimaryIdAttribute", "PrimaryNameAttribute", "IsActivity", "IsCustomEntity", "DisplayName"}
	attributeProperties = []string{"MetadataId", "LogicalName", "SchemaName", "AttributeType", "DisplayName"}
)

// handleDefinition serves GET EntityDefinitions(LogicalName='x').
func (s *Server) handleDefinition(w http.ResponseWriter, r *http.Request, key, version string) {
	if r.Method != http.MethodGet {
		writeError(w, methodNotAllowed(r.Method))
		return
	}
	m := definitionKey.FindStringSubmatch(key)
	if m == nil {
		writeError(w, badRequest(codeQuery, "Bad Request - Error in query syntax."))
		return
	}
	t, ok := s.tableByLogical(m[1])
	if !ok {
		writeError(w, &apiError{status: http.StatusNotFound, code: "0x80041102",
			msg: "The entity with a name = '" + m[1] + "' with namemapping = 'Logical' was not found in the MetadataCache."})
		return
	}
	q := r.URL.Query()
	for k := range q {
		if k != "$select" && k != "$expand" {
			writeError(w, badRequest(codeSelect, "The query parameter '"+k+"' is not supported"))
			return
		}
	}
	known := func(list []string) func(string) bool {
		return func(p string) bool { return slices.Contains(list, p) }
	}
	out, bad := pick(definition(t), splitList(q.Get("$select")), known(entityProperties))
	if bad != "" {
		writeError(w, badRequest(codeQuery, "Could not find a property named '"+bad+"' on type 'Microsoft.Dynamics.CRM.EntityMetadata'."))
		return
	}
	if ex := q.Get("$expand"); ex != "" {
		em := expandAttributes.FindStringSubmatch(ex)
		if em == nil {
			writeError(w, badRequest(codeQuery, "Could not find a property named '"+ex+"' on type 'Microsoft.Dynamics.CRM.EntityMetadata'."))
			return
		}
		var attrs []map[string]any
		for _, a := range columns(t) {
			pa, bad := pick(a, splitList(em[1]), known(attributeProperties))
			if bad != "" {
				writeError(w, badRequest(codeQuery, "Could not find a property named '"+bad+"' on type 'Microsoft.Dynamics.CRM.AttributeMetadata'."))
				return
			}
			attrs = append(attrs, pa)
		}
		out["Attributes"] = attrs
	}
	out["@odata.context"] = origin(r) + "/api/data/" + version + "/$metadata#EntityDefinitions/$entity"
	writeJSON(w, http.StatusOK, out)
}

func splitList(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}
