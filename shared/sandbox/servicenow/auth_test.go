package servicenow

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

func (in *instance) token(form url.Values, contentType string) (int, map[string]any) {
	in.t.Helper()
	resp, err := http.Post(in.url+"/oauth_token.do", contentType, strings.NewReader(form.Encode()))
	if err != nil {
		in.t.Fatal(err)
	}
	defer resp.Body.Close()
	var body map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&body)
	return resp.StatusCode, body
}

func TestClientCredentialsGrant(t *testing.T) {
	at := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	in := start(t, Options{TokenTTL: time.Minute, Now: func() time.Time { return at }})
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {"client"}, "client_secret": {"client-secret"}}
	status, body := in.token(form, "application/x-www-form-urlencoded")
	tok, _ := body["access_token"].(string)
	if status != 200 || tok == "" || body["token_type"] != "Bearer" || body["expires_in"] != 60.0 {
		t.Fatalf("grant: %d %v", status, body)
	}
	if a := in.call("GET", "/api/now/table/incident?sysparm_limit=1", "", "Bearer "+tok); a.status != 200 {
		t.Fatalf("with token: %d", a.status)
	}
	at = at.Add(2 * time.Minute)
	if a := in.call("GET", "/api/now/table/incident?sysparm_limit=1", "", "Bearer "+tok); a.status != 401 {
		t.Fatalf("expired token: %d", a.status)
	}
	_, body = in.token(form, "application/x-www-form-urlencoded")
	tok = body["access_token"].(string)
	in.sb.ExpireTokens()
	if a := in.call("GET", "/api/now/table/incident?sysparm_limit=1", "", "Bearer "+tok); a.status != 401 {
		t.Fatalf("after ExpireTokens: %d", a.status)
	}
	if in.sb.TokenRequests() != 2 {
		t.Fatalf("token requests %d", in.sb.TokenRequests())
	}
}

func TestTokenRefusals(t *testing.T) {
	in := start(t, Options{})
	for _, tc := range []struct {
		form   url.Values
		ct     string
		status int
	}{
		{url.Values{"grant_type": {"client_credentials"}, "client_id": {"client"}, "client_secret": {"wrong"}}, "application/x-www-form-urlencoded", 401},
		{url.Values{"grant_type": {"password"}, "client_id": {"client"}, "client_secret": {"client-secret"}, "username": {user}, "password": {password}},
			"application/x-www-form-urlencoded", 400},
		{url.Values{"grant_type": {"client_credentials"}, "client_id": {"client"}, "client_secret": {"client-secret"}}, "application/json", 400},
	} {
		status, body := in.token(tc.form, tc.ct)
		if status != tc.status || body["error"] == nil || body["access_token"] != nil {
			t.Fatalf("%v %s: %d %v", tc.form, tc.ct, status, body)
		}
	}
}
