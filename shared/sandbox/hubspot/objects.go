package hubspot

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
)

// idText is an id given as a JSON string or number.
type idText string

func (t *idText) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*t = idText(s)
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return fmt.Errorf("an id must be a string or a number")
	}
	*t = idText(n.String())
	return nil
}

type createBody struct {
	Properties   map[string]json.RawMessage `json:"properties"`
	Associations []struct {
		To struct {
			ID idText `json:"id"`
		} `json:"to"`
		Types []assocSpec `json:"types"`
	} `json:"associations"`
}

// handleCreate is POST /crm/v3/objects/{objectType}: 201 with the record.
func (s *Server) handleCreate(w http.ResponseWriter, r *http.Request, t *objectType) {
	var body createBody
	if err := decodeBody(r, &body); err != nil {
		s.writeAPIError(w, err)
		return
	}
	s.mu.Lock()
	rec, err := s.create(t, body)
	s.mu.Unlock()
	if err != nil {
		s.writeAPIError(w, err)
		return
	}
	writeJSON(w, http.StatusCreated, rec)
}

func (s *Server) create(t *objectType, body createBody) (map[string]any, *apiError) {
	props, err := s.checkProps(t, body.Properties, nil)
	if err != nil {
		return nil, err
	}
	if err := s.checkUnique(t, props, ""); err != nil {
		return nil, err
	}
	type edge struct {
		to   objKey
		spec assocSpec
	}
	var edges []edge
	for i, a := range body.Associations {
		if len(a.Types) == 0 {
			return nil, validation("associations[%d].types: at least one association type is required", i)
		}
		for _, spec := range a.Types {
			def, ok := assocByID(t.id, spec)
			if !ok {
				return nil, validation("associations[%d]: %s association type %d is not valid from %s", i,
					spec.Category, spec.TypeID, t.label)
			}
			to := objKey{def.to, string(a.To.ID)}
			if _, found := s.objects[to.typ][to.id]; !found {
				return nil, &apiError{status: http.StatusBadRequest, category: catValidation,
					message: fmt.Sprintf("associations[%d]: no %s with id %s", i, s.typeByID(def.to).label, a.To.ID)}
			}
			edges = append(edges, edge{to, spec})
		}
	}
	o := s.insert(t, props, s.now())
	for _, e := range edges {
		s.link(objKey{t.id, o.id}, e.to, e.spec.TypeID)
	}
	return view(t, o, sortedKeys(props), t.created, t.modified, "hs_object_id"), nil
}

// handleGet is GET /crm/v3/objects/{objectType}/{id}?properties=a,b, the
// id being the record id or, with ?idProperty=, a unique property's value.
// It reads the store, never the search index: HubSpot's reads by id and
// by unique value are immediate.
func (s *Server) handleGet(w http.ResponseWriter, r *http.Request, t *objectType) {
	q := r.URL.Query()
	names := propertyList(q["properties"])
	s.mu.Lock()
	o, err := s.byIDProperty(t, q.Get("idProperty"), r.PathValue("id"))
	var rec map[string]any
	if err == nil {
		rec = view(t, o, names, t.created, t.modified, "hs_object_id")
	}
	s.mu.Unlock()
	if err != nil {
		s.writeAPIError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, rec)
}

// propertyList reads ?properties=, given comma-separated, repeated or both.
func propertyList(params []string) []string {
	var out []string
	for _, p := range params {
		for _, n := range strings.Split(p, ",") {
			if n = strings.TrimSpace(n); n != "" {
				out = append(out, n)
			}
		}
	}
	return out
}

// handleUpdate is PATCH /crm/v3/objects/{objectType}/{id}: 200 with the record.
func (s *Server) handleUpdate(w http.ResponseWriter, r *http.Request, t *objectType) {
	var body struct {
		Properties map[string]json.RawMessage `json:"properties"`
	}
	if err := decodeBody(r, &body); err != nil {
		s.writeAPIError(w, err)
		return
	}
	s.mu.Lock()
	rec, err := s.update(t, r.URL.Query().Get("idProperty"), r.PathValue("id"), body.Properties)
	s.mu.Unlock()
	if err != nil {
		s.writeAPIError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, rec)
}

func (s *Server) update(t *objectType, idProperty, id string, raw map[string]json.RawMessage) (map[string]any, *apiError) {
	o, err := s.byIDProperty(t, idProperty, id)
	if err != nil {
		return nil, err
	}
	props, err := s.checkProps(t, raw, o)
	if err != nil {
		return nil, err
	}
	if err := s.checkUnique(t, props, o.id); err != nil {
		return nil, err
	}
	s.apply(t, o, props, s.now())
	return view(t, o, sortedKeys(props), t.created, t.modified, "hs_object_id"), nil
}

// handleBatchRead is POST /crm/v3/objects/{objectType}/batch/read: 200 when
// every id was found, 207 with an OBJECT_NOT_FOUND error naming the missing
// ones otherwise.
func (s *Server) handleBatchRead(w http.ResponseWriter, r *http.Request, t *objectType) {
	var body struct {
		Properties            []string `json:"properties"`
		PropertiesWithHistory []string `json:"propertiesWithHistory"`
		IDProperty            string   `json:"idProperty"`
		Inputs                []struct {
			ID idText `json:"id"`
		} `json:"inputs"`
	}
	if err := decodeBody(r, &body); err != nil {
		s.writeAPIError(w, err)
		return
	}
	if len(body.Inputs) == 0 || len(body.Inputs) > maxBatchInputs {
		s.writeAPIError(w, validation("inputs: between 1 and %d ids are required, got %d", maxBatchInputs, len(body.Inputs)))
		return
	}
	started := s.now().Format(stampLayout)
	results := []map[string]any{}
	var missing []string
	s.mu.Lock()
	var bad *apiError
	for _, in := range body.Inputs {
		o, err := s.byIDProperty(t, body.IDProperty, string(in.ID))
		switch {
		case err == nil:
			results = append(results, view(t, o, body.Properties, t.created, t.modified, "hs_object_id"))
		case err.status == http.StatusNotFound:
			missing = append(missing, string(in.ID))
		default:
			bad = err
		}
	}
	s.mu.Unlock()
	if bad != nil {
		s.writeAPIError(w, bad)
		return
	}
	out := map[string]any{"status": "COMPLETE", "results": results, "startedAt": started, "completedAt": s.now().Format(stampLayout)}
	if len(missing) == 0 {
		writeJSON(w, http.StatusOK, out)
		return
	}
	out["numErrors"] = 1
	out["errors"] = []map[string]any{{"status": "error", "category": catNotFound,
		"message": "Could not get some " + t.label + " objects, they may be deleted or not exist. Check that ids are valid.",
		"context": map[string]any{"ids": missing}}}
	writeJSON(w, http.StatusMultiStatus, out)
}

func (s *Server) typeByID(id string) *objectType {
	t, _ := s.types.lookup(id)
	return t
}
