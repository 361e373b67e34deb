package kustomer

import (
	"strings"
	"testing"
)

func TestSearch(t *testing.T) {
	_, c := start(t, Options{})
	names := func(body map[string]any) string {
		var out []string
		for _, r := range list(body) {
			out = append(out, attr(r, "name").(string))
		}
		return strings.Join(out, ", ")
	}
	for _, tc := range []struct{ body, want string }{
		{`{"and":[{"customer_phone":{"equals":"4155550100"}}],"queryContext":"customer"}`, "Jane Doe"},
		{`{"or":[{"customer_phone":{"equals":"+14155550199"}},{"customer_email":{"equals":"JANE.DOE@example.com"}}]}`, "Jane Doe, John Roe"},
		{`{"and":[{"customer_name":{"contains":"doe"}},{"or":[{"customer_custom_tierStr":{"equals":"gold"}}]}]}`, "Jane Doe"},
		{`{"and":[{"customer_name":{"not_equals":"jane doe"}},{"customer_email":{"contains":"example.com"}}]}`, "John Roe"},
		{`{"and":[{"conversation_status":{"equals":"snoozed"}}],"queryContext":"customer"}`, "Jane Doe"},
		{`{"and":[{"conversation_priority":{"gte":5}}],"queryContext":"conversation"}`, "Printer on fire"},
		{`{"and":[{"conversation_status":{"equals":"open"}}],"sort":[{"conversation_name":"asc"}],"queryContext":"conversation"}`,
			"Conference room booking broken, Printer on fire"},
		{`{"and":[{"customer_created_at":{"lt":"2026-11-20T09:40:00Z"}}],"sort":[{"customer_created_at":"desc"}]}`, "Jane Doe"},
		{`{"and":[{"customer_email":{"equals":"jane.doe@example.com' OR '1'='1"}}]}`, ""},
	} {
		status, body := c.do("POST", "/v1/customers/search", tc.body)
		if status != 200 || names(body) != tc.want {
			t.Errorf("%s: %d %q, want %q", tc.body, status, names(body), tc.want)
		}
	}
}

func TestSearchRefuses(t *testing.T) {
	_, c := start(t, Options{})
	for _, tc := range []struct{ path, body, text string }{
		{"/v1/customers/search", `{"where":[]}`, "not allowed"},
		{"/v1/customers/search", `{"queryContext":"ticket"}`, "queryContext"},
		{"/v1/customers/search", `{"and":[{"customer_nickname":{"equals":"x"}}]}`, "not a search attribute"},
		{"/v1/customers/search", `{"and":[{"customer_name":{"like":"x"}}]}`, "does not apply"},
		{"/v1/customers/search", `{"and":[{"customer_name":{"equals":"x","contains":"y"}}]}`, "exactly one operator"},
		{"/v1/customers/search", `{"and":[{"customer_name":{"equals":1}}]}`, "must be a string"},
		{"/v1/customers/search", `{"and":[{"customer_phone":{"equals":"(415) 555-0100"}}]}`, `^\+?[1-9]\d{1,14}$`},
		{"/v1/customers/search", `{"and":[{"customer_name":{"equals":"x"},"customer_email":{"equals":"y"}}]}`, "exactly one"},
		{"/v1/customers/search", `{"and":[{"or":[]}]}`, "at least one"},
		{"/v1/customers/search", `{"and":[{"customer_name":{"equals":"x"}}],"queryContext":"conversation"}`, "not a search attribute"},
		{"/v1/customers/search", `{"sort":[{"customer_email":"asc"}]}`, "cannot sort"},
		{"/v1/customers/search", `{"sort":[{"customer_name":"up"}]}`, "cannot sort"},
		{"/v1/customers/search?page=101", `{}`, "page"},
		{"/v1/customers/search?page=0", `{}`, "page"},
		{"/v1/customers/search", `{} {}`, "one JSON object"},
	} {
		status, body := c.do("POST", tc.path, tc.body)
		wantError(t, status, body, 400, "bad_request", tc.text)
	}
}

func TestSearchPaging(t *testing.T) {
	_, c := start(t, Options{PageSize: 2})
	var seen []string
	path := "/v1/customers/search?page=1&pageSize=50"
	for path != "" {
		status, body := c.do("POST", path, `{"sort":[{"customer_created_at":"asc"}]}`)
		if status != 200 {
			t.Fatalf("%d %v", status, body)
		}
		for _, r := range list(body) {
			seen = append(seen, attr(r, "name").(string))
		}
		path, _ = body["links"].(map[string]any)["next"].(string)
	}
	if strings.Join(seen, ", ") != "Jane Doe, John Roe, Maria Garcia, Priya Patel, Kenji Watanabe" {
		t.Fatalf("%v", seen)
	}
}
