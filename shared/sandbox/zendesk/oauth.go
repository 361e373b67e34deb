package zdsandbox

import (
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
)

// handleToken serves POST /oauth/tokens for the client credentials grant.
// Zendesk documents a JSON body; the sandbox also reads a form, as OAuth
// clients send. Refused credentials answer 401 {"error":"invalid_client"}.
func (s *Server) handleToken(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.tokenRequests++
	s.mu.Unlock()
	var p struct {
		GrantType    string `json:"grant_type"`
		ClientID     string `json:"client_id"`
		ClientSecret string `json:"client_secret"`
		Scope        string `json:"scope"`
		ExpiresIn    int    `json:"expires_in"`
	}
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		if err := json.NewDecoder(http.MaxBytesReader(nil, r.Body, 1<<16)).Decode(&p); err != nil {
			writeJSON(w, http.StatusBadRequest, map[string]any{"error": "invalid_request", "error_description": "The request body is not valid JSON."})
			return
		}
	} else {
		if err := r.ParseForm(); err != nil {
			writeJSON(w, http.StatusBadRequest, map[string]any{"error": "invalid_request", "error_description": "The request is missing a required parameter."})
			return
		}
		p.GrantType, p.ClientID, p.ClientSecret, p.Scope = r.PostForm.Get("grant_type"), r.PostForm.Get("client_id"), r.PostForm.Get("client_secret"), r.PostForm.Get("scope")
	}
	if p.GrantType != "client_credentials" {
		writeJSON(w, http.StatusBadRequest, map[string]any{"error": "unsupported_grant_type",
			"error_description": "The authorization grant type is not supported by the authorization server."})
		return
	}
	if p.ClientID != s.opts.ClientID || subtle.ConstantTimeCompare([]byte(p.ClientSecret), []byte(s.opts.ClientSecret)) != 1 {
		writeJSON(w, http.StatusUnauthorized, map[string]any{"error": "invalid_client",
			"error_description": "Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method."})
		return
	}
	if p.Scope == "" {
		p.Scope = "read write"
	}
	s.mu.Lock()
	s.tokenSeq++
	tok := fmt.Sprintf("zdsbx%027d", s.tokenSeq)
	var exp any
	s.tokens[tok] = timeZero
	if s.opts.TokenTTL > 0 {
		s.tokens[tok] = s.now().Add(s.opts.TokenTTL)
		exp = int(s.opts.TokenTTL.Seconds())
	}
	s.mu.Unlock()
	body := map[string]any{"access_token": tok, "token_type": "bearer", "scope": p.Scope}
	if exp != nil {
		body["expires_in"] = exp
	}
	writeJSON(w, http.StatusOK, body)
}
