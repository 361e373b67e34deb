// Package hubspot is a wire-faithful HubSpot CRM sandbox: CRM v3 objects
// (create, read, list, update, batch read, search with HubSpot's
// filterGroups and their limits), property definitions (GET
// /crm/v3/properties/{objectType}, with demo labels), v4 associations
// (list, default and labeled), ticket and deal pipelines, account details,
// custom properties with unique values (POST and GET
// /crm/v3/properties/{objectType}[/{name}], reads by ?idProperty=, a
// duplicate value refused), a search index that lags (Options.IndexLag),
// private-app bearer tokens, and HubSpot's error bodies
// ({"status":"error","message","correlationId","category"}). Object paths
// take the plural name, the singular name, the type id and, for the custom
// object, its fully qualified name or p_{name}.
// It holds the conformance fixture (Jane Doe and friends) unless told to
// start empty.
//
// Where HubSpot's exact behaviour is not documented the sandbox makes a
// choice and says so: CONTAINS_TOKEN splits stored values on white space
// (an email address is one token) and compares tokens case-insensitively
// with * as a wildcard; NEQ and NOT_IN match records without the property;
// the exact text of search validation messages is its own.
package hubspot

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/crmflow/crmflow/shared/sandbox"
)

// HubSpot error categories the sandbox answers with.
const (
	catInvalidAuth = "INVALID_AUTHENTICATION"
	catNotFound    = "OBJECT_NOT_FOUND"
	catValidation  = "VALIDATION_ERROR"
	catConflict    = "CONFLICT"
)

// DefaultToken is the private app token a sandbox accepts when Options names none.
const DefaultToken = "pat-na1-5f1c2b9e-0d4a-4e6b-9a3c-7e1f2d3c4b5a"

// DefaultPortalID is the account (hub) id the sandbox reports when Options names none.
const DefaultPortalID = 62515123

// Limits of HubSpot's APIs that the sandbox enforces.
const (
	maxSearchPage  = 200   // most results one search page holds
	maxSearchTotal = 10000 // search cannot page past this many results
	maxAssocPage   = 500   // most associations one v4 page holds
	maxBatchInputs = 100   // most ids one batch read takes
)

// Options configure a sandbox.
type Options struct {
	// Tokens are the accepted private app tokens (Authorization: Bearer …).
	Tokens []string
	// PortalID is the account id that account details report.
	PortalID int64
	// Empty starts without the demo data.
	Empty bool
	// PageSize caps search and association pages whatever the client asks
	// (HubSpot: 200 and 500). Tests set it low so that paging gets exercised.
	PageSize int
	// Now is the sandbox clock; time.Now when nil.
	Now func() time.Time
	// IndexLag is the search index's lag (sandbox.Index): a record created
	// or changed at t is found by POST /crm/v3/objects/{type}/search with
	// its new values only from t+IndexLag on, as HubSpot's search "may
	// take a few moments" to show new and changed objects; 0 makes search
	// consistent. Reads by id and by a unique value (?idProperty=) are
	// immediate at any lag. SetIndexLag changes it.
	IndexLag time.Duration
}

// Server is one HubSpot account.
type Server struct {
	sandbox.Controls
	opts    Options
	handler http.Handler
	types   typeIndex
	all     []*objectType

	mu      sync.Mutex
	rng     *rand.Rand
	tokens  sandbox.StaticTokens
	objects map[string]map[string]*object
	order   map[string][]string // type id → ids in creation order
	assoc   map[objKey]map[objKey][]int
	nextID  int64
	// index is what searches read: writes reach it after its lag.
	index *sandbox.Index
}

// New starts an account, with the demo data unless opts.Empty.
func New(opts Options) *Server {
	if len(opts.Tokens) == 0 {
		opts.Tokens = []string{DefaultToken}
	}
	if opts.PortalID <= 0 {
		opts.PortalID = DefaultPortalID
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	all := standardTypes(strconv.FormatInt(opts.PortalID, 10))
	s := &Server{opts: opts, all: all, types: indexTypes(all), rng: rand.New(rand.NewPCG(20261123, 62515)),
		objects: map[string]map[string]*object{}, order: map[string][]string{},
		assoc: map[objKey]map[objKey][]int{}, nextID: 51_000_000_000}
	s.tokens.Add(opts.Tokens...)
	// The demo data is indexed already; the lag applies to what comes after.
	s.index = sandbox.NewIndex(0, opts.Now)
	if !opts.Empty {
		loadDemo(s)
	}
	s.SetIndexLag(opts.IndexLag)
	mux := http.NewServeMux()
	mux.HandleFunc("GET /account-info/v3/details", s.handleAccount)
	mux.HandleFunc("GET /crm/v3/pipelines/{objectType}", s.handlePipelines)
	mux.HandleFunc("GET /crm/v3/properties/{objectType}", s.withType(s.handleProperties))
	mux.HandleFunc("POST /crm/v3/properties/{objectType}", s.withType(s.handleCreateProperty))
	mux.HandleFunc("GET /crm/v3/properties/{objectType}/groups", s.withType(s.handlePropertyGroups))
	mux.HandleFunc("GET /crm/v3/properties/{objectType}/{propertyName}", s.withType(s.handleGetProperty))
	mux.HandleFunc("GET /crm/v3/objects/{objectType}", s.withType(s.handleList))
	mux.HandleFunc("POST /crm/v3/objects/{objectType}", s.withType(s.handleCreate))
	mux.HandleFunc("POST /crm/v3/objects/{objectType}/search", s.withType(s.handleSearch))
	mux.HandleFunc("POST /crm/v3/objects/{objectType}/batch/read", s.withType(s.handleBatchRead))
	mux.HandleFunc("GET /crm/v3/objects/{objectType}/{id}", s.withType(s.handleGet))
	mux.HandleFunc("PATCH /crm/v3/objects/{objectType}/{id}", s.withType(s.handleUpdate))
	mux.HandleFunc("GET /crm/v4/objects/{objectType}/{id}/associations/{toType}", s.withType(s.handleListAssociations))
	mux.HandleFunc("PUT /crm/v4/objects/{objectType}/{id}/associations/default/{toType}/{toId}", s.withType(s.handleAssociateDefault))
	mux.HandleFunc("PUT /crm/v4/objects/{objectType}/{id}/associations/{toType}/{toId}", s.withType(s.handleAssociateLabeled))
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.writeError(w, http.StatusNotFound, catNotFound, "Resource not found")
	})
	s.handler = s.Wrap(s.authenticate(mux))
	return s
}

// SetIndexLag changes the search index's lag for what is written from now
// on (Options.IndexLag).
func (s *Server) SetIndexLag(d time.Duration) { s.index.SetLag(d) }

// Handler serves the account's HTTP API, faults and counters included.
func (s *Server) Handler() http.Handler { return s.handler }

// ExpireTokens revokes every private app token, as rotating a token in
// HubSpot's settings does: requests with them then answer 401.
func (s *Server) ExpireTokens() {
	s.tokens.ExpireAll()
}

// AddToken makes one more private app token valid.
func (s *Server) AddToken(token string) {
	s.tokens.Add(token)
}

// TokenRequests is always 0: private app tokens are issued in HubSpot's UI,
// and the sandbox has no token endpoint.
func (s *Server) TokenRequests() int { return 0 }

// PortalID is the account id the sandbox reports.
func (s *Server) PortalID() int64 { return s.opts.PortalID }

func (s *Server) now() time.Time { return s.opts.Now().UTC() }

// authenticate answers 401 with HubSpot's body unless the request carries a
// valid bearer token.
func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		valid, _ := s.tokens.Check(strings.TrimSpace(tok))
		if !ok || !valid {
			s.writeError(w, http.StatusUnauthorized, catInvalidAuth, "Authentication credentials not found. This API supports "+
				"OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview")
			return
		}
		next.ServeHTTP(w, r)
	})
}

// withType resolves the {objectType} path segment or answers HubSpot's error.
func (s *Server) withType(h func(http.ResponseWriter, *http.Request, *objectType)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		seg := r.PathValue("objectType")
		t, ok := s.types.lookup(seg)
		if !ok {
			s.writeError(w, http.StatusBadRequest, catValidation, "Unable to infer object type from: "+seg)
			return
		}
		h(w, r, t)
	}
}

// apiError is an error answer with HubSpot's body.
type apiError struct {
	status   int
	category string
	message  string
}

func (e *apiError) Error() string { return e.category + ": " + e.message }

func validation(format string, args ...any) *apiError {
	return &apiError{status: http.StatusBadRequest, category: catValidation, message: fmt.Sprintf(format, args...)}
}

func notFound() *apiError {
	return &apiError{status: http.StatusNotFound, category: catNotFound, message: "Resource not found"}
}

func (s *Server) writeError(w http.ResponseWriter, status int, category, message string) {
	s.writeAPIError(w, &apiError{status: status, category: category, message: message})
}

func (s *Server) writeAPIError(w http.ResponseWriter, e *apiError) {
	writeJSON(w, e.status, map[string]any{"status": "error", "message": e.message, "correlationId": s.correlationID(),
		"category": e.category})
}

// correlationID is a version 4 UUID from the seeded generator, as HubSpot
// puts in every error body and the X-HubSpot-Correlation-Id header.
func (s *Server) correlationID() string {
	s.mu.Lock()
	a, b := s.rng.Uint64(), s.rng.Uint64()
	s.mu.Unlock()
	a = a&^(0xf<<12) | 0x4<<12
	b = b&^(0x3<<62) | 0x2<<62
	return fmt.Sprintf("%08x-%04x-%04x-%04x-%012x", a>>32, (a>>16)&0xffff, a&0xffff, b>>48, b&0xffffffffffff)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json;charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// decodeBody reads a JSON request body strictly: unknown fields and
// trailing data are refused, as HubSpot's deserializer does.
func decodeBody(r *http.Request, v any) *apiError {
	dec := json.NewDecoder(http.MaxBytesReader(nil, r.Body, 1<<20))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return validation("Invalid input JSON on line 1: %s", strings.TrimPrefix(err.Error(), "json: "))
	}
	if dec.More() {
		return validation("Invalid input JSON: trailing data after the request body")
	}
	return nil
}
