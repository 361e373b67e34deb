package salesforce

import (
	"crypto"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestClientCredentials(t *testing.T) {
	o := newOrg(t, Options{})
	status, body := o.form(url.Values{"grant_type": {"client_credentials"}, "client_id": {"cid"}, "client_secret": {"secret"}})
	var tr map[string]string
	if err := json.Unmarshal(body, &tr); err != nil || status != 200 {
		t.Fatalf("%d %s", status, body)
	}
	if tr["instance_url"] != o.url || tr["token_type"] != "Bearer" || !strings.HasPrefix(tr["id"], "https://login.salesforce.com/id/00D") {
		t.Fatalf("%v", tr)
	}
	mac := hmac.New(sha256.New, []byte("secret"))
	mac.Write([]byte(tr["id"] + tr["issued_at"]))
	if tr["signature"] != base64.StdEncoding.EncodeToString(mac.Sum(nil)) {
		t.Fatal("signature does not verify")
	}
	for _, tc := range []struct {
		form url.Values
		code string
	}{
		{url.Values{"grant_type": {"client_credentials"}, "client_id": {"other"}, "client_secret": {"secret"}}, "invalid_client_id"},
		{url.Values{"grant_type": {"client_credentials"}, "client_id": {"cid"}, "client_secret": {"wrong"}}, "invalid_client"},
		{url.Values{"grant_type": {"password"}, "username": {"u"}, "password": {"p"}}, "unsupported_grant_type"},
	} {
		status, body := o.form(tc.form)
		var oe map[string]string
		_ = json.Unmarshal(body, &oe)
		if status != 400 || oe["error"] != tc.code || oe["error_description"] == "" {
			t.Errorf("%v: %d %s", tc.form, status, body)
		}
	}
	if o.s.TokenRequests() != 5 {
		t.Fatalf("token requests %d", o.s.TokenRequests())
	}
}

func signJWT(t *testing.T, key *rsa.PrivateKey, alg string, claims map[string]any) string {
	t.Helper()
	enc := base64.RawURLEncoding
	h, _ := json.Marshal(map[string]string{"alg": alg})
	c, _ := json.Marshal(claims)
	signing := enc.EncodeToString(h) + "." + enc.EncodeToString(c)
	digest := sha256.Sum256([]byte(signing))
	sig, err := rsa.SignPKCS1v15(nil, key, crypto.SHA256, digest[:])
	if err != nil {
		t.Fatal(err)
	}
	return signing + "." + enc.EncodeToString(sig)
}

func TestJWTBearer(t *testing.T) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	other, _ := rsa.GenerateKey(rand.Reader, 2048)
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	o := newOrg(t, Options{JWTPublicKey: &key.PublicKey, JWTUsername: "api@acme.example", Now: func() time.Time { return now }})
	good := func() map[string]any {
		return map[string]any{"iss": "cid", "sub": "api@acme.example", "aud": "https://login.salesforce.com", "exp": now.Add(3 * time.Minute).Unix()}
	}
	with := func(k string, v any) map[string]any { c := good(); c[k] = v; return c }
	status, body := o.form(url.Values{"grant_type": {grantJWTBearer}, "assertion": {signJWT(t, key, "RS256", good())}})
	var tr map[string]string
	_ = json.Unmarshal(body, &tr)
	if status != 200 || tr["access_token"] == "" || tr["instance_url"] != o.url || tr["scope"] != "api" {
		t.Fatalf("%d %s", status, body)
	}
	for name, assertion := range map[string]string{
		"other key":      signJWT(t, other, "RS256", good()),
		"alg":            signJWT(t, key, "HS256", good()),
		"issuer":         signJWT(t, key, "RS256", with("iss", "someone")),
		"subject":        signJWT(t, key, "RS256", with("sub", "root@acme.example")),
		"audience":       signJWT(t, key, "RS256", with("aud", "https://evil.example")),
		"expired":        signJWT(t, key, "RS256", with("exp", now.Add(-time.Minute).Unix())),
		"too far ahead":  signJWT(t, key, "RS256", with("exp", now.Add(time.Hour).Unix())),
		"no exp":         signJWT(t, key, "RS256", with("exp", nil)),
		"not a jwt":      "abc",
		"tampered claim": strings.Replace(signJWT(t, key, "RS256", good()), ".", ".x", 1),
	} {
		status, body := o.form(url.Values{"grant_type": {grantJWTBearer}, "assertion": {assertion}})
		var oe map[string]string
		_ = json.Unmarshal(body, &oe)
		if status != 400 || oe["error"] == "" {
			t.Errorf("%s: %d %s", name, status, body)
		}
	}
}
