package zdsandbox

// loadDemo stores the conformance fixture: the Acme organization, Jane Doe
// (phone stored in a national format on purpose) with her open ticket
// "Printer on fire" and a solved one, and John Roe with a pending ticket.
func loadDemo(s *Server) {
	acme := s.insert(kindOrganization, map[string]any{"name": "Acme", "domain_names": []any{"example.com"},
		"details": "Acme Corporation", "tags": []any{"vip"}})
	jane := s.insert(kindUser, map[string]any{"name": "Jane Doe", "email": "jane.doe@example.com", "phone": "(415) 555-0100",
		"organization_id": acme.id, "verified": true, "user_fields": map[string]any{"job_title": "Office manager"}})
	john := s.insert(kindUser, map[string]any{"name": "John Roe", "email": "john.roe@example.com", "phone": "+1 415 555 0199",
		"organization_id": acme.id, "verified": true, "user_fields": map[string]any{"job_title": "Engineer"}})
	s.insert(kindUser, map[string]any{"name": "Janet Doerr", "email": "janet.doerr@example.org", "phone": "+44 20 7946 0958"})
	for _, t := range []struct {
		requester int64
		subject   string
		status    string
		priority  string
		body      string
	}{
		{jane.id, "Printer on fire", "open", "urgent", "The printer on the second floor is on fire."},
		{jane.id, "Toner order", "solved", "low", "Please order new toner."},
		{john.id, "Invoice question", "pending", "normal", "My last invoice looks wrong."},
	} {
		tk := s.insert(kindTicket, map[string]any{"subject": t.subject, "raw_subject": t.subject, "description": t.body,
			"status": t.status, "priority": t.priority, "type": "incident", "requester_id": t.requester,
			"submitter_id": t.requester, "organization_id": acme.id})
		s.audit(tk, t.requester, nil, &newComment{body: t.body, public: true})
	}
	loadDemoCustomObjects(s)
}

// loadDemoCustomObjects defines the call_note custom object and one record
// of it, the way an admin would set one up to keep call summaries.
func loadDemoCustomObjects(s *Server) {
	s.DefineCustomObject("call_note", "Call note", "Call notes",
		CustomObjectField{Key: "summary", Type: "textarea", Title: "Summary"},
		CustomObjectField{Key: "duration_seconds", Type: "integer", Title: "Duration (seconds)"},
		CustomObjectField{Key: "agent_name", Type: "text", Title: "Agent"},
		CustomObjectField{Key: "contact_id", Type: "text", Title: "Contact ID"})
	obj := s.customObjects["call_note"]
	at := s.now()
	rec := &coRecord{id: s.newRecordID(), name: "Call with Jane Doe", createdBy: s.agentID, updatedBy: s.agentID, created: at, updated: at,
		values: map[string]any{"summary": "Asked about the printer on fire.", "duration_seconds": int64(185), "agent_name": "Ava Agent"}}
	obj.records[rec.id] = rec
	obj.order = append(obj.order, rec.id)
}
