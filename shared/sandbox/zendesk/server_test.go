package zdsandbox

import (
	"encoding/base64"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestAuth(t *testing.T) {
	a := start(t, Options{AccessTokens: []string{"oauth-1"}})
	basic := func(s string) string { return "Basic " + base64.StdEncoding.EncodeToString([]byte(s)) }
	for name, tc := range map[string]struct {
		auth string
		want int
	}{
		"api token":           {tokenAuth, 200},
		"email case":          {basic(strings.ToUpper(DefaultEmail) + "/token:" + DefaultAPIToken), 200},
		"bearer":              {"Bearer oauth-1", 200},
		"password form":       {basic(DefaultEmail + ":" + DefaultAPIToken), 401},
		"other agent":         {basic("x@acme.example/token:" + DefaultAPIToken), 401},
		"wrong token":         {basic(DefaultEmail + "/token:nope"), 401},
		"unknown bearer":      {"Bearer nope", 401},
		"no header (garbage)": {"garbage", 401},
	} {
		status, body, _ := a.do("GET", "/api/v2/users/381000000002.json", "", tc.auth)
		if status != tc.want {
			t.Errorf("%s: status %d", name, status)
		}
		if tc.want == 401 && body["error"] != "Couldn't authenticate you" {
			t.Errorf("%s: body %v", name, body)
		}
	}
}

func TestTokenGrant(t *testing.T) {
	a := start(t, Options{TokenTTL: time.Hour})
	status, body, _ := a.do("POST", "/oauth/tokens", `{"grant_type":"client_credentials","client_id":"`+DefaultClientID+`","client_secret":"`+DefaultClientSecret+`"}`, "")
	if status != 200 || body["token_type"] != "bearer" || body["expires_in"] != 3600.0 || body["scope"] != "read write" {
		t.Fatalf("%d %v", status, body)
	}
	tok := body["access_token"].(string)
	if s, _, _ := a.do("GET", "/api/v2/tickets/1.json", "", "Bearer "+tok); s != 200 {
		t.Fatalf("token refused: %d", s)
	}
	a.sb.ExpireTokens()
	if s, _, _ := a.do("GET", "/api/v2/tickets/1.json", "", "Bearer "+tok); s != 401 {
		t.Fatalf("expired token: %d", s)
	}
	status, body, _ = a.do("POST", "/oauth/tokens", `{"grant_type":"client_credentials","client_id":"x","client_secret":"y"}`, "")
	if status != 401 || body["error"] != "invalid_client" || a.sb.TokenRequests() != 2 {
		t.Fatalf("%d %v", status, body)
	}
	status, body, _ = a.do("POST", "/oauth/tokens", `{"grant_type":"password"}`, "")
	if status != 400 || body["error"] != "unsupported_grant_type" {
		t.Fatalf("%d %v", status, body)
	}
}

func TestResourceErrors(t *testing.T) {
	a := start(t, Options{})
	status, body, _ := a.do("GET", "/api/v2/tickets/999.json", "", tokenAuth)
	if status != 404 || body["error"] != "RecordNotFound" || body["description"] != "Not found" {
		t.Fatalf("%d %v", status, body)
	}
	status, body, _ = a.do("POST", "/api/v2/users.json", `{"user":{"name":"X","email":"a@b"}}`, tokenAuth)
	details, _ := body["details"].(map[string]any)
	if status != 422 || body["error"] != "RecordInvalid" || details["email"] == nil {
		t.Fatalf("%d %v", status, body)
	}
	status, _, _ = a.do("POST", "/api/v2/tickets.json", `{"ticket":{"subject":"no comment"}}`, tokenAuth)
	if status != 422 {
		t.Fatalf("ticket without comment: %d", status)
	}
	status, _, _ = a.do("POST", "/api/v2/tickets.json", `not json`, tokenAuth)
	if status != 400 {
		t.Fatalf("bad json: %d", status)
	}
}

func TestTicketWrites(t *testing.T) {
	a := start(t, Options{})
	status, body, h := a.do("POST", "/api/v2/tickets", `{"ticket":{"subject":"S","comment":{"body":"first","public":false},"requester_id":381000000002,"external_id":"k1","tags":["a"]}}`, tokenAuth)
	tk, _ := body["ticket"].(map[string]any)
	if status != 201 || tk["status"] != "new" || tk["description"] != "first" || body["audit"] == nil || h.Get("Location") == "" {
		t.Fatalf("%d %v", status, body)
	}
	id := int64(tk["id"].(float64))
	status, body, _ = a.do("PUT", "/api/v2/tickets/"+itoa(id)+".json", `{"ticket":{"status":"open","comment":{"body":"note","public":false},"additional_tags":["b"]}}`, tokenAuth)
	tk, _ = body["ticket"].(map[string]any)
	if status != 200 || tk["status"] != "open" || len(tk["tags"].([]any)) != 2 || len(a.sb.Comments(id)) != 2 {
		t.Fatalf("%d %v", status, body)
	}
	status, body, _ = a.do("GET", "/api/v2/tickets.json?external_id=k1", "", tokenAuth)
	if status != 200 || len(body["tickets"].([]any)) != 1 {
		t.Fatalf("%d %v", status, body)
	}
	status, _, _ = a.do("PUT", "/api/v2/tickets/"+itoa(id)+".json", `{"ticket":{"status":"bogus"}}`, tokenAuth)
	if status != 422 {
		t.Fatalf("bad status: %d", status)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestSearch(t *testing.T) {
	a := start(t, Options{PageSize: 1})
	q := func(query string, extra ...string) (int, map[string]any) {
		s, b, _ := a.do("GET", "/api/v2/search.json?query="+url.QueryEscape(query)+strings.Join(extra, ""), "", tokenAuth)
		return s, b
	}
	count := func(query string) int {
		s, b := q(query)
		if s != 200 {
			t.Fatalf("%q: %d %v", query, s, b)
		}
		return int(b["count"].(float64))
	}
	for query, want := range map[string]int{
		`type:user phone:*4155550100`:                1,
		`type:user phone:14155550100`:                0,
		`type:user phone:*14155550199`:               1,
		`type:user email:"jane.doe@example.com"`:     1,
		`type:user email:"x OR 1 = 1"`:               0,
		`type:user name:"Doe" email:jane*`:           1,
		`type:user -name:"Jane Doe"`:                 3,
		`type:ticket status<solved`:                  2,
		`type:ticket requester:381000000002`:         2,
		`type:ticket requester:jane.doe@example.com`: 2,
		`type:ticket priority>=high`:                 1,
		`type:user job_title:"office manager"`:       1,
		`type:user nosuchfield:x`:                    0,
		`type:organization name:acme`:                1,
		`printer`:                                    1,
	} {
		if got := count(query); got != want {
			t.Errorf("%q: count %d, want %d", query, got, want)
		}
	}
	s, b := q(`type:ticket status<solved`, "&sort_by=updated_at&sort_order=desc")
	next, _ := b["next_page"].(string)
	if s != 200 || len(b["results"].([]any)) != 1 || !strings.Contains(next, "page=2") {
		t.Fatalf("paging: %d %v", s, b)
	}
	if r := b["results"].([]any)[0].(map[string]any); r["result_type"] != "ticket" {
		t.Fatalf("result %v", r)
	}
	for _, bad := range []string{`email:"open`, `a"b`, ``, `type:nothing`, `name:`} {
		if s, b := q(bad); s != 400 || b["error"] != "invalid" {
			t.Errorf("%q: %d %v", bad, s, b)
		}
	}
	full := start(t, Options{})
	if s, _, _ := full.do("GET", "/api/v2/search.json?query=type:user&page=11&per_page=100", "", tokenAuth); s != 422 {
		t.Fatalf("past the cap: %d", s)
	}
}

func TestIndexLag(t *testing.T) {
	a := start(t, Options{IndexLag: time.Hour})
	a.do("POST", "/api/v2/users.json", `{"user":{"name":"Fresh User","email":"fresh@example.com"}}`, tokenAuth)
	_, b, _ := a.do("GET", "/api/v2/search.json?query="+url.QueryEscape(`type:user email:"fresh@example.com"`), "", tokenAuth)
	if b["count"].(float64) != 0 {
		t.Fatalf("fresh user searchable: %v", b)
	}
	_, b, _ = a.do("GET", "/api/v2/users/search.json?query=fresh@example.com", "", tokenAuth)
	if b["count"].(float64) != 1 {
		t.Fatalf("users/search: %v", b)
	}
}
