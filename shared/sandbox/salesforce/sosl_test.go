package salesforce

import (
	"errors"
	"slices"
	"testing"
)

func TestParseSOSLTerms(t *testing.T) {
	s, err := ParseSOSL(`FIND {"\+1 \(415\) 555\-0100" OR jane* AND NOT "a\"b\\c"} IN PHONE FIELDS RETURNING Contact(Id, Name WHERE Email != null ORDER BY Name LIMIT 5), Lead LIMIT 20`)
	if err != nil {
		t.Fatal(err)
	}
	or := s.Find.(*SearchOr)
	first := or.Terms[0].(*SearchTerm)
	if first.Text != "+1 (415) 555-0100" || !first.Phrase || len(first.Wild) != 0 {
		t.Fatalf("first term %+v", first)
	}
	and := or.Terms[1].(*SearchAnd)
	if w := and.Terms[0].(*SearchTerm); w.Text != "jane*" || !slices.Equal(w.Wild, []int{4}) {
		t.Fatalf("wildcard term %+v", w)
	}
	if n := and.Terms[1].(*SearchNot).X.(*SearchTerm); n.Text != `a"b\c` {
		t.Fatalf("negated term %+v", n)
	}
	if s.In != "PHONE" || s.Limit != 20 || len(s.Returning) != 2 || s.Returning[0].Query.Limit != 5 || s.Returning[1].Entity != "Lead" {
		t.Fatalf("clauses %+v", s)
	}
}

func TestParseSOSLRefuses(t *testing.T) {
	for _, q := range []string{
		"",
		"FIND jane",
		"FIND {jane",
		"FIND {}",
		`FIND {"unterminated}`,
		"FIND {a}",
		"FIND {415-555-0100}",
		`FIND {"415-555-0100"}`,
		"FIND {+14155550100}",
		"FIND {(415)) 555}",
		"FIND {jane:doe}",
		"FIND {jane'doe}",
		`FIND {jane\doe}`,
		"FIND {jane} IN PHONE",
		"FIND {jane} IN OTHER FIELDS",
		"FIND {jane} RETURNING Contact(Id",
		"FIND {jane} RETURNING Contact(Id) garbage",
		"FIND {jane OR}",
		"FIND {(jane}",
	} {
		_, err := ParseSOSL(q)
		var qe *QueryError
		if !errors.As(err, &qe) || qe.Code != "MALFORMED_SEARCH" {
			t.Errorf("%q: want MALFORMED_SEARCH, got %v", q, err)
		}
	}
}

func search(t *testing.T, s *Server, src string) []string {
	t.Helper()
	q, err := ParseSOSL(src)
	if err != nil {
		t.Fatalf("%s: %v", src, err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	rows, apiErr := s.search(q, "v62.0")
	if apiErr != nil {
		t.Fatalf("%s: %v", src, apiErr)
	}
	var out []string
	for _, r := range rows {
		n, _ := r.vals["Name"].(string)
		out = append(out, n)
	}
	return out
}

func TestSearchPhoneNormalization(t *testing.T) {
	s := New(Options{})
	for _, tc := range []struct {
		term string
		want []string
	}{
		{`"\+14155550100"`, []string{"Jane Doe"}},
		{`4155550100`, []string{"Jane Doe"}},
		{`14155550100`, []string{"Jane Doe"}},
		{`"\(415\) 555\-0100"`, []string{"Jane Doe"}},
		{`"415 555 0199"`, []string{"John Roe"}},
		{`"\+1 \(773\) 555\-0162"`, []string{"Maria Garcia"}},
		{`"\+12125550000"`, nil},
		{`5550100`, nil}, // a partial number is not a phone match
		{`"\+14155550100" OR 4155550199`, []string{"Jane Doe", "John Roe"}},
	} {
		got := search(t, s, "FIND {"+tc.term+"} IN PHONE FIELDS RETURNING Contact(Id, Name), Lead(Id, Name), Account(Id, Name)")
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s: got %q, want %q", tc.term, got, tc.want)
		}
	}
}

func TestSearchTextGroups(t *testing.T) {
	s := New(Options{})
	if got := search(t, s, "FIND {jane.doe@example.com} IN EMAIL FIELDS RETURNING Contact(Name)"); !slices.Equal(got, []string{"Jane Doe"}) {
		t.Fatalf("email: %q", got)
	}
	if got := search(t, s, "FIND {jane.doe@example.com} IN NAME FIELDS RETURNING Contact(Name)"); got != nil {
		t.Fatalf("an email is not a name: %q", got)
	}
	if got := search(t, s, "FIND {wat*} IN NAME FIELDS RETURNING Lead(Name)"); !slices.Equal(got, []string{"Kenji Watanabe"}) {
		t.Fatalf("wildcard: %q", got)
	}
	if got := search(t, s, `FIND {"jane doe" OR garcia AND NOT maria} RETURNING Contact(Name ORDER BY Name)`); !slices.Equal(got, []string{"Jane Doe"}) {
		t.Fatalf("boolean: %q", got)
	}
	if got := search(t, s, "FIND {acme} RETURNING Account(Name), Contact(Name) LIMIT 1"); !slices.Equal(got, []string{"Acme Corporation"}) {
		t.Fatalf("limit: %q", got)
	}
}
