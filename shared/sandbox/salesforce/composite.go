package salesforce

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The composite resource as Salesforce documents it (dev.sf
// resources_composite_composite.htm, requests_composite.htm,
// resources_composite_subrequest_result.htm; "Handle Errors with Composite
// Resources", developer.salesforce.com/blogs/tech-pubs/2017/02): up to 25
// subrequests, at most 5 of them queries, run in order; @{ref.path} in a
// url or a body string is replaced by the value at path (. for fields,
// [n] for list items) of the earlier subrequest ref's answer. A request
// that cannot be read at all is refused whole (400, JSON_PARSER_ERROR).
// With allOrNone false a failed subrequest fails alone; a subrequest whose
// reference cannot be resolved (its subrequest failed, or the path names
// nothing, as records[0] of an empty answer) is not run and answers 400
// PROCESSING_HALTED. With allOrNone true the first failure rolls back
// every write and the other subrequests answer 400 PROCESSING_HALTED. The
// top-level answer is 200 either way, and the whole request is one call.
// Injected faults apply to subrequests by their own paths (SubFault).
const (
	maxSubrequests      = 25
	maxCompositeQueries = 5
)

var (
	referenceIDRe = regexp.MustCompile(`^[A-Za-z0-9_]+$`)
	referenceRe   = regexp.MustCompile(`@\{([A-Za-z0-9_]+)((?:\.[A-Za-z0-9_]+|\[[0-9]+\])*)\}`)
	subURLRe      = regexp.MustCompile(`^/services/data/v[0-9]+\.0/`)
)

type compositeSub struct {
	Method      string          `json:"method"`
	URL         string          `json:"url"`
	ReferenceID string          `json:"referenceId"`
	Body        json.RawMessage `json:"body"`
	HTTPHeaders map[string]string
}

type compositeResult struct {
	Body           any               `json:"body"`
	HTTPHeaders    map[string]string `json:"httpHeaders"`
	HTTPStatusCode int               `json:"httpStatusCode"`
	ReferenceID    string            `json:"referenceId"`
}

func (s *Server) handleComposite(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		writeError(w, methodNotAllowed(r.Method, "POST"))
		return
	}
	var req struct {
		AllOrNone        bool           `json:"allOrNone"`
		CompositeRequest []compositeSub `json:"compositeRequest"`
	}
	dec := json.NewDecoder(http.MaxBytesReader(nil, r.Body, 1<<20))
	if err := dec.Decode(&req); err != nil {
		writeError(w, badRequest("JSON_PARSER_ERROR", "The request body cannot be read as a composite request."))
		return
	}
	if aerr := checkComposite(req.CompositeRequest); aerr != nil {
		writeError(w, aerr)
		return
	}
	var snap *snapshot
	if req.AllOrNone {
		snap = s.snapshot()
	}
	answers := map[string]any{} // referenceId → decoded body of a subrequest that succeeded
	results := make([]compositeResult, 0, len(req.CompositeRequest))
	failed := -1
	for i, sub := range req.CompositeRequest {
		if failed >= 0 && req.AllOrNone {
			results = append(results, halted(sub.ReferenceID, "The transaction was rolled back since another operation in the same transaction failed."))
			continue
		}
		res := s.runSub(r, sub, answers)
		results = append(results, res)
		if res.HTTPStatusCode/100 == 2 {
			answers[sub.ReferenceID] = res.Body
		} else if failed < 0 {
			failed = i
		}
	}
	if failed >= 0 && req.AllOrNone {
		s.restore(snap)
		for i := range results {
			if i != failed {
				results[i] = halted(results[i].ReferenceID, "The transaction was rolled back since another operation in the same transaction failed.")
			}
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"compositeResponse": results})
}

// checkComposite refuses what Salesforce refuses before running anything.
func checkComposite(subs []compositeSub) *apiError {
	if len(subs) == 0 {
		return badRequest("JSON_PARSER_ERROR", "'compositeRequest' is a required field.")
	}
	if len(subs) > maxSubrequests {
		return badRequest("INVALID_API_INPUT", "Limit of %d subrequests exceeded.", maxSubrequests)
	}
	seen := map[string]bool{}
	queries := 0
	for _, sub := range subs {
		switch {
		case sub.ReferenceID == "":
			return badRequest("JSON_PARSER_ERROR", "'referenceId' is a required field.")
		case sub.Method == "":
			return badRequest("JSON_PARSER_ERROR", "'method' is a required field.")
		case sub.URL == "":
			return badRequest("JSON_PARSER_ERROR", "'url' is a required field.")
		case !referenceIDRe.MatchString(sub.ReferenceID):
			return badRequest("INVALID_INPUT", "Invalid reference id: %s. Reference IDs can only contain alphanumeric characters and underscores.", sub.ReferenceID)
		case seen[sub.ReferenceID]:
			return badRequest("INVALID_INPUT", "Duplicate referenceId provided in the request: %s", sub.ReferenceID)
		case !slices.Contains([]string{"GET", "POST", "PATCH", "PUT", "DELETE"}, sub.Method):
			return badRequest("INVALID_INPUT", "Invalid method: %s", sub.Method)
		case !subURLRe.MatchString(sub.URL):
			return badRequest("INVALID_INPUT", "The url of a subrequest must start with /services/data/vXX.X/: %s", sub.URL)
		}
		seen[sub.ReferenceID] = true
		if path, _, _ := strings.Cut(sub.URL, "?"); strings.Contains(path, "/query") {
			queries++
		}
	}
	if queries > maxCompositeQueries {
		return badRequest("INVALID_API_INPUT", "A composite request can contain at most %d query operations.", maxCompositeQueries)
	}
	return nil
}

func halted(ref, msg string) compositeResult {
	return compositeResult{Body: []*apiError{{ErrorCode: "PROCESSING_HALTED", Message: msg}}, HTTPHeaders: map[string]string{},
		HTTPStatusCode: http.StatusBadRequest, ReferenceID: ref}
}

// runSub resolves a subrequest's references and serves it as its own
// request would be served, with the top-level request's session.
func (s *Server) runSub(top *http.Request, sub compositeSub, answers map[string]any) compositeResult {
	u, err := resolveRefs(sub.URL, answers)
	if err != nil {
		return halted(sub.ReferenceID, err.Error())
	}
	var body []byte
	if len(sub.Body) > 0 && string(sub.Body) != "null" {
		var v any
		if err := json.Unmarshal(sub.Body, &v); err != nil {
			return compositeResult{Body: []*apiError{badRequest("JSON_PARSER_ERROR", "The request body is not valid JSON.")},
				HTTPHeaders: map[string]string{}, HTTPStatusCode: 400, ReferenceID: sub.ReferenceID}
		}
		if v, err = resolveBody(v, answers); err != nil {
			return halted(sub.ReferenceID, err.Error())
		}
		body, _ = json.Marshal(v)
	}
	req := httptest.NewRequestWithContext(top.Context(), sub.Method, u, bytes.NewReader(body))
	req.Header.Set("Authorization", top.Header.Get("Authorization"))
	req.Header.Set("Content-Type", "application/json")
	for k, v := range sub.HTTPHeaders {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	if f := s.SubFault(req); f != nil {
		if f.Delay > 0 {
			select {
			case <-time.After(f.Delay):
			case <-top.Context().Done():
			}
		}
		switch {
		case f.AfterWrite:
			s.data.ServeHTTP(httptest.NewRecorder(), req)
			fallthrough
		case f.Status != 0:
			rec.WriteHeader(f.Status)
			rec.Body.WriteString(f.Body)
		default:
			s.data.ServeHTTP(rec, req)
		}
	} else {
		s.data.ServeHTTP(rec, req)
	}
	res := compositeResult{HTTPHeaders: map[string]string{}, HTTPStatusCode: rec.Code, ReferenceID: sub.ReferenceID}
	if loc := rec.Header().Get("Location"); loc != "" {
		res.HTTPHeaders["Location"] = loc
	}
	if rec.Body.Len() > 0 {
		var v any
		if json.Unmarshal(rec.Body.Bytes(), &v) == nil {
			res.Body = v
		}
	}
	return res
}

// resolveRefs replaces every @{ref.path} in s by the value it names.
func resolveRefs(s string, answers map[string]any) (string, error) {
	var firstErr error
	out := referenceRe.ReplaceAllStringFunc(s, func(m string) string {
		sm := referenceRe.FindStringSubmatch(m)
		v, err := lookupRef(sm[1], sm[2], answers)
		if err != nil {
			if firstErr == nil {
				firstErr = err
			}
			return m
		}
		return v
	})
	if firstErr != nil {
		return "", firstErr
	}
	return out, nil
}

func resolveBody(v any, answers map[string]any) (any, error) {
	switch x := v.(type) {
	case string:
		return resolveRefs(x, answers)
	case map[string]any:
		for k, e := range x {
			r, err := resolveBody(e, answers)
			if err != nil {
				return nil, err
			}
			x[k] = r
		}
	case []any:
		for i, e := range x {
			r, err := resolveBody(e, answers)
			if err != nil {
				return nil, err
			}
			x[i] = r
		}
	}
	return v, nil
}

// lookupRef reads path (".records[0].Id") from the answer of ref.
func lookupRef(ref, path string, answers map[string]any) (string, error) {
	cur, ok := answers[ref]
	full := ref + path
	noValue := fmt.Errorf("Invalid reference specified. No value for %s found in %s. Provided referenceId ('%s') must match a previous subrequest's referenceId that succeeded.", full, ref, ref)
	if !ok {
		return "", noValue
	}
	for rest := path; rest != ""; {
		switch rest[0] {
		case '.':
			end := strings.IndexAny(rest[1:], ".[")
			if end < 0 {
				end = len(rest) - 1
			}
			m, ok := cur.(map[string]any)
			if !ok {
				return "", noValue
			}
			if cur, ok = m[rest[1:1+end]]; !ok {
				return "", noValue
			}
			rest = rest[1+end:]
		case '[':
			end := strings.IndexByte(rest, ']')
			n, _ := strconv.Atoi(rest[1:end])
			l, ok := cur.([]any)
			if !ok || n >= len(l) {
				return "", noValue
			}
			cur, rest = l[n], rest[end+1:]
		}
	}
	switch x := cur.(type) {
	case string:
		return x, nil
	case float64, bool:
		return fmt.Sprint(x), nil
	}
	return "", noValue
}

// snapshot is the org's data as it was before an allOrNone request.
type snapshot struct {
	records                          map[string]map[string]any
	order                            map[string][]string
	seq, caseNumber, workOrderNumber int
}

func (s *Server) snapshot() *snapshot {
	s.mu.Lock()
	defer s.mu.Unlock()
	sn := &snapshot{records: make(map[string]map[string]any, len(s.records)), order: make(map[string][]string, len(s.order)),
		seq: s.seq, caseNumber: s.caseNumber, workOrderNumber: s.workOrderNumber}
	for id, rec := range s.records {
		sn.records[id] = maps.Clone(rec)
	}
	for e, ids := range s.order {
		sn.order[e] = slices.Clone(ids)
	}
	return sn
}

func (s *Server) restore(sn *snapshot) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.records, s.order = sn.records, sn.order
	s.seq, s.caseNumber, s.workOrderNumber = sn.seq, sn.caseNumber, sn.workOrderNumber
}
