package servicenow

import (
	"slices"
	"strings"
	"testing"

	"github.com/crmflow/crmflow/shared/crm"
	snsandbox "github.com/crmflow/crmflow/shared/sandbox/servicenow"
)

func TestEscapeValue(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		bad      bool
	}{
		{in: "jane.doe@example.com", want: "jane.doe@example.com"},
		{in: "x^ORactive=true", want: "x^^ORactive=true"},
		{in: "^NQsys_id!=x", want: "^^NQsys_id!=x"},
		{in: "a^^b", want: "a^^^^b"},
		{in: "O'Brien \"quoted\" 100% _x_ *", want: "O'Brien \"quoted\" 100% _x_ *"},
		{in: "ünïcödé 電話", want: "ünïcödé 電話"},
		{in: "", want: ""},
		{in: "ends with caret^", bad: true},
		{in: "line\nbreak", bad: true},
		{in: "carriage\rreturn", bad: true},
		{in: "tab\tvalue", bad: true},
		{in: "nul\x00", bad: true},
		{in: "\xff\xfe", bad: true},
	} {
		got, err := escapeValue(tc.in)
		if tc.bad {
			if err == nil {
				t.Errorf("escapeValue(%q) = %q, want an error", tc.in, got)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("escapeValue(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
}

func TestCondition(t *testing.T) {
	for _, tc := range []struct {
		f    crm.Filter
		want string // "" means refused
	}{
		{crm.Filter{Field: "email", Op: crm.OpEq, Value: "a@b.com"}, "email=a@b.com"},
		{crm.Filter{Field: "email", Op: crm.OpEq, Value: ""}, "emailISEMPTY"},
		{crm.Filter{Field: "email", Op: crm.OpNe, Value: ""}, "emailISNOTEMPTY"},
		{crm.Filter{Field: "email", Op: crm.OpNe, Value: "x^y"}, "email!=x^^y"},
		{crm.Filter{Field: "short_description", Op: crm.OpContains, Value: "printer"}, "short_descriptionLIKEprinter"},
		{crm.Filter{Field: "name", Op: crm.OpStartsWith, Value: "Ja"}, "nameSTARTSWITHJa"},
		{crm.Filter{Field: "priority", Op: crm.OpLte, Value: 2.0}, "priority<=2"},
		{crm.Filter{Field: "priority", Op: crm.OpGt, Value: 1.5}, "priority>1.5"},
		{crm.Filter{Field: "sys_updated_on", Op: crm.OpGte, Value: "2026-11-01 00:00:00"}, "sys_updated_on>=2026-11-01 00:00:00"},
		{crm.Filter{Field: "active", Op: crm.OpEq, Value: true}, "active=true"},
		{crm.Filter{Field: "caller_id.email", Op: crm.OpEq, Value: "a@b.com"}, "caller_id.email=a@b.com"},
		{crm.Filter{Field: "state", Op: crm.OpIn, Value: []any{"1", "2", 3.0}}, "stateIN1,2,3"},
		{crm.Filter{Field: "email", Op: crm.OpEq, Value: "=x"}, "email==x"},
		// Refused: what the encoded query cannot carry.
		{crm.Filter{Field: "state", Op: crm.OpIn, Value: []any{"1,2"}}, ""},
		{crm.Filter{Field: "state", Op: crm.OpIn, Value: []any{""}}, ""},
		{crm.Filter{Field: "state", Op: crm.OpIn, Value: []any{"a", "b^"}}, ""},
		{crm.Filter{Field: "priority", Op: crm.OpLt, Value: "=5"}, ""},
		{crm.Filter{Field: "priority", Op: crm.OpGt, Value: "@x"}, ""},
		{crm.Filter{Field: "name", Op: crm.OpContains, Value: ""}, ""},
		{crm.Filter{Field: "name", Op: crm.OpEq, Value: "a\nb"}, ""},
		{crm.Filter{Field: "Name", Op: crm.OpEq, Value: "x"}, ""},
		{crm.Filter{Field: "nameLIKE", Op: crm.OpEq, Value: "x"}, ""},
		{crm.Filter{Field: "a..b", Op: crm.OpEq, Value: "x"}, ""},
	} {
		got, err := condition(tc.f)
		if tc.want == "" {
			if err == nil {
				t.Errorf("condition(%+v) = %q, want refusal", tc.f, got)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("condition(%+v) = %q, %v; want %q", tc.f, got, err, tc.want)
		}
	}
}

func eq(field, v string) crm.Filter { return crm.Filter{Field: field, Op: crm.OpEq, Value: v} }

func TestCompileFilterShapes(t *testing.T) {
	for _, tc := range []struct {
		name string
		f    crm.Filter
		want string
	}{
		{"single", eq("a", "1"), "a=1"},
		{"all", crm.Filter{All: []crm.Filter{eq("a", "1"), eq("b", "2")}}, "a=1^b=2"},
		{"any", crm.Filter{Any: []crm.Filter{eq("a", "1"), eq("b", "2")}}, "a=1^ORb=2"},
		{"all of any", crm.Filter{All: []crm.Filter{{Any: []crm.Filter{eq("a", "1"), eq("b", "2")}}, eq("c", "3")}},
			"a=1^ORb=2^c=3"},
		{"any of all", crm.Filter{Any: []crm.Filter{eq("a", "1"), {All: []crm.Filter{eq("b", "2"), eq("c", "3")}}}},
			"a=1^NQb=2^c=3"},
		{"all over any of all", crm.Filter{All: []crm.Filter{eq("a", "1"),
			{Any: []crm.Filter{eq("b", "2"), {All: []crm.Filter{eq("c", "3"), eq("d", "4")}}}}}},
			"a=1^b=2^NQa=1^c=3^d=4"},
		{"nested any flattens", crm.Filter{Any: []crm.Filter{eq("a", "1"), {Any: []crm.Filter{eq("b", "2"), eq("c", "3")}}}},
			"a=1^ORb=2^ORc=3"},
	} {
		got, err := compileFilter(tc.f)
		if err != nil || got != tc.want {
			t.Errorf("%s: got %q, %v; want %q", tc.name, got, err, tc.want)
		}
	}
}

// TestCompileFilterMeaning checks compiled filters against the sandbox's
// reading of the encoded query: the same rows must match as the portable
// filter says.
func TestCompileFilterMeaning(t *testing.T) {
	c, sb := startSandbox(t, nil, snsandbox.Options{Empty: true})
	for _, p := range [][3]string{{"ann", "A", "1"}, {"bob", "B", "2"}, {"cy", "C", "1"}, {"dee", "A", "2"}} {
		sb.AddRecord("sys_user", map[string]string{"user_name": p[0], "department": p[1], "title": p[2]})
	}
	for _, tc := range []struct {
		f    crm.Filter
		want []string
	}{
		{crm.Filter{All: []crm.Filter{eq("department", "A"), {Any: []crm.Filter{eq("title", "1"), eq("user_name", "dee")}}}}, []string{"ann", "dee"}},
		{crm.Filter{Any: []crm.Filter{eq("department", "B"), {All: []crm.Filter{eq("department", "A"), eq("title", "2")}}}}, []string{"bob", "dee"}},
		{crm.Filter{All: []crm.Filter{{Any: []crm.Filter{eq("department", "A"), eq("department", "C")}},
			{Any: []crm.Filter{eq("title", "1"), {All: []crm.Filter{eq("user_name", "dee"), eq("title", "2")}}}}}}, []string{"ann", "cy", "dee"}},
		{crm.Filter{Field: "user_name", Op: crm.OpIn, Value: []any{"bob", "cy"}}, []string{"bob", "cy"}},
		{crm.Filter{Field: "user_name", Op: crm.OpNe, Value: "ann"}, []string{"bob", "cy", "dee"}},
	} {
		recs, err := c.Search(ctx(t), crm.Query{Entity: "sys_user", Filter: tc.f, Fields: []string{"user_name"}, Limit: 50})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, r := range recs {
			got = append(got, r.Fields["user_name"].(string))
		}
		slices.Sort(got)
		if !slices.Equal(got, tc.want) {
			t.Errorf("filter %+v matched %v, want %v", tc.f, got, tc.want)
		}
	}
}

func TestCompileFilterBounded(t *testing.T) {
	// (a1 or (b1 and c1)) and … five times multiplies out to 32 queries.
	part := crm.Filter{Any: []crm.Filter{eq("a", "1"), {All: []crm.Filter{eq("b", "1"), eq("c", "1")}}}}
	f := crm.Filter{All: []crm.Filter{part, part, part, part, part}}
	_, err := compileFilter(f)
	if err == nil || !strings.Contains(err.Error(), "too complex") {
		t.Fatalf("want a too-complex refusal, got %v", err)
	}
	c, _ := startSandbox(t, nil, snsandbox.Options{Empty: true})
	_, err = c.Search(ctx(t), crm.Query{Entity: "sys_user", Filter: f})
	wantCode(t, err, crm.InvalidArgument)
}

func TestCompileFilterNamesThePart(t *testing.T) {
	f := crm.Filter{All: []crm.Filter{eq("a", "1"), {Any: []crm.Filter{eq("b", "2"), {Field: "c", Op: crm.OpIn, Value: []any{"x,y"}}}}}}
	_, err := compileFilter(f)
	if err == nil || !strings.HasPrefix(err.Error(), "all[1].any[1]: ") {
		t.Fatalf("error should name all[1].any[1]: %v", err)
	}
}
