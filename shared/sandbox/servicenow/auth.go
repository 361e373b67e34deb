package servicenow

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"strings"
)

// writeOAuthError answers a refused grant the way /oauth_token.do does:
// {"error_description","error"} (the keys are ServiceNow's; the values it
// uses are not documented, so these are a best guess).
func writeOAuthError(w http.ResponseWriter, status int, desc string) {
	writeJSON(w, status, map[string]string{"error_description": desc, "error": "server_error"})
}

// handleToken serves POST /oauth_token.do for the client credentials grant.
// The body must be a form: the endpoint refuses JSON.
func (s *Server) handleToken(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.tokenRequests++
	s.mu.Unlock()
	if r.Method != http.MethodPost {
		writeOAuthError(w, http.StatusMethodNotAllowed, "method not allowed")
		return
	}
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		writeOAuthError(w, http.StatusBadRequest, "invalid_request")
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		writeOAuthError(w, http.StatusBadRequest, "invalid_request")
		return
	}
	if r.PostForm.Get("grant_type") != "client_credentials" {
		writeOAuthError(w, http.StatusBadRequest, "unsupported_grant_type")
		return
	}
	if s.opts.ClientID == "" || !same(r.PostForm.Get("client_id"), s.opts.ClientID) ||
		!same(r.PostForm.Get("client_secret"), s.opts.ClientSecret) {
		writeOAuthError(w, http.StatusUnauthorized, "access_denied")
		return
	}
	var b [32]byte
	_, _ = rand.Read(b[:])
	tok := base64.RawURLEncoding.EncodeToString(b[:])
	s.mu.Lock()
	s.tokens[tok] = s.now().Add(s.opts.TokenTTL)
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"access_token": tok, "scope": "useraccount", "token_type": "Bearer",
		"expires_in": int(s.opts.TokenTTL.Seconds())})
}

// authorized checks basic credentials or a live bearer token.
func (s *Server) authorized(r *http.Request) bool {
	h := r.Header.Get("Authorization")
	if tok, ok := strings.CutPrefix(h, "Bearer "); ok {
		s.mu.Lock()
		defer s.mu.Unlock()
		exp, found := s.tokens[tok]
		return found && s.now().Before(exp)
	}
	user, pass, ok := r.BasicAuth()
	return ok && s.opts.Username != "" && same(user, s.opts.Username) && same(pass, s.opts.Password)
}

func same(a, b string) bool { return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1 }

// ExpireTokens makes every issued access token invalid, as when they time out.
func (s *Server) ExpireTokens() {
	s.mu.Lock()
	clear(s.tokens)
	s.mu.Unlock()
}

// TokenRequests counts requests to /oauth_token.do.
func (s *Server) TokenRequests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.tokenRequests
}
