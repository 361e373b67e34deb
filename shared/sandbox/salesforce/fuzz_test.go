package salesforce

import "testing"

// The sandbox takes statements from the network: whatever arrives, parsing
// and running it answers a result or an error, never a panic.
func FuzzStatements(f *testing.F) {
	f.Add("SELECT Id, Account.Name, Who.Name FROM Contact WHERE (Name LIKE 'a\\%%' OR Email = null) AND CreatedDate > 2026-01-01T00:00:00Z ORDER BY Name DESC LIMIT 3")
	f.Add("SELECT Subject, What.Type FROM Task WHERE Id IN ('00TDn0000000001') AND NOT ActivityDate = LAST_N_DAYS:7")
	f.Add(`FIND {"\+1 \(415\)" OR wat* AND NOT x?y} IN PHONE FIELDS RETURNING Contact(Id, Name WHERE Email != null LIMIT 2), Lead LIMIT 5`)
	f.Add(`FIND {a\}b} RETURNING Account(Name ORDER BY Name)`)
	s := New(Options{})
	f.Fuzz(func(t *testing.T, src string) {
		if q, err := ParseSOQL(src); err == nil {
			s.mu.Lock()
			_, _ = s.run(q, "v62.0")
			s.mu.Unlock()
		}
		if q, err := ParseSOSL(src); err == nil {
			s.mu.Lock()
			_, _ = s.search(q, "v62.0")
			s.mu.Unlock()
		}
	})
}
