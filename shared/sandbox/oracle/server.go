// Package oracle is a wire-faithful Oracle B2C Service (Service Cloud,
// RightNow) sandbox for Connect REST v1.4 under /services/rest/connect/:
// the resource list at the API root, the metadata catalog and its resource
// descriptions (metadata.go), the contacts, organizations, incidents, tasks
// and CO.CallNote resources (create, read, update with PATCH or POST plus
// X-HTTP-Method-Override, collection lists with a ROQL q filter), ROQL
// tabular queries on queryResults with the site's quoting rules, basic
// auth for a staff account, the OSvC-CREST-Application-Context header v1.4
// requires, and the RFC 7807-like error bodies with o:errorCode. It holds
// the conformance fixture (Jane Doe and friends) unless told to start
// empty. The site's own custom fields (customFields.c.*) and custom object
// attributes are Options.CustomFields: by default the crmflow_key field
// crmflow's setup asks for; a site without it refuses the property.
//
// There is no search index here, and no index lag: queryResults and the
// collection q filter read the operational database
// (c_osvc_roql_tabular_queries.html), so a record is found the moment its
// write is answered, as on a site.
//
// ROQL as the sandbox reads it: strings are single-quoted with a quote
// doubled inside (a backslash is an ordinary character and "\'" leaves the
// string unterminated: "unrecognized token"); a double-quoted text is an
// identifier, never a string; names are case-insensitive; comparisons of
// text ignore case; LIKE takes % and _; a condition on a list field (emails,
// phones, threads) holds when one entry matches, and selecting list fields
// spreads a record over several rows as the site's join does; empty text
// counts as NULL; the answer's tableName is the REST resource name when
// the query spells it in another case (REAL: "from serviceproducts" →
// "serviceProducts"). Every refused query is kept so tests can assert that
// a driver never sends one.
//
// Sources: Oracle's "REST API for Oracle B2C Service" (docs.oracle.com/en/
// cloud/saas/b2c-service/cxsvc/) and the live-site recordings of
// rajangdavis/osvc_ruby (spec/fixtures/**/*.yml), copied as facts into
// shared/crm/oracle/testdata/real. A property a resource does not have is
// refused as a real site does: 400 OSC-CREST-00013 "Unrecognized
// resource", "Invalid property specified: {name}" (REAL).
//
// Where the site's behaviour is not documented the sandbox chooses and says
// so: the bodies of 401 and of a missing application context carry no
// o:errorCode; other refused writes (a read-only property, a bad
// reference or named ID value) answer OSC-CREST-00006; a bad ROQL query
// answers 400 OSC-CREST-00007 with the parser's message; a 404 answers
// OSC-CREST-00013; the keys of a metadata catalog resource description
// (metadata.go); named ID values (statuses, channels, thread entry types)
// are the ones in schema.go; the Agent Browser UI page at /AgentWeb/ is a
// stand-in that shows the #/{resource}/{id} route the driver builds.
package oracle

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/crmflow/crmflow/shared/sandbox"
)

// apiPrefix is where Connect REST lives on a site.
const apiPrefix = "/services/rest/connect/"

// Default credentials when Options name none.
const (
	DefaultUsername = "crmflow.api"
	DefaultPassword = "Sandbox-Passw0rd"
)

// Options configure a sandbox.
type Options struct {
	// Username and Password are the staff account accepted with basic auth.
	Username string
	Password string
	// MaxRows caps the rows one ROQL answer holds whatever LIMIT asks (the
	// operational database answers at most 20000).
	MaxRows int
	// Empty starts without the demo data.
	Empty bool
	// CustomFields are the site's custom fields and custom object
	// attributes per resource (customFields.c.name, or name on a custom
	// object); nil means DefaultCustomFields, an empty map none.
	CustomFields map[string][]string
	// Now is the sandbox clock; time.Now when nil.
	Now func() time.Time
}

// Server is one Oracle B2C Service site.
type Server struct {
	sandbox.Controls
	opts    Options
	handler http.Handler
	sc      schema

	mu             sync.Mutex
	records        map[string]map[int64]record // resource → id → record
	order          map[string][]int64
	nextID         map[string]int64
	seq            int
	invalidQueries []string
}

// New starts a site, with the demo data unless opts.Empty.
func New(opts Options) *Server {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Username == "" {
		opts.Username, opts.Password = DefaultUsername, DefaultPassword
	}
	if opts.MaxRows <= 0 {
		opts.MaxRows = 20000
	}
	if opts.CustomFields == nil {
		opts.CustomFields = DefaultCustomFields
	}
	s := &Server{opts: opts, sc: newSchema(opts.CustomFields), records: map[string]map[int64]record{}, order: map[string][]int64{},
		nextID: map[string]int64{}}
	if !opts.Empty {
		loadDemo(s)
	}
	mux := http.NewServeMux()
	mux.HandleFunc(apiPrefix, s.handleAPI)
	mux.HandleFunc("GET /AgentWeb/", s.handleAgentWeb)
	s.handler = s.Wrap(mux)
	return s
}

// Handler serves the site, faults and counters included.
func (s *Server) Handler() http.Handler { return s.handler }

// ExpireTokens does nothing: basic auth has no tokens. It is here for the
// conformance suite's sandbox interface (crmtest.Sandbox).
func (s *Server) ExpireTokens() {}

// TokenRequests is 0: Connect REST with basic auth has no token endpoint.
func (s *Server) TokenRequests() int { return 0 }

func (s *Server) now() time.Time { return s.opts.Now() }

// handleAPI serves /services/rest/connect/{version}/{resource}[/{id}] and
// /services/rest/connect/{version}/queryResults.
func (s *Server) handleAPI(w http.ResponseWriter, r *http.Request) {
	if !s.authorized(r) {
		s.fail(w, r, problem{status: http.StatusUnauthorized, title: "Unauthorized",
			detail: "Access Denied: the username or password is not valid"})
		return
	}
	parts := strings.Split(strings.Trim(strings.TrimPrefix(r.URL.Path, apiPrefix), "/"), "/")
	version := parts[0]
	if version != "v1.4" && version != "v1.3" && version != "latest" {
		s.fail(w, r, problem{status: http.StatusNotFound, code: CodeVersion, title: "Unsupported version",
			detail: "Version " + version + " is not supported"})
		return
	}
	if p, bad := appContextProblem(r, version); bad {
		s.fail(w, r, p)
		return
	}
	method := r.Method
	if o := r.Header.Get("X-HTTP-Method-Override"); o != "" && method == http.MethodPost {
		method = strings.ToUpper(o)
	}
	base := siteOrigin(r) + apiPrefix + version
	switch {
	case len(parts) == 1:
		if method != http.MethodGet {
			s.fail(w, r, problem{status: http.StatusMethodNotAllowed, code: CodeMethod, title: "Unsupported method"})
			return
		}
		s.handleResourceList(w, base)
		return
	case strings.EqualFold(parts[1], "metadata-catalog") && len(parts) <= 3:
		if method != http.MethodGet {
			s.fail(w, r, problem{status: http.StatusMethodNotAllowed, code: CodeMethod, title: "Unsupported method"})
			return
		}
		if len(parts) == 2 {
			s.handleCatalog(w, base)
			return
		}
		s.handleResourceSchema(w, r, parts[2], base)
		return
	case len(parts) == 2 && strings.EqualFold(parts[1], "queryResults"):
		if method != http.MethodGet {
			s.fail(w, r, problem{status: http.StatusMethodNotAllowed, code: CodeMethod, title: "Unsupported method"})
			return
		}
		s.handleQuery(w, r, base)
		return
	case len(parts) < 2 || len(parts) > 3:
		s.fail(w, r, notFound("The resource "+r.URL.Path+" is not recognized"))
		return
	}
	s.mu.Lock()
	res, ok := s.sc.byREST[strings.ToLower(parts[1])]
	s.mu.Unlock()
	if !ok {
		s.fail(w, r, notFound("The resource "+parts[1]+" is not recognized"))
		return
	}
	if len(parts) == 2 {
		switch method {
		case http.MethodGet:
			s.handleList(w, r, res, base)
		case http.MethodPost:
			s.handleCreate(w, r, res, base)
		default:
			s.fail(w, r, problem{status: http.StatusMethodNotAllowed, code: CodeMethod, title: "Unsupported method"})
		}
		return
	}
	id, err := strconv.ParseInt(parts[2], 10, 64)
	if err != nil || id <= 0 {
		s.fail(w, r, notFound("Invalid ID: "+parts[2]))
		return
	}
	switch method {
	case http.MethodGet:
		s.handleGet(w, r, res, id, base)
	case http.MethodPatch:
		s.handlePatch(w, r, res, id)
	case http.MethodDelete:
		s.handleDelete(w, r, res, id)
	default:
		s.fail(w, r, problem{status: http.StatusMethodNotAllowed, code: CodeMethod, title: "Unsupported method"})
	}
}

// handleQuery runs the semicolon-separated ROQL statements of ?query= and
// answers one item per statement.
func (s *Server) handleQuery(w http.ResponseWriter, r *http.Request, base string) {
	src := r.URL.Query().Get("query")
	if strings.TrimSpace(src) == "" {
		s.fail(w, r, invalidQuery("The query parameter is required"))
		return
	}
	items, err := s.runQueries(src)
	if err != nil {
		s.fail(w, r, invalidQuery("Query error: "+err.Error()))
		return
	}
	// As a real site links it: self with the query (spaces as %20),
	// canonical without (REAL: osvc_ruby serviceproduct/find cassettes).
	self := base + "/queryResults?query=" + strings.ReplaceAll(url.QueryEscape(src), "+", "%20")
	writeJSON(w, http.StatusOK, map[string]any{"items": items, "links": []map[string]any{
		{"rel": "self", "href": self}, {"rel": "canonical", "href": base + "/queryResults"},
		{"rel": "describedby", "href": base + "/metadata-catalog/queryResults", "mediaType": "application/schema+json"}}})
}

// runQueries runs every statement of a queryResults query; a refused
// query is kept for InvalidQueries.
func (s *Server) runQueries(src string) ([]table, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	stmts, err := splitStatements(src)
	if err == nil && len(stmts) == 0 {
		err = errorf("syntax error: empty query")
	}
	items := []table{}
	for _, st := range stmts {
		if err != nil {
			break
		}
		var q Query
		if q, err = parseStatement(st); err != nil {
			break
		}
		var t table
		if t, err = s.run(q); err != nil {
			break
		}
		items = append(items, t)
	}
	if err != nil {
		s.invalidQueries = append(s.invalidQueries, src+" → "+err.Error())
		return nil, err
	}
	return items, nil
}

// handleList serves a collection: id and lookupName of each record, paged
// with limit and offset, filtered by a ROQL WHERE clause in q.
func (s *Server) handleList(w http.ResponseWriter, r *http.Request, res *resource, base string) {
	qv := r.URL.Query()
	limit, offset := 1000, 0
	if v := qv.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 {
			s.fail(w, r, invalidQuery("Invalid value for limit"))
			return
		}
		limit = min(n, 20000)
	}
	if v := qv.Get("offset"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			s.fail(w, r, invalidQuery("Invalid value for offset"))
			return
		}
		offset = n
	}
	src := "SELECT id, lookupName, createdTime, updatedTime FROM " + res.roql[0]
	if where := qv.Get("q"); where != "" {
		src += " WHERE " + where
	}
	s.mu.Lock()
	q, err := ParseROQL(src)
	var t table
	if err == nil {
		t, err = s.run(q)
	}
	if err != nil {
		s.invalidQueries = append(s.invalidQueries, src+" → "+err.Error())
	}
	s.mu.Unlock()
	if err != nil {
		s.fail(w, r, invalidQuery("Query error: "+err.Error()))
		return
	}
	items := []map[string]any{}
	seen := map[string]bool{}
	for _, row := range t.Rows {
		if seen[*row[0]] {
			continue
		}
		seen[*row[0]] = true
		id, _ := strconv.ParseInt(*row[0], 10, 64)
		item := map[string]any{"id": id, "lookupName": row[1], "createdTime": row[2], "updatedTime": row[3],
			"links": []map[string]any{{"rel": "canonical", "href": base + "/" + res.name + "/" + *row[0]}}}
		items = append(items, item)
	}
	hasMore := false
	if offset < len(items) {
		items = items[offset:]
	} else {
		items = items[:0]
	}
	if len(items) > limit {
		items, hasMore = items[:limit], true
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items, "hasMore": hasMore, "limit": limit, "offset": offset,
		"links": []map[string]any{{"rel": "self", "href": base + "/" + res.name}, {"rel": "canonical", "href": base + "/" + res.name},
			{"rel": "describedby", "href": base + "/metadata-catalog/" + res.name, "mediaType": "application/schema+json"}}})
}

func decodeObject(r *http.Request) (map[string]any, bool) {
	var body map[string]any
	dec := json.NewDecoder(http.MaxBytesReader(nil, r.Body, 1<<20))
	dec.UseNumber()
	if err := dec.Decode(&body); err != nil || body == nil || dec.More() {
		return nil, false
	}
	return body, true
}

func (s *Server) handleCreate(w http.ResponseWriter, r *http.Request, res *resource, base string) {
	body, ok := decodeObject(r)
	if !ok {
		s.fail(w, r, problem{status: http.StatusBadRequest, code: CodeMalformedJSON, title: "Malformed JSON in the request body"})
		return
	}
	s.mu.Lock()
	norm, werr := s.normalizeBody(res, body)
	var rec record
	if werr == nil {
		rec = s.insert(res, norm)
	}
	var out map[string]any
	if rec != nil {
		out = s.render(res, rec, base)
	}
	s.mu.Unlock()
	if werr != nil {
		s.fail(w, r, werr.problem())
		return
	}
	w.Header().Set("Location", base+"/"+res.name+"/"+strconv.FormatInt(rec.id(), 10))
	writeJSON(w, http.StatusCreated, out)
}

func (s *Server) handleGet(w http.ResponseWriter, r *http.Request, res *resource, id int64, base string) {
	s.mu.Lock()
	rec, ok := s.records[res.name][id]
	var out map[string]any
	if ok {
		out = s.render(res, rec, base)
	}
	s.mu.Unlock()
	if !ok {
		s.fail(w, r, notFound("Invalid ID: No such "+singular(res.name)+" with ID = "+strconv.FormatInt(id, 10)))
		return
	}
	writeJSON(w, http.StatusOK, out)
}

// handlePatch updates a record: 200 with an empty body.
func (s *Server) handlePatch(w http.ResponseWriter, r *http.Request, res *resource, id int64) {
	body, ok := decodeObject(r)
	if !ok {
		s.fail(w, r, problem{status: http.StatusBadRequest, code: CodeMalformedJSON, title: "Malformed JSON in the request body"})
		return
	}
	s.mu.Lock()
	rec, found := s.records[res.name][id]
	var werr *writeError
	if found {
		var norm record
		if norm, werr = s.normalizeBody(res, body); werr == nil {
			s.patch(res, rec, norm)
		}
	}
	s.mu.Unlock()
	switch {
	case !found:
		s.fail(w, r, notFound("Invalid ID: No such "+singular(res.name)+" with ID = "+strconv.FormatInt(id, 10)))
	case werr != nil:
		s.fail(w, r, werr.problem())
	default:
		w.Header().Set("Content-Length", "0")
		w.WriteHeader(http.StatusOK)
	}
}

func (s *Server) handleDelete(w http.ResponseWriter, r *http.Request, res *resource, id int64) {
	s.mu.Lock()
	_, found := s.records[res.name][id]
	if found {
		delete(s.records[res.name], id)
		s.order[res.name] = slices.DeleteFunc(s.order[res.name], func(x int64) bool { return x == id })
	}
	s.mu.Unlock()
	if !found {
		s.fail(w, r, notFound("Invalid ID: No such "+singular(res.name)+" with ID = "+strconv.FormatInt(id, 10)))
		return
	}
	w.Header().Set("Content-Length", "0")
	w.WriteHeader(http.StatusOK)
}

// AddRecord stores a record the way a create does (checks included) and
// returns its id, or an error for a body the site would refuse.
func (s *Server) AddRecord(resourceName string, body map[string]any) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	res, ok := s.sc.byREST[strings.ToLower(resourceName)]
	if !ok {
		return 0, refuse("unknown resource %s", resourceName)
	}
	b, _ := json.Marshal(body)
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.UseNumber()
	var generic map[string]any
	_ = dec.Decode(&generic)
	norm, werr := s.normalizeBody(res, generic)
	if werr != nil {
		return 0, werr
	}
	return s.insert(res, norm).id(), nil
}

// Record returns a JSON copy of a stored record in its REST form.
func (s *Server) Record(resourceName string, id int64) (map[string]any, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	res, ok := s.sc.byREST[strings.ToLower(resourceName)]
	if !ok {
		return nil, false
	}
	rec, ok := s.records[res.name][id]
	if !ok {
		return nil, false
	}
	b, _ := json.Marshal(s.render(res, rec, ""))
	var out map[string]any
	_ = json.Unmarshal(b, &out)
	return out, true
}

// Records lists the ids of a resource in creation order.
func (s *Server) Records(resourceName string) []int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	res, ok := s.sc.byREST[strings.ToLower(resourceName)]
	if !ok {
		return nil
	}
	return slices.Clone(s.order[res.name])
}

// InvalidQueries lists the ROQL queries the site refused, each with the reason.
func (s *Server) InvalidQueries() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.invalidQueries)
}

// ClearInvalidQueries forgets the refused queries, for tests that send one on purpose.
func (s *Server) ClearInvalidQueries() {
	s.mu.Lock()
	s.invalidQueries = nil
	s.mu.Unlock()
}

func itoa(n int) string { return strconv.Itoa(n) }
