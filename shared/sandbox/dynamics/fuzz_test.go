package dynamics

import (
	"errors"
	"testing"
)

// FuzzParseFilter: any text is either refused with a SyntaxError (the 400
// the Web API answers) or parsed, type-checked and evaluated against the
// demo rows without a panic.
func FuzzParseFilter(f *testing.F) {
	for _, seed := range []string{
		"lastname eq 'Doe'", "contains(fullname,'[%]') and not startswith(lastname,'x')",
		"_parentcustomerid_value eq 7d577253-3ef0-4a0a-bb7f-8335c2596e70 or createdon gt 2026-01-01T00:00:00Z",
		"parentcustomerid_account/name eq 'Acme' and numberofemployees ge -1.5e3", "(((a eq 1)", "'unterminated", "x eq null",
	} {
		f.Add(seed)
	}
	s := New(Options{})
	t, _ := s.tableByLogical("contact")
	f.Fuzz(func(tt *testing.T, src string) {
		e, err := ParseFilter(src)
		if err != nil {
			var se *SyntaxError
			if !errors.As(err, &se) {
				tt.Fatalf("%q: error %T %v", src, err, err)
			}
			return
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		if s.checkFilter(t, e) != nil {
			return
		}
		for _, rec := range s.rows["contact"] {
			s.match(t, rec, e)
		}
	})
}
