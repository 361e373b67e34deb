package dynamics

import (
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmtest"
	dvsandbox "github.com/crmflow/crmflow/shared/sandbox/dynamics"
)

// FuzzCompileFilter: whatever the field, operator and value, the compiled
// filter is either refused by the driver (InvalidArgument) or, after the
// URL encoding and decoding it goes through, accepted by the sandbox's
// strict OData parser as one comparison of that field with the value
// unchanged — no value can escape its literal or act as a wildcard.
func FuzzCompileFilter(f *testing.F) {
	f.Add("emailaddress1", uint8(0), "a@b.com", 0.0, false)
	f.Add("lastname", uint8(1), "x' or 'a' eq 'a", 1.0, false)
	f.Add("subject", uint8(2), "100% [_] ' '' %27 + &$filter=", 2.0, false)
	f.Add("fullname", uint8(3), "line\nbreak\ttab\r\x00", 3.0, false)
	f.Add("createdon", uint8(4), "2026-12-31", 4.0, false)
	f.Add("modifiedon", uint8(7), "2026-12-31T10:00:00.1234567+01:00", 4.0, false)
	f.Add("revenue", uint8(5), "", -12.75, true)
	f.Add("revenue", uint8(6), "", 1e300, true)
	f.Add("parentcustomerid_account.name", uint8(8), "Acme", 0.5, false)
	f.Add("_customerid_value", uint8(0), "7D577253-3EF0-4A0A-BB7F-8335C2596E70", 0.0, false)
	f.Add("and", uint8(0), "x", 0.0, false)
	f.Fuzz(func(t *testing.T, field string, opIndex uint8, s string, n float64, useNumber bool) {
		cond := crmtest.FuzzCondition(field, opIndex, s, n, useNumber)
		op, value := cond.Op, cond.Value
		if cond.Validate() != nil {
			return // callers validate first
		}
		compiled, err := compileFilter(cond)
		if crmtest.Refused(t, err) {
			return
		}
		back, err := url.ParseQuery(queryOptions{filter: compiled}.encode())
		if err != nil || back.Get("$filter") != compiled {
			t.Fatalf("URL round trip changed %q into %q (%v)", compiled, back.Get("$filter"), err)
		}
		e, err := dvsandbox.ParseFilter(back.Get("$filter"))
		if err != nil {
			t.Fatalf("sandbox refused %q: %v", compiled, err)
		}
		path := strings.Split(field, ".")
		switch op {
		case crm.OpContains, crm.OpStartsWith:
			c, ok := e.(*dvsandbox.Call)
			if !ok || c.Name != strings.ToLower(string(op)) || !isProperty(c.Args[0], path) {
				t.Fatalf("%q parsed as %#v", compiled, e)
			}
			lit, ok := c.Args[1].(*dvsandbox.Literal)
			if !ok || lit.Kind != dvsandbox.LitString {
				t.Fatalf("%q: argument %#v", compiled, c.Args[1])
			}
			if text, wild := dvsandbox.LikeLiteral(lit.Text); text != s || wild {
				t.Fatalf("%q matches %q (wildcard %v), want exactly %q", compiled, text, wild, s)
			}
		case crm.OpIn:
			var leaves []*dvsandbox.Compare
			if !orChain(e, &leaves) || len(leaves) != 2 {
				t.Fatalf("%q parsed as %#v", compiled, e)
			}
			for i, c := range leaves {
				if c.Op != "eq" || !isProperty(c.Left, path) {
					t.Fatalf("%q: leaf %#v", compiled, c)
				}
				wantLiteral(t, compiled, c.Right, value.([]any)[i])
			}
		default:
			c, ok := e.(*dvsandbox.Compare)
			if !ok || c.Op != comparisons[op] || !isProperty(c.Left, path) {
				t.Fatalf("%q parsed as %#v", compiled, e)
			}
			wantLiteral(t, compiled, c.Right, value)
		}
	})
}

func isProperty(e dvsandbox.Expr, path []string) bool {
	p, ok := e.(*dvsandbox.Property)
	return ok && slices.Equal(p.Path, path)
}

func orChain(e dvsandbox.Expr, leaves *[]*dvsandbox.Compare) bool {
	switch x := e.(type) {
	case *dvsandbox.Logical:
		return x.Op == "or" && orChain(x.Left, leaves) && orChain(x.Right, leaves)
	case *dvsandbox.Compare:
		*leaves = append(*leaves, x)
		return true
	}
	return false
}

// wantLiteral checks that a literal carries the value: strings as written
// (bare dates, GUIDs in lowercase), numbers exactly.
func wantLiteral(t *testing.T, compiled string, e dvsandbox.Expr, want any) {
	t.Helper()
	lit, ok := e.(*dvsandbox.Literal)
	if !ok {
		t.Fatalf("%q: %#v is not a literal", compiled, e)
	}
	switch w := want.(type) {
	case float64:
		if lit.Kind != dvsandbox.LitNumber || lit.Num != w {
			t.Fatalf("%q: number %+v, want %v", compiled, lit, w)
		}
	case string:
		switch lit.Kind {
		case dvsandbox.LitString, dvsandbox.LitDate, dvsandbox.LitDateTime:
			if lit.Text != w {
				t.Fatalf("%q: literal %q, want %q", compiled, lit.Text, w)
			}
		case dvsandbox.LitGuid:
			if lit.Text != strings.ToLower(w) {
				t.Fatalf("%q: GUID %q, want %q", compiled, lit.Text, w)
			}
		default:
			t.Fatalf("%q: literal kind %v for a string", compiled, lit.Kind)
		}
	}
}
