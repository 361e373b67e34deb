package hubspot

import (
	"fmt"
	"slices"
	"testing"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmtest"
	hssandbox "github.com/crmflow/crmflow/shared/sandbox/hubspot"
)

func TestSearchFollowsPages(t *testing.T) {
	c, sb := startSandbox(t, nil, hssandbox.Options{Empty: true, PageSize: 2})
	for i := range 7 {
		if _, err := sb.Add("contacts", map[string]string{"firstname": fmt.Sprintf("Ann%d", i), "lastname": "Lee", "city": "Oslo"}); err != nil {
			t.Fatal(err)
		}
	}
	sb.Add("contacts", map[string]string{"firstname": "Bo", "lastname": "Lee", "city": "Rome"})
	q := crm.Query{Entity: "contacts", Fields: []string{"city"}, Filter: crm.Filter{Field: "city", Op: crm.OpEq, Value: "oslo"}}
	for limit, want := range map[int]int{0: 7, 3: 3, 5: 5, 100: 7} {
		q.Limit = limit
		sb.ResetCalls()
		recs, err := c.Search(ctx(t), q)
		if err != nil {
			t.Fatal(err)
		}
		if len(recs) != want {
			t.Fatalf("limit %d: %d records, want %d", limit, len(recs), want)
		}
		for i, r := range recs {
			if r.Display != fmt.Sprintf("Ann%d Lee", i) || r.Fields["city"] != "Oslo" || r.Entity != "contacts" || r.Updated.IsZero() {
				t.Fatalf("record %d: %+v", i, r)
			}
		}
		if pages := sb.Calls("POST /crm/v3/objects/contacts/search"); pages != (want+1)/2 {
			t.Fatalf("limit %d: %d pages", limit, pages)
		}
	}
}

func TestSearchByPhoneMappingFieldsSplitRequests(t *testing.T) {
	c, sb := startSandbox(t, nil, hssandbox.Options{})
	// Six search fields, one group each: more than HubSpot's five groups, so two requests.
	fields := []string{"fax", "phone", "mobilephone", "company", "city", "zip"}
	recs, err := c.SearchByPhone(ctx(t), crm.PhoneSearch{Variants: []string{crmtest.JaneANI},
		Entities: []crm.EntitySpec{{Entity: "0-1", SearchFields: fields, DisplayFields: []string{"email", "jobtitle"}}}})
	if err != nil {
		t.Fatal(err)
	}
	if n := sb.Calls("POST /crm/v3/objects/contacts/search"); n != 2 {
		t.Fatalf("%d search requests, want 2", n)
	}
	if len(recs) != 1 || recs[0].Entity != "contacts" || recs[0].Display != "Jane Doe" ||
		!slices.Equal(sortedKeys(recs[0].Fields), []string{"email", "jobtitle"}) || recs[0].Fields["jobtitle"] != "Office Manager" {
		t.Fatalf("records %+v", recs)
	}
}

func TestSearchByPhoneFindsCompanies(t *testing.T) {
	c, _ := startSandbox(t, nil, hssandbox.Options{})
	recs, err := c.SearchByPhone(ctx(t), crm.PhoneSearch{Variants: []string{"+16505550110", "6505550110"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1 || recs[0].Entity != "companies" || recs[0].Display != "Acme Corporation" {
		t.Fatalf("records %+v", recs)
	}
}

func TestSearchByEmailIgnoresCase(t *testing.T) {
	c, _ := startSandbox(t, nil, hssandbox.Options{})
	recs, err := c.SearchByEmail(ctx(t), crm.EmailSearch{Email: "Jane.Doe@Example.com"})
	if err != nil || len(recs) != 1 || recs[0].Display != "Jane Doe" {
		t.Fatalf("records %+v, %v", recs, err)
	}
}

func TestSearchRefusesBadInput(t *testing.T) {
	c, sb := startSandbox(t, nil, hssandbox.Options{})
	for name, call := range map[string]func() error{
		"no phone": func() error {
			_, err := c.SearchByPhone(ctx(t), crm.PhoneSearch{Variants: []string{" "}})
			return err
		},
		"no email": func() error { _, err := c.SearchByEmail(ctx(t), crm.EmailSearch{Email: ""}); return err },
		"bad entity": func() error {
			_, err := c.SearchByEmail(ctx(t), crm.EmailSearch{Email: "a@b.c", Entities: []crm.EntitySpec{{Entity: "contactz"}}})
			return err
		},
		"dotted display field": func() error {
			_, err := c.SearchByEmail(ctx(t), crm.EmailSearch{Email: "a@b.c",
				Entities: []crm.EntitySpec{{Entity: "contacts", DisplayFields: []string{"company.name"}}}})
			return err
		},
		"no search fields for deals": func() error {
			_, err := c.SearchByEmail(ctx(t), crm.EmailSearch{Email: "a@b.c", Entities: []crm.EntitySpec{{Entity: "deals"}}})
			return err
		},
		"startsWith": func() error {
			_, err := c.Search(ctx(t), crm.Query{Entity: "contacts", Filter: crm.Filter{Field: "email", Op: crm.OpStartsWith, Value: "jane"}})
			return err
		},
	} {
		if err := call(); crm.CodeOf(err) != crm.InvalidArgument {
			t.Errorf("%s: %v, want InvalidArgument", name, err)
		}
	}
	if n := sb.CallsPrefix("POST /crm/v3/objects/"); n != 0 {
		t.Fatalf("%d searches sent for refused input", n)
	}
}

// A property the object lacks is HubSpot's VALIDATION_ERROR, kept as InvalidArgument.
func TestSearchUnknownProperty(t *testing.T) {
	c, _ := startSandbox(t, nil, hssandbox.Options{})
	_, err := c.Search(ctx(t), crm.Query{Entity: "contacts", Filter: crm.Filter{Field: "favourite_colour", Op: crm.OpEq, Value: "red"}})
	e := wantCode(t, err, crm.InvalidArgument)
	if e.CRMCode != "VALIDATION_ERROR" || e.Status != 400 {
		t.Fatalf("%+v", e)
	}
}

func TestSearchContainsTokenAndAssociations(t *testing.T) {
	c, _ := startSandbox(t, nil, hssandbox.Options{})
	jane, err := c.SearchByEmail(ctx(t), crm.EmailSearch{Email: crmtest.JaneEmail})
	if err != nil {
		t.Fatal(err)
	}
	recs, err := c.Search(ctx(t), crm.Query{Entity: "tickets", Fields: []string{"subject"}, Filter: crm.Filter{All: []crm.Filter{
		{Field: "associations.contact", Op: crm.OpEq, Value: jane[0].ID},
		{Field: "subject", Op: crm.OpContains, Value: "printer"},
	}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1 || recs[0].Display != crmtest.JaneCase {
		t.Fatalf("records %+v", recs)
	}
	// Token semantics: a word's start is not a token.
	recs, err = c.Search(ctx(t), crm.Query{Entity: "tickets", Filter: crm.Filter{Field: "subject", Op: crm.OpContains, Value: "print"}})
	if err != nil || len(recs) != 0 {
		t.Fatalf("records %+v, %v", recs, err)
	}
}

func TestPhoneForms(t *testing.T) {
	for _, tc := range []struct {
		variants []string
		want     []string
	}{
		{[]string{"+14155550100", "4155550100"}, []string{"+14155550100", "4155550100", "(415) 555-0100", "415-555-0100", "+1 (415) 555-0100", "+1 415-555-0100",
			"+1 415 555 0100", "1-415-555-0100", "415.555.0100", "415 555 0100"}},
		{[]string{"+442079460958"}, []string{"+442079460958", "+44 2079460958", "00442079460958"}},
		{[]string{" 5550100 "}, []string{"5550100"}},
		{[]string{"", " "}, nil},
	} {
		if got := phoneForms(crm.PhoneSearch{Variants: tc.variants}); !slices.Equal(got, tc.want) {
			t.Errorf("phoneForms(%q) = %q, want %q", tc.variants, got, tc.want)
		}
	}
}
