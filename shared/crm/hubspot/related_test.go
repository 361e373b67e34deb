package hubspot

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmtest"
	"github.com/crmflow/crmflow/shared/phone"
	hssandbox "github.com/crmflow/crmflow/shared/sandbox/hubspot"
)

func displays(recs []crm.Record) []string {
	var out []string
	for _, r := range recs {
		out = append(out, r.Display)
	}
	return out
}

func TestRelatedOpenKeepsOpenTicketsNewestFirst(t *testing.T) {
	c, sb := startSandbox(t, nil, hssandbox.Options{PageSize: 2})
	jane, err := c.SearchByEmail(ctx(t), crm.EmailSearch{Email: crmtest.JaneEmail})
	if err != nil {
		t.Fatal(err)
	}
	ref := crm.Ref{Entity: "contacts", ID: jane[0].ID}
	open, err := c.RelatedOpen(ctx(t), ref, 5)
	if err != nil {
		t.Fatal(err)
	}
	// Closed: "Toner delivery missing" (stage 4 of the default pipeline) and
	// "Badge reader offline" (the Escalations pipeline's closed stage).
	if got := displays(open); !slices.Equal(got, []string{crmtest.JaneCase, "Invoice copy requested"}) {
		t.Fatalf("open tickets %q", got)
	}
	r := open[0]
	if r.Entity != "tickets" || r.Fields["hs_pipeline_stage"] != "1" || !strings.HasSuffix(r.URL, "/record/0-5/"+r.ID) {
		t.Fatalf("record %+v", r)
	}
	// Four associated tickets in pages of two.
	if n := sb.CallsPrefix("GET /crm/v4/objects/contacts/" + jane[0].ID + "/associations/tickets"); n != 2 {
		t.Fatalf("%d association pages", n)
	}
	open, err = c.RelatedOpen(ctx(t), ref, 1)
	if err != nil || !slices.Equal(displays(open), []string{crmtest.JaneCase}) {
		t.Fatalf("limit 1: %q, %v", displays(open), err)
	}
	if n := sb.Calls("GET /crm/v3/pipelines/tickets"); n != 1 {
		t.Fatalf("pipelines read %d times, want once (cached)", n)
	}
}

func TestRelatedOpenOfCompanyAndOfNobody(t *testing.T) {
	c, sb := startSandbox(t, nil, hssandbox.Options{})
	acme, err := c.SearchByPhone(ctx(t), crm.PhoneSearch{Variants: []string{"+16505550110"}})
	if err != nil || len(acme) != 1 {
		t.Fatalf("%+v, %v", acme, err)
	}
	open, err := c.RelatedOpen(ctx(t), crm.Ref{Entity: "companies", ID: acme[0].ID}, 5)
	if err != nil || !slices.Equal(displays(open), []string{crmtest.JaneCase}) {
		t.Fatalf("%q, %v", displays(open), err)
	}
	lone, err := sb.Add("contacts", map[string]string{"firstname": "Lone"})
	if err != nil {
		t.Fatal(err)
	}
	sb.ResetCalls()
	open, err = c.RelatedOpen(ctx(t), crm.Ref{Entity: "contacts", ID: lone}, 5)
	if err != nil || len(open) != 0 {
		t.Fatalf("%+v, %v", open, err)
	}
	if n := sb.CallsPrefix("POST "); n != 0 {
		t.Fatalf("%d batch reads for a contact without tickets", n)
	}
}

func TestRelatedOpenRefusesBadRef(t *testing.T) {
	c, _ := startSandbox(t, nil, hssandbox.Options{})
	for _, ref := range []crm.Ref{{Entity: "contacts", ID: "12/../x"}, {Entity: "people", ID: "12"}, {Entity: "contacts", ID: ""}} {
		if _, err := c.RelatedOpen(ctx(t), ref, 5); crm.CodeOf(err) != crm.InvalidArgument {
			t.Errorf("%v: %v", ref, err)
		}
	}
}

// A 207 batch answer drops tickets deleted since they were associated, but
// any other partial failure fails the read.
func TestBatchReadPartialResults(t *testing.T) {
	for _, tc := range []struct {
		category string
		code     crm.Code
	}{{"OBJECT_NOT_FOUND", ""}, {"MISSING_SCOPES", crm.PermissionDenied}} {
		mux := http.NewServeMux()
		mux.HandleFunc("GET /account-info/v3/details", accountDetails)
		mux.HandleFunc("GET /crm/v4/objects/contacts/7/associations/tickets", func(w http.ResponseWriter, r *http.Request) {
			w.Write([]byte(`{"results":[{"toObjectId":11,"associationTypes":[{"category":"HUBSPOT_DEFINED","typeId":15,"label":null}]},` +
				`{"toObjectId":12,"associationTypes":[{"category":"HUBSPOT_DEFINED","typeId":15,"label":null}]}]}`))
		})
		mux.HandleFunc("GET /crm/v3/pipelines/tickets", func(w http.ResponseWriter, r *http.Request) {
			w.Write([]byte(`{"results":[{"id":"0","stages":[{"id":"1","metadata":{"ticketState":"OPEN"}},{"id":"4","metadata":{"ticketState":"CLOSED"}}]}]}`))
		})
		mux.HandleFunc("POST /crm/v3/objects/tickets/batch/read", func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusMultiStatus)
			w.Write([]byte(`{"status":"COMPLETE","results":[{"id":"11","properties":{"subject":"Open one","hs_pipeline":"0",` +
				`"hs_pipeline_stage":"1"},"updatedAt":"2026-11-20T10:00:00.000Z"}],"numErrors":1,"errors":[{"status":"error",` +
				`"category":"` + tc.category + `","message":"Could not get some TICKET objects","context":{"ids":["12"]}}]}`))
		})
		c := fakeAPI(t, mux)
		c.appOrigin = ""
		open, err := c.RelatedOpen(ctx(t), crm.Ref{Entity: "contacts", ID: "7"}, 5)
		if tc.code != "" {
			wantCode(t, err, tc.code)
			continue
		}
		if err != nil || !slices.Equal(displays(open), []string{"Open one"}) ||
			open[0].URL != "https://app-eu1.hubspot.com/contacts/123456/record/0-5/11" {
			t.Fatalf("%+v, %v", open, err)
		}
	}
}

func TestNewest(t *testing.T) {
	got := newest([]string{"9", "100", "12", "99", "1000"}, 3)
	if !slices.Equal(got, []string{"1000", "100", "99"}) {
		t.Fatalf("%v", got)
	}
}

// TestSingleMatchPhoneSearchCalls counts the CRM requests of a phone search
// that finds one person, with her open tickets: one search per object
// type (contacts, companies), the ticket associations and one batch read
// of the tickets; the account details and the ticket pipelines are read
// once per connector (cached). HubSpot's search answers carry no
// associations, so fewer is not possible without the lagging index (see
// doc.go, "Search round trips").
func TestSingleMatchPhoneSearchCalls(t *testing.T) {
	c, sb := startSandbox(t, nil, hssandbox.Options{})
	variants, err := phone.Variants(crmtest.JaneANI)
	if err != nil {
		t.Fatal(err)
	}
	s := crm.PhoneSearch{Variants: variants, Limit: 10}
	for i, want := range []int{6, 4} { // cold caches, then warm
		sb.ResetCalls()
		r, err := crm.SearchByPhoneWithRelated(ctx(t), c, s, 5)
		if err != nil || len(r.Records) != 1 || r.RelatedErr != nil || len(r.Records[0].Related) == 0 {
			t.Fatalf("%+v, %v", r, err)
		}
		if got := sb.TotalCalls(); got != want {
			t.Errorf("search %d: %d CRM calls, want %d", i+1, got, want)
		}
	}
}
