// Package salesforce is a wire-faithful Salesforce sandbox: the OAuth token
// endpoint (client credentials and JWT bearer), SOQL queries with pagination,
// SOSL searches, and sObject reads and writes under /services/data/{version},
// with Salesforce's error arrays, key prefixes and validation rules. It holds
// the conformance fixture (Jane Doe and friends) unless told to start empty.
//
// SOSL (/search, /parameterizedSearch) reads through a sandbox.Index with
// Options.IndexLag (default 0) as Salesforce's asynchronous search index
// does ("about 15 minutes or more", Large Data Volumes guide, "Search
// Architecture"); SOQL, reads by id and sObject Rows by External ID
// (sobjects/{Entity}/{field}/{value}) read the database and are immediate.
package salesforce

import (
	"crypto/rsa"
	"encoding/json"
	"errors"
	"maps"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/crmflow/crmflow/shared/sandbox"
)

// Options configure a sandbox.
type Options struct {
	// ClientID and ClientSecret are the connected app's consumer key and
	// secret for the client credentials flow; ClientID is also the JWT issuer.
	ClientID     string
	ClientSecret string
	// JWTPublicKey and JWTUsername enable the JWT bearer flow: assertions must
	// be signed by the matching private key and name this user as subject.
	JWTPublicKey *rsa.PublicKey
	JWTUsername  string
	// Empty starts without the demo data.
	Empty bool
	// BatchSize is how many records a query page holds (Salesforce: 2000).
	// Tests set it low so that pagination gets exercised.
	BatchSize int
	// Now is the sandbox clock; time.Now when nil.
	Now func() time.Time
	// IndexLag is the lag of SOSL's search index (sandbox.Index): a record
	// created or changed at t is found by /search and /parameterizedSearch
	// with its new values only from t+IndexLag on, as Salesforce indexes
	// asynchronously ("about 15 minutes or more", Large Data Volumes guide,
	// ldv-deployments-concepts-search-architecture). 0 (the default) makes
	// search consistent. SOQL, reads by id and by external id read the
	// database and are immediate. SetIndexLag changes it.
	IndexLag time.Duration
	// NoWriteKeyField leaves crmflow_key__c off the standard objects: an
	// org whose admin has not made it.
	NoWriteKeyField bool
}

// Server is one Salesforce org.
type Server struct {
	sandbox.Controls
	opts    Options
	handler http.Handler
	// data serves /services/data/: the API itself, and each subrequest of
	// a composite request (which counts as one call).
	data http.Handler

	mu              sync.Mutex
	entities        map[string]*entity
	byPrefix        map[string]*entity
	records         map[string]map[string]any
	order           map[string][]string
	seq             int
	caseNumber      int
	workOrderNumber int
	customObjects   int
	userID          string
	index           *sandbox.Index
	cursors         map[string][]*object
	cursorSeq       int
	tokens          map[string]bool
	tokenRequests   int
}

// New starts an org, with the demo data unless opts.Empty.
func New(opts Options) *Server {
	if opts.BatchSize <= 0 {
		opts.BatchSize = 2000
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	s := &Server{opts: opts, entities: standardEntities(!opts.NoWriteKeyField), byPrefix: map[string]*entity{},
		records: map[string]map[string]any{}, order: map[string][]string{}, cursors: map[string][]*object{},
		tokens: map[string]bool{}, caseNumber: 1000, workOrderNumber: 100,
		// The demo data is indexed already; the lag applies to what comes after.
		index: sandbox.NewIndex(0, opts.Now)}
	for _, e := range s.entities {
		s.byPrefix[e.prefix] = e
	}
	s.userID = s.Add("User", map[string]any{"FirstName": "Integration", "LastName": "User",
		"Username": "integration@crmflow.example", "Email": "integration@crmflow.example", "IsActive": true})
	if !opts.Empty {
		loadDemo(s)
	}
	s.SetIndexLag(opts.IndexLag)
	data := http.NewServeMux()
	data.HandleFunc("/services/data/{version}/{rest...}", s.handleData)
	data.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { writeError(w, notFound()) })
	s.data = data
	mux := http.NewServeMux()
	mux.HandleFunc("POST /services/oauth2/token", s.handleToken)
	mux.Handle("/services/data/{version}/{rest...}", data)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { writeError(w, notFound()) })
	s.handler = s.Wrap(mux)
	return s
}

// SetIndexLag changes the lag of SOSL's search index for what is written
// from now on (Options.IndexLag).
func (s *Server) SetIndexLag(d time.Duration) { s.index.SetLag(d) }

// Handler serves the org's HTTP API, faults and counters included.
func (s *Server) Handler() http.Handler { return s.handler }

func (s *Server) now() time.Time { return s.opts.Now() }

// Add stores a record without the API's validation (ids, names and derived
// fields still apply) and returns its id, or "" for an unknown entity or field.
func (s *Server) Add(entity string, fields map[string]any) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	// Unlike the API, test helpers may add records of entities that are not createable (User).
	e, _ := s.entityForCreate(entity)
	if e == nil {
		return ""
	}
	id, err := s.insert(e, fields, false)
	if err != nil {
		return ""
	}
	return id
}

// Records returns copies of an entity's records in creation order.
func (s *Server) Records(entity string) []map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.entityByName(entity)
	if !ok {
		return nil
	}
	var out []map[string]any
	for _, id := range s.order[e.name] {
		out = append(out, maps.Clone(s.records[id]))
	}
	return out
}

var versionRe = regexp.MustCompile(`^v([2-5][0-9]|6[0-6])\.0$`)

// handleData serves everything under /services/data/{version}/ for a valid session.
func (s *Server) handleData(w http.ResponseWriter, r *http.Request) {
	version := r.PathValue("version")
	if !versionRe.MatchString(version) {
		writeError(w, notFound())
		return
	}
	if !s.authorized(r) {
		w.Header().Set("WWW-Authenticate", "Token")
		writeError(w, &apiError{status: 401, ErrorCode: "INVALID_SESSION_ID", Message: "Session expired or invalid"})
		return
	}
	parts := strings.Split(strings.TrimSuffix(r.PathValue("rest"), "/"), "/")
	switch {
	case len(parts) == 1 && parts[0] == "":
		s.onlyGet(w, r, func() { s.handleResources(w, version) })
	case len(parts) == 1 && parts[0] == "query":
		s.onlyGet(w, r, func() { s.handleQuery(w, r, version) })
	case len(parts) == 2 && parts[0] == "query":
		s.onlyGet(w, r, func() { s.handleQueryMore(w, parts[1], version) })
	case len(parts) == 1 && parts[0] == "search":
		s.onlyGet(w, r, func() { s.handleSearch(w, r, version) })
	case len(parts) == 1 && parts[0] == "composite":
		s.handleComposite(w, r)
	case len(parts) == 1 && parts[0] == "parameterizedSearch":
		s.handleParamSearch(w, r, version)
	case len(parts) == 2 && parts[0] == "sobjects":
		s.handleSObject(w, r, parts[1], version)
	case len(parts) == 3 && parts[0] == "sobjects" && parts[2] == "describe":
		s.handleDescribe(w, r, parts[1], version)
	case len(parts) == 3 && parts[0] == "sobjects":
		s.handleRecord(w, r, parts[1], parts[2], version)
	case len(parts) == 4 && parts[0] == "sobjects":
		s.handleExternalID(w, r, parts[1], parts[2], parts[3], version)
	default:
		writeError(w, notFound())
	}
}

func (s *Server) onlyGet(w http.ResponseWriter, r *http.Request, serve func()) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		writeError(w, methodNotAllowed(r.Method, "GET,HEAD"))
		return
	}
	serve()
}

func methodNotAllowed(method, allowed string) *apiError {
	return &apiError{status: 405, ErrorCode: "METHOD_NOT_ALLOWED", Message: "HTTP Method '" + method + "' not allowed. Allowed are " + allowed}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// writeError answers with Salesforce's error array.
func writeError(w http.ResponseWriter, err error) {
	var ae *apiError
	if !errors.As(err, &ae) {
		var qe *QueryError
		if errors.As(err, &qe) {
			ae = &apiError{status: 400, ErrorCode: qe.Code, Message: qe.Message}
		} else {
			ae = &apiError{status: 500, ErrorCode: "UNKNOWN_EXCEPTION", Message: "An unexpected error occurred. Please include this ErrorId if you contact support."}
		}
	}
	writeJSON(w, ae.status, []*apiError{ae})
}

// decodeBody reads a JSON object body, refusing anything else as Salesforce does.
func decodeBody(r *http.Request) (map[string]any, *apiError) {
	var body map[string]any
	dec := json.NewDecoder(http.MaxBytesReader(nil, r.Body, 1<<20))
	if err := dec.Decode(&body); err != nil || body == nil || dec.More() {
		return nil, badRequest("JSON_PARSER_ERROR", "The request body is not a JSON object.")
	}
	return body, nil
}
