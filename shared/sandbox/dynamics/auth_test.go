package dynamics

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestTokenEndpointRefusals(t *testing.T) {
	e := start(t, Options{})
	good := func() url.Values {
		return url.Values{"grant_type": {"client_credentials"}, "client_id": {testClient}, "client_secret": {testSecret},
			"scope": {e.srv.URL + "/.default"}}
	}
	for _, tc := range []struct {
		name   string
		edit   func(url.Values)
		status int
		code   string
		aadsts string
	}{
		{"wrong secret", func(v url.Values) { v.Set("client_secret", "x") }, 401, "invalid_client", "AADSTS7000215:"},
		{"no secret", func(v url.Values) { v.Del("client_secret") }, 401, "invalid_client", "AADSTS7000218:"},
		{"unknown client", func(v url.Values) { v.Set("client_id", "other") }, 400, "unauthorized_client", "AADSTS700016:"},
		{"no grant", func(v url.Values) { v.Del("grant_type") }, 400, "invalid_request", "AADSTS900144:"},
		{"password grant", func(v url.Values) { v.Set("grant_type", "password") }, 400, "unsupported_grant_type", "AADSTS70003:"},
		{"no scope", func(v url.Values) { v.Del("scope") }, 400, "invalid_request", "AADSTS900144:"},
		{"delegated scope", func(v url.Values) { v.Set("scope", e.srv.URL+"/user_impersonation") }, 400, "invalid_scope", "AADSTS1002012:"},
		{"other resource", func(v url.Values) { v.Set("scope", "https://fabrikam.crm.dynamics.com/.default") }, 400, "invalid_resource", "AADSTS500011:"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			form := good()
			tc.edit(form)
			res, body := e.token(form)
			desc, _ := body["error_description"].(string)
			codes, _ := body["error_codes"].([]any)
			if res.StatusCode != tc.status || body["error"] != tc.code || !strings.HasPrefix(desc, tc.aadsts) ||
				!strings.Contains(desc, "\r\nTrace ID: ") || len(codes) != 1 || body["trace_id"] == "" {
				t.Fatalf("%d %v", res.StatusCode, body)
			}
		})
	}
	res, err := http.Post(e.srv.URL+"/fabrikam.onmicrosoft.com/oauth2/v2.0/token", "application/x-www-form-urlencoded", strings.NewReader(good().Encode()))
	if err != nil {
		t.Fatal(err)
	}
	if body := decodeJSON(t, res); res.StatusCode != 400 || !strings.HasPrefix(body["error_description"].(string), "AADSTS90002:") {
		t.Fatalf("unknown tenant: %d %v", res.StatusCode, body)
	}
	if n := e.s.TokenRequests(); n != 10 { // start's own request, eight refusals, the wrong tenant
		t.Fatalf("token requests = %d", n)
	}
}

func TestTokenAnswerAndExpiry(t *testing.T) {
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	e := start(t, Options{TokenLifetime: time.Hour, Resource: "https://contoso.crm.dynamics.com", Now: func() time.Time { return now }})
	res, body := e.token(url.Values{"grant_type": {"client_credentials"}, "client_id": {testClient}, "client_secret": {testSecret},
		"scope": {"https://contoso.crm.dynamics.com/.default"}})
	if res.StatusCode != 200 || body["token_type"] != "Bearer" || body["expires_in"] != 3600.0 || strings.Count(body["access_token"].(string), ".") != 2 {
		t.Fatalf("%d %v", res.StatusCode, body)
	}
	if res, _ := e.call(http.MethodGet, "WhoAmI", nil); res.StatusCode != 200 {
		t.Fatalf("fresh token refused: %d", res.StatusCode)
	}
	now = now.Add(time.Hour)
	res, body = e.call(http.MethodGet, "WhoAmI", nil)
	if res.StatusCode != 401 || body != nil || !strings.HasPrefix(res.Header.Get("WWW-Authenticate"),
		"Bearer authorization_uri=https://login.microsoftonline.com/"+testTenant+"/oauth2/authorize") {
		t.Fatalf("expired token: %d %v %q", res.StatusCode, body, res.Header.Get("WWW-Authenticate"))
	}
}

func TestExpireTokensAndMissingAuth(t *testing.T) {
	e := start(t, Options{})
	e.s.ExpireTokens()
	if res, _ := e.call(http.MethodGet, "contacts", nil); res.StatusCode != 401 {
		t.Fatalf("%d", res.StatusCode)
	}
	e.tok = ""
	if res, _ := e.call(http.MethodGet, "contacts", nil); res.StatusCode != 401 {
		t.Fatalf("%d", res.StatusCode)
	}
}
