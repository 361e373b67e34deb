package salesforce

import (
	"testing"

	"github.com/crmflow/crmflow/shared/crm"
	sfsandbox "github.com/crmflow/crmflow/shared/sandbox/salesforce"
)

func TestEscapeSOSL(t *testing.T) {
	for in, want := range map[string]string{
		"4155550100":        "4155550100",
		"+1 (415) 555-0100": `\+1 \(415\) 555\-0100`,
		`"} OR {x`:          `\"\} OR \{x`,
		`back\slash`:        `back\\slash`,
		`it's`:              `it\'s`,
		"*?&|!^~:[]":        `\*\?\&\|\!\^\~\:\[\]`,
	} {
		if got := escapeSOSL(in); got != want {
			t.Errorf("escapeSOSL(%q) = %q, want %q", in, got, want)
		}
	}
}

// Every variant, whatever it contains, comes back out of the sandbox's strict
// SOSL parser as one literal phrase with no wildcards.
func TestPhoneSOSLRoundTrip(t *testing.T) {
	variants := []string{"+14155550100", "(415) 555-0100", `a"b\c`, "} IN ALL FIELDS RETURNING User(Id) LIMIT 1 FIND {x", "*?", "50% off", "it's  ", ""}
	plans, err := makePlans("test", nil, phoneEntities)
	if err != nil {
		t.Fatal(err)
	}
	q, ok := phoneSOSL(variants, plans, 7)
	if !ok {
		t.Fatal("no query")
	}
	s, err := sfsandbox.ParseSOSL(q)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	or, ok := s.Find.(*sfsandbox.SearchOr)
	if !ok || len(or.Terms) != 7 {
		t.Fatalf("%s parsed as %#v", q, s.Find)
	}
	for i, term := range or.Terms {
		st := term.(*sfsandbox.SearchTerm)
		want := variants[i]
		if i == 6 {
			want = "it's"
		}
		if !st.Phrase || st.Text != want || len(st.Wild) != 0 {
			t.Errorf("term %d = %+v, want phrase %q", i, st, want)
		}
	}
	if s.In != "PHONE" || len(s.Returning) != 3 || s.Returning[0].Entity != "Contact" || s.Returning[2].Query.Limit != 7 {
		t.Fatalf("clauses %+v", s)
	}
	if _, ok := phoneSOSL([]string{" ", ""}, plans, 7); ok {
		t.Fatal("a search with no variant")
	}
}

func TestSearchByPhoneWithMapping(t *testing.T) {
	c, _ := startSandbox(t, nil, sfsandbox.Options{})
	// Maria's mobile matches; restricting the search to Phone drops her.
	v := []string{"+17735550162", "7735550162"}
	recs, err := c.SearchByPhone(ctx(t), crm.PhoneSearch{Variants: v, Entities: []crm.EntitySpec{
		{Entity: "Contact", DisplayFields: []string{"Name", "Account.Name", "MobilePhone"}},
	}})
	if err != nil || len(recs) != 1 {
		t.Fatalf("%v %+v", err, recs)
	}
	r := recs[0]
	if r.Display != "Maria Garcia" || r.Fields["Account.Name"] != "Globex Inc." || r.Fields["MobilePhone"] != "+1 (773) 555-0162" || r.Updated.IsZero() {
		t.Fatalf("%+v", r)
	}
	if r.URL != c.origin+"/lightning/r/Contact/"+r.ID+"/view" {
		t.Fatalf("url %s", r.URL)
	}
	recs, err = c.SearchByPhone(ctx(t), crm.PhoneSearch{Variants: v, Entities: []crm.EntitySpec{{Entity: "Contact", SearchFields: []string{"Phone"}}}})
	if err != nil || len(recs) != 0 {
		t.Fatalf("search fields ignored: %v %+v", err, recs)
	}
	_, err = c.SearchByPhone(ctx(t), crm.PhoneSearch{Variants: v, Entities: []crm.EntitySpec{{Entity: "Contact) , User(Id"}}})
	wantCode(t, err, crm.InvalidArgument)
	_, err = c.SearchByPhone(ctx(t), crm.PhoneSearch{})
	wantCode(t, err, crm.InvalidArgument)
}
