package kustomer

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode"
)

// handleList is GET on a collection (Get customers, Get conversations,
// Get KObjects…): the records in creation order, paged with page and
// pageSize as the reference's links show (?page=1&pageSize=100).
func (s *Server) handleList(typ string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		pg, err := s.paging(r)
		if err != nil {
			writeError(w, err)
			return
		}
		klass := klassOf(r, typ)
		keep, path := listFilter(r, typ)
		s.mu.Lock()
		defer s.mu.Unlock()
		var list []*record
		for _, rec := range s.all(typ) {
			if rec.klass == klass && keep(rec) {
				list = append(list, rec)
			}
		}
		writeJSON(w, http.StatusOK, s.pageOf(list, pg, path))
	}
}

// handleKlasses is GET /v1/klasses: the org's Klasses (enabled), paged,
// each {"type":"klass","attributes":{"name","displayName","status",…}}.
func (s *Server) handleKlasses(w http.ResponseWriter, r *http.Request) {
	pg, err := s.paging(r)
	if err != nil {
		writeError(w, err)
		return
	}
	total := len(s.opts.Klasses)
	from := min((pg.page-1)*pg.size, total)
	to := min(from+pg.size, total)
	data := []any{}
	for i, name := range s.opts.Klasses[from:to] {
		id := klassID(from + i)
		data = append(data, map[string]any{"type": "klass", "id": id,
			"attributes": map[string]any{"name": name, "displayName": titleCase(name), "status": "enabled",
				"createdAt": "2024-03-01T12:00:00.000Z", "updatedAt": "2024-03-01T12:00:00.000Z"},
			"relationships": map[string]any{"org": relation("org", s.orgID, "/v1/orgs/"+s.orgID),
				"kobjects": map[string]any{"links": map[string]any{"self": "/v1/klasses/" + name}}},
			"links": map[string]any{"self": "/v1/klasses/" + id}})
	}
	link := func(p int) string {
		return "/v1/klasses?page=" + strconv.Itoa(p) + "&pageSize=" + strconv.Itoa(pg.size)
	}
	links := map[string]any{"self": link(pg.page), "first": link(1), "prev": nil, "next": nil}
	if pg.page > 1 {
		links["prev"] = link(pg.page - 1)
	}
	if to < total {
		links["next"] = link(pg.page + 1)
	}
	writeJSON(w, http.StatusOK, map[string]any{"meta": map[string]any{"pageSize": pg.size, "page": pg.page}, "data": data, "links": links})
}

func klassID(i int) string { return fmt.Sprintf("5826a39b0fcc2514%08x", i) }

// demoMetadata are the custom attributes the demo org defines, per
// metadata resource (the demo data uses them).
var demoMetadata = map[string][]string{
	typeCustomer:     {"tierStr", "jobTitleStr"},
	typeCompany:      {"industryStr", "employeesNum"},
	typeConversation: {"dispositionStr"},
	typeMessage:      {},
	"kobject.order":  {"totalNum", "statusStr"},
}

// handleMetadata is GET /v1/metadata/{resource} ("Get custom attribute
// metadata"; resource company, conversation, customer, message or
// kobject.{klass}): data.attributes.properties maps each custom attribute
// to its type and displayName. Kustomer documents the displayName default
// (the name title-cased without its suffix: totalOrdersNum → Total Orders)
// and the type of a Num attribute (number); the other type names are the
// sandbox's own choice.
func (s *Server) handleMetadata(w http.ResponseWriter, r *http.Request) {
	res := r.PathValue("resource")
	names, ok := demoMetadata[res]
	if k, isK := strings.CutPrefix(res, "kobject."); isK {
		if !slices.Contains(s.opts.Klasses, k) {
			writeError(w, notFound("Klass "+k+" not found"))
			return
		}
		ok = true
	}
	if !ok {
		writeError(w, badParam("resource", "resource must be company, conversation, customer, message or kobject.{name}"))
		return
	}
	props := map[string]any{}
	for _, n := range names {
		m := customKey.FindStringSubmatch(n)
		props[n] = map[string]any{"type": suffixTypes[m[1]], "displayName": titleCase(strings.TrimSuffix(n, m[1]))}
	}
	writeJSON(w, http.StatusOK, map[string]any{"data": map[string]any{"type": "metadata", "id": s.orgID + "-" + res,
		"attributes":    map[string]any{"properties": props},
		"relationships": map[string]any{"org": relation("org", s.orgID, "/v1/orgs/"+s.orgID)},
		"links":         map[string]any{"self": "/v1/metadata/" + res}}})
}

var suffixTypes = map[string]string{"Num": "number", "At": "date", "Str": "string", "Txt": "text", "Bool": "boolean", "Url": "url"}

// titleCase spells a camelCase or snake_case name as words: totalOrders →
// Total Orders, call_note → Call Note.
func titleCase(name string) string {
	var b strings.Builder
	up := true
	for _, r := range name {
		switch {
		case r == '_' || r == '-':
			b.WriteRune(' ')
			up = true
			continue
		case unicode.IsUpper(r) && b.Len() > 0:
			b.WriteRune(' ')
		}
		if up {
			r = unicode.ToUpper(r)
			up = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// listFilter is the filter of a list request and the path its page links
// keep it in. GET /v1/companies takes externalId (the company's unique
// external id) or filter (its name); the reference: "If you use both the
// externalId and filter query params, the request ignores both". Other
// lists take no filter.
func listFilter(r *http.Request, typ string) (keep func(*record) bool, path string) {
	all := func(*record) bool { return true }
	q := r.URL.Query()
	ext, name := q.Get("externalId"), q.Get("filter")
	if typ != typeCompany || (ext == "") == (name == "") {
		return all, r.URL.Path
	}
	if ext != "" {
		return func(rec *record) bool { return rec.attrs["externalId"] == ext },
			r.URL.Path + "?" + url.Values{"externalId": {ext}}.Encode()
	}
	return func(rec *record) bool {
		n, _ := rec.attrs["name"].(string)
		return strings.Contains(strings.ToLower(n), strings.ToLower(name))
	}, r.URL.Path + "?" + url.Values{"filter": {name}}.Encode()
}
