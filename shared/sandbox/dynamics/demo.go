package dynamics

import (
	"time"

	"github.com/crmflow/crmflow/shared/sandbox/demo"
)

// loadDemo fills the environment with the conformance fixture (Jane Doe with
// an open and a resolved case, John Roe) and a few more rows for the local
// demo. Stamps are fixed so that answers are the same on every run.
func loadDemo(s *Server) {
	at := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	add := func(entity string, fields map[string]any) string {
		at = at.Add(17 * time.Minute)
		fields["createdon"], fields["modifiedon"] = at.Format(rowTime), at.Format(rowTime)
		return s.Add(entity, fields)
	}
	bind := func(set, id string) string { return "/" + set + "(" + id + ")" }

	acme := add("account", map[string]any{"name": "Acme Corporation", "telephone1": "(650) 555-0110", "websiteurl": "https://acme.example",
		"address1_city": "San Francisco", "address1_stateorprovince": "CA", "address1_country": "USA", "numberofemployees": 1200.0})
	jane := add("contact", map[string]any{"firstname": demo.JaneFirst, "lastname": demo.JaneLast, "jobtitle": "Office Manager",
		"telephone1": demo.JanePhone, "emailaddress1": demo.JaneEmail, "address1_city": "San Francisco",
		"parentcustomerid_account@odata.bind": bind("accounts", acme)})
	add("contact", map[string]any{"firstname": demo.JohnFirst, "lastname": demo.JohnLast, "jobtitle": "Facilities Lead",
		"telephone1": demo.JohnPhone, "emailaddress1": demo.JohnEmail, "parentcustomerid_account@odata.bind": bind("accounts", acme)})
	add("incident", map[string]any{"title": demo.JaneCase, "description": "Smoke coming out of the second-floor printer.",
		"prioritycode": 1.0, "caseorigincode": 1.0, "customerid_contact@odata.bind": bind("contacts", jane)})
	add("incident", map[string]any{"title": "Toner delivery missing", "prioritycode": 2.0, "caseorigincode": 2.0,
		"statecode": 1.0, "statuscode": 5.0, "customerid_contact@odata.bind": bind("contacts", jane)})
	add("phonecall", map[string]any{"subject": "Inbound call", "phonenumber": demo.JanePhone, "directioncode": false,
		"actualdurationminutes": 4.0, "actualstart": "2026-11-18T15:00:00Z", "actualend": "2026-11-18T15:04:00Z",
		"statecode": 1.0, "statuscode": 4.0, "regardingobjectid_contact_phonecall@odata.bind": bind("contacts", jane)})
	add("opportunity", map[string]any{"name": "Acme - Printer fleet renewal", "estimatedvalue": 48000.0,
		"estimatedclosedate": "2026-12-15", "parentaccountid@odata.bind": bind("accounts", acme)})

	globex := add("account", map[string]any{"name": "Globex Inc.", "telephone1": "(312) 555-0147", "address1_city": "Chicago"})
	add("contact", map[string]any{"firstname": "Maria", "lastname": "Garcia", "jobtitle": "Procurement", "telephone1": "(312) 555-0148",
		"mobilephone": "+1 (773) 555-0162", "emailaddress1": "maria.garcia@globex.example", "parentcustomerid_account@odata.bind": bind("accounts", globex)})
	add("account", map[string]any{"name": "Stark Logistics Ltd", "telephone1": "+44 20 7946 0958", "address1_city": "London",
		"address1_country": "UK"})
	add("lead", map[string]any{"firstname": "Priya", "lastname": "Patel", "companyname": "Initech", "subject": "Fleet printers",
		"telephone1": "(512) 555-0175", "emailaddress1": "priya.patel@initech.example", "statuscode": 2.0})
	add("lead", map[string]any{"firstname": "Kenji", "lastname": "Watanabe", "companyname": "Umbrella Travel", "subject": "Call back",
		"mobilephone": "+12065550123", "emailaddress1": "kenji@umbrella.example"})
}
