package workflow

import (
	"context"
	"testing"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/phone"
	"github.com/crmflow/crmflow/shared/store"
)

// TestSearchFindsThisContactsOwnWrites: a record this contact created is
// found by its search even while the CRM's index does not show it yet
// (marked source "card"), and only once when the CRM does.
func TestSearchFindsThisContactsOwnWrites(t *testing.T) {
	f := newFixture(t, crm.Record{Entity: "Contact", ID: "old1", Display: "Jane Doe", Fields: map[string]any{"Phone": "+1 415 555 0100"}})
	ctx := context.Background()
	search := func(contact, number string) Result {
		t.Helper()
		r := req("search_phone", map[string]any{"phoneNumber": number})
		r.ContactID = contact
		res, err := f.svc.Search(ctx, "t1", r)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}

	// Created through crmflow in this contact; the CRM indexes it at once
	// here, so the search has it from the CRM and from the card: once.
	r := req("create_contact", map[string]any{"fields": map[string]any{"Name": "Janet", "Phone": "(415) 555-0100"}})
	created, err := f.svc.Create(ctx, "t1", r)
	if err != nil {
		t.Fatal(err)
	}
	res := search("k1", "+14155550100")
	if res.MatchCount != 2 || len(res.Records) != 2 {
		t.Fatalf("%d matches, want Jane and the new record once each: %+v", res.MatchCount, res.Records)
	}
	if res.Records[1].ID != created.Records[0].ID {
		t.Fatalf("the new record is not in the answer: %+v", res.Records)
	}
	for _, rec := range res.Records {
		if rec.Source != "" {
			t.Errorf("%s came from the CRM's answer, yet says source %q", rec.ID, rec.Source)
		}
	}

	// Created in contact k2 a moment ago; the CRM's search index lags and
	// shows only what it had. The card has the record: the search answers it too.
	lagging := store.CardRecord{Entity: "Contact", ID: "new9", Display: "Jim", Fields: []store.CardField{{Name: "Phone", Label: "Phone", Value: "4155550100"}}}
	other := store.CardRecord{Entity: "Contact", ID: "new8", Display: "Not the caller", Fields: []store.CardField{{Name: "Phone", Label: "Phone", Value: "+1 212 555 0199"}}}
	if err := f.st.WriteCard(ctx, "t1", "k2", "c1", []store.CardWrite{{Record: lagging, Section: store.SectionCurrent}, {Record: other, Section: store.SectionCurrent}}); err != nil {
		t.Fatal(err)
	}
	res = search("k2", "+1 (415) 555-0100")
	if res.MatchCount != 3 || res.Records[2].ID != "new9" || res.Records[2].Source != SourceCard || res.ScreenPopURL != "" {
		t.Fatalf("with a lagging index: %+v", res)
	}
	// Another contact's own records are its own.
	if res := search("k3", "+14155550100"); res.MatchCount != 2 || res.Records[0].ID == "new9" || res.Records[1].ID == "new9" {
		t.Fatalf("k3 sees k2's record: %+v", res.Records)
	}
}

func TestPhoneMatcher(t *testing.T) {
	m := phoneMatcher(phone.Number{CountryCode: "1", National: "4155550100", NationalDialled: "4155550100"})
	for v, want := range map[string]string{
		"+1 415 555 0100": store.MatchExact, "(415) 555-0100": store.MatchNational, "415.555.0100": store.MatchNational,
		"14155550100": store.MatchDigits, "+1 415 555 0199": "", "555 0100": "", "": "", "Jane": "",
	} {
		got, ok := m([]namedValue{{"Name", "Jane"}, {"Phone", v}})
		if got.Kind != want || ok != (want != "") || (ok && (got.Field != "Phone" || got.Score != matchScores[want])) {
			t.Errorf("%q matches %+v %v, want %q", v, got, ok, want)
		}
	}
	// The best field wins: the exact one over a national one.
	got, _ := m([]namedValue{{"HomePhone", "415-555-0100"}, {"MobilePhone", "+14155550100"}})
	if got.Field != "MobilePhone" || got.Kind != store.MatchExact {
		t.Errorf("best field %+v", got)
	}
	e := emailMatcher("jane.doe@example.com")
	if got, ok := e([]namedValue{{"Email", " Jane.Doe@Example.com"}}); !ok || got.Kind != store.MatchEmail || got.Field != "Email" {
		t.Error("email case")
	}
}
