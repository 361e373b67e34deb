package salesforce

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/crmflow/crmflow/shared/crm"
	sfsandbox "github.com/crmflow/crmflow/shared/sandbox/salesforce"
)

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return c
}

func TestQueryFollowsNextRecordsURL(t *testing.T) {
	c, sb := startSandbox(t, nil, sfsandbox.Options{Empty: true, BatchSize: 2})
	for i := range 7 {
		sb.Add("Contact", map[string]any{"LastName": fmt.Sprintf("Shared %d", i), "Email": "shared@example.com"})
	}
	recs, err := c.SearchByEmail(ctx(t), crm.EmailSearch{Email: "shared@example.com", Limit: 5, Entities: []crm.EntitySpec{{Entity: "Contact"}}})
	if err != nil || len(recs) != 5 {
		t.Fatalf("%v: got %d records", err, len(recs))
	}
	if got := sb.CallsPrefix("GET /services/data/v62.0/query/"); got != 2 {
		t.Fatalf("followed %d next pages, want 2 (5 records in pages of 2)", got)
	}
	for i, r := range recs {
		if r.Display != fmt.Sprintf("Shared %d", i) {
			t.Fatalf("record %d = %q", i, r.Display)
		}
	}
}

func TestNextPathStaysOnInstance(t *testing.T) {
	c, _ := startSandbox(t, nil, sfsandbox.Options{Empty: true})
	for _, next := range []string{"https://evil.example/services/data/v62.0/query/x", "//evil.example/services/data/x", "/services/data/../../x", "/other/x", "/services/data/v62.0/query/x?y=1"} {
		if _, err := c.nextPath("op", next); crm.CodeOf(err) != crm.Internal {
			t.Errorf("%s: %v", next, err)
		}
	}
	if p, err := c.nextPath("op", "/services/data/v62.0/query/01gDn0000000001AAA-2000"); err != nil || p != "/services/data/v62.0/query/01gDn0000000001AAA-2000" {
		t.Fatalf("%q %v", p, err)
	}
}

func TestSearchByEmailFields(t *testing.T) {
	c, sb := startSandbox(t, nil, sfsandbox.Options{})
	sb.Add("Case", map[string]any{"Subject": "Web case", "SuppliedEmail": "web@example.com"})
	recs, err := c.SearchByEmail(ctx(t), crm.EmailSearch{Email: "WEB@example.com", Entities: []crm.EntitySpec{
		{Entity: "Account"}, // no email field: skipped
		{Entity: "Case", SearchFields: []string{"SuppliedEmail", "Subject"}},
	}})
	if err != nil || len(recs) != 1 || recs[0].Entity != "Case" || recs[0].Fields["Subject"] != "Web case" {
		t.Fatalf("%v %+v", err, recs)
	}
	_, err = c.SearchByEmail(ctx(t), crm.EmailSearch{Email: "x@example.com", Entities: []crm.EntitySpec{{Entity: "Account"}}})
	wantCode(t, err, crm.InvalidArgument)
	_, err = c.SearchByEmail(ctx(t), crm.EmailSearch{Email: " "})
	wantCode(t, err, crm.InvalidArgument)
}

func TestCustomSearchFieldErrors(t *testing.T) {
	c, _ := startSandbox(t, nil, sfsandbox.Options{})
	_, err := c.Search(ctx(t), crm.Query{Entity: "Contact", Filter: crm.Filter{Field: "Nope__c", Op: crm.OpEq, Value: "x"}})
	e := wantCode(t, err, crm.InvalidArgument)
	if e.Status != 400 || e.CRMCode != "INVALID_FIELD" {
		t.Fatalf("%+v", e)
	}
	_, err = c.Search(ctx(t), crm.Query{Entity: "Contact WHERE", Filter: crm.Filter{Field: "Email", Op: crm.OpEq, Value: "x"}})
	wantCode(t, err, crm.InvalidArgument)
	recs, err := c.Search(ctx(t), crm.Query{Entity: "Case", Filter: crm.Filter{Any: []crm.Filter{
		{Field: "Subject", Op: crm.OpContains, Value: "fire"}, {Field: "Status", Op: crm.OpIn, Value: []any{"Closed"}}}}})
	if err != nil || len(recs) != 2 {
		t.Fatalf("%v %+v", err, recs)
	}
}

func TestRelatedOpen(t *testing.T) {
	c, sb := startSandbox(t, nil, sfsandbox.Options{})
	accounts := sb.Records("Account")
	recs, err := c.RelatedOpen(ctx(t), crm.Ref{Entity: "Account", ID: accounts[0]["Id"].(string)}, 0)
	if err != nil || len(recs) != 1 || recs[0].Display != "00001001 Printer on fire" || recs[0].Fields["Status"] != "New" {
		t.Fatalf("%v %+v", err, recs)
	}
	recs, err = c.RelatedOpen(ctx(t), crm.Ref{Entity: "Lead", ID: sb.Records("Lead")[0]["Id"].(string)}, 5)
	if err != nil || recs != nil {
		t.Fatalf("lead: %v %+v", err, recs)
	}
	_, err = c.RelatedOpen(ctx(t), crm.Ref{Entity: "Contact", ID: "003' OR Id != '"}, 5)
	wantCode(t, err, crm.InvalidArgument)
}

func TestWriteRecordModes(t *testing.T) {
	c, sb := startSandbox(t, nil, sfsandbox.Options{})
	jane := sb.Records("Contact")[0]["Id"].(string)
	acme := sb.Records("Account")[0]["Id"].(string)
	links := []crm.Ref{{Entity: "Contact", ID: jane}, {Entity: "Account", ID: acme}}

	res, err := c.WriteRecord(ctx(t), crm.Memorialization{Key: "job-9", Entity: "Case", Mode: crm.ModeCreate,
		Fields: map[string]any{"Subject": "After-call summary"}, Links: links})
	if err != nil || len(res.Records) != 1 {
		t.Fatalf("%v %+v", err, res)
	}
	cases := sb.Records("Case")
	created := cases[len(cases)-1]
	if created["ContactId"] != jane || created["AccountId"] != acme {
		t.Fatalf("case not related: %v", created)
	}
	if created["crmflow_key__c"] != "job-9" {
		t.Fatalf("case carries no write key: %v", created)
	}
	got, found, err := c.FindWrite(ctx(t), crm.WriteLookup{Kind: crm.WriteMemorialization, Entity: "case", Key: "job-9"})
	if !found || err != nil || len(got.Records) != 1 || got.Records[0] != (crm.Ref{Entity: "Case", ID: created["Id"].(string)}) {
		t.Fatalf("the Case is found by its key: %+v found=%v err=%v", got, found, err)
	}

	res, err = c.WriteRecord(ctx(t), crm.Memorialization{Key: "job-10", Entity: "Task", Fields: map[string]any{"Subject": "Summary"}, Links: links})
	if err != nil {
		t.Fatal(err)
	}
	tasks := sb.Records("Task")
	task := tasks[len(tasks)-1]
	if task["CallObject"] != "job-10" || task["WhoId"] != jane || task["WhatId"] != acme {
		t.Fatalf("task: %v", task)
	}

	res, err = c.WriteRecord(ctx(t), crm.Memorialization{Key: "job-11", Entity: "Contact", Mode: crm.ModeUpdate,
		Fields: map[string]any{"Title": "Head of Printing"}, Links: links})
	if err != nil || len(res.Records) != 1 || res.Records[0].ID != jane {
		t.Fatalf("%v %+v", err, res)
	}
	if got := sb.Records("Contact")[0]["Title"]; got != "Head of Printing" {
		t.Fatalf("title %v", got)
	}
	_, err = c.WriteRecord(ctx(t), crm.Memorialization{Key: "job-12", Entity: "Lead", Mode: crm.ModeUpdate, Fields: map[string]any{"Title": "x"}, Links: links})
	wantCode(t, err, crm.InvalidArgument)
	_, err = c.WriteRecord(ctx(t), crm.Memorialization{Key: "job-13", Entity: "Case", Fields: map[string]any{"Subject = 'x'": "y"}})
	wantCode(t, err, crm.InvalidArgument)
}

func TestCreateRefusedByCRM(t *testing.T) {
	c, _ := startSandbox(t, nil, sfsandbox.Options{})
	_, err := c.Create(ctx(t), "Contact", map[string]any{"FirstName": "No last name"})
	e := wantCode(t, err, crm.InvalidArgument)
	if e.CRMCode != "REQUIRED_FIELD_MISSING" || e.Status != 400 || e.Message != "Required fields are missing: [LastName]" || e.Retryable {
		t.Fatalf("%+v", e)
	}
	_, err = c.Get(ctx(t), crm.Ref{Entity: "Contact", ID: "../../x"}, nil)
	wantCode(t, err, crm.InvalidArgument)
}

func TestActivityForChat(t *testing.T) {
	c, sb := startSandbox(t, nil, sfsandbox.Options{})
	start := time.Date(2026, 11, 23, 23, 30, 0, 0, time.FixedZone("PST", -8*3600))
	_, err := c.AddActivity(ctx(t), crm.Activity{Key: "job-chat", MediaType: "chat", Direction: "inbound", Start: start,
		End: start.Add(10 * time.Minute), Links: []crm.Ref{{Entity: "Account", ID: sb.Records("Account")[0]["Id"].(string)}}})
	if err != nil {
		t.Fatal(err)
	}
	tasks := sb.Records("Task")
	task := tasks[len(tasks)-1]
	if task["Subject"] != "Inbound chat" || task["TaskSubtype"] != "Task" || task["CallType"] != nil || task["ActivityDate"] != "2026-11-24" || task["WhatId"] == nil {
		t.Fatalf("%v", task)
	}
	_, err = c.AddActivity(ctx(t), crm.Activity{Subject: "no key"})
	wantCode(t, err, crm.InvalidArgument)
}
