package oracle

import (
	"testing"
)

func TestParseROQL(t *testing.T) {
	q, err := ParseROQL("select c.ID, c.Emails.Address from Contact c where (c.Name.Last = 'O''Doe' or c.Name.First like 'J%') " +
		"and not c.Phones.RawNumber in ('1', '2') and c.Title is not null order by c.UpdatedTime desc, c.ID limit 10 offset 20")
	if err != nil {
		t.Fatal(err)
	}
	if q.Table != "Contact" || q.Alias != "c" || len(q.Columns) != 2 || q.Limit != 10 || q.Offset != 20 || len(q.OrderBy) != 2 || !q.OrderBy[0].Desc {
		t.Fatalf("%+v", q)
	}
	and, ok := q.Where.(*Logic)
	if !ok || and.Or || len(and.Terms) != 3 {
		t.Fatalf("where %+v", q.Where)
	}
	or := and.Terms[0].(*Logic)
	if c := or.Terms[0].(*Cond); c.Values[0].Text != "O'Doe" || c.Op != "=" {
		t.Fatalf("%+v", c)
	}
	if n := and.Terms[1].(*Not); n.X.(*Cond).Op != "IN" {
		t.Fatalf("%+v", n)
	}
	if c := and.Terms[2].(*Cond); c.Op != "ISNULL" || !c.Negate {
		t.Fatalf("%+v", c)
	}
}

func TestParseROQLRefuses(t *testing.T) {
	for _, q := range []string{
		"SELECT id FROM contacts WHERE a = 'x", `SELECT id FROM contacts WHERE a = "x"`, "SELECT id FROM contacts WHERE",
		"SELECT id FROM contacts WHERE a = 1 OR", "SELECT id FROM contacts LIMIT x", "SELECT id contacts",
		"SELECT id FROM contacts; SELECT id FROM incidents", "SELECT id FROM contacts WHERE a = b", "SELECT id FROM contacts WHERE a LIKE 5",
		"SELECT id FROM contacts WHERE a ! 'x'", "SELECT id FROM contacts WHERE (a = 'x'", "SELECT select FROM contacts",
	} {
		if _, err := ParseROQL(q); err == nil {
			t.Errorf("%s: accepted", q)
		}
	}
}

func TestLike(t *testing.T) {
	for _, tc := range []struct {
		s, p string
		want bool
	}{
		{"Jane.Doe@example.com", "jane%", true}, {"abc", "a_c", true}, {"abc", "%b%", true}, {"abc", "%d%", false},
		{"Inbound call [crmflow:timeline:job-1]", "%[crmflow:timeline:job-1]", true}, {"", "%", true}, {"a", "", false},
		{"aXbXc", "a%b%c", true}, {"ab", "a%b%c", false},
	} {
		if like(tc.s, tc.p) != tc.want {
			t.Errorf("like(%q, %q) != %v", tc.s, tc.p, tc.want)
		}
	}
}
