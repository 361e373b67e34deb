package kustomer

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmhttp"
)

func TestCompileFilter(t *testing.T) {
	cond := func(field string, op crm.Op, v any) crm.Filter { return crm.Filter{Field: field, Op: op, Value: v} }
	for _, tc := range []struct {
		name string
		ctx  string
		in   crm.Filter
		want string
	}{
		{"eq", "customer", cond("email", crm.OpEq, "a@b.com"), `{"customer_email":{"equals":"a@b.com"}}`},
		{"quotes stay values", "customer", cond("name", crm.OpEq, `x" OR "1"="1`), `{"customer_name":{"equals":"x\" OR \"1\"=\"1"}}`},
		{"ne", "customer", cond("name", crm.OpNe, "Smith"), `{"customer_name":{"not_equals":"Smith"}}`},
		{"contains", "customer", cond("name", crm.OpContains, "Doe"), `{"customer_name":{"contains":"Doe"}}`},
		{"number", "conversation", cond("priority", crm.OpGte, 3.0), `{"conversation_priority":{"gte":3}}`},
		{"bool", "customer", cond("custom.vipBool", crm.OpEq, true), `{"customer_custom_vipBool":{"equals":true}}`},
		{"custom", "conversation", cond("custom.orderStr", crm.OpEq, "A-1"), `{"conversation_custom_orderStr":{"equals":"A-1"}}`},
		{"raw attribute", "customer", cond("conversation_status", crm.OpEq, "open"), `{"conversation_status":{"equals":"open"}}`},
		{"relationship", "conversation", cond("customer", crm.OpEq, "5f3a1c2b9d8e7f0012a4b004"),
			`{"conversation_customer_id":{"equals":"5f3a1c2b9d8e7f0012a4b004"}}`},
		{"in", "conversation", cond("status", crm.OpIn, []any{"open", "snoozed"}),
			`{"or":[{"conversation_status":{"equals":"open"}},{"conversation_status":{"equals":"snoozed"}}]}`},
		{"dates", "customer", cond("updatedAt", crm.OpLt, "2026-11-01"), `{"customer_updated_at":{"lt":"2026-11-01"}}`},
		{"nested", "customer", crm.Filter{All: []crm.Filter{cond("name", crm.OpContains, "Doe"),
			{Any: []crm.Filter{cond("email", crm.OpEq, "a@b.com"), cond("phone", crm.OpEq, "+14155550100")}}}},
			`{"and":[{"customer_name":{"contains":"Doe"}},{"or":[{"customer_email":{"equals":"a@b.com"}},{"customer_phone":{"equals":"+14155550100"}}]}]}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.in.Validate(); err != nil {
				t.Fatalf("invalid test filter: %v", err)
			}
			got, err := compileFilter(tc.ctx, tc.in)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := crmhttp.MarshalUnescaped(got)
			if string(b) != tc.want {
				t.Fatalf("got  %s\nwant %s", b, tc.want)
			}
		})
	}
}

func TestCompileFilterRefuses(t *testing.T) {
	cond := func(field string, op crm.Op, v any) crm.Filter { return crm.Filter{Field: field, Op: op, Value: v} }
	for _, tc := range []struct {
		name string
		ctx  string
		in   crm.Filter
		why  string
	}{
		{"startsWith", "customer", cond("name", crm.OpStartsWith, "Ja"), "startsWith"},
		{"unknown field", "customer", cond("nickname", crm.OpEq, "x"), "cannot be searched"},
		{"dotted non-custom", "customer", cond("company.name", crm.OpEq, "Acme"), "cannot be searched"},
		{"custom bad name", "customer", cond("custom.Tier", crm.OpEq, "x"), "cannot be searched"},
		{"customer attribute in conversation search", "conversation", cond("customer_name", crm.OpEq, "x"), "cannot be searched"},
		{"invalid UTF-8", "customer", cond("name", crm.OpEq, "\xff"), "UTF-8"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := compileFilter(tc.ctx, tc.in)
			e := wantCode(t, err, crm.InvalidArgument)
			if !strings.Contains(e.Message, tc.why) {
				t.Fatalf("message %q lacks %q", e.Message, tc.why)
			}
		})
	}
}

// An empty string is a value, not an absent one.
func TestCompileFilterKeepsEmptyValue(t *testing.T) {
	c, err := compileFilter("customer", crm.Filter{Field: "name", Op: crm.OpEq, Value: ""})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(c)
	if string(b) != `{"customer_name":{"equals":""}}` {
		t.Fatalf("%s", b)
	}
}
