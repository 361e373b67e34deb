// Package servicenow is a wire-faithful ServiceNow sandbox: the Table API
// (/api/now/table and /api/now/{version}/table) with strict encoded-query
// parsing, sysparm_limit/sysparm_offset paging with X-Total-Count and Link
// headers, the task hierarchy (task → incident, interaction, case) and
// sys_journal_field for work notes, basic auth and the OAuth client
// credentials grant on /oauth_token.do, and ServiceNow's
// {"error":{"message","detail"},"status":"failure"} bodies. It holds the
// conformance fixture (Jane Doe and friends) unless told to start empty,
// and shows a record at nav_to.do for the local demo's screen pops. The
// instance describes itself through the Table API as a real one does:
// sys_db_object (name, label, super_class) and sys_dictionary (name,
// element, column_label, internal_type…, one row per column on the table
// that defines it, plus the table's collection row) (metadata.go).
//
// Unknown columns are treated as ServiceNow's Table API reference says
// (ServiceNowDocs api-reference/rest-apis/c_TableAPI.md), never refused: in
// a request body they are dropped and the write succeeds; in sysparm_fields
// they are left out of the answer ("Invalid fields are ignored"); in
// sysparm_query the invalid part is ignored and the rest decides, which may
// answer a whole table (Options.InvalidQueryReturnsNoRows answers no rows
// instead, as glide.invalid_query.returns_no_rows=true does). A query the
// sandbox cannot parse (an unknown operator) answers no rows, which no
// source confirms or refutes. Every such query is kept so tests can assert
// that a driver never sends one.
//
// There is no search index and so no index lag (no sandbox.Index, no
// Options.IndexLag): every list is a Table API condition evaluated on the
// rows as they are now, as an instance filters a table for sysparm_query
// (ServiceNowDocs c_TableAPI.md; no source describes a delay). ServiceNow's
// one lagging search is the Zing text index, read only through the
// 123TEXTQUERY321 / IR_*_QUERY operators, which the driver never sends and
// the sandbox does not parse (such a query answers no rows and is kept in
// InvalidQueries); see shared/crm/servicenow doc.go, "Exactly once".
package servicenow

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/crmflow/crmflow/shared/sandbox"
)

// Options configure a sandbox.
type Options struct {
	// Username and Password are accepted with basic auth.
	Username string
	Password string
	// ClientID and ClientSecret are the OAuth application registry entry's
	// credentials for the client credentials grant.
	ClientID     string
	ClientSecret string
	// TokenTTL is the lifetime of issued access tokens (ServiceNow: 1799 s).
	TokenTTL time.Duration
	// MaxLimit caps the rows one answer holds, whatever sysparm_limit asks,
	// as an instance-side row limit does; tests set it low so that drivers
	// must follow the Link header.
	MaxLimit int
	// InvalidQueryReturnsNoRows makes the instance answer no rows to a
	// query naming an unknown column, as with the system property
	// glide.invalid_query.returns_no_rows=true. By default (the property's
	// default, false) the unknown part of the query is dropped and the
	// rest decides, which may answer every row of the table (ServiceNow,
	// GlideRecord API reference: "the invalid part of the query condition
	// is dropped, and the results are based on the valid part of the
	// query, which may return all records from the table"). Either way the
	// query is kept in InvalidQueries.
	InvalidQueryReturnsNoRows bool
	// Empty starts without the demo data.
	Empty bool
	// Now is the sandbox clock; time.Now when nil.
	Now func() time.Time
}

// Server is one ServiceNow instance.
type Server struct {
	sandbox.Controls
	opts    Options
	handler http.Handler
	sc      schema

	mu             sync.Mutex
	rows           map[string]map[string]string // by sys_id
	order          []string                     // sys_ids in insertion order
	numbers        map[string]int
	seq            int
	tokens         map[string]time.Time // access token → expiry
	tokenRequests  int
	invalidQueries []string
}

// New starts an instance, with the demo data unless opts.Empty.
func New(opts Options) *Server {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.TokenTTL <= 0 {
		opts.TokenTTL = 1799 * time.Second
	}
	if opts.MaxLimit <= 0 {
		opts.MaxLimit = 10000
	}
	s := &Server{opts: opts, sc: dictionary(), rows: map[string]map[string]string{}, numbers: map[string]int{},
		tokens: map[string]time.Time{}}
	s.loadMetadata()
	if !opts.Empty {
		loadDemo(s)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/oauth_token.do", s.handleToken)
	mux.HandleFunc("/api/", s.handleAPI)
	mux.HandleFunc("GET /nav_to.do", s.handleRecordPage)
	s.handler = s.Wrap(mux)
	return s
}

// Handler serves the instance's HTTP API, faults and counters included.
func (s *Server) Handler() http.Handler { return s.handler }

// handleAPI serves /api/now/table/{table}[/{sys_id}], optionally versioned
// (/api/now/v2/table/…), for an authenticated caller.
func (s *Server) handleAPI(w http.ResponseWriter, r *http.Request) {
	if !s.authorized(r) {
		writeError(w, unauthenticated())
		return
	}
	parts := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	if len(parts) >= 3 && parts[0] == "api" && parts[1] == "now" && (parts[2] == "v1" || parts[2] == "v2") {
		parts = append(parts[:2:2], parts[3:]...)
	}
	if len(parts) < 4 || len(parts) > 5 || parts[0] != "api" || parts[1] != "now" || parts[2] != "table" {
		writeError(w, badURI())
		return
	}
	s.mu.Lock()
	t, ok := s.sc[parts[3]]
	s.mu.Unlock()
	if !ok {
		writeError(w, invalidTable(parts[3]))
		return
	}
	if len(parts) == 4 {
		switch r.Method {
		case http.MethodGet:
			s.handleList(w, r, t)
		case http.MethodPost:
			s.handleCreate(w, r, t)
		default:
			writeError(w, methodNotSupported())
		}
		return
	}
	id := parts[4]
	switch r.Method {
	case http.MethodGet:
		s.handleGet(w, r, t, id)
	case http.MethodPatch, http.MethodPut:
		s.handleUpdate(w, r, t, id)
	case http.MethodDelete:
		s.handleDelete(w, t, id)
	default:
		writeError(w, methodNotSupported())
	}
}

// decodeBody reads a JSON object whose values become column strings, as the
// instance coerces them.
func decodeBody(r *http.Request) (map[string]string, *apiError) {
	var body map[string]any
	dec := json.NewDecoder(http.MaxBytesReader(nil, r.Body, 1<<20))
	dec.UseNumber()
	if err := dec.Decode(&body); err != nil || body == nil || dec.More() {
		return nil, badBody()
	}
	out := make(map[string]string, len(body))
	for k, v := range body {
		switch x := v.(type) {
		case nil:
			out[k] = ""
		case string:
			out[k] = x
		case json.Number:
			out[k] = x.String()
		case bool:
			out[k] = fmt.Sprint(x)
		default:
			b, _ := json.Marshal(x)
			out[k] = string(b)
		}
	}
	return out, nil
}

// AddRecord stores a row without the API's checks (system columns may be
// given, mandatory columns are not enforced) and returns its sys_id, or ""
// for an unknown table.
func (s *Server) AddRecord(table string, fields map[string]string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.sc[table]
	if !ok {
		return ""
	}
	row, _ := s.insert(t, fields, true)
	return row["sys_id"]
}

// Record returns a copy of a row of table (or a descendant) by sys_id.
func (s *Server) Record(table, id string) (map[string]string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	row, ok := s.lookup(table, id)
	return maps.Clone(row), ok
}

// Records returns copies of the rows of table and its descendants in insertion order.
func (s *Server) Records(table string) []map[string]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []map[string]string
	for _, id := range s.order {
		if row := s.rows[id]; s.sc.isA(row["sys_class_name"], table) {
			out = append(out, maps.Clone(row))
		}
	}
	return out
}

// Journal returns the journal entries (work_notes or comments) of a record, oldest first.
func (s *Server) Journal(id, element string) []string {
	var out []string
	for _, row := range s.Records("sys_journal_field") {
		if row["element_id"] == id && row["element"] == element {
			out = append(out, row["value"])
		}
	}
	return out
}

// InvalidQueries lists the encoded queries naming an unknown column or
// operator (their invalid part dropped, or no rows answered), each with the
// reason.
func (s *Server) InvalidQueries() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.invalidQueries)
}

// ClearInvalidQueries forgets the invalid queries, for tests that send one
// on purpose.
func (s *Server) ClearInvalidQueries() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.invalidQueries = nil
}
