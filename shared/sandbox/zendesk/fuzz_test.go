package zdsandbox

import (
	"strings"
	"testing"
)

// FuzzParseQuery: any query is refused or read into terms with a known
// operator and values without quotes; nothing panics.
func FuzzParseQuery(f *testing.F) {
	for _, s := range []string{`type:user email:"a@b.com"`, `status<solved`, `-tags:x`, `phone:*415`, `"open`, `a"b`, `x:""`,
		`created>=2026-01-01 order_by:updated`, "-", "  ", `name:"a" "b"`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, q string) {
		terms, err := ParseQuery(q)
		if err != nil {
			return
		}
		if len(terms) == 0 {
			t.Fatalf("%q: no terms and no error", q)
		}
		for _, tm := range terms {
			if tm.Keyword != "" && tm.Op == "" || tm.Keyword == "" && tm.Op != "" {
				t.Fatalf("%q: term %+v", q, tm)
			}
			if strings.Contains(tm.Value, `"`) {
				t.Fatalf("%q: quote in value %+v", q, tm)
			}
		}
	})
}
