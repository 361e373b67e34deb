package hubspot

import (
	"time"

	"github.com/crmflow/crmflow/shared/sandbox/demo"
)

// DemoKeyProperty is the unique property the demo account has on every
// object that may have one: crmflow's write key.
const DemoKeyProperty = "crmflow_key"

// loadDemo fills the account with the conformance fixture (Jane Doe with
// open and closed tickets, John Roe) and a few more records for the local
// demo. Stamps are fixed so that answers are the same on every run. The
// account is one whose configuration test has run: crmflow_key, crmflow's
// unique write-key property, exists on the objects crmflow writes (an
// Empty account lacks it, as a new HubSpot account does).
func loadDemo(s *Server) {
	for _, t := range s.all {
		if t.uniqueAllowed {
			s.addProperty(t, DemoKeyProperty, propDef{kind: kindText}, "crmflow write key", true)
		}
	}
	at := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	add := func(typ string, props map[string]string) objKey {
		at = at.Add(17 * time.Minute)
		t, _ := s.types.lookup(typ)
		return objKey{t.id, s.insert(t, props, at).id}
	}
	link := func(a, b objKey) {
		def, _ := assocDefault(a.typ, b.typ)
		s.link(a, b, def.typeID)
	}

	acme := add("companies", map[string]string{"name": "Acme Corporation", "domain": "acme.example", "phone": "(650) 555-0110",
		"city": "San Francisco", "state": "CA", "country": "United States", "numberofemployees": "1200", "industry": "Manufacturing",
		"lifecyclestage": "customer"})
	jane := add("contacts", map[string]string{"firstname": demo.JaneFirst, "lastname": demo.JaneLast, "email": demo.JaneEmail,
		"phone": demo.JanePhone, "jobtitle": "Office Manager", "company": "Acme Corporation", "city": "San Francisco",
		"lifecyclestage": "customer"})
	john := add("contacts", map[string]string{"firstname": demo.JohnFirst, "lastname": demo.JohnLast, "email": demo.JohnEmail,
		"phone": demo.JohnPhone, "jobtitle": "Facilities Lead", "company": "Acme Corporation", "lifecyclestage": "customer"})
	link(jane, acme)
	link(john, acme)

	ticket := func(subject, pipeline, stage, priority string, people ...objKey) {
		t := add("tickets", map[string]string{"subject": subject, "hs_pipeline": pipeline, "hs_pipeline_stage": stage,
			"hs_ticket_priority": priority, "source_type": "PHONE"})
		for _, p := range people {
			link(t, p)
		}
	}
	ticket("Invoice copy requested", "0", "3", "LOW", jane)
	ticket("Toner delivery missing", "0", "4", "MEDIUM", jane)
	ticket("Badge reader offline", "93512", "93514", "HIGH", jane, acme)
	ticket(demo.JaneCase, "0", "1", "HIGH", jane, acme)
	ticket("Conference room booking broken", "0", "2", "MEDIUM", john)

	deal := add("deals", map[string]string{"dealname": "Acme - Printer fleet renewal", "amount": "48000", "pipeline": "default",
		"dealstage": "contractsent", "closedate": "2026-12-15T00:00:00.000Z"})
	link(deal, acme)
	link(deal, jane)
	call := add("calls", map[string]string{"hs_timestamp": "2026-11-18T15:00:00.000Z", "hs_call_title": "Inbound call",
		"hs_call_body": "Asked about toner delivery.", "hs_call_direction": "INBOUND", "hs_call_duration": "240000",
		"hs_call_status": "COMPLETED", "hs_call_from_number": "+14155550100", "hs_call_external_id": "cxone-4998123",
		"hs_call_disposition": "f240bbac-87c9-4f6e-bf70-924b57d47db7"})
	link(call, jane)
	device := add("2-9001", map[string]string{"name": "Printer HP-4200 (2nd floor)", "serial_number": "CNB4H12345", "model": "HP LaserJet 4200"})
	link(device, acme)

	globex := add("companies", map[string]string{"name": "Globex Inc.", "domain": "globex.example", "phone": "(312) 555-0147", "city": "Chicago"})
	maria := add("contacts", map[string]string{"firstname": "Maria", "lastname": "Garcia", "email": "maria.garcia@globex.example",
		"phone": "(312) 555-0148", "mobilephone": "+1 (773) 555-0162", "jobtitle": "Procurement", "company": "Globex Inc."})
	link(maria, globex)
	add("companies", map[string]string{"name": "Stark Logistics Ltd", "phone": "+44 20 7946 0958", "city": "London", "country": "United Kingdom"})
	add("contacts", map[string]string{"firstname": "Priya", "lastname": "Patel", "email": "priya.patel@initech.example",
		"phone": "(512) 555-0175", "company": "Initech", "hs_lead_status": "NEW", "lifecyclestage": "lead"})
	add("contacts", map[string]string{"firstname": "Kenji", "lastname": "Watanabe", "email": "kenji@umbrella.example",
		"mobilephone": "+12065550123", "company": "Umbrella Travel", "lifecyclestage": "lead"})
}
