package dynamics

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// entraError is the token endpoint's error body.
type entraError struct {
	Error         string `json:"error"`
	Description   string `json:"error_description"`
	ErrorCodes    []int  `json:"error_codes"`
	Timestamp     string `json:"timestamp"`
	TraceID       string `json:"trace_id"`
	CorrelationID string `json:"correlation_id"`
	ErrorURI      string `json:"error_uri"`
}

// handleToken imitates Microsoft Entra ID's v2.0 token endpoint for the
// client credentials grant: tenant, client, secret and scope are checked in
// that order, each refusal with its AADSTS code.
func (s *Server) handleToken(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.tokenRequests++
	s.mu.Unlock()
	refuse := func(status int, code string, aadsts int, desc string) {
		s.writeEntraError(w, status, code, aadsts, desc)
	}
	if tenant := r.PathValue("tenant"); !strings.EqualFold(tenant, s.opts.TenantID) {
		refuse(http.StatusBadRequest, "invalid_request", 90002, fmt.Sprintf("Tenant '%s' not found. Check to make sure you have the "+
			"correct tenant ID and are signing into the correct cloud.", tenant))
		return
	}
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		refuse(http.StatusBadRequest, "invalid_request", 900144, "The request body must contain the following parameter: 'grant_type'.")
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		refuse(http.StatusBadRequest, "invalid_request", 900144, "The request body must contain the following parameter: 'grant_type'.")
		return
	}
	f := r.PostForm
	for _, p := range []string{"grant_type", "client_id"} {
		if f.Get(p) == "" {
			refuse(http.StatusBadRequest, "invalid_request", 900144, "The request body must contain the following parameter: '"+p+"'.")
			return
		}
	}
	if f.Get("grant_type") != "client_credentials" {
		refuse(http.StatusBadRequest, "unsupported_grant_type", 70003, "The app requested an unsupported grant type '"+f.Get("grant_type")+"'.")
		return
	}
	if s.opts.ClientID == "" || f.Get("client_id") != s.opts.ClientID {
		refuse(http.StatusBadRequest, "unauthorized_client", 700016, fmt.Sprintf("Application with identifier '%s' was not found in the "+
			"directory '%s'. This can happen if the application has not been installed by the administrator of the tenant or consented to "+
			"by any user in the tenant. You may have sent your authentication request to the wrong tenant.", f.Get("client_id"), s.opts.TenantID))
		return
	}
	secret := f.Get("client_secret")
	if secret == "" {
		refuse(http.StatusUnauthorized, "invalid_client", 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.")
		return
	}
	if s.opts.ClientSecret == "" || subtle.ConstantTimeCompare([]byte(secret), []byte(s.opts.ClientSecret)) != 1 {
		refuse(http.StatusUnauthorized, "invalid_client", 7000215, "Invalid client secret provided. Ensure the secret being sent in the "+
			"request is the client secret value, not the client secret ID, for a secret added to app '"+s.opts.ClientID+"'.")
		return
	}
	if code, aadsts, desc := s.checkScope(f.Get("scope"), origin(r)); code != "" {
		refuse(http.StatusBadRequest, code, aadsts, desc)
		return
	}
	tok := s.issue()
	writeJSON(w, http.StatusOK, map[string]any{"token_type": "Bearer", "expires_in": int(s.opts.TokenLifetime.Seconds()),
		"ext_expires_in": int(s.opts.TokenLifetime.Seconds()), "access_token": tok})
}

// checkScope accepts only "{environment URL}/.default", the one scope the
// client credentials grant takes for Dataverse.
func (s *Server) checkScope(scope, self string) (string, int, string) {
	if scope == "" {
		return "invalid_request", 900144, "The request body must contain the following parameter: 'scope'."
	}
	resource, ok := strings.CutSuffix(scope, "/.default")
	if !ok || strings.Contains(scope, " ") {
		return "invalid_scope", 1002012, "The provided value for scope " + scope + " is not valid. Client credential flows must have " +
			"a scope value with /.default suffixed to the resource identifier (application ID URI)."
	}
	resource = strings.TrimSuffix(resource, "/")
	if !strings.EqualFold(resource, self) && (s.opts.Resource == "" || !strings.EqualFold(resource, strings.TrimSuffix(s.opts.Resource, "/"))) {
		return "invalid_resource", 500011, fmt.Sprintf("The resource principal named %s was not found in the tenant named %s. This can "+
			"happen if the application has not been installed by the administrator of the tenant or consented to by any user in the "+
			"tenant. You might have sent your authentication request to the wrong tenant.", resource, s.opts.TenantID)
	}
	return "", 0, ""
}

func (s *Server) writeEntraError(w http.ResponseWriter, status int, code string, aadsts int, desc string) {
	now := s.now()
	trace, corr := s.randomID(), s.randomID()
	stamp := now.Format("2006-01-02 15:04:05Z")
	writeJSON(w, status, entraError{Error: code,
		Description: fmt.Sprintf("AADSTS%d: %s\r\nTrace ID: %s\r\nCorrelation ID: %s\r\nTimestamp: %s", aadsts, desc, trace, corr, stamp),
		ErrorCodes:  []int{aadsts}, Timestamp: stamp, TraceID: trace, CorrelationID: corr,
		ErrorURI: fmt.Sprintf("https://login.microsoftonline.com/error?code=%d", aadsts)})
}

// issue mints an opaque JWT-shaped access token valid for TokenLifetime.
func (s *Server) issue() string {
	enc := base64.RawURLEncoding
	head := enc.EncodeToString([]byte(`{"typ":"JWT","alg":"RS256"}`))
	claims, _ := json.Marshal(map[string]any{"aud": "dataverse", "tid": s.opts.TenantID, "appid": s.opts.ClientID,
		"exp": s.now().Add(s.opts.TokenLifetime).Unix()})
	var sig [32]byte
	_, _ = rand.Read(sig[:])
	tok := head + "." + enc.EncodeToString(claims) + "." + enc.EncodeToString(sig[:])
	s.mu.Lock()
	s.tokens[tok] = s.now().Add(s.opts.TokenLifetime)
	s.mu.Unlock()
	return tok
}

// randomID is a fresh GUID for trace ids, outside the deterministic row ids.
func (s *Server) randomID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return formatGUID(b)
}

// authorized checks the bearer token of an API request.
func (s *Server) authorized(r *http.Request) bool {
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || tok == "" {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	exp, ok := s.tokens[tok]
	return ok && s.now().Before(exp)
}

// ExpireTokens ends every issued token, as when they time out or are revoked.
func (s *Server) ExpireTokens() {
	s.mu.Lock()
	s.tokens = map[string]time.Time{}
	s.mu.Unlock()
}

// TokenRequests counts requests to the token endpoint, refused ones included.
func (s *Server) TokenRequests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.tokenRequests
}
