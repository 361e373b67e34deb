package servicenow

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// view is how the answer renders rows: which columns, and how references show.
type view struct {
	fields       []string // empty: every column of the table
	excludeLinks bool
	display      string // "false", "true" or "all"
	origin       string
}

func (s *Server) viewOf(r *http.Request) (view, *apiError) {
	q := r.URL.Query()
	v := view{excludeLinks: q.Get("sysparm_exclude_reference_link") == "true", display: "false", origin: origin(r)}
	if f := q.Get("sysparm_fields"); f != "" {
		for name := range strings.SplitSeq(f, ",") {
			if name = strings.TrimSpace(name); name != "" {
				v.fields = append(v.fields, name)
			}
		}
	}
	switch d := q.Get("sysparm_display_value"); d {
	case "", "false":
	case "true", "all":
		v.display = d
	default:
		return view{}, badParameter("sysparm_display_value")
	}
	return v, nil
}

func origin(r *http.Request) string {
	if r.TLS != nil {
		return "https://" + r.Host
	}
	return "http://" + r.Host
}

// render turns a row of t into the answer's object; the caller holds s.mu.
func (s *Server) render(t *table, row map[string]string, v view) map[string]any {
	names := v.fields
	if len(names) == 0 {
		names = s.sc.columnNames(t)
	}
	out := make(map[string]any, len(names))
	for _, name := range names {
		val, col, ok := s.resolve(t, row, name)
		if !ok {
			// Unknown names in sysparm_fields are left out of the answer.
			continue
		}
		out[name] = s.renderValue(col, val, v)
	}
	return out
}

func (s *Server) renderValue(col column, val string, v view) any {
	if col.typ != tReference || val == "" {
		if v.display == "all" {
			return map[string]string{"display_value": val, "value": val}
		}
		return val
	}
	link := v.origin + "/api/now/table/" + col.ref + "/" + val
	shown := val
	if target, ok := s.lookup(col.ref, val); ok {
		shown = target[s.sc[target["sys_class_name"]].display]
	}
	switch {
	case v.display == "all" && v.excludeLinks:
		return map[string]string{"display_value": shown, "value": val}
	case v.display == "all":
		return map[string]string{"display_value": shown, "value": val, "link": link}
	case v.display == "true" && v.excludeLinks:
		return shown
	case v.display == "true":
		return map[string]string{"display_value": shown, "link": link}
	case v.excludeLinks:
		return val
	}
	return map[string]string{"link": link, "value": val}
}

// handleList serves GET /api/now/table/{table}.
func (s *Server) handleList(w http.ResponseWriter, r *http.Request, t *table) {
	params := r.URL.Query()
	v, aerr := s.viewOf(r)
	if aerr != nil {
		writeError(w, aerr)
		return
	}
	limit, offset := s.opts.MaxLimit, 0
	if l := params.Get("sysparm_limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 {
			writeError(w, badParameter("sysparm_limit"))
			return
		}
		limit = min(n, s.opts.MaxLimit)
	}
	if o := params.Get("sysparm_offset"); o != "" {
		n, err := strconv.Atoi(o)
		if err != nil || n < 0 {
			writeError(w, badParameter("sysparm_offset"))
			return
		}
		offset = n
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	raw := params.Get("sysparm_query")
	q, err := ParseEncodedQuery(raw)
	noRows := err != nil
	if err == nil {
		if err = s.check(t, q); err != nil {
			// An unknown column: a default instance drops that part of the
			// query (which may answer every row); one with
			// glide.invalid_query.returns_no_rows=true answers none.
			noRows = s.opts.InvalidQueryReturnsNoRows
			q = s.dropUnknown(t, q)
		}
	}
	var rows []map[string]string
	if err != nil {
		s.invalidQueries = append(s.invalidQueries, t.name+": "+raw+": "+err.Error())
	}
	if !noRows {
		for _, id := range s.order {
			row := s.rows[id]
			if s.sc.isA(row["sys_class_name"], t.name) && s.matches(t, row, q) {
				rows = append(rows, row)
			}
		}
		s.sortRows(t, rows, q.OrderBy)
	}
	total := len(rows)
	page := rows[min(offset, total):min(offset+limit, total)]
	result := make([]map[string]any, 0, len(page))
	for _, row := range page {
		result = append(result, s.render(t, row, v))
	}
	w.Header().Set("X-Total-Count", strconv.Itoa(total))
	w.Header().Set("Link", pageLinks(v.origin, r.URL, offset, limit, total))
	writeJSON(w, http.StatusOK, map[string]any{"result": result})
}

// pageLinks builds the Link header: first, prev, next and last pages, each
// the request's own URL with sysparm_offset and sysparm_limit replaced.
func pageLinks(origin string, u *url.URL, offset, limit, total int) string {
	at := func(off int) string {
		q := u.Query()
		q.Set("sysparm_offset", strconv.Itoa(off))
		q.Set("sysparm_limit", strconv.Itoa(limit))
		return "<" + origin + u.Path + "?" + q.Encode() + ">"
	}
	last := 0
	if total > 0 {
		last = (total - 1) / limit * limit
	}
	links := []string{at(0) + `;rel="first"`}
	if offset > 0 {
		links = append(links, at(max(offset-limit, 0))+`;rel="prev"`)
	}
	if offset+limit < total {
		links = append(links, at(offset+limit)+`;rel="next"`)
	}
	links = append(links, at(last)+`;rel="last"`)
	return strings.Join(links, ",")
}

// handleGet serves GET /api/now/table/{table}/{sys_id}.
func (s *Server) handleGet(w http.ResponseWriter, r *http.Request, t *table, id string) {
	v, aerr := s.viewOf(r)
	if aerr != nil {
		writeError(w, aerr)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	row, ok := s.lookup(t.name, id)
	if !ok {
		writeError(w, noRecord())
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"result": s.render(t, row, v)})
}

// handleCreate serves POST /api/now/table/{table}: 201, the new row and a Location header.
func (s *Server) handleCreate(w http.ResponseWriter, r *http.Request, t *table) {
	v, body, ok := s.writeRequest(w, r)
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if t.name == "sys_journal_field" {
		writeError(w, failure(http.StatusForbidden, "Operation Failed", "Insert on sys_journal_field is not allowed"))
		return
	}
	row, aerr := s.insert(t, body, false)
	if aerr != nil {
		writeError(w, aerr)
		return
	}
	w.Header().Set("Location", v.origin+"/api/now/table/"+t.name+"/"+row["sys_id"])
	s.writeRow(w, r, http.StatusCreated, t, row, v)
}

// handleUpdate serves PATCH and PUT /api/now/table/{table}/{sys_id}; neither
// creates a missing row.
func (s *Server) handleUpdate(w http.ResponseWriter, r *http.Request, t *table, id string) {
	v, body, ok := s.writeRequest(w, r)
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	row, ok := s.lookup(t.name, id)
	if !ok {
		writeError(w, noRecord())
		return
	}
	if aerr := s.update(s.sc[row["sys_class_name"]], row, body); aerr != nil {
		writeError(w, aerr)
		return
	}
	s.writeRow(w, r, http.StatusOK, t, row, v)
}

// writeRequest reads the view and the JSON body of a create or update,
// answering the error itself when either is bad.
func (s *Server) writeRequest(w http.ResponseWriter, r *http.Request) (view, map[string]string, bool) {
	v, aerr := s.viewOf(r)
	if aerr == nil {
		var body map[string]string
		if body, aerr = decodeBody(r); aerr == nil {
			return v, body, true
		}
	}
	writeError(w, aerr)
	return view{}, nil, false
}

func (s *Server) writeRow(w http.ResponseWriter, r *http.Request, status int, t *table, row map[string]string, v view) {
	if r.Header.Get("X-no-response-body") == "true" {
		w.WriteHeader(status)
		return
	}
	writeJSON(w, status, map[string]any{"result": s.render(t, row, v)})
}

// handleDelete serves DELETE /api/now/table/{table}/{sys_id}: 204.
func (s *Server) handleDelete(w http.ResponseWriter, t *table, id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.lookup(t.name, id); !ok {
		writeError(w, noRecord())
		return
	}
	delete(s.rows, id)
	s.order = slices.DeleteFunc(s.order, func(x string) bool { return x == id })
	w.WriteHeader(http.StatusNoContent)
}
