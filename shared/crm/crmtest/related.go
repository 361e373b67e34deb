package crmtest

import (
	"context"
	"reflect"
	"testing"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/phone"
)

// RelatedSearch is one search a crm.RelatedSearcher is checked with: a
// phone number or an email, with the mapping's entities (nil: defaults).
type RelatedSearch struct {
	Name     string
	ANI      string
	Email    string
	Entities []crm.EntitySpec
	// Calls is the number of CRM requests the one-round-trip search may
	// make (token requests aside); 0 means 1.
	Calls int
}

// DefaultRelatedSearches are the fixture's cases: Jane (one match with an
// open case) by phone and by email, nobody, and the shared number that
// finds several people.
func DefaultRelatedSearches() []RelatedSearch {
	return []RelatedSearch{
		{Name: "phone/single", ANI: JaneANI},
		{Name: "phone/none", ANI: UnknownANI},
		{Name: "email/single", Email: JaneEmail},
		{Name: "email/none", Email: "nobody@example.com"},
		{Name: "email/john", Email: JohnEmail},
	}
}

// CheckRelatedSearch checks that conn's one-round-trip search answers as
// the search and a RelatedOpen call of the single match do, and that it
// costs the CRM requests the case allows (one unless told). sb counts the
// requests.
func CheckRelatedSearch(t *testing.T, conn crm.Connector, sb Sandbox, cases []RelatedSearch) {
	t.Helper()
	rs, ok := conn.(crm.RelatedSearcher)
	if !ok {
		t.Fatalf("%T is no crm.RelatedSearcher", conn)
	}
	const related = 5
	ctx := context.Background()
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			var want []crm.Record
			var err error
			var got crm.RelatedResult
			before := 0
			if c.ANI != "" {
				variants, verr := phone.Variants(c.ANI)
				if verr != nil {
					t.Fatal(verr)
				}
				s := crm.PhoneSearch{Variants: variants, Entities: c.Entities, Limit: 10}
				if want, err = conn.SearchByPhone(ctx, s); err != nil {
					t.Fatal(err)
				}
				want = withRelated(t, ctx, conn, want, related)
				before = sb.TotalCalls() - sb.TokenRequests()
				got, err = rs.SearchByPhoneWithRelated(ctx, s, related)
			} else {
				s := crm.EmailSearch{Email: c.Email, Entities: c.Entities, Limit: 10}
				if want, err = conn.SearchByEmail(ctx, s); err != nil {
					t.Fatal(err)
				}
				want = withRelated(t, ctx, conn, want, related)
				before = sb.TotalCalls() - sb.TokenRequests()
				got, err = rs.SearchByEmailWithRelated(ctx, s, related)
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.RelatedErr != nil {
				t.Fatalf("related: %v", got.RelatedErr)
			}
			calls := sb.TotalCalls() - sb.TokenRequests() - before
			allowed := max(c.Calls, 1)
			if calls > allowed {
				t.Errorf("one-round-trip search made %d CRM requests, want ≤ %d", calls, allowed)
			}
			if len(got.Records) > 1 {
				for i := range got.Records {
					got.Records[i].Related = nil
				}
			}
			if !reflect.DeepEqual(normalize(got.Records), normalize(want)) {
				t.Errorf("one round trip answered\n%+v\nthe calls one by one\n%+v", got.Records, want)
			}
		})
	}
}

// withRelated adds the single match's open cases as the search use case did
// before drivers could bring them in the same round trip.
func withRelated(t *testing.T, ctx context.Context, conn crm.Connector, recs []crm.Record, related int) []crm.Record {
	t.Helper()
	if len(recs) != 1 {
		return recs
	}
	open, err := conn.RelatedOpen(ctx, crm.Ref{Entity: recs[0].Entity, ID: recs[0].ID}, related)
	if err != nil {
		t.Fatalf("RelatedOpen: %v", err)
	}
	recs[0].Related = open
	return recs
}

// normalize makes empty and nil lists compare equal.
func normalize(recs []crm.Record) []crm.Record {
	if len(recs) == 0 {
		return nil
	}
	out := make([]crm.Record, len(recs))
	for i, r := range recs {
		r.Related = normalize(r.Related)
		if len(r.Fields) == 0 {
			r.Fields = nil
		}
		out[i] = r
	}
	return out
}
