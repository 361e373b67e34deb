package salesforce

import (
	"slices"
	"testing"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmtest"
	sfsandbox "github.com/crmflow/crmflow/shared/sandbox/salesforce"
)

// FuzzCompileWhere: whatever the field, operator and value, the compiled
// SOQL is either refused by the driver or accepted by the sandbox's strict
// SOQL parser with the same field and the value back unchanged — no value can
// escape its literal.
func FuzzCompileWhere(f *testing.F) {
	f.Add("Email", uint8(0), `a@b.com`, 0.0, false)
	f.Add("LastName", uint8(1), `x' OR 'a'='a`, 1.0, false)
	f.Add("Subject", uint8(2), `100% \_ \\ \' "`, 2.0, false)
	f.Add("Name", uint8(3), "line\nbreak\ttab\r\f\b\x00", 3.0, false)
	f.Add("CloseDate", uint8(4), "2026-12-31", 4.0, false)
	f.Add("Amount", uint8(5), "", -12.75, true)
	f.Add("Account.Name", uint8(8), `a'b`, 0.5, false)
	f.Add("IsClosed", uint8(6), "true", 0.0, false)
	f.Fuzz(func(t *testing.T, field string, opIndex uint8, s string, n float64, useNumber bool) {
		cond := crmtest.FuzzCondition(field, opIndex, s, n, useNumber)
		op, value := cond.Op, cond.Value
		where, err := compileWhere(cond)
		if crmtest.Refused(t, err) {
			return
		}
		q, err := sfsandbox.ParseSOQL("SELECT Id FROM Contact WHERE " + where)
		if err != nil {
			t.Fatalf("sandbox refused %q: %v", where, err)
		}
		c, ok := q.Where.(*sfsandbox.Cond)
		if !ok || c.Field != field {
			t.Fatalf("%q parsed as %#v", where, q.Where)
		}
		switch op {
		case crm.OpContains:
			wantLike(t, c, "%"+s+"%", []int{0, len(s) + 1})
		case crm.OpStartsWith:
			wantLike(t, c, s+"%", []int{len(s)})
		case crm.OpIn:
			if c.Op != "IN" || len(c.Values) != 2 {
				t.Fatalf("%q parsed as %+v", where, c)
			}
			wantValue(t, c.Values[0], value.([]any)[0])
			wantValue(t, c.Values[1], s+"'")
		default:
			if c.Op != comparisons[op] {
				t.Fatalf("%q: operator %s, want %s", where, c.Op, comparisons[op])
			}
			wantValue(t, c.Value, value)
		}
	})
}

func wantLike(t *testing.T, c *sfsandbox.Cond, text string, wild []int) {
	t.Helper()
	if c.Op != "LIKE" || c.Value.Kind != sfsandbox.LitString || c.Value.Text != text || !slices.Equal(c.Value.Wild, wild) {
		t.Fatalf("LIKE literal %+v, want text %q with wildcards only at %v", c.Value, text, wild)
	}
}

func wantValue(t *testing.T, got sfsandbox.Literal, want any) {
	t.Helper()
	switch w := want.(type) {
	case float64:
		if got.Kind != sfsandbox.LitNumber || got.Num != w {
			t.Fatalf("number literal %+v, want %v", got, w)
		}
	case string:
		// Dates are written bare for range comparisons; either way the text is the value.
		if (got.Kind != sfsandbox.LitString && got.Kind != sfsandbox.LitDate && got.Kind != sfsandbox.LitDateTime) || got.Text != w {
			t.Fatalf("string literal %+v, want %q", got, w)
		}
	}
}
