package salesforce

import (
	"math"
	"testing"

	"github.com/crmflow/crmflow/shared/crm"
)

func TestEscapeSOQL(t *testing.T) {
	for in, want := range map[string]string{
		"plain":                  "plain",
		"O'Brien":                `O\'Brien`,
		`say "hi"`:               `say \"hi\"`,
		`back\slash`:             `back\\slash`,
		`\'`:                     `\\\'`,
		"line\nbreak\r\ttab\f":   `line\nbreak\r\ttab\f`,
		"' OR Name != '":         `\' OR Name != \'`,
		"50% off_now":            "50% off_now", // wildcards matter only in LIKE
		"unicode é and \x00 nul": "unicode é and \x00 nul",
	} {
		if got := escapeSOQL(in); got != want {
			t.Errorf("escapeSOQL(%q) = %q, want %q", in, got, want)
		}
	}
	if got := likeLiteral("%", `50%_\'`, "%"); got != `'%50\%\_\\\'%'` {
		t.Errorf("likeLiteral = %s", got)
	}
}

func TestCompileWhere(t *testing.T) {
	for _, tc := range []struct {
		f    crm.Filter
		want string
	}{
		{crm.Filter{Field: "Email", Op: crm.OpEq, Value: "a@b.com"}, "Email = 'a@b.com'"},
		{crm.Filter{Field: "Name", Op: crm.OpNe, Value: "x' OR 'a'='a"}, `Name != 'x\' OR \'a\'=\'a'`},
		{crm.Filter{Field: "Subject", Op: crm.OpContains, Value: "100%"}, `Subject LIKE '%100\%%'`},
		{crm.Filter{Field: "Name", Op: crm.OpStartsWith, Value: "a_b"}, `Name LIKE 'a\_b%'`},
		{crm.Filter{Field: "Amount", Op: crm.OpGt, Value: 1000.5}, "Amount > 1000.5"},
		{crm.Filter{Field: "Amount", Op: crm.OpLte, Value: float64(1e21)}, "Amount <= 1000000000000000000000"},
		{crm.Filter{Field: "NumberOfEmployees", Op: crm.OpGte, Value: 10}, "NumberOfEmployees >= 10"},
		{crm.Filter{Field: "IsClosed", Op: crm.OpEq, Value: false}, "IsClosed = false"},
		{crm.Filter{Field: "CloseDate", Op: crm.OpLt, Value: "2026-12-31"}, "CloseDate < 2026-12-31"},
		{crm.Filter{Field: "CreatedDate", Op: crm.OpGte, Value: "2026-01-01T00:00:00Z"}, "CreatedDate >= 2026-01-01T00:00:00Z"},
		{crm.Filter{Field: "Subject", Op: crm.OpEq, Value: "2026-12-31"}, "Subject = '2026-12-31'"},
		{crm.Filter{Field: "Subject", Op: crm.OpGt, Value: "2026-13-45"}, "Subject > '2026-13-45'"},
		{crm.Filter{Field: "Status", Op: crm.OpIn, Value: []any{"New", "It's", 3.0, true}}, `Status IN ('New','It\'s',3,true)`},
		{crm.Filter{Field: "Account.Name", Op: crm.OpEq, Value: "Acme"}, "Account.Name = 'Acme'"},
		{crm.Filter{All: []crm.Filter{{Field: "A", Op: crm.OpEq, Value: "1"}, {Any: []crm.Filter{{Field: "B", Op: crm.OpEq, Value: "2"}, {Field: "C", Op: crm.OpEq, Value: "3"}}}}},
			"(A = '1' AND (B = '2' OR C = '3'))"},
		{crm.Filter{Any: []crm.Filter{{Field: "A", Op: crm.OpEq, Value: "1"}}}, "A = '1'"},
	} {
		got, err := compileWhere(tc.f)
		if err != nil || got != tc.want {
			t.Errorf("%+v: got %q, %v; want %q", tc.f, got, err, tc.want)
		}
	}
}

func TestCompileWhereRefuses(t *testing.T) {
	for name, f := range map[string]crm.Filter{
		"injected field":  {Field: "Name = 'x' OR Id", Op: crm.OpEq, Value: "x"},
		"reserved word":   {Field: "LIMIT", Op: crm.OpEq, Value: "x"},
		"empty segment":   {Field: "Account..Name", Op: crm.OpEq, Value: "x"},
		"trailing dot":    {Field: "Account.", Op: crm.OpEq, Value: "x"},
		"leading digit":   {Field: "_x", Op: crm.OpEq, Value: "x"},
		"unknown op":      {Field: "Name", Op: "regex", Value: "x"},
		"nan":             {Field: "Amount", Op: crm.OpGt, Value: math.NaN()},
		"object value":    {Field: "Name", Op: crm.OpEq, Value: map[string]any{}},
		"nil value":       {Field: "Name", Op: crm.OpEq},
		"like on number":  {Field: "Name", Op: crm.OpContains, Value: 5.0},
		"empty in":        {Field: "Name", Op: crm.OpIn, Value: []any{}},
		"empty group":     {All: []crm.Filter{}},
		"nested too deep": {All: []crm.Filter{{All: []crm.Filter{{All: []crm.Filter{{All: []crm.Filter{{All: []crm.Filter{{Field: "A", Op: crm.OpEq, Value: "1"}}}}}}}}}}},
	} {
		_, err := compileWhere(f)
		if crm.CodeOf(err) != crm.InvalidArgument {
			t.Errorf("%s: got %v, want InvalidArgument", name, err)
		}
	}
}

func TestValidName(t *testing.T) {
	for name, want := range map[string]bool{
		"Contact": true, "Invoice__c": true, "ns__Thing__c": true, "Account.Name": true, "Parent__r.Name": true,
		"": false, "Id,Name": false, "Name FROM": false, "Select": false, "null": false, "a-b": false, "_x": false, "1x": false,
	} {
		if got := validName(name, true); got != want {
			t.Errorf("validName(%q) = %v", name, got)
		}
	}
	if validName("Account.Name", false) {
		t.Error("an entity name cannot be dotted")
	}
}
