// Package dynamics is a wire-faithful Microsoft Dataverse (Dynamics 365)
// sandbox: a Microsoft Entra ID imitation for the client credentials grant
// at /{tenant}/oauth2/v2.0/token, and the Web API under /api/data/v9.x with
// entity sets, a strict OData $filter parser, $select, $orderby, $top,
// single-level $expand of collection-valued navigation properties
// (incident_customer_contacts, incident_customer_accounts) with $select,
// $filter, $orderby and $top, their filtered collections
// ({set}({id})/{nav}),
// server-driven paging (Prefer: odata.maxpagesize, @odata.nextLink with a
// $skiptoken paging cookie), creates answered with OData-EntityId, table
// definitions (EntityDefinitions(LogicalName='x') with $expand=Attributes),
// unknown columns refused with "Invalid property … was found in entity", PATCH
// with If-Match/If-None-Match, activity parties, state transitions, WhoAmI,
// multipart $batch requests with atomic change sets and Content-ID
// references, and Dataverse's error bodies. It holds the conformance fixture (Jane Doe
// and friends) unless told to start empty.
package dynamics

import (
	"encoding/json"
	"math/rand/v2"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/crmflow/crmflow/shared/sandbox"
)

// Dataverse error codes the sandbox answers with (hex HRESULTs as the Web API writes them).
const (
	codeNotFound   = "0x80040217" // ObjectDoesNotExist
	codeSegment    = "0x8006088a" // Resource not found for the segment
	codeQuery      = "0x80060888" // OData URI parse and type errors
	codeSelect     = "0x0"        // unknown $select column, unsupported query option
	codeDuplicate  = "0x80040237" // DuplicateRecord
	codePayload    = "0x80048d19" // Error identified in Payload provided by the user
	codeLength     = "0x80044331" // text longer than the column allows
	codeRequired   = "0x80040200" // RequiredFieldMissing
	codeState      = "0x80048408" // InvalidStateCodeStatusCode
	codeInactive   = "0x80040230" // CannotUpdateObjectBecauseItIsInactive
	codeUnexpected = "0x80040216" // UnExpected
)

// Options configure a sandbox.
type Options struct {
	// TenantID is the directory the token endpoint serves (/{TenantID}/oauth2/v2.0/token).
	TenantID string
	// ClientID and ClientSecret are the app registration's credentials.
	ClientID     string
	ClientSecret string
	// Resource is the environment URL that token requests name in their scope
	// ({Resource}/.default); the sandbox's own address is always accepted too.
	Resource string
	// Empty starts without the demo data.
	Empty bool
	// PageSize caps how many rows one page holds whatever the client prefers
	// (Dataverse: 5000). Tests set it low so that paging gets exercised.
	PageSize int
	// TokenLifetime is the expires_in of issued tokens (Entra: about an hour).
	TokenLifetime time.Duration
	// Now is the sandbox clock; time.Now when nil.
	Now func() time.Time
}

// DefaultTenantID is the tenant served when Options.TenantID is empty.
const DefaultTenantID = "7c4e2d10-5b8a-4f3e-9d21-6a0b8c9e1f32"

// Server is one Dataverse environment with its Entra tenant.
type Server struct {
	sandbox.Controls
	opts    Options
	handler http.Handler
	tables  map[string]*table // by entity set name

	// tx is held shared by every request and exclusively by a $batch, so
	// that a change set's operations and its rollback see no other writes.
	tx sync.RWMutex

	mu            sync.Mutex
	rng           *rand.Rand
	rows          map[string]map[string]map[string]any // logical name → id → row
	order         map[string][]string
	parties       map[string][]Party
	tokens        map[string]time.Time
	tokenRequests int
	tickets       int
	version       int
	userID        string
	businessUnit  string
	orgID         string
	// undo, while a change set runs, collects how to take back each write.
	undo *[]func()
}

// Party is one activity party of an activity, as the sandbox stored it.
type Party struct {
	Entity string
	ID     string
	Mask   int
}

// New starts an environment, with the demo data unless opts.Empty.
func New(opts Options) *Server {
	if opts.TenantID == "" {
		opts.TenantID = DefaultTenantID
	}
	if opts.PageSize <= 0 || opts.PageSize > maxPageSize {
		opts.PageSize = maxPageSize
	}
	if opts.TokenLifetime <= 0 {
		opts.TokenLifetime = 3599 * time.Second
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	s := &Server{opts: opts, tables: standardTables(), rng: rand.New(rand.NewPCG(20261123, 365)),
		rows: map[string]map[string]map[string]any{}, order: map[string][]string{}, parties: map[string][]Party{},
		tokens: map[string]time.Time{}, tickets: 1000, version: 1_000_000}
	s.businessUnit, s.orgID = s.newID(), s.newID()
	s.userID = s.Add("systemuser", map[string]any{"firstname": "#", "lastname": "crmflow", "domainname": "crmflow@app",
		"internalemailaddress": "crmflow@app.example"})
	if !opts.Empty {
		loadDemo(s)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /{tenant}/oauth2/v2.0/token", s.handleToken)
	mux.HandleFunc("/api/data/{version}/{rest...}", s.handleData)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, &apiError{status: http.StatusNotFound, code: codeSegment, msg: "Resource not found for the segment '" + r.URL.Path + "'."})
	})
	s.handler = s.Wrap(mux)
	return s
}

// Handler serves the environment's HTTP API, faults and counters included.
func (s *Server) Handler() http.Handler { return s.handler }

// UserID is the application user the issued tokens act as (WhoAmI's UserId).
func (s *Server) UserID() string { return s.userID }

func (s *Server) now() time.Time { return s.opts.Now().UTC() }

var versionRe = regexp.MustCompile(`^v9\.[0-2]$`)

// keySegment is "{entityset}({guid})", the address of one row.
var keySegment = regexp.MustCompile(`^([A-Za-z0-9_]+)\(([^()]*)\)$`)

// handleData serves /api/data/{version}/… for a valid token.
func (s *Server) handleData(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("OData-Version", "4.0")
	version := r.PathValue("version")
	if !versionRe.MatchString(version) {
		writeError(w, segmentNotFound(version))
		return
	}
	if !s.authorized(r) {
		w.Header().Set("WWW-Authenticate", "Bearer authorization_uri=https://login.microsoftonline.com/"+s.opts.TenantID+
			"/oauth2/authorize, resource_id="+origin(r)+"/")
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	rest := r.PathValue("rest")
	if rest == "$batch" {
		s.handleBatch(w, r, version)
		return
	}
	s.tx.RLock()
	defer s.tx.RUnlock()
	s.serve(w, r, version, rest)
}

// serve routes one authorized Web API request below /api/data/{version}/,
// whether it came on its own or as an operation of a $batch.
func (s *Server) serve(w http.ResponseWriter, r *http.Request, version, rest string) {
	if rest == "WhoAmI" || rest == "WhoAmI()" {
		s.onlyGet(w, r, func() { s.handleWhoAmI(w, r, version) })
		return
	}
	if t, ok := s.tables[rest]; ok {
		switch r.Method {
		case http.MethodGet:
			s.handleQuery(w, r, t, version)
		case http.MethodPost:
			s.handleCreate(w, r, t, version)
		default:
			writeError(w, methodNotAllowed(r.Method))
		}
		return
	}
	if seg, nav, ok := strings.Cut(rest, "/"); ok {
		if m := keySegment.FindStringSubmatch(seg); m != nil && s.tables[m[1]] != nil {
			t := s.tables[m[1]]
			id, err := parseKey(t, m[2])
			if err != nil {
				writeError(w, err)
				return
			}
			s.handleCollection(w, r, t, id, nav, version)
			return
		}
	}
	m := keySegment.FindStringSubmatch(rest)
	if m == nil {
		writeError(w, segmentNotFound(rest))
		return
	}
	if m[1] == "EntityDefinitions" {
		s.handleDefinition(w, r, m[2], version)
		return
	}
	t, ok := s.tables[m[1]]
	if !ok {
		writeError(w, segmentNotFound(m[1]))
		return
	}
	id, err := parseKey(t, m[2])
	if err != nil {
		writeError(w, err)
		return
	}
	switch r.Method {
	case http.MethodGet:
		s.handleRetrieve(w, r, t, id, version)
	case http.MethodPatch:
		s.handleUpdate(w, r, t, id, version)
	default:
		writeError(w, methodNotAllowed(r.Method))
	}
}

func (s *Server) onlyGet(w http.ResponseWriter, r *http.Request, serve func()) {
	if r.Method != http.MethodGet {
		writeError(w, &apiError{status: http.StatusNotFound, code: "",
			msg: "No HTTP resource was found that matches the request URI '" + origin(r) + r.URL.Path + "'."})
		return
	}
	serve()
}

func (s *Server) handleWhoAmI(w http.ResponseWriter, r *http.Request, version string) {
	writeJSON(w, http.StatusOK, map[string]any{
		"@odata.context": origin(r) + "/api/data/" + version + "/$metadata#Microsoft.Dynamics.CRM.WhoAmIResponse",
		"BusinessUnitId": s.businessUnit, "UserId": s.userID, "OrganizationId": s.orgID,
	})
}

// apiError is Dataverse's {"error":{"code","message"}} with its status.
type apiError struct {
	status int
	code   string
	msg    string
}

func (e *apiError) Error() string { return e.code + ": " + e.msg }

func segmentNotFound(seg string) *apiError {
	return &apiError{status: http.StatusNotFound, code: codeSegment, msg: "Resource not found for the segment '" + seg + "'."}
}

func methodNotAllowed(method string) *apiError {
	return &apiError{status: http.StatusMethodNotAllowed, code: "0x80060888",
		msg: "The requested resource does not support http method '" + method + "'."}
}

func notFound(t *table, id string) *apiError {
	return &apiError{status: http.StatusNotFound, code: codeNotFound, msg: t.logical + " With Id = " + id + " Does Not Exist"}
}

func badRequest(code, msg string) *apiError {
	return &apiError{status: http.StatusBadRequest, code: code, msg: msg}
}

func origin(r *http.Request) string {
	if r.TLS != nil {
		return "https://" + r.Host
	}
	return "http://" + r.Host
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; odata.metadata=minimal; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, err error) {
	var ae *apiError
	switch e := err.(type) {
	case *apiError:
		ae = e
	case *queryError:
		ae = badRequest(e.code, e.msg)
	case *SyntaxError:
		ae = badRequest(codeQuery, e.Msg)
	default:
		ae = &apiError{status: http.StatusInternalServerError, code: codeUnexpected, msg: "An unexpected error occurred."}
	}
	writeJSON(w, ae.status, map[string]any{"error": map[string]string{"code": ae.code, "message": ae.msg}})
}
