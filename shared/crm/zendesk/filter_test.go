package zendesk

import (
	"strings"
	"testing"

	"github.com/crmflow/crmflow/shared/crm"
)

func cond(field string, op crm.Op, v any) crm.Filter {
	return crm.Filter{Field: field, Op: op, Value: v}
}

func TestCompileFilter(t *testing.T) {
	for _, tc := range []struct {
		name   string
		entity string
		in     crm.Filter
		want   string // queries joined with " | "
	}{
		{"eq quoted", "user", cond("email", crm.OpEq, "a@b.com"), `type:user email:"a@b.com"`},
		{"quote becomes space", "user", cond("name", crm.OpEq, `x" OR "1"="1`), `type:user name:"x OR 1 = 1"`},
		{"backslash and star", "user", cond("name", crm.OpEq, `a\b*c`), `type:user name:"a b c"`},
		{"no words left to the check", "user", cond("email", crm.OpEq, `%`), `type:user`},
		{"number bare", "ticket", cond("priority", crm.OpEq, 2.0), `type:ticket priority:2`},
		{"bool bare", "user", cond("verified", crm.OpEq, true), `type:user verified:true`},
		{"ne", "ticket", cond("status", crm.OpNe, "closed"), `type:ticket -status:"closed"`},
		{"ne changed is checked only", "ticket", cond("subject", crm.OpNe, `a"b`), `type:ticket`},
		{"startsWith leading word", "user", cond("email", crm.OpStartsWith, "jane.d"), `type:user email:jane*`},
		{"startsWith no word", "user", cond("email", crm.OpStartsWith, ".x"), `type:user`},
		{"range", "ticket", cond("updated_at", crm.OpGte, "2026-01-01"), `type:ticket updated>=2026-01-01`},
		{"range unsafe", "ticket", cond("subject", crm.OpGt, "a b"), `type:ticket`},
		{"status rank", "ticket", cond("status", crm.OpLt, "solved"), `type:ticket status<solved`},
		{"ticket keywords", "ticket", crm.Filter{All: []crm.Filter{cond("requester_id", crm.OpEq, "5"), cond("type", crm.OpEq, "incident"),
			cond("custom_fields.360001", crm.OpEq, "gold")}}, `type:ticket requester:"5" ticket_type:"incident" custom_field_360001:"gold"`},
		{"user field", "user", cond("user_fields.job_title", crm.OpContains, "manager"), `type:user job_title:"manager"`},
		{"nested without keyword", "ticket", cond("via.channel", crm.OpEq, "api"), `type:ticket`},
		{"in expands", "ticket", cond("status", crm.OpIn, []any{"open", "pending"}), `type:ticket status:"open" | type:ticket status:"pending"`},
		{"any of all", "user", crm.Filter{Any: []crm.Filter{
			{All: []crm.Filter{cond("name", crm.OpEq, "a"), cond("role", crm.OpEq, "agent")}}, cond("email", crm.OpEq, "c@d.e"),
		}}, `type:user name:"a" role:"agent" | type:user email:"c@d.e"`},
		{"all of any distributes", "user", crm.Filter{All: []crm.Filter{
			{Any: []crm.Filter{cond("name", crm.OpEq, "a"), cond("name", crm.OpEq, "b")}}, cond("role", crm.OpEq, "agent"),
		}}, `type:user name:"a" role:"agent" | type:user name:"b" role:"agent"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.in.Validate(); err != nil {
				t.Fatalf("invalid test filter: %v", err)
			}
			got, err := compileFilter(tc.entity, tc.in)
			if err != nil {
				t.Fatal(err)
			}
			if s := strings.Join(got, " | "); s != tc.want {
				t.Fatalf("got  %s\nwant %s", s, tc.want)
			}
		})
	}
}

func TestCompileFilterTooComplex(t *testing.T) {
	var vals []any
	for i := range 9 {
		vals = append(vals, string(rune('a'+i)))
	}
	if _, err := compileFilter("user", cond("name", crm.OpIn, vals)); err == nil {
		t.Fatal("9 searches accepted")
	}
	three := crm.Filter{Any: []crm.Filter{cond("a", crm.OpEq, "1"), cond("a", crm.OpEq, "2"), cond("a", crm.OpEq, "3")}}
	if _, err := compileFilter("user", crm.Filter{All: []crm.Filter{three, three}}); err == nil {
		t.Fatal("3×3 searches accepted")
	}
}

func TestMatches(t *testing.T) {
	o := object{"id": "1", "name": "Jane Doe", "email": "Jane.Doe@example.com", "status": "pending", "priority": "high",
		"tags": []any{"vip", "crmflow"}, "updated_at": "2026-11-23T10:00:00Z", "user_fields": map[string]any{"level": "3"},
		"custom_fields": []any{map[string]any{"id": "360001", "value": "gold"}}}
	for _, tc := range []struct {
		f    crm.Filter
		want bool
	}{
		{cond("email", crm.OpEq, "jane.doe@example.com"), true},
		{cond("email", crm.OpEq, "x.jane.doe@example.com"), false},
		{cond("email", crm.OpContains, "doe@"), true},
		{cond("name", crm.OpStartsWith, "jane d"), true},
		{cond("name", crm.OpNe, "Jane Doe"), false},
		{cond("tags", crm.OpEq, "vip"), true},
		{cond("tags", crm.OpNe, "vip"), false},
		{cond("status", crm.OpLt, "solved"), true},
		{cond("priority", crm.OpGte, "urgent"), false},
		{cond("updated_at", crm.OpGt, "2026-11-01"), true},
		{cond("user_fields.level", crm.OpGt, 2.0), true},
		{cond("custom_field_360001", crm.OpEq, "GOLD"), true},
		{cond("missing", crm.OpEq, "x"), false},
		{cond("missing", crm.OpNe, "x"), true},
		{cond("status", crm.OpIn, []any{"open", "pending"}), true},
		{crm.Filter{Any: []crm.Filter{cond("name", crm.OpEq, "x"), cond("name", crm.OpContains, "doe")}}, true},
	} {
		if got := matches(o, tc.f); got != tc.want {
			t.Errorf("%+v: got %v", tc.f, got)
		}
	}
}
