package salesforce

import (
	"net/url"
	"testing"
	"time"
)

// SOSL (/search and /parameterizedSearch) reads through the index and lags;
// SOQL, reads by id and by external id read the database at once.
func TestSearchLagsKeyLookupsDoNot(t *testing.T) {
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	o := newOrg(t, Options{IndexLag: time.Hour, Now: func() time.Time { return now }})
	var created struct{ ID string }
	if st, _ := o.call("POST", "/services/data/v62.0/sobjects/Contact", map[string]any{"LastName": "Quill", "Phone": "(415) 555-0188",
		"crmflow_key__c": "job_lag1"}, &created); st != 201 {
		t.Fatalf("create: %d", st)
	}
	sosl := "/services/data/v62.0/search/?q=" + url.QueryEscape("FIND {4155550188} IN PHONE FIELDS RETURNING Contact(Id)")
	param := "/services/data/v62.0/parameterizedSearch/?q=Quill&sobject=Contact&Contact.fields=Id"
	searchHits := func(path string) int {
		var res struct{ SearchRecords []map[string]any }
		if st, _ := o.call("GET", path, nil, &res); st != 200 {
			t.Fatalf("%s: %d", path, st)
		}
		return len(res.SearchRecords)
	}
	if n := searchHits(sosl); n != 0 {
		t.Fatalf("SOSL found a record written within the lag: %d", n)
	}
	if n := searchHits(param); n != 0 {
		t.Fatalf("parameterizedSearch found a record written within the lag: %d", n)
	}
	var q struct{ TotalSize int }
	o.call("GET", "/services/data/v62.0/query?q="+url.QueryEscape("SELECT Id FROM Contact WHERE crmflow_key__c = 'job_lag1'"), nil, &q)
	if q.TotalSize != 1 {
		t.Fatalf("SOQL lags: %d", q.TotalSize)
	}
	var rec map[string]any
	if st, _ := o.call("GET", "/services/data/v62.0/sobjects/Contact/crmflow_key__c/job_lag1", nil, &rec); st != 200 || rec["Id"] != created.ID {
		t.Fatalf("external id read: %d %v", st, rec)
	}
	if st, _ := o.call("GET", "/services/data/v62.0/sobjects/Contact/"+created.ID, nil, &rec); st != 200 {
		t.Fatalf("id read: %d", st)
	}
	// A change is searched with the old values until indexed.
	now = now.Add(30 * time.Minute)
	if st, _ := o.call("PATCH", "/services/data/v62.0/sobjects/Contact/"+created.ID, map[string]any{"Phone": "(415) 555-0166"}, nil); st != 204 {
		t.Fatalf("update: %d", st)
	}
	now = now.Add(31 * time.Minute)
	if n := searchHits(sosl); n != 1 {
		t.Fatalf("after the lag SOSL finds the first version: %d", n)
	}
	if n := searchHits(param); n != 1 {
		t.Fatalf("after the lag parameterizedSearch finds it: %d", n)
	}
	now = now.Add(30 * time.Minute)
	if n := searchHits(sosl); n != 0 {
		t.Fatalf("the old phone is still found after the change was indexed: %d", n)
	}
	o.s.SetIndexLag(0)
	o.call("PATCH", "/services/data/v62.0/sobjects/Contact/"+created.ID, map[string]any{"Phone": "(415) 555-0188"}, nil)
	if n := searchHits(sosl); n != 1 {
		t.Fatalf("lag 0 indexes at once: %d", n)
	}
}

func TestExternalIDRead(t *testing.T) {
	o := newOrg(t, Options{})
	var errs []map[string]any
	if st, _ := o.call("GET", "/services/data/v62.0/sobjects/Case/crmflow_key__c/job_none", nil, &errs); st != 404 || errs[0]["errorCode"] != "NOT_FOUND" ||
		errs[0]["message"] != "The requested resource does not exist" {
		t.Fatalf("no match: %d %v", st, errs)
	}
	if st, _ := o.call("GET", "/services/data/v62.0/sobjects/Case/Subject/x", nil, &errs); st != 404 ||
		errs[0]["message"] != "Provided external ID field does not exist or is not accessible: Subject" {
		t.Fatalf("no external id field: %d %v", st, errs)
	}
	if st, _ := o.call("GET", "/services/data/v62.0/sobjects/Task/crmflow_key__c/x", nil, &errs); st != 404 {
		t.Fatalf("Task has no crmflow_key__c: %d %v", st, errs)
	}
	if st, _ := o.call("POST", "/services/data/v62.0/sobjects/Case", map[string]any{"Subject": "a", "crmflow_key__c": "job_dup"}, nil); st != 201 {
		t.Fatalf("create: %d", st)
	}
	// The field is Unique: the API refuses a second record with the value.
	if st, _ := o.call("POST", "/services/data/v62.0/sobjects/Case", map[string]any{"Subject": "b", "crmflow_key__c": "job_dup"}, &errs); st != 400 ||
		errs[0]["errorCode"] != "DUPLICATE_VALUE" {
		t.Fatalf("duplicate: %d %v", st, errs)
	}
	// An org without Unique (here: a test helper skipping the check) has several.
	o.s.Add("Case", map[string]any{"Subject": "c", "crmflow_key__c": "job_dup"})
	var urls []string
	if st, _ := o.call("GET", "/services/data/v62.0/sobjects/Case/crmflow_key__c/job_dup", nil, &urls); st != 300 || len(urls) != 2 {
		t.Fatalf("several: %d %v", st, urls)
	}
	if st, _ := o.call("PATCH", "/services/data/v62.0/sobjects/Case/crmflow_key__c/job_dup", map[string]any{}, &errs); st != 405 {
		t.Fatalf("upsert is not served: %d", st)
	}
	var d struct{ Fields []map[string]any }
	o.call("GET", "/services/data/v62.0/sobjects/Case/describe", nil, &d)
	ok := false
	for _, f := range d.Fields {
		if f["name"] == "crmflow_key__c" {
			ok = f["externalId"] == true && f["unique"] == true
		}
	}
	if !ok {
		t.Fatal("describe does not show crmflow_key__c as a unique External ID field")
	}
	bare := newOrg(t, Options{NoWriteKeyField: true})
	if st, _ := bare.call("POST", "/services/data/v62.0/sobjects/Case", map[string]any{"Subject": "a", "crmflow_key__c": "k"}, &errs); st != 400 ||
		errs[0]["errorCode"] != "INVALID_FIELD" {
		t.Fatalf("org without the field: %d %v", st, errs)
	}
}
