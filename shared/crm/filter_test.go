package crm

import (
	"strings"
	"testing"
)

func TestParseFilter(t *testing.T) {
	ok := []string{
		`{"field":"Email","op":"eq","value":"a@b.com"}`,
		`{"all":[{"field":"LastName","op":"eq","value":"Doe"},{"any":[{"field":"Age","op":"gt","value":3},{"field":"Active","op":"eq","value":true}]}]}`,
		`{"field":"Status","op":"in","value":["New","Open"]}`,
		`{"field":"user_fields.job_title","op":"startsWith","value":"Eng"}`,
	}
	for _, s := range ok {
		if _, err := ParseFilter([]byte(s)); err != nil {
			t.Errorf("%s: %v", s, err)
		}
	}
	bad := map[string]string{
		`{"field":"Email; DROP","op":"eq","value":"x"}`: "field",
		`{"field":"1abc","op":"eq","value":"x"}`:        "field",
		`{"field":"Email","op":"like","value":"x"}`:     "op",
		`{"field":"Email","op":"eq"}`:                   "value",
		`{"field":"Email","op":"in","value":"x"}`:       "value",
		`{"field":"Email","op":"in","value":[]}`:        "value",
		`{"field":"Email","op":"in","value":[{"a":1}]}`: "value[0]",
		`{"field":"Email","op":"contains","value":5}`:   "value",
		`{"all":[]}`: "all",
		`{"all":[{"field":"A","op":"eq","value":1}],"any":[]}`:                      "",
		`{"all":[{"field":"A","op":"eq","value":{"x":1}}]}`:                         "all[0].value",
		`{"all":[{"all":[{"all":[{"all":[{"field":"A","op":"eq","value":1}]}]}]}]}`: "nested",
		`[]`: "not a valid filter",
	}
	for s, want := range bad {
		_, err := ParseFilter([]byte(s))
		if err == nil {
			t.Errorf("%s: accepted", s)
			continue
		}
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error %q does not mention %q", s, err, want)
		}
	}
}

func TestFilterLimits(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"any":[`)
	for i := 0; i <= MaxFilterConditions; i++ {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString(`{"field":"A","op":"eq","value":1}`)
	}
	b.WriteString(`]}`)
	if _, err := ParseFilter([]byte(b.String())); err == nil || !strings.Contains(err.Error(), "more than") {
		t.Fatalf("too many conditions accepted: %v", err)
	}
}

func TestValidField(t *testing.T) {
	for _, f := range []string{"Email", "_x", "Account.Name", "custom.jobTitleStr", "new_thing"} {
		if !ValidField(f) {
			t.Errorf("%q refused", f)
		}
	}
	for _, f := range []string{"", "1a", "a b", "a'b", "a-b", "a)b", strings.Repeat("a", 256)} {
		if ValidField(f) {
			t.Errorf("%q accepted", f)
		}
	}
}
