package servicenow

import (
	"errors"
	"reflect"
	"testing"
)

func cond(f, op, v string) Condition { return Condition{Field: f, Op: op, Value: v} }

func TestParseEncodedQuery(t *testing.T) {
	for _, tc := range []struct {
		q    string
		want Query
	}{
		{"", Query{}},
		{"active=true", Query{Groups: [][]Clause{{{cond("active", "=", "true")}}}}},
		{"a=1^b=2", Query{Groups: [][]Clause{{{cond("a", "=", "1")}, {cond("b", "=", "2")}}}}},
		// ^OR binds the neighbours only: (a or b) and c.
		{"a=1^ORb=2^c=3", Query{Groups: [][]Clause{{{cond("a", "=", "1"), cond("b", "=", "2")}, {cond("c", "=", "3")}}}}},
		{"a=1^b=2^ORc=3", Query{Groups: [][]Clause{{{cond("a", "=", "1")}, {cond("b", "=", "2"), cond("c", "=", "3")}}}}},
		{"a=1^NQb=2^c=3", Query{Groups: [][]Clause{{{cond("a", "=", "1")}}, {{cond("b", "=", "2")}, {cond("c", "=", "3")}}}}},
		{"a=1^ORDERBYname^ORDERBYDESCsys_updated_on", Query{Groups: [][]Clause{{{cond("a", "=", "1")}}},
			OrderBy: []Order{{Field: "name"}, {Field: "sys_updated_on", Desc: true}}}},
		// A doubled caret is a caret in the value.
		{"name=x^^ORactive=true", Query{Groups: [][]Clause{{{cond("name", "=", "x^ORactive=true")}}}}},
		{"name=x^^^ORname=y", Query{Groups: [][]Clause{{{cond("name", "=", "x^"), cond("name", "=", "y")}}}}},
		{"name=^^^^", Query{Groups: [][]Clause{{{cond("name", "=", "^^")}}}}},
		{"priority<=2^priority>=1^priority<5^priority>0^priority!=3", Query{Groups: [][]Clause{{
			{cond("priority", "<=", "2")}, {cond("priority", ">=", "1")}, {cond("priority", "<", "5")}, {cond("priority", ">", "0")},
			{cond("priority", "!=", "3")}}}}},
		{"nameLIKEjo^nameSTARTSWITHJa^nameENDSWITHe^nameNOT LIKEx^stateIN1,2^stateNOT IN3^emailISEMPTY^phoneISNOTEMPTY",
			Query{Groups: [][]Clause{{{cond("name", "LIKE", "jo")}, {cond("name", "STARTSWITH", "Ja")}, {cond("name", "ENDSWITH", "e")},
				{cond("name", "NOT LIKE", "x")}, {cond("state", "IN", "1,2")}, {cond("state", "NOT IN", "3")},
				{cond("email", "ISEMPTY", "")}, {cond("phone", "ISNOTEMPTY", "")}}}}},
		{"caller_id.email=a@b.com^EQ", Query{Groups: [][]Clause{{{cond("caller_id.email", "=", "a@b.com")}}}}},
		{"name==x", Query{Groups: [][]Clause{{{cond("name", "=", "=x")}}}}},
	} {
		got, err := ParseEncodedQuery(tc.q)
		if err != nil {
			t.Errorf("%q: %v", tc.q, err)
			continue
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%q:\n got %+v\nwant %+v", tc.q, got, tc.want)
		}
	}
}

func TestParseEncodedQueryRefuses(t *testing.T) {
	for _, q := range []string{
		"active", "=true", "Name=x", "name~x", "^ORa=1", "a=1^", "^a=1", "a=1^NQ", "emailISEMPTYx",
		"a=1^EQ^b=2", "ORDERBY", "a=1^ORORDERBYname", "1a=2", "a..b=1", "a=1^ORDERBYName",
	} {
		if got, err := ParseEncodedQuery(q); err == nil || !errors.Is(err, ErrQuery) {
			t.Errorf("%q parsed: %+v, %v", q, got, err)
		}
	}
}
