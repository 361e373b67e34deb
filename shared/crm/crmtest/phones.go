package crmtest

import (
	"strings"
	"testing"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/phone/libphone"
)

// phoneScenarios are the numbers callers bring (issue 14): a number two
// people share, and UK and Japanese callers whose numbers the contact
// center hands over in national format while the CRM holds them in E.164.
// Each person is created through the driver (Harness.PersonWithPhone) and
// searched at once (the sandbox's index lag is 0 here).
var phoneScenarios = []scenario{
	{"SharedNumber", false, func(t *testing.T, h Harness, c crm.Connector, sb Sandbox) {
		if h.UniquePersonPhone {
			// The CRM keeps one person per number: a second is its refusal.
			_, err := c.Create(ctx(t), h.Person, h.PersonWithPhone("Sam", "Shared", JaneANI))
			if e, ok := crm.AsError(err); !ok || e.Code != crm.AlreadyExists {
				t.Fatalf("a second person with Jane's number: %v, want the CRM's ALREADY_EXISTS", err)
			}
			return
		}
		sam := createPerson(t, h, c, "Sam", "Shared", JaneANI)
		recs := searchNumber(t, c, "(415) 555-0100", "US")
		if !hasRecord(recs, sam) || !hasName(recs, JaneFirst) {
			t.Fatalf("a number on Jane and on Sam: got %v, want both", displays(recs))
		}
	}},
	{"NationalFormats", false, func(t *testing.T, h Harness, c crm.Connector, sb Sandbox) {
		for _, p := range []struct{ first, stored, national, region string }{
			{"Uma", "+44 20 7946 0958", "020 7946 0958", "GB"},
			{"Jun", "+81 3-1234-5678", "03-1234-5678", "JP"},
		} {
			id := createPerson(t, h, c, p.first, "Caller", p.stored)
			recs := searchNumber(t, c, p.national, p.region)
			if !hasRecord(recs, id) {
				t.Errorf("%s stored as %q, called from %q in %s: got %v, want %s among them", p.first, p.stored, p.national, p.region, displays(recs), p.first)
			}
		}
	}},
}

// createPerson makes a person with a phone number and returns its id.
func createPerson(t *testing.T, h Harness, c crm.Connector, first, last, number string) string {
	t.Helper()
	if h.PersonWithPhone == nil {
		t.Fatalf("%s: the harness has no PersonWithPhone: every driver's phone scenarios run", h.Type)
	}
	rec, err := c.Create(ctx(t), h.Person, h.PersonWithPhone(first, last, number))
	if err != nil || rec.ID == "" {
		t.Fatalf("create %s %s with %s: %+v, %v", first, last, number, rec, err)
	}
	return rec.ID
}

// searchNumber searches a caller's number as the search function parses it
// (libphonenumber in the configuration's default region).
func searchNumber(t *testing.T, c crm.Connector, raw, region string) []crm.Record {
	t.Helper()
	n, err := libphone.Parse(raw, region)
	if err != nil {
		t.Fatalf("parse %q in %s: %v", raw, region, err)
	}
	recs, err := c.SearchByPhone(ctx(t), crm.PhoneSearch{Variants: n.Variants(), Number: n, Limit: 10})
	if err != nil {
		t.Fatalf("search %q: %v", raw, err)
	}
	return recs
}

func hasRecord(recs []crm.Record, id string) bool {
	for _, r := range recs {
		if r.ID == id {
			return true
		}
	}
	return false
}

func hasName(recs []crm.Record, name string) bool {
	for _, r := range recs {
		if strings.Contains(r.Display, name) {
			return true
		}
	}
	return false
}

func displays(recs []crm.Record) []string {
	out := make([]string, len(recs))
	for i, r := range recs {
		out[i] = r.Entity + "/" + r.ID + " " + r.Display
	}
	return out
}
