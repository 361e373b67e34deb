package hubspot

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
)

// assocSpec is {"associationCategory","associationTypeId"} as requests carry it.
type assocSpec struct {
	Category string `json:"associationCategory"`
	TypeID   int    `json:"associationTypeId"`
}

// assocDef is one direction of an association type.
type assocDef struct {
	from, to string
	typeID   int
	category string
}

// assocPairs are the unlabeled association types between the sandbox's
// objects, both directions, with HubSpot's documented type ids; the custom
// object's are user defined, as a custom object schema's are.
var assocPairs = []struct {
	a, b     string
	ab, ba   int
	category string
}{
	{"0-1", "0-2", 279, 280, "HUBSPOT_DEFINED"},
	{"0-1", "0-3", 4, 3, "HUBSPOT_DEFINED"},
	{"0-1", "0-5", 15, 16, "HUBSPOT_DEFINED"},
	{"0-1", "0-48", 193, 194, "HUBSPOT_DEFINED"},
	{"0-1", "0-46", 201, 202, "HUBSPOT_DEFINED"},
	{"0-1", "0-27", 203, 204, "HUBSPOT_DEFINED"},
	{"0-2", "0-3", 342, 341, "HUBSPOT_DEFINED"},
	{"0-2", "0-5", 340, 339, "HUBSPOT_DEFINED"},
	{"0-2", "0-48", 181, 182, "HUBSPOT_DEFINED"},
	{"0-2", "0-46", 189, 190, "HUBSPOT_DEFINED"},
	{"0-2", "0-27", 191, 192, "HUBSPOT_DEFINED"},
	{"0-3", "0-5", 27, 28, "HUBSPOT_DEFINED"},
	{"0-3", "0-48", 205, 206, "HUBSPOT_DEFINED"},
	{"0-3", "0-46", 213, 214, "HUBSPOT_DEFINED"},
	{"0-3", "0-27", 215, 216, "HUBSPOT_DEFINED"},
	{"0-5", "0-48", 219, 220, "HUBSPOT_DEFINED"},
	{"0-5", "0-46", 227, 228, "HUBSPOT_DEFINED"},
	{"0-5", "0-27", 229, 230, "HUBSPOT_DEFINED"},
	{"2-9001", "0-1", 9001, 9002, "USER_DEFINED"},
	{"2-9001", "0-2", 9003, 9004, "USER_DEFINED"},
	{"2-9001", "0-5", 9005, 9006, "USER_DEFINED"},
	{"2-9001", "0-48", 9007, 9008, "USER_DEFINED"},
	{"2-9001", "0-46", 9009, 9010, "USER_DEFINED"},
	{"2-9001", "0-27", 9011, 9012, "USER_DEFINED"},
}

// assocDefault is the unlabeled type from one object type to another.
func assocDefault(from, to string) (assocDef, bool) {
	for _, p := range assocPairs {
		switch {
		case p.a == from && p.b == to:
			return assocDef{from, to, p.ab, p.category}, true
		case p.b == from && p.a == to:
			return assocDef{from, to, p.ba, p.category}, true
		}
	}
	return assocDef{}, false
}

// assocByType finds an association type by its id from an object type.
func assocByType(from string, typeID int) (assocDef, bool) {
	for _, p := range assocPairs {
		switch {
		case p.a == from && p.ab == typeID:
			return assocDef{from, p.b, p.ab, p.category}, true
		case p.b == from && p.ba == typeID:
			return assocDef{from, p.a, p.ba, p.category}, true
		}
	}
	return assocDef{}, false
}

// assocByID finds the type a spec names from an object type; the category
// must match too.
func assocByID(from string, spec assocSpec) (assocDef, bool) {
	def, ok := assocByType(from, spec.TypeID)
	return def, ok && def.category == spec.Category
}

// link stores an association and its reverse; the caller holds s.mu.
func (s *Server) link(from, to objKey, typeID int) {
	add := func(a, b objKey, id int) {
		if s.assoc[a] == nil {
			s.assoc[a] = map[objKey][]int{}
		}
		if !slices.Contains(s.assoc[a][b], id) {
			s.assoc[a][b] = append(s.assoc[a][b], id)
		}
	}
	add(from, to, typeID)
	if back, ok := assocDefault(to.typ, from.typ); ok {
		add(to, from, back.typeID)
	}
}

// associated lists the ids of toType records associated with from,
// ascending; the caller holds s.mu.
func (s *Server) associated(from objKey, toType string) []objKey {
	var out []objKey
	for k := range s.assoc[from] {
		if k.typ == toType {
			out = append(out, k)
		}
	}
	slices.SortFunc(out, func(a, b objKey) int { return compareIDs(a.id, b.id) })
	return out
}

func compareIDs(a, b string) int {
	if len(a) != len(b) {
		return len(a) - len(b)
	}
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// Associate links two stored records with their default association type.
func (s *Server) Associate(fromType, fromID, toType, toID string) error {
	ft, ok1 := s.types.lookup(fromType)
	tt, ok2 := s.types.lookup(toType)
	if !ok1 || !ok2 {
		return fmt.Errorf("hubspot sandbox: unknown object type %q or %q", fromType, toType)
	}
	def, ok := assocDefault(ft.id, tt.id)
	if !ok {
		return fmt.Errorf("hubspot sandbox: %s cannot be associated with %s", ft.name, tt.name)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.link(objKey{ft.id, fromID}, objKey{tt.id, toID}, def.typeID)
	return nil
}

// Associations lists the ids of toType records associated with a record.
func (s *Server) Associations(fromType, fromID, toType string) []string {
	ft, ok1 := s.types.lookup(fromType)
	tt, ok2 := s.types.lookup(toType)
	if !ok1 || !ok2 {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var ids []string
	for _, k := range s.associated(objKey{ft.id, fromID}, tt.id) {
		ids = append(ids, k.id)
	}
	return ids
}

// handleListAssociations is GET /crm/v4/objects/{type}/{id}/associations/{toType}
// with ?limit (≤500) and ?after paging.
func (s *Server) handleListAssociations(w http.ResponseWriter, r *http.Request, t *objectType) {
	to, ok := s.types.lookup(r.PathValue("toType"))
	if !ok {
		s.writeError(w, http.StatusBadRequest, catValidation, "Unable to infer object type from: "+r.PathValue("toType"))
		return
	}
	q := r.URL.Query()
	limit, start, err := pageParams(q.Get("limit"), q.Get("after"), maxAssocPage, maxAssocPage)
	if err != nil {
		s.writeAPIError(w, err)
		return
	}
	limit = min(limit, s.pageSize(maxAssocPage))
	from := objKey{t.id, r.PathValue("id")}
	s.mu.Lock()
	keys := s.associated(from, to.id)
	results := []map[string]any{}
	for i := start; i < len(keys) && i < start+limit; i++ {
		k := keys[i]
		types := []map[string]any{}
		for _, id := range s.assoc[from][k] {
			def, _ := assocByType(from.typ, id)
			types = append(types, map[string]any{"category": def.category, "typeId": id, "label": nil})
		}
		n, _ := strconv.ParseInt(k.id, 10, 64)
		results = append(results, map[string]any{"toObjectId": n, "associationTypes": types})
	}
	s.mu.Unlock()
	out := map[string]any{"results": results}
	if next := start + limit; next < len(keys) {
		after := strconv.Itoa(next)
		out["paging"] = map[string]any{"next": map[string]any{"after": after, "link": "?after=" + after}}
	}
	writeJSON(w, http.StatusOK, out)
}

// handleAssociateDefault is PUT /crm/v4/objects/{type}/{id}/associations/default/{toType}/{toId}.
func (s *Server) handleAssociateDefault(w http.ResponseWriter, r *http.Request, t *objectType) {
	to, from, target, err := s.assocEnds(r, t)
	if err != nil {
		s.writeAPIError(w, err)
		return
	}
	def, ok := assocDefault(t.id, to.id)
	if !ok {
		s.writeAPIError(w, validation("%s cannot be associated with %s", t.label, to.label))
		return
	}
	started := s.now().Format(stampLayout)
	s.mu.Lock()
	s.link(from, target, def.typeID)
	back, _ := assocDefault(to.id, t.id)
	s.mu.Unlock()
	spec := func(a, b objKey, d assocDef) map[string]any {
		return map[string]any{"from": map[string]any{"id": a.id}, "to": map[string]any{"id": b.id},
			"associationSpec": map[string]any{"associationCategory": d.category, "associationTypeId": d.typeID}}
	}
	writeJSON(w, http.StatusOK, map[string]any{"status": "COMPLETE",
		"results":   []map[string]any{spec(from, target, def), spec(target, from, back)},
		"startedAt": started, "completedAt": s.now().Format(stampLayout)})
}

// handleAssociateLabeled is PUT /crm/v4/objects/{type}/{id}/associations/{toType}/{toId}
// with a body of association types: 201.
func (s *Server) handleAssociateLabeled(w http.ResponseWriter, r *http.Request, t *objectType) {
	var specs []assocSpec
	if err := decodeBody(r, &specs); err != nil {
		s.writeAPIError(w, err)
		return
	}
	to, from, target, err := s.assocEnds(r, t)
	if err != nil {
		s.writeAPIError(w, err)
		return
	}
	if len(specs) == 0 {
		s.writeAPIError(w, validation("at least one association type is required"))
		return
	}
	for _, spec := range specs {
		if def, ok := assocByID(t.id, spec); !ok || def.to != to.id {
			s.writeAPIError(w, validation("%s association type %d is not valid from %s to %s", spec.Category, spec.TypeID, t.label, to.label))
			return
		}
	}
	s.mu.Lock()
	for _, spec := range specs {
		s.link(from, target, spec.TypeID)
	}
	s.mu.Unlock()
	fromN, _ := strconv.ParseInt(from.id, 10, 64)
	toN, _ := strconv.ParseInt(target.id, 10, 64)
	writeJSON(w, http.StatusCreated, map[string]any{"fromObjectTypeId": t.id, "fromObjectId": fromN,
		"toObjectTypeId": to.id, "toObjectId": toN, "labels": []string{}})
}

// assocEnds resolves and checks both records of an association request.
func (s *Server) assocEnds(r *http.Request, t *objectType) (*objectType, objKey, objKey, *apiError) {
	to, ok := s.types.lookup(r.PathValue("toType"))
	if !ok {
		return nil, objKey{}, objKey{}, validation("Unable to infer object type from: %s", r.PathValue("toType"))
	}
	from, target := objKey{t.id, r.PathValue("id")}, objKey{to.id, r.PathValue("toId")}
	s.mu.Lock()
	_, ok1 := s.objects[from.typ][from.id]
	_, ok2 := s.objects[target.typ][target.id]
	s.mu.Unlock()
	if !ok1 || !ok2 {
		return nil, objKey{}, objKey{}, notFound()
	}
	return to, from, target, nil
}
