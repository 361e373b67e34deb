package crm_test

import (
	"encoding/json"
	"errors"
	"reflect"
	"regexp"
	"testing"

	"github.com/crmflow/crmflow/shared/crm"
)

var fuzzFieldName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_.]*$`)

// FuzzParseFilter: whatever the JSON, ParseFilter never panics and either
// refuses with a FilterError or returns a filter within every limit of SPEC
// §4.3 (field names, operators, scalar values, depth, size) that survives a
// JSON round trip unchanged.
func FuzzParseFilter(f *testing.F) {
	for _, s := range []string{
		`{"field":"LastName","op":"eq","value":"Doe"}`,
		`{"all":[{"field":"LastName","op":"eq","value":"Doe"},{"field":"Email","op":"contains","value":"jane"}]}`,
		`{"any":[{"field":"a","op":"in","value":["x",1,true]},{"all":[{"field":"b.c","op":"gte","value":2.5}]}]}`,
		`{"all":[],"any":[]}`, `{"all":null}`, `{"field":"x","op":"eq"}`, `{"field":"x","op":"eq","value":null}`,
		`{"field":"x","op":"in","value":[]}`, `{"field":"x","op":"in","value":[[1]]}`, `{"field":"x","op":"eq","value":{"a":1}}`,
		`{"field":"x) OR (Id","op":"eq","value":"x"}`, `{"field":"1x","op":"eq","value":"x"}`, `{"field":"x","op":"like","value":"x"}`,
		`{"field":"x","op":"contains","value":5}`, `{"field":"x","op":"startsWith","value":""}`, `{"all":[{"field":"x","op":"eq","value":"y"}],"field":"z"}`,
		`{"all":[{"all":[{"all":[{"all":[{"field":"x","op":"eq","value":1}]}]}]}]}`,
		`{"all":[{"all":[{"all":[{"all":[{"all":[{"field":"x","op":"eq","value":1}]}]}]}]}]}`,
		`{"field":"x","op":"eq","value":1e400}`, `{"field":"x","op":"eq","value":"\u0000'\"\\"}`, `{"field":"x","op":"eq","value":false}`,
		`[]`, `null`, `"x"`, `{`, ``,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		flt, err := crm.ParseFilter(data)
		if err != nil {
			var fe *crm.FilterError
			if !errors.As(err, &fe) || fe.Msg == "" {
				t.Fatalf("%q: refusal %#v is not a FilterError", data, err)
			}
			return
		}
		n := 0
		checkAccepted(t, data, flt, 1, &n)
		again, err := json.Marshal(flt)
		if err != nil {
			t.Fatalf("%q: accepted filter does not encode: %v", data, err)
		}
		back, err := crm.ParseFilter(again)
		if err != nil {
			t.Fatalf("%q: accepted filter refused after a round trip as %s: %v", data, again, err)
		}
		if !reflect.DeepEqual(back, flt) {
			t.Fatalf("%q: round trip changed %#v into %#v", data, flt, back)
		}
	})
}

func checkAccepted(t *testing.T, data []byte, f crm.Filter, depth int, n *int) {
	t.Helper()
	if depth > crm.MaxFilterDepth {
		t.Fatalf("%q: accepted at depth %d", data, depth)
	}
	if f.IsGroup() {
		list := f.All
		if f.Any != nil {
			list = f.Any
		}
		if (f.All != nil && f.Any != nil) || len(list) == 0 || f.Field != "" || f.Op != "" || f.Value != nil {
			t.Fatalf("%q: accepted malformed group %#v", data, f)
		}
		for _, c := range list {
			checkAccepted(t, data, c, depth+1, n)
		}
		return
	}
	*n++
	if *n > crm.MaxFilterConditions {
		t.Fatalf("%q: accepted more than %d conditions", data, crm.MaxFilterConditions)
	}
	if !fuzzFieldName.MatchString(f.Field) || !crm.ValidField(f.Field) {
		t.Fatalf("%q: accepted field %q", data, f.Field)
	}
	values := []any{f.Value}
	switch f.Op {
	case crm.OpIn:
		list, ok := f.Value.([]any)
		if !ok || len(list) == 0 || len(list) > crm.MaxInValues {
			t.Fatalf("%q: accepted in-list %#v", data, f.Value)
		}
		values = list
	case crm.OpContains, crm.OpStartsWith:
		if _, ok := f.Value.(string); !ok {
			t.Fatalf("%q: accepted %s with %#v", data, f.Op, f.Value)
		}
	case crm.OpEq, crm.OpNe, crm.OpGt, crm.OpGte, crm.OpLt, crm.OpLte:
	default:
		t.Fatalf("%q: accepted operator %q", data, f.Op)
	}
	for _, v := range values {
		switch x := v.(type) {
		case string:
			if len(x) > crm.MaxValueLength {
				t.Fatalf("%q: accepted a %d-byte value", data, len(x))
			}
		case float64, bool:
		default:
			t.Fatalf("%q: accepted value %#v", data, v)
		}
	}
}
