package dynamics

import (
	"math"
	"net/url"
	"testing"

	"github.com/crmflow/crmflow/shared/crm"
)

func TestQuoteAndEscapeLike(t *testing.T) {
	for _, tc := range []struct{ in, quoted, like string }{
		{"plain", "'plain'", "plain"},
		{"O'Brian", "'O''Brian'", "O'Brian"},
		{"''", "''''''", "''"},
		{"100%_[x]", "'100%_[x]'", "100[%][_][[]x]"},
		{"", "''", ""},
	} {
		if got := quote(tc.in); got != tc.quoted {
			t.Errorf("quote(%q) = %q, want %q", tc.in, got, tc.quoted)
		}
		if got := escapeLike(tc.in); got != tc.like {
			t.Errorf("escapeLike(%q) = %q, want %q", tc.in, got, tc.like)
		}
	}
}

func TestCompileFilter(t *testing.T) {
	for _, tc := range []struct {
		name string
		f    crm.Filter
		want string
	}{
		{"eq string", crm.Filter{Field: "lastname", Op: crm.OpEq, Value: "Doe"}, "lastname eq 'Doe'"},
		{"injection stays in literal", crm.Filter{Field: "lastname", Op: crm.OpEq, Value: "x' or 1 eq 1 or 'a' eq 'a"},
			"lastname eq 'x'' or 1 eq 1 or ''a'' eq ''a'"},
		{"ne number", crm.Filter{Field: "numberofemployees", Op: crm.OpNe, Value: 12.0}, "numberofemployees ne 12"},
		{"decimal", crm.Filter{Field: "revenue", Op: crm.OpGte, Value: 1234.5}, "revenue ge 1234.5"},
		{"big number", crm.Filter{Field: "revenue", Op: crm.OpLt, Value: 2e20}, "revenue lt 2e+20"},
		{"bool", crm.Filter{Field: "donotphone", Op: crm.OpEq, Value: false}, "donotphone eq false"},
		{"date bare in range", crm.Filter{Field: "createdon", Op: crm.OpGt, Value: "2026-01-01"}, "createdon gt 2026-01-01"},
		{"datetime bare in range", crm.Filter{Field: "modifiedon", Op: crm.OpLte, Value: "2026-01-01T10:00:00Z"},
			"modifiedon le 2026-01-01T10:00:00Z"},
		{"date quoted for eq", crm.Filter{Field: "description", Op: crm.OpEq, Value: "2026-01-01"}, "description eq '2026-01-01'"},
		{"guid on lookup", crm.Filter{Field: "_parentcustomerid_value", Op: crm.OpEq, Value: "7D577253-3EF0-4A0A-BB7F-8335C2596E70"},
			"_parentcustomerid_value eq 7d577253-3ef0-4a0a-bb7f-8335c2596e70"},
		{"guid text on text column", crm.Filter{Field: "description", Op: crm.OpEq, Value: "7d577253-3ef0-4a0a-bb7f-8335c2596e70"},
			"description eq '7d577253-3ef0-4a0a-bb7f-8335c2596e70'"},
		{"contains escapes wildcards", crm.Filter{Field: "subject", Op: crm.OpContains, Value: "50% off_[now]'"},
			"contains(subject,'50[%] off[_][[]now]''')"},
		{"startswith", crm.Filter{Field: "emailaddress1", Op: crm.OpStartsWith, Value: "jane"}, "startswith(emailaddress1,'jane')"},
		{"in", crm.Filter{Field: "statuscode", Op: crm.OpIn, Value: []any{1.0, 2.0}}, "statuscode eq 1 or statuscode eq 2"},
		{"navigation path", crm.Filter{Field: "parentcustomerid_account.name", Op: crm.OpEq, Value: "Acme"},
			"parentcustomerid_account/name eq 'Acme'"},
		{"nested groups", crm.Filter{All: []crm.Filter{
			{Field: "lastname", Op: crm.OpEq, Value: "Doe"},
			{Any: []crm.Filter{{Field: "firstname", Op: crm.OpEq, Value: "Jane"}, {Field: "firstname", Op: crm.OpIn, Value: []any{"J", "Jo"}}}},
			{Field: "statecode", Op: crm.OpIn, Value: []any{0.0}},
		}}, "lastname eq 'Doe' and (firstname eq 'Jane' or (firstname eq 'J' or firstname eq 'Jo')) and (statecode eq 0)"},
		{"single-element group", crm.Filter{Any: []crm.Filter{{Field: "lastname", Op: crm.OpEq, Value: "Doe"}}}, "lastname eq 'Doe'"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.f.Validate(); err != nil {
				t.Fatalf("invalid test filter: %v", err)
			}
			got, err := compileFilter(tc.f)
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Fatalf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
}

func TestCompileFilterRefuses(t *testing.T) {
	for _, f := range []crm.Filter{
		{Field: "lastname", Op: crm.OpEq, Value: "\xff\xfe"},
		{Field: "revenue", Op: crm.OpGt, Value: math.Inf(1)},
		{Field: "revenue", Op: crm.OpGt, Value: math.NaN()},
		{Field: "a..b", Op: crm.OpEq, Value: "x"},
		{Field: "lastname", Op: crm.OpContains, Value: 3.0},
		{Field: "lastname", Op: crm.Op("like"), Value: "x"},
		{Field: "lastname", Op: crm.OpEq, Value: []any{"x"}},
	} {
		if _, err := compileFilter(f); crm.CodeOf(err) != crm.InvalidArgument {
			t.Errorf("%+v: err = %v, want InvalidArgument", f, err)
		}
	}
}

func TestQueryOptionsEncodeEverything(t *testing.T) {
	q := queryOptions{selects: []string{"fullname", "telephone1"}, filter: "telephone1 eq '+1 (415) 555-0100' and x eq 'a&b=c#d'",
		orderBy: "modifiedon desc"}.encode()
	want := "$select=fullname%2Ctelephone1&$filter=telephone1%20eq%20%27%2B1%20%28415%29%20555-0100%27%20and%20x%20eq%20%27a%26b%3Dc%23d%27" +
		"&$orderby=modifiedon%20desc"
	if q != want {
		t.Fatalf("got  %s\nwant %s", q, want)
	}
	back, err := url.ParseQuery(q)
	if err != nil || back.Get("$filter") != "telephone1 eq '+1 (415) 555-0100' and x eq 'a&b=c#d'" {
		t.Fatalf("round trip: %v %q", err, back.Get("$filter"))
	}
}
