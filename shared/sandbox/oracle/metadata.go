package oracle

import (
	"net/http"
	"strings"
	"unicode"
)

// The resource list, the metadata catalog and its resource descriptions.
//
// GET /services/rest/connect/{version}/ answers {"items":[{"name","links":
// [{"rel":"canonical","href"}]}]} for every resource collection (REAL:
// osvc_ruby spec/fixtures/connect/get/should_produce_a_200_response_code.yml).
// GET …/metadata-catalog answers the same names with "alternate"
// (application/schema+json), "canonical" (application/json) and
// "describes" links (cxsvc c_osvc_access_metadata.html). A resource's
// description is a JSON Schema (every record's "describedby" link names
// application/schema+json); Oracle's pages within reach show no example of
// one, so its keys here are the sandbox's choice, after what public tooling
// reads from real sites: the record under definitions.singularResource,
// each property with type (["string","null"] when it may be empty),
// label, isAvailableForPOST and isAvailableForPATCH, and $ref for named IDs
// and references.

// handleResourceList serves the API root.
func (s *Server) handleResourceList(w http.ResponseWriter, base string) {
	items := []map[string]any{}
	for _, name := range s.resourceNames() {
		items = append(items, map[string]any{"name": name,
			"links": []map[string]any{{"rel": "canonical", "href": base + "/" + name}}})
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items,
		"links": []map[string]any{{"rel": "self", "href": base + "/"}, {"rel": "canonical", "href": base + "/"}}})
}

// handleCatalog serves the metadata catalog's list.
func (s *Server) handleCatalog(w http.ResponseWriter, base string) {
	items := []map[string]any{}
	for _, name := range s.resourceNames() {
		meta := base + "/metadata-catalog/" + name
		items = append(items, map[string]any{"name": name, "links": []map[string]any{
			{"rel": "alternate", "href": meta, "mediaType": "application/schema+json"},
			{"rel": "canonical", "href": meta, "mediaType": "application/json"},
			{"rel": "describes", "href": base + "/" + name}}})
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items,
		"links": []map[string]any{{"rel": "self", "href": base + "/metadata-catalog"}, {"rel": "canonical", "href": base + "/metadata-catalog"}}})
}

// resourceNames are the collections in the order of resourceSpecs, then
// queryResults.
func (s *Server) resourceNames() []string {
	var out []string
	for _, spec := range resourceSpecs {
		out = append(out, spec.name)
	}
	return append(out, "queryResults")
}

// handleResourceSchema serves one resource's description.
func (s *Server) handleResourceSchema(w http.ResponseWriter, r *http.Request, name, base string) {
	s.mu.Lock()
	res, ok := s.sc.byREST[strings.ToLower(name)]
	s.mu.Unlock()
	if !ok {
		s.fail(w, r, notFound("The resource metadata-catalog/"+name+" is not recognized"))
		return
	}
	meta := base + "/metadata-catalog/" + res.name
	props := map[string]any{}
	for _, n := range res.root.children {
		props[n.name] = s.propertySchema(res, n, base, true)
	}
	doc := map[string]any{
		"$schema": "http://json-schema.org/draft-04/schema#",
		"title":   res.name,
		"type":    "object",
		"properties": map[string]any{
			"items":   map[string]any{"type": "array", "items": map[string]any{"$ref": "#/definitions/singularResource"}},
			"hasMore": map[string]any{"type": "boolean"},
			"limit":   map[string]any{"type": "integer"},
			"offset":  map[string]any{"type": "integer"},
		},
		"definitions": map[string]any{"singularResource": map[string]any{
			"type": "object", "title": singular(res.name), "properties": props}},
		"links": []map[string]any{{"rel": "self", "href": meta}, {"rel": "canonical", "href": meta},
			{"rel": "describes", "href": base + "/" + res.name}},
	}
	ct := "application/schema+json"
	if !strings.Contains(r.Header.Get("Accept"), "schema+json") {
		ct = "application/json"
	}
	w.Header().Set("Content-Type", ct+"; charset=utf-8")
	writeJSONAs(w, http.StatusOK, doc)
}

// propertySchema describes one node of the object model.
func (s *Server) propertySchema(res *resource, n *node, base string, top bool) map[string]any {
	p := map[string]any{"label": label(n.name), "isAvailableForPOST": !n.readOnly, "isAvailableForPATCH": !n.readOnly}
	switch {
	case n.namedID:
		p["type"] = []string{"object", "null"}
		p["$ref"] = base + "/metadata-catalog/namedIDs"
		p["isEnumerable"] = true
		p["properties"] = map[string]any{"id": map[string]any{"type": "integer", "label": "ID"},
			"lookupName": map[string]any{"type": []string{"string", "null"}, "label": "Lookup Name"}}
	case n.ref != "":
		p["type"] = []string{"object", "null"}
		p["$ref"] = base + "/metadata-catalog/" + n.ref
		p["properties"] = map[string]any{"id": map[string]any{"type": "integer", "label": "ID"}}
	case len(n.children) > 0:
		props := map[string]any{}
		for _, c := range n.children {
			props[c.name] = s.propertySchema(res, c, base, false)
		}
		p["type"] = "object"
		p["properties"] = props
	default:
		p["type"] = plainType(n.name)
		if strings.HasSuffix(n.name, "Time") {
			p["format"] = "date-time"
		}
	}
	if top && res.lists[n.name] {
		item := p
		p = map[string]any{"type": "array", "label": item["label"], "items": item,
			"isAvailableForPOST": item["isAvailableForPOST"], "isAvailableForPATCH": item["isAvailableForPATCH"]}
		item["type"] = "object"
	}
	return p
}

// plainType is the JSON Schema type of a plain field of the demo model.
func plainType(name string) any {
	switch name {
	case "id", "durationSeconds":
		return "integer"
	}
	return []string{"string", "null"}
}

// label is a field's name as words: lookupName → Lookup Name.
func label(name string) string {
	var b strings.Builder
	for i, r := range name {
		if i == 0 {
			b.WriteRune(unicode.ToUpper(r))
			continue
		}
		if unicode.IsUpper(r) {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
	}
	switch out := b.String(); out {
	case "Id":
		return "ID"
	default:
		return out
	}
}
