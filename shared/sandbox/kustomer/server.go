// Package kustomer is a wire-faithful Kustomer sandbox, written from
// Kustomer's API reference (the OpenAPI "Core Resources" and the other
// categories, as captured in LarisLab/kustomer-client): the /v1 REST API
// with JSON:API answers ({"data":{"type","id","attributes",
// "relationships","links"}}) for customers, companies, conversations,
// messages, notes and KObjects (type kobject.{klass}); create and update
// bodies checked against the reference's request schemas, which refuse any
// other attribute (400 bad_request with source.pointer); the exact lookups
// (/customers/email=…, phone=…, externalId=…; /conversations/externalId=…;
// /messages/externalid=… as the reference spells it;
// /klasses/{name}/externalId=…); customer search (POST
// /v1/customers/search with and/or criteria of at most 20 items,
// queryContext, sort and page/pageSize paging); the lists (GET
// /v1/customers, …/conversations, …/klasses/{name}…); notes within a
// conversation (POST and GET /v1/conversations/{id}/notes); the company
// list filtered by externalId (GET /v1/companies?externalId=…); companies
// updated with PUT; GET /v1/users/current; the Klasses (GET /v1/klasses) and custom
// attribute metadata (GET /v1/metadata/{resource}); static API keys
// (Authorization: Bearer …); and Kustomer's error bodies
// ({"errors":[{"status","code","title","detail","source"}]}). There is no
// /v1/orgs endpoint: Kustomer publishes none. It holds the conformance
// fixture (Jane Doe and friends) unless told to start empty.
//
// Where Kustomer's exact behaviour is not documented the sandbox makes a
// choice and says so: phones compare by E.164 form (10-digit numbers taken
// as NANP), by digits when a number does not parse, and a customer_phone
// criterion must match Kustomer's documented ^\+?[1-9]\d{1,14}$;
// equals on analyzed string attributes ignores case and contains is a
// case-insensitive substring match; criteria may nest {"and":[…]} and
// {"or":[…]} groups; not_equals is accepted; duplicate emails, phones and
// externalIds answer 409 with code "conflict"; error codes are snake_case
// forms of the HTTP status (bad_request, unauthorized, not_found…); a note
// posted to /v1/notes belongs to no conversation; the current user's
// attributes and the metadata type names other than number are the
// sandbox's own; GET /v1/companies?filter= matches names by
// case-insensitive substring. Search reads a sandbox.Index (Options.IndexLag,
// 0 by default): Kustomer publishes no figure for its search's delay.
package kustomer

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/crmflow/crmflow/shared/sandbox"
)

// DefaultToken is the API key a sandbox accepts when Options names none.
// Real keys are JWTs; the sandbox only compares the string.
const DefaultToken = "eyJhbGciOiJIUzI1NiJ9.eyJvcmdOYW1lIjoiYWNtZSIsInBvZCI6InByb2QxIiwidXNlclR5cGUiOiJtYWNoaW5lIn0.c2FuZGJveA"

// DefaultOrgName is the organization name (the app subdomain) the sandbox reports.
const DefaultOrgName = "acme"

// Limits of Kustomer's APIs that the sandbox enforces.
const (
	maxPageSize   = 100   // most records one page holds
	maxSearchPage = 100   // search refuses pages past this one
	maxSearchHits = 10000 // search can page at most this many records
	maxBody       = 1 << 20
)

// Options configure a sandbox.
type Options struct {
	// Tokens are the accepted API keys (Authorization: Bearer …).
	Tokens []string
	// OrgName is the organization's name (the agent app's subdomain); the
	// API does not report it, it names the user's demo email.
	OrgName string
	// Klasses are the custom object Klass names the org defines; "order" when nil.
	Klasses []string
	// Empty starts without the demo data.
	Empty bool
	// PageSize caps every page whatever the client asks (Kustomer: 100).
	// Tests set it low so that paging gets exercised.
	PageSize int
	// Now is the sandbox clock; time.Now when nil.
	Now func() time.Time
	// IndexLag is the search index's lag (sandbox.Index): a customer or
	// conversation created or changed at t is found by POST
	// /v1/customers/search with its new values only from t+IndexLag on.
	// Kustomer's search runs on a separate search index (its reference
	// documents search as limited to records updated in the past two years,
	// with older ones in a separate archive search) and publishes no lag
	// figure; 0 (the default) makes search consistent. Reads by id and the
	// externalId, email and phone lookups stay immediate. SetIndexLag
	// changes it.
	IndexLag time.Duration
}

// Server is one Kustomer organization.
type Server struct {
	sandbox.Controls
	opts    Options
	handler http.Handler
	orgID   string
	userID  string

	mu      sync.Mutex
	tokens  sandbox.StaticTokens
	records map[string]*record
	order   []string // ids in creation order
	nextID  uint64
	index   *sandbox.Index // what search sees
}

// New starts an organization, with the demo data unless opts.Empty.
func New(opts Options) *Server {
	if len(opts.Tokens) == 0 {
		opts.Tokens = []string{DefaultToken}
	}
	if opts.OrgName == "" {
		opts.OrgName = DefaultOrgName
	}
	if opts.Klasses == nil {
		opts.Klasses = []string{"order"}
	}
	if opts.PageSize <= 0 || opts.PageSize > maxPageSize {
		opts.PageSize = maxPageSize
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	s := &Server{opts: opts, records: map[string]*record{}, nextID: 1}
	s.orgID = s.newID()
	// The API key's user; a fixed id, so that record ids stay as before.
	s.userID = "5f3a1c2bffffffffffff0001"
	s.tokens.Add(opts.Tokens...)
	// The demo data is indexed already; the lag applies to what comes after.
	s.index = sandbox.NewIndex(0, opts.Now)
	if !opts.Empty {
		loadDemo(s)
	}
	s.index.SetLag(opts.IndexLag)
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1/users/current", s.handleCurrentUser)
	mux.HandleFunc("GET /v1/klasses", s.handleKlasses)
	mux.HandleFunc("GET /v1/metadata/{resource}", s.handleMetadata)
	mux.HandleFunc("GET /v1/customers", s.handleList(typeCustomer))
	mux.HandleFunc("GET /v1/companies", s.handleList(typeCompany))
	mux.HandleFunc("GET /v1/conversations", s.handleList(typeConversation))
	mux.HandleFunc("GET /v1/messages", s.handleList(typeMessage))
	mux.HandleFunc("GET /v1/notes", s.handleList(typeNote))
	mux.HandleFunc("GET /v1/klasses/{name}", s.handleKlass(s.handleList(typeKObject)))
	mux.HandleFunc("POST /v1/customers", s.handleCreate(typeCustomer))
	mux.HandleFunc("POST /v1/customers/search", s.handleSearch)
	mux.HandleFunc("GET /v1/customers/{ref}", s.handleGet(typeCustomer))
	mux.HandleFunc("PATCH /v1/customers/{id}", s.handleUpdate(typeCustomer, false))
	mux.HandleFunc("PUT /v1/customers/{id}", s.handleUpdate(typeCustomer, true))
	mux.HandleFunc("GET /v1/customers/{id}/conversations", s.handleCustomerConversations)
	mux.HandleFunc("POST /v1/customers/{id}/conversations", s.handleCreateUnder(typeConversation, typeCustomer))
	mux.HandleFunc("POST /v1/customers/{id}/messages", s.handleCreateUnder(typeMessage, typeCustomer))
	mux.HandleFunc("POST /v1/companies", s.handleCreate(typeCompany))
	mux.HandleFunc("GET /v1/companies/{ref}", s.handleGet(typeCompany))
	// Companies are updated with PUT only ("Update company attributes":
	// the attributes given change).
	mux.HandleFunc("PUT /v1/companies/{id}", s.handleUpdate(typeCompany, false))
	mux.HandleFunc("POST /v1/conversations", s.handleCreate(typeConversation))
	mux.HandleFunc("GET /v1/conversations/{ref}", s.handleGet(typeConversation))
	mux.HandleFunc("PATCH /v1/conversations/{id}", s.handleUpdate(typeConversation, false))
	mux.HandleFunc("PUT /v1/conversations/{id}", s.handleUpdate(typeConversation, true))
	mux.HandleFunc("POST /v1/conversations/{id}/messages", s.handleCreateUnder(typeMessage, typeConversation))
	mux.HandleFunc("GET /v1/conversations/{id}/notes", s.handleConversationNotes)
	mux.HandleFunc("POST /v1/conversations/{id}/notes", s.handleCreateUnder(typeNote, typeConversation))
	mux.HandleFunc("POST /v1/messages", s.handleCreate(typeMessage))
	mux.HandleFunc("GET /v1/messages/{ref}", s.handleGet(typeMessage))
	mux.HandleFunc("PATCH /v1/messages/{id}", s.handleUpdate(typeMessage, false))
	mux.HandleFunc("POST /v1/notes", s.handleCreate(typeNote, "conversation"))
	mux.HandleFunc("GET /v1/notes/{ref}", s.handleGet(typeNote))
	mux.HandleFunc("PATCH /v1/notes/{id}", s.handleUpdate(typeNote, false))
	mux.HandleFunc("POST /v1/klasses/{name}", s.handleKlass(s.handleCreate(typeKObject)))
	mux.HandleFunc("GET /v1/klasses/{name}/{ref}", s.handleKlass(s.handleGet(typeKObject)))
	mux.HandleFunc("PUT /v1/klasses/{name}/{id}", s.handleKlass(s.handleUpdate(typeKObject, true)))
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, notFound("Route not found"))
	})
	s.handler = s.Wrap(s.authenticate(mux))
	return s
}

// Handler serves the organization's HTTP API, faults and counters included.
func (s *Server) Handler() http.Handler { return s.handler }

// SetIndexLag changes the search index's lag for what is written from now
// on (Options.IndexLag): new and changed customers and conversations reach
// POST /v1/customers/search only after it. Reads by id, the lookups
// (…/externalId=…, email=…, phone=…), GET /v1/companies?externalId= and
// the lists stay immediate.
func (s *Server) SetIndexLag(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.index.SetLag(d)
}

// ExpireTokens revokes every API key, as deleting or rotating keys in
// Kustomer's settings does: requests with them then answer 401.
func (s *Server) ExpireTokens() {
	s.tokens.ExpireAll()
}

// AddToken makes one more API key valid.
func (s *Server) AddToken(token string) {
	s.tokens.Add(token)
}

// TokenRequests is always 0: API keys are issued in Kustomer's settings and
// there is no token endpoint.
func (s *Server) TokenRequests() int { return 0 }

// OrgName is the organization name (the agent app subdomain a local run
// may give as appUrl); the API itself does not report it.
func (s *Server) OrgName() string { return s.opts.OrgName }

func (s *Server) now() time.Time { return s.opts.Now().UTC() }

// authenticate answers 401 with Kustomer's error body unless the request
// carries a valid API key.
func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		tok = strings.TrimSpace(tok)
		valid, known := s.tokens.Check(tok)
		switch {
		case !ok || tok == "":
			writeError(w, &apiError{status: http.StatusUnauthorized, code: "unauthorized", title: "Unauthorized",
				detail: "Missing authorization header"})
		case known && !valid:
			writeError(w, &apiError{status: http.StatusUnauthorized, code: "unauthorized", title: "Unauthorized",
				detail: "Expired token"})
		case !valid:
			writeError(w, &apiError{status: http.StatusUnauthorized, code: "unauthorized", title: "Unauthorized",
				detail: "Invalid token"})
		default:
			next.ServeHTTP(w, r)
		}
	})
}

// handleCurrentUser is GET /v1/users/current: the API key's user.
func (s *Server) handleCurrentUser(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{"data": map[string]any{"type": "user", "id": s.userID,
		"attributes": map[string]any{"name": "crmflow", "displayName": "crmflow", "userType": "machine",
			"email": "crmflow@" + s.opts.OrgName + ".example", "roles": []any{"org.permission.customer.read"},
			"createdAt": "2024-03-01T12:00:00.000Z", "updatedAt": "2024-03-01T12:00:00.000Z"},
		"relationships": map[string]any{"org": relation("org", s.orgID, "/v1/orgs/"+s.orgID)},
		"links":         map[string]any{"self": "/v1/users/" + s.userID}}})
}

// apiError is an error answer with Kustomer's JSON:API error body.
type apiError struct {
	status  int
	code    string
	title   string
	detail  string
	pointer string // source.pointer, for a body attribute
	param   string // source.parameter, for a query parameter
}

func (e *apiError) Error() string { return e.code + ": " + e.detail }

func badRequest(pointer, format string, args ...any) *apiError {
	return &apiError{status: http.StatusBadRequest, code: "bad_request", title: "Invalid request body or parameters.",
		detail: fmt.Sprintf(format, args...), pointer: pointer}
}

func badParam(param, format string, args ...any) *apiError {
	return &apiError{status: http.StatusBadRequest, code: "bad_request", title: "Invalid request body or parameters.",
		detail: fmt.Sprintf(format, args...), param: param}
}

func notFound(detail string) *apiError {
	return &apiError{status: http.StatusNotFound, code: "not_found", title: "Not Found", detail: detail}
}

func conflict(pointer, format string, args ...any) *apiError {
	return &apiError{status: http.StatusConflict, code: "conflict", title: "Conflict", detail: fmt.Sprintf(format, args...), pointer: pointer}
}

func writeError(w http.ResponseWriter, e *apiError) {
	item := map[string]any{"status": e.status, "code": e.code, "title": e.title, "detail": e.detail, "meta": map[string]any{}}
	switch {
	case e.pointer != "":
		item["source"] = map[string]any{"pointer": e.pointer}
	case e.param != "":
		item["source"] = map[string]any{"parameter": e.param}
	}
	writeJSON(w, e.status, map[string]any{"errors": []any{item}})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// decodeBody reads a JSON object body: malformed JSON or trailing data is a
// bad_request.
func decodeBody(r *http.Request) (map[string]any, *apiError) {
	dec := json.NewDecoder(http.MaxBytesReader(nil, r.Body, maxBody))
	dec.UseNumber()
	var body map[string]any
	if err := dec.Decode(&body); err != nil {
		return nil, badRequest("", "Request body must be a JSON object: %s", strings.TrimPrefix(err.Error(), "json: "))
	}
	if !atEOF(dec) {
		return nil, badRequest("", "Request body has trailing data")
	}
	if body == nil {
		return nil, badRequest("", "Request body must be a JSON object")
	}
	return body, nil
}
