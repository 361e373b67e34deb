package salesforce

import (
	"errors"
	"slices"
	"testing"
	"time"
)

func TestParseSOQLAccepts(t *testing.T) {
	for _, q := range []string{
		"SELECT Id FROM Contact",
		"select id, name from contact where name = 'x'",
		"SELECT Id, Account.Name, Account.Owner.Name FROM Contact WHERE Account.Name LIKE 'Acme%' ORDER BY LastModifiedDate DESC NULLS LAST LIMIT 5 OFFSET 1",
		"SELECT Id FROM Contact WHERE (Email = 'a' OR Email = 'b') AND LastName != null",
		"SELECT Id FROM Contact WHERE NOT LastName = 'x'",
		"SELECT Id FROM Case WHERE IsClosed = false AND Status IN ('New', 'Working') AND Priority NOT IN ('Low')",
		"SELECT Id FROM Opportunity WHERE Amount >= -10.5 AND CloseDate < 2026-12-31 AND CreatedDate > 2026-01-01T00:00:00Z",
		"SELECT Id FROM Contact WHERE CreatedDate = LAST_N_DAYS:30 OR CreatedDate = TODAY",
		`SELECT Id FROM Contact WHERE Name = 'a\'b\"c\\d\ne\rf\tg\bh\fi\u00e9'`,
		`SELECT Id FROM Contact WHERE Name LIKE '50\%\_%'`,
		"SELECT Id FROM Order WHERE Name = 'x'",
	} {
		if _, err := ParseSOQL(q); err != nil {
			t.Errorf("%s: %v", q, err)
		}
	}
}

func TestParseSOQLRefuses(t *testing.T) {
	for _, q := range []string{
		"",
		"SELECT FROM Contact",
		"SELECT Id Contact",
		"SELECT Id, FROM Contact",
		"SELECT Id, Id FROM Contact",
		"SELECT Id FROM Contact WHERE",
		"SELECT Id FROM Contact WHERE Name = 'unterminated",
		`SELECT Id FROM Contact WHERE Name = 'bad \x escape'`,
		`SELECT Id FROM Contact WHERE Name = 'trailing backslash\`,
		`SELECT Id FROM Contact WHERE Name = '\%' `,
		"SELECT Id FROM Contact WHERE Name = 'a' garbage",
		"SELECT Id FROM Contact WHERE Name == 'a'",
		"SELECT Id FROM Contact WHERE Name <> 'a'",
		"SELECT Id FROM Contact WHERE Name ! 'a'",
		"SELECT Id FROM Contact WHERE A = 'a' AND B = 'b' OR C = 'c'",
		"SELECT Id FROM Contact WHERE (A = 'a'",
		"SELECT Id FROM Contact WHERE Name IN ()",
		"SELECT Id FROM Contact WHERE Name LIKE 5",
		"SELECT Id FROM Contact WHERE Name = 'x' LIMIT -1",
		"SELECT Id FROM Contact WHERE Name = 'x' LIMIT 1.5",
		"SELECT Id FROM Contact WHERE CreatedDate = LAST_N_DAYS",
		"SELECT Id FROM Contact WHERE CreatedDate = 2026-13-01",
		"SELECT Id FROM Contact WHERE Name = SOMETHING",
		"SELECT Id FROM Contact WHERE Account. = 'x'",
		"SELECT Id FROM Contact WHERE AND = 'x'",
		"SELECT Id FROM Contact.Account",
		"SELECT Id FROM Contact; DELETE",
		"SELECT Id FROM Contact WHERE Name = 'x' -- comment",
	} {
		_, err := ParseSOQL(q)
		var qe *QueryError
		if !errors.As(err, &qe) || qe.Code != "MALFORMED_QUERY" {
			t.Errorf("%q: want MALFORMED_QUERY, got %v", q, err)
		}
	}
}

func TestStringLiteralsDecode(t *testing.T) {
	q, err := ParseSOQL(`SELECT Id FROM Contact WHERE Name LIKE 'a\'b\\c\%d_e%'`)
	if err != nil {
		t.Fatal(err)
	}
	v := q.Where.(*Cond).Value
	if v.Text != `a'b\c%d_e%` || !slices.Equal(v.Wild, []int{7, 9}) {
		t.Fatalf("text %q wild %v", v.Text, v.Wild)
	}
}

// query runs SOQL against a demo org and returns the matching records.
func query(t *testing.T, s *Server, src string) []map[string]any {
	t.Helper()
	q, err := ParseSOQL(src)
	if err != nil {
		t.Fatalf("%s: %v", src, err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.entityByName(q.Entity)
	if !ok {
		t.Fatalf("no entity %s", q.Entity)
	}
	recs, _, apiErr := s.selectRecords(e, q)
	if apiErr != nil {
		t.Fatalf("%s: %v", src, apiErr)
	}
	return recs
}

func names(recs []map[string]any, field string) []string {
	var out []string
	for _, r := range recs {
		v, _ := r[field].(string)
		out = append(out, v)
	}
	return out
}

func TestEvaluation(t *testing.T) {
	s := New(Options{Empty: true, Now: func() time.Time { return time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC) }})
	for _, c := range []map[string]any{
		{"LastName": "Percent", "Email": "50%off@example.com", "Birthdate": "1990-05-01"},
		{"LastName": "Under_score", "Email": "a_b@example.com", "Birthdate": "2000-01-01"},
		{"LastName": "O'Brien", "Email": "obrien@example.com"},
		{"LastName": `Back\slash`, "Email": "MIXED@Example.com", "DoNotCall": true},
	} {
		s.Add("Contact", c)
	}
	for _, tc := range []struct {
		where string
		want  []string
	}{
		{`Email LIKE '50\%%'`, []string{"Percent"}},
		{`Email LIKE '50%'`, []string{"Percent"}},
		{`Email LIKE 'a\_b%'`, []string{"Under_score"}},
		{`Email LIKE 'a_b%'`, []string{"Under_score"}},
		{`Email LIKE '%\_%'`, []string{"Under_score"}},
		{`LastName = 'o\'brien'`, []string{"O'Brien"}},
		{`LastName = 'Back\\slash'`, []string{`Back\slash`}},
		{`Email = 'mixed@example.com'`, []string{`Back\slash`}},
		{`Email LIKE '%EXAMPLE.COM'`, []string{"Percent", "Under_score", "O'Brien", `Back\slash`}},
		{`LastName IN ('percent', 'x')`, []string{"Percent"}},
		{`LastName NOT IN ('Percent', 'Under_score')`, []string{"O'Brien", `Back\slash`}},
		{`NOT LastName LIKE 'p%'`, []string{"Under_score", "O'Brien", `Back\slash`}},
		{`Birthdate = null`, []string{"O'Brien", `Back\slash`}},
		{`Birthdate < 1995-01-01`, []string{"Percent"}},
		{`Birthdate >= 2000-01-01`, []string{"Under_score"}},
		{`DoNotCall = true`, []string{`Back\slash`}},
		{`CreatedDate = TODAY AND CreatedDate = LAST_N_DAYS:1`, []string{"Percent", "Under_score", "O'Brien", `Back\slash`}},
		{`CreatedDate = YESTERDAY`, nil},
		{`(LastName = 'Percent' OR LastName = 'O\'Brien') AND Email LIKE 'o%'`, []string{"O'Brien"}},
	} {
		got := names(query(t, s, "SELECT Id FROM Contact WHERE "+tc.where), "LastName")
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s: got %q, want %q", tc.where, got, tc.want)
		}
	}
}

func TestOrderLimitOffset(t *testing.T) {
	s := New(Options{Empty: true})
	for _, n := range []string{"b", "C", "a", "d"} {
		s.Add("Contact", map[string]any{"LastName": n})
	}
	s.Add("Contact", map[string]any{"FirstName": "no last name"})
	got := names(query(t, s, "SELECT Id FROM Contact ORDER BY LastName DESC LIMIT 3 OFFSET 1"), "LastName")
	if !slices.Equal(got, []string{"C", "b", "a"}) {
		t.Fatalf("got %q", got)
	}
	got = names(query(t, s, "SELECT Id FROM Contact ORDER BY LastName ASC LIMIT 2"), "LastName")
	if !slices.Equal(got, []string{"", "a"}) { // nulls first ascending
		t.Fatalf("got %q", got)
	}
}

func TestTypeChecks(t *testing.T) {
	s := New(Options{})
	for _, tc := range []struct{ where, code string }{
		{"Name = 5", "INVALID_FIELD"},
		{"IsDeleted = 'false'", "INVALID_FIELD"},
		{"CreatedDate > 2026-01-01", "INVALID_FIELD"},
		{"Birthdate = '2026-01-01'", "INVALID_FIELD"},
		{"Id = 'not-an-id'", "INVALID_QUERY_FILTER_OPERATOR"},
		{"Nope__c = 'x'", "INVALID_FIELD"},
		{"Account.Nope = 'x'", "INVALID_FIELD"},
		{"Nope.Name = 'x'", "INVALID_FIELD"},
		{"IsDeleted LIKE 'x'", "INVALID_FIELD"},
	} {
		q, err := ParseSOQL("SELECT Id FROM Contact WHERE " + tc.where)
		if err != nil {
			t.Fatal(err)
		}
		s.mu.Lock()
		_, apiErr := s.run(q, "v62.0")
		s.mu.Unlock()
		if apiErr == nil || apiErr.ErrorCode != tc.code {
			t.Errorf("%s: want %s, got %v", tc.where, tc.code, apiErr)
		}
	}
}

func TestRelationshipFields(t *testing.T) {
	s := New(Options{})
	recs := query(t, s, "SELECT Id FROM Contact WHERE Account.Name = 'acme corporation' AND Email LIKE 'jane%'")
	if len(recs) != 1 {
		t.Fatalf("got %d", len(recs))
	}
	q, _ := ParseSOQL("SELECT Subject, Who.Name, What.Name, What.Type FROM Task")
	s.mu.Lock()
	rows, err := s.run(q, "v62.0")
	s.mu.Unlock()
	if err != nil || len(rows) != 1 {
		t.Fatalf("rows %v err %v", rows, err)
	}
	who := rows[0].vals["Who"].(*object)
	what := rows[0].vals["What"].(*object)
	if who.vals["Name"] != "Jane Doe" || what.vals["Name"] != "Acme Corporation" || what.vals["Type"] != "Account" {
		t.Fatalf("who %v what %v", who.vals, what.vals)
	}
}
