// Package zdsandbox is a wire-faithful Zendesk Support sandbox: users,
// organizations and tickets (with comments) under /api/v2, custom objects
// and their records (/api/v2/custom_objects/{key}/records, fields), the
// field lists (ticket_fields, user_fields, organization_fields), the
// current user (/api/v2/users/me), the record lists with offset and
// cursor pagination, the unified
// Search API (/api/v2/search) with Zendesk's query syntax and offset
// paging, the external_id look-ups (tickets, users/search,
// organizations/search, users and organizations show_many), the ticket
// audit list (/api/v2/tickets/{id}/audits: Create, Change and Comment
// events), API-token basic auth ({email}/token:{token}),
// OAuth bearer tokens and the client credentials grant on /oauth/tokens,
// and Zendesk's error bodies ({"error","description","details"}; 429 as
// text/plain with Retry-After). It holds the conformance fixture (Jane Doe
// and friends) unless told to start empty.
//
// Real Zendesk indexes new and changed records for search "up to a few
// minutes" after they are written (Search API reference). The sandbox's
// search goes through a sandbox.Index: consistent by default (lag 0) so
// tests are deterministic; Options.IndexLag or SetIndexLag bring the delay
// back (a new record unseen, a changed one found with its old values) for
// tests of code that must not rely on search for fresh writes. Reads by
// id, the external_id look-ups (tickets?external_id=, users/search and
// organizations/search by external_id, show_many by external_ids), the
// comment and audit lists are database reads, immediate as in Zendesk.
//
// Sources: Zendesk's Support API reference (developer.zendesk.com) and its
// OpenAPI file (as split per API in api-evangelist/zendesk
// openapi/_original/), the captured bodies of nukosuke/go-zendesk's
// fixtures, and ../shared/crm-wire-facts.md §4. Attributes a write does not
// know are ignored, as Zendesk does; the setting "Validate user phone
// numbers" (Options.ValidatePhoneNumbers) refuses a user phone that is not
// E.164 with 422 RecordInvalid.
//
// Where Zendesk's behaviour is not documented the sandbox makes a choice and
// says so: unknown custom_object_fields keys are ignored like other unknown
// attributes, and a custom object record's validation errors use the
// RecordInvalid body of the rest of the API; its cursors are positions;
// an unknown search keyword matches nothing; a quote must open a
// value and be closed (else 400 {"error":"invalid"}); text matches compare
// words case-insensitively, a phrase its words in order; phone: compares
// digits, with a leading or trailing * as wildcard.
package zdsandbox

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/crmflow/crmflow/shared/sandbox"
)

// Defaults used when Options leave them empty.
const (
	DefaultEmail        = "crmflow@acme.example"
	DefaultAPIToken     = "6wiIBWbGkBMo1mRDMuVwkw1EPsNkeUj95PIz2akv"
	DefaultClientID     = "crmflow_integration"
	DefaultClientSecret = "3f1e0c6a9b2d4e8f7a5c1b3d9e7f2a4c6b8d0e2f4a6c8e0b"
	// searchCap is the number of results Zendesk's search pages through (page 11 at 100 → 422).
	searchCap = 1000
)

// Options configure a sandbox.
type Options struct {
	// Email is the agent the API token belongs to; APITokens are its active tokens.
	Email     string
	APITokens []string
	// AccessTokens are OAuth access tokens accepted as Bearer tokens, as if
	// issued earlier.
	AccessTokens []string
	// ClientID and ClientSecret are an OAuth client allowed the client
	// credentials grant.
	ClientID     string
	ClientSecret string
	// TokenTTL is the lifetime (expires_in) of tokens from the grant; 0 means
	// the token does not expire (Zendesk's default without expires_in).
	TokenTTL time.Duration
	// PageSize caps search and list pages whatever per_page asks (Zendesk: 100).
	PageSize int
	// IndexLag is the search index's lag (sandbox.Index): a user, ticket
	// or organization created or changed at t is found by GET
	// /api/v2/search with its new values only from t+IndexLag on, as
	// Zendesk's index takes "up to a few minutes"; 0 makes search
	// consistent. SetIndexLag changes it.
	IndexLag time.Duration
	// ValidatePhoneNumbers is the account setting "Validate user phone
	// numbers" (Admin Center > People > Configuration > End users): a user
	// write whose phone is not E.164 answers 422 RecordInvalid. Zendesk's
	// default is off.
	ValidatePhoneNumbers bool
	// Empty starts without the demo data (custom objects and custom fields
	// included).
	Empty bool
	// Now is the sandbox clock; time.Now when nil.
	Now func() time.Time
}

// Server is one Zendesk Support account.
type Server struct {
	sandbox.Controls
	opts    Options
	handler http.Handler

	mu            sync.Mutex
	records       map[kind]map[int64]*record
	order         map[kind][]int64
	comments      map[int64][]map[string]any
	nextID        map[kind]int64
	audits        map[int64][]map[string]any
	eventSeq      int64
	auditSeq      int64
	index         *sandbox.Index
	tokens        map[string]time.Time // bearer token → expiry (zero: none)
	revoked       map[string]bool
	apiTokens     map[string]bool
	tokenRequests int
	tokenSeq      int
	agentID       int64
	customObjects map[string]*customObject
	fieldSeq      int64
	recordSeq     int64
	ticketFields  []fieldDef
	userFields    []fieldDef
	orgFields     []fieldDef
}

// New starts an account, with the demo data unless opts.Empty.
func New(opts Options) *Server {
	if opts.Email == "" {
		opts.Email = DefaultEmail
	}
	if len(opts.APITokens) == 0 {
		opts.APITokens = []string{DefaultAPIToken}
	}
	if opts.ClientID == "" {
		opts.ClientID, opts.ClientSecret = DefaultClientID, DefaultClientSecret
	}
	if opts.PageSize <= 0 || opts.PageSize > 100 {
		opts.PageSize = 100
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	s := &Server{opts: opts, records: map[kind]map[int64]*record{}, order: map[kind][]int64{},
		comments: map[int64][]map[string]any{}, audits: map[int64][]map[string]any{}, tokens: map[string]time.Time{}, revoked: map[string]bool{},
		apiTokens: map[string]bool{}, customObjects: map[string]*customObject{},
		nextID: map[kind]int64{kindUser: 381000000001, kindOrganization: 360000000001, kindTicket: 1}}
	// The demo data is indexed already; the lag applies to what comes after.
	s.index = sandbox.NewIndex(0, opts.Now)
	for _, t := range opts.APITokens {
		s.apiTokens[t] = true
	}
	for _, t := range opts.AccessTokens {
		s.tokens[t] = time.Time{}
	}
	s.agentID = s.insert(kindUser, map[string]any{"name": "crmflow Integration", "email": opts.Email, "role": "admin"}).id
	s.defineFields()
	if !opts.Empty {
		loadDemo(s)
	}
	s.SetIndexLag(opts.IndexLag)
	api := http.NewServeMux()
	api.HandleFunc("GET /api/v2/search", s.handleSearch)
	api.HandleFunc("GET /api/v2/users/me", s.handleMe)
	api.HandleFunc("GET /api/v2/ticket_fields", s.handleFields("ticket_fields", func() []fieldDef { return s.ticketFields }))
	api.HandleFunc("GET /api/v2/user_fields", s.handleFields("user_fields", func() []fieldDef { return s.userFields }))
	api.HandleFunc("GET /api/v2/organization_fields", s.handleFields("organization_fields", func() []fieldDef { return s.orgFields }))
	api.HandleFunc("GET /api/v2/custom_objects/{key}/fields", s.handleCustomFields)
	api.HandleFunc("GET /api/v2/custom_objects/{key}/records", s.handleCustomRecords)
	api.HandleFunc("POST /api/v2/custom_objects/{key}/records", s.handleCreateCustomRecord)
	api.HandleFunc("GET /api/v2/custom_objects/{key}/records/{id}", s.handleShowCustomRecord)
	api.HandleFunc("PATCH /api/v2/custom_objects/{key}/records/{id}", s.handleUpdateCustomRecord)
	api.HandleFunc("GET /api/v2/users/search", s.handleExternalSearch(kindUser))
	api.HandleFunc("GET /api/v2/organizations/search", s.handleExternalSearch(kindOrganization))
	api.HandleFunc("GET /api/v2/tickets/{id}/comments", s.handleComments)
	api.HandleFunc("GET /api/v2/tickets/{id}/audits", s.handleAudits)
	api.HandleFunc("GET /api/v2/users/show_many", s.handleShowMany(kindUser))
	api.HandleFunc("GET /api/v2/organizations/show_many", s.handleShowMany(kindOrganization))
	for _, k := range kinds {
		api.HandleFunc("GET /api/v2/"+k.plural(), s.handleList(k))
		api.HandleFunc("POST /api/v2/"+k.plural(), s.handleCreate(k))
		api.HandleFunc("GET /api/v2/"+k.plural()+"/{id}", s.handleShow(k))
		api.HandleFunc("PUT /api/v2/"+k.plural()+"/{id}", s.handleUpdate(k))
	}
	api.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "InvalidEndpoint", "Not found", nil)
	})
	root := http.NewServeMux()
	root.HandleFunc("POST /oauth/tokens", s.handleToken)
	root.Handle("/", s.authenticate(api))
	s.handler = s.Wrap(trimJSON(root))
	return s
}

// Handler serves the account's HTTP API, faults and counters included.
func (s *Server) Handler() http.Handler { return s.handler }

// SetIndexLag changes the search index's lag for what is written from now
// on (Options.IndexLag): new and changed users, tickets and organizations
// reach GET /api/v2/search only after it. Reads by id, the external_id
// look-ups, show_many and the audit list stay immediate.
func (s *Server) SetIndexLag(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.index.SetLag(d)
}

// ExpireTokens revokes every OAuth access token issued or accepted so far,
// as revoking them in Admin Center does. API tokens stay valid.
func (s *Server) ExpireTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for t := range s.tokens {
		s.revoked[t] = true
	}
	s.tokens = map[string]time.Time{}
}

// RevokeAPIToken deactivates an API token.
func (s *Server) RevokeAPIToken(token string) {
	s.mu.Lock()
	delete(s.apiTokens, token)
	s.mu.Unlock()
}

// TokenRequests counts requests to /oauth/tokens.
func (s *Server) TokenRequests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.tokenRequests
}

func (s *Server) now() time.Time { return s.opts.Now().UTC() }

// trimJSON lets every route answer with or without the .json suffix, as
// Zendesk does (/api/v2/users/1.json and /api/v2/users/1).
func trimJSON(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if p, ok := strings.CutSuffix(r.URL.Path, ".json"); ok {
			r2 := r.Clone(r.Context())
			r2.URL.Path = p
			r2.URL.RawPath = ""
			r = r2
		}
		next.ServeHTTP(w, r)
	})
}

// authenticate accepts "Basic base64({email}/token:{api token})" for the
// account's agent and "Bearer {oauth token}"; anything else (including the
// retired email:password form) answers 401 {"error":"Couldn't authenticate you"}.
func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.authorized(r.Header.Get("Authorization")) {
			w.Header().Set("WWW-Authenticate", `Basic realm="Web Password"`)
			writeJSON(w, http.StatusUnauthorized, map[string]any{"error": "Couldn't authenticate you"})
			return
		}
		next.ServeHTTP(w, r)
	})
}

func (s *Server) authorized(h string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if tok, ok := strings.CutPrefix(h, "Bearer "); ok {
		exp, known := s.tokens[strings.TrimSpace(tok)]
		return known && (exp.IsZero() || s.now().Before(exp))
	}
	enc, ok := strings.CutPrefix(h, "Basic ")
	if !ok {
		return false
	}
	raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(enc))
	if err != nil {
		return false
	}
	user, secret, ok := strings.Cut(string(raw), ":")
	email, isToken := strings.CutSuffix(user, "/token")
	return ok && isToken && strings.EqualFold(email, s.opts.Email) && s.apiTokens[secret]
}

// writeError answers Zendesk's {"error","description"[,"details"]} body.
func writeError(w http.ResponseWriter, status int, code, description string, details map[string]any) {
	body := map[string]any{"error": code, "description": description}
	if details != nil {
		body["details"] = details
	}
	writeJSON(w, status, body)
}

// invalid is a 422 RecordInvalid with one field's error.
func invalid(w http.ResponseWriter, field, code, description string) {
	writeError(w, http.StatusUnprocessableEntity, "RecordInvalid", "Record validation errors",
		map[string]any{field: []any{map[string]any{"description": description, "error": code}}})
}

func notFound(w http.ResponseWriter) {
	writeError(w, http.StatusNotFound, "RecordNotFound", "Not found", nil)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// origin is the scheme and host the request came to, for the url fields.
func origin(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}
