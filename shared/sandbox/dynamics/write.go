package dynamics

import (
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
)

var guidRe = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

func parseKey(t *table, key string) (string, error) {
	if !guidRe.MatchString(key) {
		return "", badRequest(codeQuery, fmt.Sprintf("Unrecognized 'Edm.Guid' literal '%s' for the key property '%s'.", key, t.pk))
	}
	return strings.ToLower(key), nil
}

// checkState validates statecode/statuscode in a change against the row's
// current state: a status must belong to its state, and a status alone moves
// the row to the state it belongs to.
func checkState(t *table, id string, rec, vals map[string]any) *apiError {
	sc, hasState := vals["statecode"].(float64)
	st, hasStatus := vals["statuscode"].(float64)
	if !hasState && !hasStatus {
		return nil
	}
	if !hasState {
		for code, def := range t.states {
			if slices.Contains(def.statuses, int(st)) {
				sc, hasState = float64(code), true
			}
		}
		if !hasState {
			cur, _ := rec["statecode"].(float64)
			sc = cur
		}
	}
	def, ok := t.states[int(sc)]
	if !ok {
		return badRequest(codeState, fmt.Sprintf("%v is not a valid state code on %s with Id %s.", sc, t.logical, id))
	}
	if !hasStatus {
		st = float64(def.statuses[0])
	}
	if !slices.Contains(def.statuses, int(st)) {
		return statusError(t, st, int(sc), id)
	}
	vals["statecode"], vals["statuscode"] = sc, st
	return nil
}

// duplicateKey is Dataverse's answer to a create of an id that exists.
func duplicateKey() *apiError {
	return &apiError{status: http.StatusPreconditionFailed, code: codeDuplicate, msg: "A record with matching key values already exists."}
}

func statusError(t *table, st float64, state int, id string) *apiError {
	return badRequest(codeState, fmt.Sprintf("%v is not a valid status code for state code %s.%s on %s with Id %s.",
		st, t.stateType, t.states[state].name, t.logical, id))
}

// lockedBody decodes a write's body and takes s.mu; ok is false when the
// answer (an error) was written instead.
func (s *Server) lockedBody(w http.ResponseWriter, r *http.Request, t *table) (map[string]any, bool) {
	body, aerr := decodeBody(r, t)
	if aerr != nil {
		writeError(w, aerr)
		return nil, false
	}
	s.mu.Lock()
	return body, true
}

func (s *Server) handleCreate(w http.ResponseWriter, r *http.Request, t *table, version string) {
	body, ok := s.lockedBody(w, r, t)
	if !ok {
		return
	}
	defer s.mu.Unlock()
	ch, aerr := s.checkWrite(t, body, true, true)
	if aerr != nil {
		writeError(w, aerr)
		return
	}
	id, _ := ch.vals[t.pk].(string)
	if id == "" {
		id = s.newID()
	}
	if s.rows[t.logical][id] != nil {
		writeError(w, duplicateKey())
		return
	}
	if lk := t.customerRequired; lk != "" && ch.links[lk].id == "" {
		writeError(w, badRequest(codeRequired, "You should specify a parent contact or account."))
		return
	}
	if st, ok := ch.vals["statuscode"].(float64); ok && !slices.Contains(t.states[0].statuses, int(st)) {
		writeError(w, statusError(t, st, 0, id))
		return
	}
	rec := s.insert(t, id, ch)
	w.Header().Set("OData-EntityId", origin(r)+"/api/data/"+version+"/"+t.set+"("+id+")")
	s.answerWrite(w, r, t, rec, version, http.StatusCreated)
}

// answerWrite is 204, or the row itself when the client prefers return=representation.
func (s *Server) answerWrite(w http.ResponseWriter, r *http.Request, t *table, rec map[string]any, version string, status int) {
	if !strings.Contains(r.Header.Get("Prefer"), "return=representation") {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	out := s.project(t, rec, nil)
	out["@odata.context"] = origin(r) + "/api/data/" + version + "/$metadata#" + t.set + "/$entity"
	w.Header().Set("Preference-Applied", "return=representation")
	writeJSON(w, status, out)
}

// handleUpdate serves PATCH, which is an upsert unless If-Match: * (update
// only) or If-None-Match: * (create only) says otherwise.
func (s *Server) handleUpdate(w http.ResponseWriter, r *http.Request, t *table, id, version string) {
	body, ok := s.lockedBody(w, r, t)
	if !ok {
		return
	}
	defer s.mu.Unlock()
	rec := s.rows[t.logical][id]
	ifMatch, ifNone := r.Header.Get("If-Match"), r.Header.Get("If-None-Match")
	switch {
	case rec == nil && ifMatch != "":
		writeError(w, notFound(t, id))
		return
	case rec != nil && ifNone == "*":
		writeError(w, duplicateKey())
		return
	case rec != nil && ifMatch != "" && ifMatch != "*" && ifMatch != etag(rec):
		writeError(w, &apiError{status: http.StatusPreconditionFailed, code: "0x80060882",
			msg: "The version of the existing record doesn't match the RowVersion property provided."})
		return
	}
	ch, aerr := s.checkWrite(t, body, rec == nil, true)
	if aerr != nil {
		writeError(w, aerr)
		return
	}
	if pk, ok := ch.vals[t.pk]; ok && pk != id {
		writeError(w, payloadError(t, "The key in the request body does not match the key in the request URL."))
		return
	}
	if rec == nil {
		ch.vals[t.pk] = id
		rec = s.insert(t, id, ch)
		s.answerWrite(w, r, t, rec, version, http.StatusCreated)
		return
	}
	if cur, _ := rec["statecode"].(float64); t.activity && cur != 0 && changesBeyondState(ch) {
		writeError(w, badRequest(codeInactive, "The object cannot be updated because it is inactive."))
		return
	}
	if err := checkState(t, id, rec, ch.vals); err != nil {
		writeError(w, err)
		return
	}
	s.journalRow(rec)
	s.apply(t, rec, ch)
	rec["modifiedon"], rec["versionnumber"] = s.now().Format(rowTime), s.nextVersion()
	s.answerWrite(w, r, t, rec, version, http.StatusOK)
}

func changesBeyondState(ch *change) bool {
	for k := range ch.vals {
		if k != "statecode" && k != "statuscode" {
			return true
		}
	}
	return len(ch.links) > 0 || len(ch.parties) > 0
}

func etag(rec map[string]any) string {
	v, _ := rec["versionnumber"].(float64)
	return fmt.Sprintf(`W/"%d"`, int64(v))
}
