package oracle

import (
	"strings"
	"testing"
)

// FuzzROQL: any queryResults text is either refused or run; nothing
// panics, and a string literal always reads back as written.
func FuzzROQL(f *testing.F) {
	for _, s := range []string{"SELECT id FROM contacts WHERE lookupName LIKE '%''%'", "SELECT * FROM incidents; SELECT id FROM tasks",
		`SELECT id FROM contacts WHERE a = "x"`, "SELECT id FROM contacts WHERE emails.address IN ('a', 'b') ORDER BY id DESC LIMIT 1",
		"'", "''", "SELECT", "SELECT id FROM contacts WHERE NOT (id > 1 AND id < -3)", "\x00"} {
		f.Add(s, "O'Brien")
	}
	sb := New(Options{})
	f.Fuzz(func(t *testing.T, query, value string) {
		_, _ = sb.runQueries(query)
		lit := "'" + strings.ReplaceAll(value, "'", "''") + "'"
		q, err := ParseROQL("SELECT id FROM contacts WHERE title = " + lit)
		if strings.Contains(value, ";") {
			return
		}
		if err != nil {
			t.Fatalf("literal %s refused: %v", lit, err)
		}
		if c := q.Where.(*Cond); c.Values[0].Text != value {
			t.Fatalf("literal %s read as %q", lit, c.Values[0].Text)
		}
	})
}
