package servicenow

import (
	"slices"
	"testing"
)

// FuzzParseEncodedQuery: any sysparm_query is either refused or read into
// conditions with a valid column and a known operator; nothing panics.
func FuzzParseEncodedQuery(f *testing.F) {
	for _, s := range []string{"active=true", "a=1^ORb=2^NQc=3^ORDERBYDESCd", "name=x^^ORy", "stateIN1,2^emailISEMPTY",
		"^", "^^", "a=^", "ORDERBY", "x^EQ", "caller_id.email=a@b.com"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q, err := ParseEncodedQuery(s)
		if err != nil {
			return
		}
		for _, g := range q.Groups {
			if len(g) == 0 {
				t.Fatalf("%q: empty group", s)
			}
			for _, cl := range g {
				for _, c := range cl {
					if !validName(c.Field) || !slices.Contains(operators, c.Op) || (noValue[c.Op] && c.Value != "") {
						t.Fatalf("%q: bad condition %+v", s, c)
					}
				}
			}
		}
		for _, o := range q.OrderBy {
			if !validName(o.Field) {
				t.Fatalf("%q: bad order %+v", s, o)
			}
		}
	})
}
