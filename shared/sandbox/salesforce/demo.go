package salesforce

import (
	"time"

	"github.com/crmflow/crmflow/shared/sandbox/demo"
)

// loadDemo fills the org with the conformance fixture (Jane Doe with an open
// and a closed case, John Roe) and a few more records for the local demo.
// Timestamps are fixed so that answers are the same on every run.
func loadDemo(s *Server) {
	at := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	add := func(entity string, fields map[string]any) string {
		at = at.Add(17 * time.Minute)
		stamp := at.Format(sfTime)
		fields["CreatedDate"], fields["LastModifiedDate"], fields["SystemModstamp"] = stamp, stamp, stamp
		return s.Add(entity, fields)
	}
	acme := add("Account", map[string]any{"Name": "Acme Corporation", "Phone": "(650) 555-0110", "Industry": "Manufacturing",
		"Website": "https://acme.example", "BillingCity": "San Francisco", "BillingState": "CA", "BillingCountry": "USA", "NumberOfEmployees": 1200.0})
	jane := add("Contact", map[string]any{"FirstName": demo.JaneFirst, "LastName": demo.JaneLast, "AccountId": acme,
		"Title": "Office Manager", "Phone": demo.JanePhone, "Email": demo.JaneEmail, "MailingCity": "San Francisco"})
	add("Contact", map[string]any{"FirstName": demo.JohnFirst, "LastName": demo.JohnLast, "AccountId": acme,
		"Title": "Facilities Lead", "Phone": demo.JohnPhone, "Email": demo.JohnEmail})
	add("Case", map[string]any{"Subject": demo.JaneCase, "Description": "Smoke coming out of the second-floor printer.",
		"Status": "New", "Priority": "High", "Origin": "Phone", "ContactId": jane, "AccountId": acme})
	add("Case", map[string]any{"Subject": "Toner delivery missing", "Status": "Closed", "Priority": "Medium", "Origin": "Email",
		"ContactId": jane, "AccountId": acme, "ClosedDate": "2026-11-18T15:30:00.000+0000"})
	add("Task", map[string]any{"Subject": "Inbound call", "Status": "Completed", "TaskSubtype": "Call", "CallType": "Inbound",
		"CallDurationInSeconds": 240.0, "CallObject": "demo-call-0001", "CallDisposition": "Resolved", "ActivityDate": "2026-11-18", "WhoId": jane, "WhatId": acme})
	add("Opportunity", map[string]any{"Name": "Acme - Printer fleet renewal", "StageName": "Prospecting", "CloseDate": "2026-12-15",
		"Amount": 48000.0, "AccountId": acme})

	globex := add("Account", map[string]any{"Name": "Globex Inc.", "Phone": "(312) 555-0147", "Industry": "Energy", "BillingCity": "Chicago"})
	add("Contact", map[string]any{"FirstName": "Maria", "LastName": "Garcia", "AccountId": globex, "Title": "Procurement",
		"Phone": "(312) 555-0148", "MobilePhone": "+1 (773) 555-0162", "Email": "maria.garcia@globex.example"})
	add("Account", map[string]any{"Name": "Stark Logistics Ltd", "Phone": "+44 20 7946 0958", "BillingCity": "London", "BillingCountry": "UK"})
	add("Lead", map[string]any{"FirstName": "Priya", "LastName": "Patel", "Company": "Initech", "Phone": "(512) 555-0175",
		"Email": "priya.patel@initech.example", "Status": "Working - Contacted", "LeadSource": "Web"})
	add("Lead", map[string]any{"FirstName": "Kenji", "LastName": "Watanabe", "Company": "Umbrella Travel", "MobilePhone": "+1 206 555 0123",
		"Email": "kenji@umbrella.example", "LeadSource": "Phone Inquiry"})
}
