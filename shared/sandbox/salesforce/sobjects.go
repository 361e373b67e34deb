package salesforce

import (
	"net/http"
	"strings"
)

// handleSObject serves /sobjects/{Entity}: POST creates (dome_sobject_create.htm),
// GET is sObject Basic Information (resources_sobject_basic_info.htm).
func (s *Server) handleSObject(w http.ResponseWriter, r *http.Request, name, version string) {
	switch r.Method {
	case http.MethodPost:
		body, err := decodeBody(r)
		if err != nil {
			writeError(w, err)
			return
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		e, ok := s.entityForCreate(name)
		if !ok {
			writeError(w, notFound())
			return
		}
		id, apiErr := s.insert(e, body, true)
		if apiErr != nil {
			writeError(w, apiErr)
			return
		}
		resp := newObject()
		// As "Create a Record" (dome_sobject_create.htm) shows it.
		resp.set("id", id)
		resp.set("errors", []any{})
		resp.set("success", true)
		writeJSON(w, http.StatusCreated, resp)
	case http.MethodGet:
		s.mu.Lock()
		defer s.mu.Unlock()
		e, ok := s.entityByName(name)
		if !ok {
			writeError(w, notFound())
			return
		}
		d := newObject()
		d.set("name", e.name)
		d.set("keyPrefix", e.prefix)
		d.set("custom", e.custom)
		d.set("createable", e.createable)
		d.set("queryable", true)
		resp := newObject()
		resp.set("objectDescribe", d)
		resp.set("recentItems", []any{})
		writeJSON(w, http.StatusOK, resp)
	default:
		writeError(w, methodNotAllowed(r.Method, "GET,HEAD,POST"))
	}
}

// handleRecord serves /sobjects/{Entity}/{Id}: GET reads, PATCH updates.
func (s *Server) handleRecord(w http.ResponseWriter, r *http.Request, name, id, version string) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead && r.Method != http.MethodPatch {
		writeError(w, methodNotAllowed(r.Method, "GET,HEAD,PATCH"))
		return
	}
	var body map[string]any
	if r.Method == http.MethodPatch {
		var err *apiError
		if body, err = decodeBody(r); err != nil {
			writeError(w, err)
			return
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.entityByName(name)
	if !ok {
		writeError(w, notFound())
		return
	}
	if _, ok := canonicalID(id); !ok {
		// Salesforce reads a value that is not an id as an external id.
		writeError(w, &apiError{status: 404, ErrorCode: "NOT_FOUND", Message: "Provided external ID field does not exist or is not accessible: " + id})
		return
	}
	rec, re, ok := s.get(id)
	if !ok || re != e {
		writeError(w, notFound())
		return
	}
	if r.Method == http.MethodPatch {
		if err := s.update(e, rec, body); err != nil {
			writeError(w, err)
			return
		}
		w.WriteHeader(http.StatusNoContent)
		return
	}
	fields := r.URL.Query().Get("fields")
	if fields == "" {
		writeJSON(w, http.StatusOK, s.fullRecord(e, rec, version))
		return
	}
	paths := []fieldPath{{leaf: "Id", typ: tID}}
	for _, f := range strings.Split(fields, ",") {
		f = strings.TrimSpace(f)
		if strings.EqualFold(f, "Id") {
			continue
		}
		if strings.Contains(f, ".") {
			writeError(w, noSuchColumn(f, e.name))
			return
		}
		p, err := s.resolvePath(e, f)
		if err != nil {
			writeError(w, err)
			return
		}
		paths = append(paths, p)
	}
	writeJSON(w, http.StatusOK, s.project(e, rec, paths, version))
}

// handleExternalID serves GET /sobjects/{Entity}/{field}/{value}, sObject
// Rows by External ID (resources_sobject_upsert_get.htm,
// using_resources_retrieve_with_externalid.htm): the one record whose
// External ID field holds value (200, the whole record), 404 NOT_FOUND for
// none, 404 "Provided external ID field does not exist or is not
// accessible: {field}" for a field that is no External ID field (restforce
// spec/fixtures/sobject/sobject_find_error_response.json), and 300 with the
// matching records when several hold it ("The response body contains the
// list of matching records", errorcodes.htm; the sandbox lists their URLs,
// the exact shape is unconfirmed). It reads the database: immediate, never
// through the search index. Upsert (PATCH) and DELETE by external id are
// not served.
func (s *Server) handleExternalID(w http.ResponseWriter, r *http.Request, name, fieldName, value, version string) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		writeError(w, methodNotAllowed(r.Method, "GET,HEAD"))
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.entityByName(name)
	if !ok {
		writeError(w, notFound())
		return
	}
	fn, f, ok := e.lookup(fieldName)
	if !ok || !f.externalID {
		writeError(w, &apiError{status: 404, ErrorCode: "NOT_FOUND", Message: "Provided external ID field does not exist or is not accessible: " + fieldName})
		return
	}
	var matches []string
	for _, id := range s.order[e.name] {
		if v, _ := s.records[id][fn].(string); v != "" && v == value {
			matches = append(matches, id)
		}
	}
	switch len(matches) {
	case 0:
		writeError(w, notFound())
	case 1:
		writeJSON(w, http.StatusOK, s.fullRecord(e, s.records[matches[0]], version))
	default:
		urls := make([]string, len(matches))
		for i, id := range matches {
			urls[i] = "/services/data/" + version + "/sobjects/" + e.name + "/" + id
		}
		writeJSON(w, http.StatusMultipleChoices, urls)
	}
}
