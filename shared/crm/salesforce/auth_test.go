package salesforce

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/crmflow/crmflow/shared/crm"
	sfsandbox "github.com/crmflow/crmflow/shared/sandbox/salesforce"
)

func rsaKey(t *testing.T) (*rsa.PrivateKey, string, string) {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	pkcs1 := pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)})
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	pkcs8 := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
	return key, string(pkcs1), string(pkcs8)
}

func TestJWTAssertionVerifies(t *testing.T) {
	key, _, pkcs8 := rsaKey(t)
	c, err := newConnector(crm.Config{BaseURL: "https://acme.my.salesforce.com", Auth: crm.Auth{Type: crm.AuthJWTBearer,
		ClientID: "3MVG9-consumer-key", Username: "api@acme.example"}, Credentials: crm.Credentials{PrivateKey: pkcs8}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	c.now = func() time.Time { return now }
	a, err := c.assertion()
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(a, ".")
	if len(parts) != 3 {
		t.Fatalf("assertion %q", a)
	}
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil {
		t.Fatal(err)
	}
	digest := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	if err := rsa.VerifyPKCS1v15(&key.PublicKey, crypto.SHA256, digest[:], sig); err != nil {
		t.Fatalf("signature does not verify: %v", err)
	}
	var header map[string]string
	var claims map[string]any
	decode := func(seg string, v any) {
		b, err := base64.RawURLEncoding.DecodeString(seg)
		if err != nil || json.Unmarshal(b, v) != nil {
			t.Fatalf("segment %q: %v", seg, err)
		}
	}
	decode(parts[0], &header)
	decode(parts[1], &claims)
	if header["alg"] != "RS256" {
		t.Fatalf("header %v", header)
	}
	if claims["iss"] != "3MVG9-consumer-key" || claims["sub"] != "api@acme.example" || claims["aud"] != "https://login.salesforce.com" ||
		claims["exp"] != float64(now.Add(3*time.Minute).Unix()) {
		t.Fatalf("claims %v", claims)
	}
}

func TestParsePrivateKey(t *testing.T) {
	_, pkcs1, pkcs8 := rsaKey(t)
	for name, text := range map[string]string{"pkcs1": pkcs1, "pkcs8": pkcs8, "escaped newlines": strings.ReplaceAll(pkcs8, "\n", `\n`)} {
		if _, err := parsePrivateKey(text); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	ec, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	der, _ := x509.MarshalPKCS8PrivateKey(ec)
	for name, text := range map[string]string{
		"ec key":      string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})),
		"certificate": string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: []byte{1}})),
		"garbage":     "not a key",
	} {
		if _, err := parsePrivateKey(text); err == nil {
			t.Errorf("%s accepted", name)
		}
	}
}

func TestJWTBearerAgainstSandbox(t *testing.T) {
	key, pkcs1, _ := rsaKey(t)
	c, sb := startSandbox(t, nil, sfsandbox.Options{JWTPublicKey: &key.PublicKey, JWTUsername: "api@acme.example"}, func(cfg *crm.Config) {
		cfg.Auth = crm.Auth{Type: crm.AuthJWTBearer, ClientID: testClientID, Username: "api@acme.example"}
		cfg.Credentials = crm.Credentials{PrivateKey: pkcs1}
	})
	recs, err := c.SearchByEmail(ctx(t), crm.EmailSearch{Email: "jane.doe@example.com"})
	if err != nil || len(recs) != 1 || sb.TokenRequests() != 1 {
		t.Fatalf("%v %+v tokens=%d", err, recs, sb.TokenRequests())
	}
	c2, _ := startSandbox(t, nil, sfsandbox.Options{JWTPublicKey: &key.PublicKey, JWTUsername: "api@acme.example"}, func(cfg *crm.Config) {
		cfg.Auth = crm.Auth{Type: crm.AuthJWTBearer, ClientID: testClientID, Username: "someone@else.example"}
		cfg.Credentials = crm.Credentials{PrivateKey: pkcs1}
	})
	_, err = c2.SearchByEmail(ctx(t), crm.EmailSearch{Email: "jane.doe@example.com"})
	if e := wantCode(t, err, crm.Unauthenticated); e.CRMCode != "invalid_grant" || e.Retryable {
		t.Fatalf("%+v", e)
	}
}

func TestTokenRefused(t *testing.T) {
	c, _ := startSandbox(t, nil, sfsandbox.Options{}, func(cfg *crm.Config) { cfg.Credentials.ClientSecret = "wrong-secret-value" })
	_, err := c.SearchByEmail(ctx(t), crm.EmailSearch{Email: "jane.doe@example.com"})
	e := wantCode(t, err, crm.Unauthenticated)
	if e.Retryable || e.Status != 400 || e.CRMCode != "invalid_client" || e.Message != "invalid client credentials" {
		t.Fatalf("%+v", e)
	}
	if strings.Contains(err.Error(), "wrong-secret-value") || strings.Contains(err.Error(), "jane.doe") {
		t.Fatalf("error leaks a secret or a value: %v", err)
	}
}

// tokenServer answers the token endpoint with body, and counts API calls.
func tokenServer(t *testing.T, token func(w http.ResponseWriter, r *http.Request)) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var api atomic.Int32
	mux := http.NewServeMux()
	mux.HandleFunc("POST /services/oauth2/token", token)
	mux.HandleFunc("/services/data/", func(w http.ResponseWriter, r *http.Request) {
		api.Add(1)
		w.Write([]byte(`{"totalSize":0,"done":true,"records":[]}`))
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv, &api
}

func clientCredentials(t *testing.T, base string) *connector {
	t.Helper()
	c, err := newConnector(crm.Config{BaseURL: base, Auth: crm.Auth{Type: crm.AuthClientCredentials, ClientID: "id"},
		Credentials: crm.Credentials{ClientSecret: "secret"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestInstanceURLOnOtherHostRefused(t *testing.T) {
	other, otherCalls := tokenServer(t, func(w http.ResponseWriter, r *http.Request) {})
	srv, apiCalls := tokenServer(t, func(w http.ResponseWriter, r *http.Request) {
		json.NewEncoder(w).Encode(map[string]string{"access_token": "tok", "instance_url": other.URL, "token_type": "Bearer"})
	})
	c := clientCredentials(t, srv.URL)
	_, err := c.SearchByEmail(ctx(t), crm.EmailSearch{Email: "jane.doe@example.com"})
	wantCode(t, err, crm.InvalidArgument)
	if otherCalls.Load() != 0 || apiCalls.Load() != 0 {
		t.Fatalf("API called after a bad instance_url: other=%d own=%d", otherCalls.Load(), apiCalls.Load())
	}
}

func TestRedirectToOtherHostRefused(t *testing.T) {
	var otherHits atomic.Int32
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { otherHits.Add(1) }))
	t.Cleanup(other.Close)
	redirect := func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+r.URL.Path, http.StatusTemporaryRedirect)
	}

	srv, _ := tokenServer(t, redirect)
	_, err := clientCredentials(t, srv.URL).SearchByEmail(ctx(t), crm.EmailSearch{Email: "jane.doe@example.com"})
	wantCode(t, err, crm.Internal)

	mux := http.NewServeMux()
	mux.HandleFunc("POST /services/oauth2/token", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`{"access_token":"tok","token_type":"Bearer"}`))
	})
	mux.HandleFunc("/services/data/", redirect)
	api := httptest.NewServer(mux)
	t.Cleanup(api.Close)
	_, err = clientCredentials(t, api.URL).SearchByEmail(ctx(t), crm.EmailSearch{Email: "jane.doe@example.com"})
	wantCode(t, err, crm.Internal)
	if otherHits.Load() != 0 {
		t.Fatalf("followed a redirect to another host %d times", otherHits.Load())
	}
}
