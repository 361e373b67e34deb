package salesforce

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
)

// Parameterized Search (REST API v36.0 and later): the search string of a
// SOSL FIND clause plus parameters instead of the rest of the statement.
//
//	GET  /services/data/{v}/parameterizedSearch/?q=Acme&sobject=Account&Account.fields=id,name&Account.limit=10
//	POST /services/data/{v}/parameterizedSearch/ {"q":"Acme","fields":["Id"],"sobjects":[{"name":"Account","limit":10}],"in":"NAME"}
//
// Both answer {"searchRecords":[…]} like the Search resource and run on the
// same engine: a parameterized search is FIND {q} IN {in} FIELDS RETURNING
// {sobjects} LIMIT {overallLimit}. Knowledge, network, division, snippet,
// spell-correction and metadata parameters are accepted and ignored: the
// sandbox has no articles, sites or divisions.

// maxSearchParam is the documented maximum of defaultLimit, overallLimit and offset.
const maxSearchParam = 2000

// paramSearch is a parameterized search in either form, before validation.
type paramSearch struct {
	q            string
	fields       []string // global fields, for sobjects that name none
	sobjects     []paramSObject
	in           string
	overallLimit string
	defaultLimit string
	offset       string
}

// paramSObject is one sobject of the search with its own refinements.
type paramSObject struct {
	name    string
	fields  []string
	limit   string
	where   string
	orderBy string
}

// handleParamSearch serves GET and POST /services/data/{v}/parameterizedSearch/.
func (s *Server) handleParamSearch(w http.ResponseWriter, r *http.Request, version string) {
	var ps *paramSearch
	switch r.Method {
	case http.MethodGet, http.MethodHead:
		ps = paramSearchFromQuery(r.URL.Query())
	case http.MethodPost:
		var err *apiError
		if ps, err = paramSearchFromBody(r); err != nil {
			writeError(w, err)
			return
		}
	default:
		writeError(w, methodNotAllowed(r.Method, "GET,HEAD,POST"))
		return
	}
	if strings.TrimSpace(ps.q) == "" {
		writeError(w, badRequest("MALFORMED_SEARCH", "Missing required search parameter: q"))
		return
	}
	q, err := ps.compile()
	if err != nil {
		writeError(w, err)
		return
	}
	s.mu.Lock()
	recs, apiErr := s.search(q, version)
	s.mu.Unlock()
	if apiErr != nil {
		writeError(w, apiErr)
		return
	}
	resp := newObject()
	resp.set("searchRecords", recs)
	writeJSON(w, http.StatusOK, resp)
}

// paramSearchFromQuery reads the GET form: global parameters, repeated
// sobject=, and sobject-level parameters named {sobject}.{parameter}.
func paramSearchFromQuery(v url.Values) *paramSearch {
	ps := &paramSearch{q: v.Get("q"), in: v.Get("in"), overallLimit: v.Get("overallLimit"),
		defaultLimit: v.Get("defaultLimit"), offset: v.Get("offset")}
	if f := v.Get("fields"); f != "" {
		ps.fields = splitFields(f)
	}
	for _, name := range v["sobject"] {
		so := paramSObject{name: strings.TrimSpace(name)}
		for key, vals := range v {
			obj, param, ok := strings.Cut(key, ".")
			if !ok || !strings.EqualFold(obj, so.name) || len(vals) == 0 {
				continue
			}
			switch param {
			case "fields":
				so.fields = splitFields(vals[0])
			case "limit":
				so.limit = vals[0]
			case "where":
				so.where = vals[0]
			case "orderBy":
				so.orderBy = vals[0]
			}
		}
		ps.sobjects = append(ps.sobjects, so)
	}
	return ps
}

func splitFields(list string) []string {
	var out []string
	for _, f := range strings.Split(list, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// searchNumber is a limit or offset of the POST body: the documentation types
// them as strings, and clients send numbers as well, so both are taken.
type searchNumber string

func (n *searchNumber) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*n = searchNumber(s)
		return nil
	}
	var f json.Number
	if err := json.Unmarshal(b, &f); err != nil {
		return err
	}
	*n = searchNumber(f)
	return nil
}

// paramSearchBody is the POST form.
type paramSearchBody struct {
	Q            *string      `json:"q"`
	Fields       []string     `json:"fields"`
	In           string       `json:"in"`
	OverallLimit searchNumber `json:"overallLimit"`
	DefaultLimit searchNumber `json:"defaultLimit"`
	Offset       searchNumber `json:"offset"`
	SObjects     []struct {
		Name    string       `json:"name"`
		Fields  []string     `json:"fields"`
		Limit   searchNumber `json:"limit"`
		Where   string       `json:"where"`
		OrderBy string       `json:"orderBy"`
	} `json:"sobjects"`
}

func paramSearchFromBody(r *http.Request) (*paramSearch, *apiError) {
	raw, apiErr := decodeBody(r)
	if apiErr != nil {
		return nil, apiErr
	}
	b, _ := json.Marshal(raw)
	var body paramSearchBody
	if err := json.Unmarshal(b, &body); err != nil {
		return nil, badRequest("JSON_PARSER_ERROR", "Cannot deserialize the request body: %v", err)
	}
	ps := &paramSearch{fields: body.Fields, in: body.In, overallLimit: string(body.OverallLimit),
		defaultLimit: string(body.DefaultLimit), offset: string(body.Offset)}
	if body.Q != nil {
		ps.q = *body.Q
	}
	for _, so := range body.SObjects {
		ps.sobjects = append(ps.sobjects, paramSObject{name: strings.TrimSpace(so.Name), fields: so.Fields,
			limit: string(so.Limit), where: so.Where, orderBy: so.OrderBy})
	}
	return ps, nil
}

// compile turns the parameters into the SOSL statement they stand for.
func (ps *paramSearch) compile() (*Search, error) {
	q, err := ParseSOSL("FIND {" + escapeSearchString(ps.q) + "}")
	if err != nil {
		return nil, err
	}
	if ps.in != "" {
		switch group := strings.ToUpper(strings.TrimSpace(ps.in)); group {
		case "ALL", "NAME", "EMAIL", "PHONE", "SIDEBAR":
			q.In = group
		default:
			return nil, searchErr("Invalid value for parameter 'in': %s. Use one of ALL, NAME, EMAIL, PHONE or SIDEBAR.", ps.in)
		}
	}
	if q.Limit, err = searchParam("overallLimit", ps.overallLimit, -1); err != nil {
		return nil, err
	}
	defaultLimit, err := searchParam("defaultLimit", ps.defaultLimit, -1)
	if err != nil {
		return nil, err
	}
	offset, err := searchParam("offset", ps.offset, 0)
	if err != nil {
		return nil, err
	}
	if offset > 0 && len(ps.sobjects) != 1 {
		return nil, searchErr("offset requires exactly one sobject")
	}
	for _, so := range ps.sobjects {
		spec, err := so.compile(ps.fields, defaultLimit, offset)
		if err != nil {
			return nil, err
		}
		q.Returning = append(q.Returning, spec)
	}
	return q, nil
}

// compile is one sobject's RETURNING spec; its own fields and limit win
// over the global ones.
func (so paramSObject) compile(globalFields []string, defaultLimit, offset int) (Returning, error) {
	if so.name == "" {
		return Returning{}, searchErr("sobject name is required")
	}
	p, err := newParser(so.name, "MALFORMED_SEARCH")
	if err != nil {
		return Returning{}, err
	}
	name, err := p.name(false)
	if err != nil {
		return Returning{}, err
	}
	if p.tok.kind != tkEOF {
		return Returning{}, p.unexpected()
	}
	query := &Query{Entity: name, Fields: []string{"Id"}, Limit: defaultLimit, Offset: offset}
	fields := so.fields
	if len(fields) == 0 {
		fields = globalFields
	}
	if len(fields) > 0 {
		if query.Fields, err = parseFragment(strings.Join(fields, ","), (*parser).fieldList); err != nil {
			return Returning{}, err
		}
	}
	if query.Limit, err = searchParam(name+".limit", so.limit, defaultLimit); err != nil {
		return Returning{}, err
	}
	if strings.TrimSpace(so.where) != "" {
		if query.Where, err = parseFragment(so.where, (*parser).or); err != nil {
			return Returning{}, err
		}
	}
	if strings.TrimSpace(so.orderBy) != "" {
		// Parameterized search spells the nulls option NULLS_FIRST / NULLS_LAST.
		order := nullsUnderscore.ReplaceAllString(so.orderBy, "NULLS ")
		if query.OrderBy, err = parseFragment(order, (*parser).orderList); err != nil {
			return Returning{}, err
		}
	}
	return Returning{Entity: name, Query: query}, nil
}

// parseFragment parses a whole SOQL fragment (field list, condition, order)
// with one of the parser's productions.
func parseFragment[T any](src string, read func(*parser) (T, error)) (T, error) {
	var zero T
	p, err := newParser(src, "MALFORMED_SEARCH")
	if err != nil {
		return zero, err
	}
	v, err := read(p)
	if err != nil {
		return zero, err
	}
	if p.tok.kind != tkEOF {
		return zero, p.unexpected()
	}
	return v, nil
}

var nullsUnderscore = regexp.MustCompile(`(?i)\bNULLS_`)

// searchParam reads a non-negative count of at most 2000; def when absent.
func searchParam(name, v string, def int) (int, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, searchErr("Invalid value for parameter '%s': %s", name, v)
	}
	return min(n, maxSearchParam), nil
}

// escapeSearchString makes q the search query of a FIND clause: q is a plain
// search string, so SOSL's reserved characters are taken literally (a phone
// number like +1 (415) 555-0100 needs no escaping). Double quotes still make
// phrases, * and ? are still wildcards, and AND, OR and NOT still combine
// terms; an unbalanced quote is taken literally.
func escapeSearchString(q string) string {
	literalQuotes := strings.Count(q, `"`)%2 == 1
	var b strings.Builder
	for i := 0; i < len(q); i++ {
		c := q[i]
		if strings.IndexByte(soslReserved, c) >= 0 && (c != '"' || literalQuotes) {
			b.WriteByte('\\')
		}
		b.WriteByte(c)
	}
	return b.String()
}
