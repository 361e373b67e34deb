package salesforce

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// handleQuery serves GET /services/data/{v}/query?q=SOQL.
func (s *Server) handleQuery(w http.ResponseWriter, r *http.Request, version string) {
	s.serveStatement(w, r, badRequest("MALFORMED_QUERY", "A query string has to be specified"), func(src string) (any, error) {
		q, err := ParseSOQL(src)
		if err != nil {
			return nil, err
		}
		rows, apiErr := s.run(q, version)
		if apiErr != nil {
			return nil, apiErr
		}
		cursor := ""
		if len(rows) > s.opts.BatchSize {
			s.cursorSeq++
			cursor = makeID("01g", s.cursorSeq)
			s.cursors[cursor] = rows
		}
		return s.page(version, cursor, rows, 0), nil
	})
}

// serveStatement runs the SOQL or SOSL statement in ?q= under the lock and
// answers its result.
func (s *Server) serveStatement(w http.ResponseWriter, r *http.Request, missing *apiError, run func(src string) (any, error)) {
	src := r.URL.Query().Get("q")
	if strings.TrimSpace(src) == "" {
		writeError(w, missing)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	out, err := run(src)
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, out)
}

// handleQueryMore serves the nextRecordsUrl of a query: /query/{cursor}-{offset}.
func (s *Server) handleQueryMore(w http.ResponseWriter, locator, version string) {
	cursor, offText, _ := strings.Cut(locator, "-")
	s.mu.Lock()
	defer s.mu.Unlock()
	rows, ok := s.cursors[cursor]
	off, err := strconv.Atoi(offText)
	if !ok || err != nil || off <= 0 || off >= len(rows) {
		writeError(w, badRequest("INVALID_QUERY_LOCATOR", "invalid query locator"))
		return
	}
	resp := s.page(version, cursor, rows, off)
	if resp.vals["done"] == true {
		delete(s.cursors, cursor)
	}
	writeJSON(w, http.StatusOK, resp)
}

// page is one batch of a query result; a next page is named by nextRecordsUrl.
func (s *Server) page(version, cursor string, rows []*object, from int) *object {
	end := min(from+s.opts.BatchSize, len(rows))
	o := newObject()
	o.set("totalSize", len(rows))
	o.set("done", end == len(rows))
	if end < len(rows) {
		o.set("nextRecordsUrl", fmt.Sprintf("/services/data/%s/query/%s-%d", version, cursor, end))
	}
	o.set("records", rows[from:end])
	return o
}

// run executes a parsed query; the caller holds s.mu.
func (s *Server) run(q *Query, version string) ([]*object, *apiError) {
	e, ok := s.entityByName(q.Entity)
	if !ok {
		return nil, badRequest("INVALID_TYPE", "sObject type '%s' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.", q.Entity)
	}
	recs, paths, err := s.selectRecords(e, q)
	if err != nil {
		return nil, err
	}
	out := make([]*object, len(recs))
	for i, rec := range recs {
		out[i] = s.project(e, rec, paths, version)
	}
	return out, nil
}

// selectRecords resolves the field list, filters, orders and cuts an entity's
// records; SOQL and each SOSL RETURNING spec share it. match, when given,
// narrows the records further (the SOSL search terms).
func (s *Server) selectRecords(e *entity, q *Query, match ...func(map[string]any) bool) ([]map[string]any, []fieldPath, *apiError) {
	paths := make([]fieldPath, len(q.Fields))
	for i, f := range q.Fields {
		p, err := s.resolvePath(e, f)
		if err != nil {
			return nil, nil, err
		}
		paths[i] = p
	}
	flt, err := s.compileWhere(e, q.Where)
	if err != nil {
		return nil, nil, err
	}
	orderPaths := make([]fieldPath, len(q.OrderBy))
	for i, o := range q.OrderBy {
		p, err := s.resolvePath(e, o.Field)
		if err != nil {
			return nil, nil, err
		}
		orderPaths[i] = p
	}
	var recs []map[string]any
records:
	for _, id := range s.order[e.name] {
		rec := s.records[id]
		for _, m := range match {
			if !m(rec) {
				continue records
			}
		}
		if flt.match(rec, q.Where) {
			recs = append(recs, rec)
		}
	}
	s.sortRecords(recs, q.OrderBy, orderPaths)
	if q.Offset > 0 {
		recs = recs[min(q.Offset, len(recs)):]
	}
	if q.Limit >= 0 && len(recs) > q.Limit {
		recs = recs[:q.Limit]
	}
	return recs, paths, nil
}
