package dynamics

import (
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"
)

func TestParseFilterAccepts(t *testing.T) {
	for _, src := range []string{
		"lastname eq 'Doe'",
		"lastname eq 'O''Brian' and (firstname eq 'Jane' or firstname ne null)",
		"not contains(fullname,'x') and startswith(emailaddress1,'a') or endswith(emailaddress1,'.com')",
		"revenue ge -12.5e3 and numberofemployees lt 10",
		"_parentcustomerid_value eq 7D577253-3EF0-4A0A-BB7F-8335C2596E70",
		"createdon ge 2026-01-01 and modifiedon lt 2026-01-01T10:00:00.1234567Z and modifiedon gt 2026-01-01T10:00+01:00",
		"parentcustomerid_account/name eq 'Acme'",
		"firstname eq lastname",
		"((((statecode eq 0))))",
		"donotphone eq true",
		"  lastname\teq 'x'  ",
	} {
		if _, err := ParseFilter(src); err != nil {
			t.Errorf("%q: %v", src, err)
		}
	}
}

func TestParseFilterRefuses(t *testing.T) {
	for _, tc := range []struct{ src, msg string }{
		// The wording and position Dataverse's filter-rows page shows for an undoubled quote.
		{"lastname eq 'O'Bryan'", "There is an unterminated literal at position 21 in 'lastname eq 'O'Bryan''."},
		{"lastname eq 'Doe", "There is an unterminated literal at position 16 in 'lastname eq 'Doe'."},
		{"lastname eq", "Expression expected at position 11 in 'lastname eq'."},
		{"", "Expression expected at position 0 in ''."},
		{"lastname EQ 'x'", "Syntax error at position 9 in 'lastname EQ 'x''."},
		{"lastname eq \"x\"", "Syntax error: character '\"' is not valid at position 12 in 'lastname eq \"x\"'."},
		{"(lastname eq 'x'", "')' or operator expected at position 16 in '(lastname eq 'x''."},
		{"lastname eq 'a' eq 'b'", "Syntax error at position 16 in 'lastname eq 'a' eq 'b''."},
		{"substringof('a',lastname)", "An unknown function with name 'substringof' was found."},
		{"contains(lastname)", "No function signature for the function with name 'contains'"},
		{"Microsoft.Dynamics.CRM.In(lastname)", "An unknown function with name 'Microsoft.Dynamics.CRM.In'"},
		{"lastname in ('a','b')", "Syntax error at position 9"},
		{"revenue gt 12abc", "Syntax error at position 11"},
		{"createdon gt 2026-02-30", "Syntax error at position 13"},
		{"lastname eq 'x' and", "Expression expected at position 19"},
		{strings.Repeat("(", 200) + "a eq 1" + strings.Repeat(")", 200), "The recursion limit has been exceeded."},
		{strings.Repeat("not ", 200) + "a", "The recursion limit has been exceeded."},
	} {
		_, err := ParseFilter(tc.src)
		var se *SyntaxError
		if !errors.As(err, &se) || !strings.HasPrefix(se.Msg, tc.msg) {
			t.Errorf("%q: %v, want %q", tc.src, err, tc.msg)
		}
	}
}

func TestParseFilterTree(t *testing.T) {
	e, err := ParseFilter("a eq 'x''y' or not b eq 1 and contains(c/d,'z')")
	if err != nil {
		t.Fatal(err)
	}
	or, ok := e.(*Logical)
	if !ok || or.Op != "or" {
		t.Fatalf("%#v", e)
	}
	left := or.Left.(*Compare)
	if lit := left.Right.(*Literal); lit.Kind != LitString || lit.Text != "x'y" {
		t.Fatalf("%#v", lit)
	}
	and := or.Right.(*Logical)
	// not binds tighter than eq: (not b) eq 1.
	if cmp := and.Left.(*Compare); cmp.Op != "eq" {
		t.Fatalf("%#v", and.Left)
	} else if _, ok := cmp.Left.(*Not); !ok {
		t.Fatalf("%#v", cmp.Left)
	}
	call := and.Right.(*Call)
	if p := call.Args[0].(*Property); !slices.Equal(p.Path, []string{"c", "d"}) {
		t.Fatalf("%#v", p)
	}
}

func TestLike(t *testing.T) {
	for _, tc := range []struct {
		pattern, s string
		want       bool
	}{
		{"%doe%", "Jane DOE", true},
		{"jane%", "Jane Doe", true},
		{"j_ne%", "Jane", true},
		{"%[%]%", "100% sure", true},
		{"%[%]%", "100 sure", false},
		{"%[_]%", "a_b", true},
		{"%[_]%", "ab", false},
		{"%[[]x]%", "[x]", true},
		{"[a-c]x", "Bx", true},
		{"[^a-c]x", "bx", false},
		{"%", "", true},
		{"_", "", false},
		{"[abc", "[abc", true},
		{"é%", "Éclair", true},
	} {
		if got := likeMatch(tc.pattern, tc.s); got != tc.want {
			t.Errorf("likeMatch(%q, %q) = %v, want %v", tc.pattern, tc.s, got, tc.want)
		}
	}
	for _, tc := range []struct {
		pattern, text string
		wild          bool
	}{
		{"100[%] [_][[]x]", "100% _[x]", false},
		{"a%b", "ab", true},
		{"a_b", "ab", true},
		{"[ab]", "", true},
		{"[^a]", "", true},
		{"plain ] text", "plain ] text", false},
	} {
		text, wild := LikeLiteral(tc.pattern)
		if text != tc.text || wild != tc.wild {
			t.Errorf("LikeLiteral(%q) = %q, %v; want %q, %v", tc.pattern, text, wild, tc.text, tc.wild)
		}
	}
}

func TestFilterEvaluation(t *testing.T) {
	e := start(t, Options{})
	names := func(filter string) []string {
		t.Helper()
		res, body := e.get("contacts", "$select=fullname&"+filterQuery(filter))
		if res.StatusCode != 200 {
			t.Fatalf("%s: %d %v", filter, res.StatusCode, body)
		}
		var out []string
		for _, v := range values(body) {
			out = append(out, v["fullname"].(string))
		}
		slices.Sort(out)
		return out
	}
	for filter, want := range map[string][]string{
		"lastname eq 'DOE'":                                  {"Jane Doe"},
		"emailaddress1 eq 'JANE.DOE@EXAMPLE.COM'":            {"Jane Doe"},
		"telephone1 eq '4155550100'":                         nil,
		"telephone1 eq '(415) 555-0100'":                     {"Jane Doe"},
		"mobilephone ne null":                                {"Maria Garcia"},
		"mobilephone eq null and lastname eq 'Roe'":          {"John Roe"},
		"contains(emailaddress1,'%')":                        {"Jane Doe", "John Roe", "Maria Garcia"},
		"contains(emailaddress1,'[%]')":                      nil,
		"startswith(lastname,'g') or endswith(lastname,'E')": {"Jane Doe", "John Roe", "Maria Garcia"},
		"not startswith(lastname,'g')":                       {"Jane Doe", "John Roe"},
		"parentcustomerid_account/name eq 'Globex Inc.'":     {"Maria Garcia"},
		"createdon lt 2026-11-20T09:40:00Z":                  {"Jane Doe"},
		"firstname gt 'k'":                                   {"Maria Garcia"},
		"lastname eq 'x'' or ''a'' eq ''a'":                  nil,
	} {
		if got := names(filter); !slices.Equal(got, want) {
			t.Errorf("%s: got %q, want %q", filter, got, want)
		}
	}
}

func TestFilterTypeErrors(t *testing.T) {
	e := start(t, Options{})
	for filter, msg := range map[string]string{
		"nosuch eq 'x'":                      "Could not find a property named 'nosuch' on type 'Microsoft.Dynamics.CRM.contact'.",
		"Lastname eq 'x'":                    "Could not find a property named 'Lastname'",
		"_parentcustomerid_value eq 'abc'":   "Found operand types 'Edm.Guid' and 'Edm.String' for operator kind 'Equal'.",
		"createdon gt '2026-01-01'":          "Found operand types 'Edm.DateTimeOffset' and 'Edm.String' for operator kind 'GreaterThan'.",
		"lastname":                           "The $filter expression must evaluate to a single boolean value.",
		"not lastname eq 'x'":                "A unary operator with an incompatible type was detected. Found operand type 'Edm.String' for operator kind 'Not'.",
		"contains(statecode,'1')":            "No function signature for the function with name 'contains'",
		"lastname eq 'x' and 1":              "for operator kind 'And'",
		"parentcustomerid_account/nope eq 1": "Could not find a property named 'nope' on type 'Microsoft.Dynamics.CRM.account'.",
	} {
		res, body := e.get("contacts", filterQuery(filter))
		code, got := errorOf(body)
		if res.StatusCode != http.StatusBadRequest || code != codeQuery || !strings.Contains(got, msg) {
			t.Errorf("%s: %d %s %q, want %q", filter, res.StatusCode, code, got, msg)
		}
	}
}
