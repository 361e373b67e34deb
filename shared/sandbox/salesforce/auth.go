package salesforce

import (
	"crypto"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"
)

const (
	grantClientCredentials = "client_credentials"
	grantJWTBearer         = "urn:ietf:params:oauth:grant-type:jwt-bearer"
	orgID                  = "00DDn00000000001AAA"
)

// oauthError is the token endpoint's error shape.
type oauthError struct {
	Error       string `json:"error"`
	Description string `json:"error_description"`
}

func writeOAuthError(w http.ResponseWriter, code, desc string) {
	writeJSON(w, http.StatusBadRequest, oauthError{Error: code, Description: desc})
}

// handleToken serves POST /services/oauth2/token for the client credentials
// and JWT bearer grants.
func (s *Server) handleToken(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.tokenRequests++
	s.mu.Unlock()
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		writeOAuthError(w, "invalid_request", "invalid content type")
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		writeOAuthError(w, "invalid_request", "malformed request body")
		return
	}
	origin := "http://" + r.Host
	if r.TLS != nil {
		origin = "https://" + r.Host
	}
	switch r.PostForm.Get("grant_type") {
	case grantClientCredentials:
		if !s.clientCredentialsOK(w, r) {
			return
		}
		tok, id, issued := s.issue()
		mac := hmac.New(sha256.New, []byte(s.opts.ClientSecret))
		mac.Write([]byte(id + issued))
		body := newObject()
		body.set("access_token", tok)
		body.set("signature", base64.StdEncoding.EncodeToString(mac.Sum(nil)))
		body.set("token_format", "opaque")
		body.set("instance_url", origin)
		body.set("id", id)
		body.set("token_type", "Bearer")
		body.set("issued_at", issued)
		writeJSON(w, http.StatusOK, body)
	case grantJWTBearer:
		if code, desc := s.checkAssertion(r.PostForm.Get("assertion"), origin); code != "" {
			writeOAuthError(w, code, desc)
			return
		}
		tok, id, _ := s.issue()
		body := newObject()
		body.set("access_token", tok)
		body.set("scope", "api")
		body.set("instance_url", origin)
		body.set("id", id)
		body.set("token_type", "Bearer")
		writeJSON(w, http.StatusOK, body)
	default:
		writeOAuthError(w, "unsupported_grant_type", "grant type not supported")
	}
}

func (s *Server) clientCredentialsOK(w http.ResponseWriter, r *http.Request) bool {
	id, secret := r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	if s.opts.ClientID == "" || id != s.opts.ClientID {
		writeOAuthError(w, "invalid_client_id", "client identifier invalid")
		return false
	}
	if s.opts.ClientSecret == "" || subtle.ConstantTimeCompare([]byte(secret), []byte(s.opts.ClientSecret)) != 1 {
		writeOAuthError(w, "invalid_client", "invalid client credentials")
		return false
	}
	return true
}

// issue mints a session id and returns it with the identity URL and issue time.
func (s *Server) issue() (token, id, issuedAt string) {
	var b [30]byte
	_, _ = rand.Read(b[:])
	token = orgID[:15] + "!" + base64.RawURLEncoding.EncodeToString(b[:])
	s.mu.Lock()
	s.tokens[token] = true
	user := s.userID
	s.mu.Unlock()
	return token, "https://login.salesforce.com/id/" + orgID + "/" + user, strconv.FormatInt(s.now().UnixMilli(), 10)
}

// checkAssertion verifies a JWT bearer assertion: RS256 signature by the
// configured key, issuer = consumer key, subject = the configured user,
// audience = a Salesforce login host (or this org), unexpired.
func (s *Server) checkAssertion(assertion, origin string) (code, desc string) {
	const invalid = "invalid assertion"
	if s.opts.JWTPublicKey == nil {
		return "invalid_grant", invalid
	}
	parts := strings.Split(assertion, ".")
	if len(parts) != 3 {
		return "invalid_grant", invalid
	}
	var header struct {
		Alg string `json:"alg"`
	}
	if decodeSegment(parts[0], &header) != nil || header.Alg != "RS256" {
		return "invalid_grant", invalid
	}
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil {
		return "invalid_grant", invalid
	}
	digest := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	if rsa.VerifyPKCS1v15(s.opts.JWTPublicKey, crypto.SHA256, digest[:], sig) != nil {
		return "invalid_grant", invalid
	}
	var claims struct {
		Iss string          `json:"iss"`
		Sub string          `json:"sub"`
		Aud json.RawMessage `json:"aud"`
		Exp *int64          `json:"exp"`
	}
	if decodeSegment(parts[1], &claims) != nil {
		return "invalid_grant", invalid
	}
	if claims.Iss == "" || claims.Iss != s.opts.ClientID {
		return "invalid_client_id", "client identifier invalid"
	}
	if !audienceOK(claims.Aud, origin) {
		return "invalid_grant", "audience is invalid"
	}
	now := s.now()
	if claims.Exp == nil || time.Unix(*claims.Exp, 0).Before(now) || time.Unix(*claims.Exp, 0).After(now.Add(5*time.Minute)) {
		return "invalid_grant", "expired authorization code"
	}
	if claims.Sub == "" || claims.Sub != s.opts.JWTUsername {
		return "invalid_grant", "user hasn't approved this consumer"
	}
	return "", ""
}

func decodeSegment(seg string, v any) error {
	b, err := base64.RawURLEncoding.DecodeString(seg)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, v)
}

func audienceOK(raw json.RawMessage, origin string) bool {
	var auds []string
	var one string
	if json.Unmarshal(raw, &one) == nil {
		auds = []string{one}
	} else if json.Unmarshal(raw, &auds) != nil {
		return false
	}
	for _, a := range auds {
		switch strings.TrimSuffix(a, "/") {
		case "https://login.salesforce.com", "https://test.salesforce.com", origin:
			return true
		}
	}
	return false
}

// authorized checks the session id of an API request.
func (s *Server) authorized(r *http.Request) bool {
	h := r.Header.Get("Authorization")
	tok, ok := strings.CutPrefix(h, "Bearer ")
	if !ok {
		tok, ok = strings.CutPrefix(h, "OAuth ")
	}
	if !ok || tok == "" {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.tokens[tok]
}

// ExpireTokens ends every session, as when an admin revokes them or they time out.
func (s *Server) ExpireTokens() {
	s.mu.Lock()
	s.tokens = map[string]bool{}
	s.mu.Unlock()
}

// TokenRequests counts requests to the token endpoint, refused ones included.
func (s *Server) TokenRequests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.tokenRequests
}
