package hubspot

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// maxListPage is the most records one GET /crm/v3/objects/{objectType}
// page holds (HubSpot: limit defaults to 10, at most 100).
const maxListPage = 100

// handleList is GET /crm/v3/objects/{objectType}?limit&after&properties&archived:
// records in creation order, paged with paging.next.after.
func (s *Server) handleList(w http.ResponseWriter, r *http.Request, t *objectType) {
	q := r.URL.Query()
	limit, start, err := pageParams(q.Get("limit"), q.Get("after"), 10, maxListPage)
	if err != nil {
		s.writeAPIError(w, err)
		return
	}
	switch q.Get("archived") {
	case "", "false":
	case "true":
		// The sandbox archives nothing.
		writeJSON(w, http.StatusOK, map[string]any{"results": []any{}})
		return
	default:
		s.writeAPIError(w, validation("archived: %s is not a boolean", q.Get("archived")))
		return
	}
	limit = min(limit, s.pageSize(maxListPage))
	names := propertyList(q["properties"])
	s.mu.Lock()
	ids := s.order[t.id]
	results := []map[string]any{}
	for i := start; i < len(ids) && i < start+limit; i++ {
		results = append(results, view(t, s.objects[t.id][ids[i]], names, t.created, t.modified, "hs_object_id"))
	}
	total := len(ids)
	s.mu.Unlock()
	out := map[string]any{"results": results}
	if next := start + limit; next < total {
		after := strconv.Itoa(next)
		out["paging"] = map[string]any{"next": map[string]any{"after": after,
			"link": "https://api.hubapi.com/crm/v3/objects/" + t.name + "?after=" + after}}
	}
	writeJSON(w, http.StatusOK, out)
}

// propertyLabels are the labels HubSpot's default properties show in its
// app, by name; properties not listed get their name in title case.
var propertyLabels = map[string]string{
	"firstname": "First Name", "lastname": "Last Name", "email": "Email", "phone": "Phone Number",
	"mobilephone": "Mobile Phone Number", "fax": "Fax Number", "company": "Company Name", "jobtitle": "Job Title",
	"website": "Website URL", "address": "Street Address", "address2": "Street Address 2", "city": "City",
	"state": "State/Region", "zip": "Postal Code", "country": "Country/Region",
	"hs_additional_emails": "Additional email addresses", "lifecyclestage": "Lifecycle Stage", "hs_lead_status": "Lead Status",
	"createdate": "Create Date", "lastmodifieddate": "Last Modified Date", "hs_lastmodifieddate": "Last Modified Date",
	"hs_createdate": "Created at", "hs_object_id": "Record ID", "hubspot_owner_id": "Owner",
	"name": "Name", "domain": "Company Domain Name", "industry": "Industry", "description": "Description", "type": "Type",
	"numberofemployees": "Number of Employees", "annualrevenue": "Annual Revenue",
	"dealname": "Deal Name", "amount": "Amount", "pipeline": "Pipeline", "dealstage": "Deal Stage", "closedate": "Close Date",
	"dealtype": "Deal Type", "hs_priority": "Priority",
	"subject": "Ticket name", "content": "Ticket description", "hs_pipeline": "Pipeline", "hs_pipeline_stage": "Ticket status",
	"hs_ticket_priority": "Priority", "hs_ticket_category": "Category", "source_type": "Source", "closed_date": "Close date",
	"hs_timestamp": "Activity date", "hs_call_title": "Call Title", "hs_call_body": "Call notes",
	"hs_call_from_number": "From Number", "hs_call_to_number": "To Number", "hs_call_recording_url": "Recording URL",
	"hs_call_external_id": "External ID", "hs_body_preview": "Body preview", "hs_call_duration": "Call duration",
	"hs_call_direction": "Call direction", "hs_call_status": "Call status", "hs_call_disposition": "Call outcome",
	"hs_call_source": "Call source", "hs_note_body": "Note body", "hs_task_subject": "Task Title", "hs_task_body": "Task notes",
	"hs_task_status": "Task Status", "hs_task_priority": "Priority", "hs_task_type": "Task Type",
	"serial_number": "Serial number", "model": "Model",
}

// phoneProperties are shown as phone numbers (fieldType phonenumber).
var phoneProperties = map[string]bool{"phone": true, "mobilephone": true, "fax": true,
	"hs_call_from_number": true, "hs_call_to_number": true}

// handleProperties is GET /crm/v3/properties/{objectType}: every property
// of the object with its label, type and fieldType, enumeration options
// and modificationMetadata (readOnlyValue for what HubSpot computes).
func (s *Server) handleProperties(w http.ResponseWriter, r *http.Request, t *objectType) {
	if a := r.URL.Query().Get("archived"); a == "true" {
		writeJSON(w, http.StatusOK, map[string]any{"results": []any{}})
		return
	}
	s.mu.Lock()
	results := make([]map[string]any, 0, len(t.props))
	for i, name := range sortedKeys(t.props) {
		results = append(results, propertyDefinition(t, name, i))
	}
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"results": results})
}

// propertyDefinition is one property as the properties API answers it; the
// caller holds s.mu.
func propertyDefinition(t *objectType, name string, order int) map[string]any {
	def := t.props[name]
	typ, fieldType := "string", "text"
	switch def.kind {
	case kindNumber:
		typ, fieldType = "number", "number"
	case kindDateTime:
		typ, fieldType = "datetime", "date"
	case kindEnum:
		typ, fieldType = "enumeration", "select"
	}
	if phoneProperties[name] {
		fieldType = "phonenumber"
	}
	options := []map[string]any{}
	for j, v := range def.options {
		options = append(options, map[string]any{"label": v, "value": v, "displayOrder": j, "hidden": false})
	}
	label := propertyLabels[name]
	if l, ok := t.labels[name]; ok {
		label = l
	}
	if label == "" {
		label = titleCase(name)
	}
	ro := readOnly[name]
	custom := slices.Contains(t.custom, name) ||
		strings.HasPrefix(t.id, "2-") && !strings.HasPrefix(name, "hs_") && name != "createdate" && name != "hubspot_owner_id"
	return map[string]any{"name": name, "label": label, "type": typ, "fieldType": fieldType, "description": "",
		"groupName": t.groups[0], "options": options, "displayOrder": order,
		"calculated": false, "externalOptions": false, "hasUniqueValue": isUnique(t, name), "hidden": false,
		"hubspotDefined": !custom, "formField": !ro, "archived": false,
		"createdAt": pipelinesCreated, "updatedAt": pipelinesCreated,
		"modificationMetadata": map[string]any{"archivable": custom, "readOnlyDefinition": !custom, "readOnlyValue": ro}}
}

func titleCase(name string) string {
	words := strings.Split(strings.TrimPrefix(name, "hs_"), "_")
	for i, w := range words {
		if w != "" {
			words[i] = strings.ToUpper(w[:1]) + w[1:]
		}
	}
	return strings.Join(words, " ")
}
