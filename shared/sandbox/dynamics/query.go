package dynamics

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// maxPageSize is Dataverse's largest page.
const maxPageSize = 5000

// query is a parsed set of query options.
type query struct {
	selects []string
	filter  Expr
	orderBy []orderKey
	top     int
	page    int
	expand  []expansion
}

type orderKey struct {
	column string
	desc   bool
}

var supportedOptions = map[string]bool{"$select": true, "$filter": true, "$orderby": true, "$top": true, "$skiptoken": true, "$expand": true}

// parseQuery reads the query options of a collection request strictly:
// anything Dataverse would refuse, or the sandbox does not serve, is a 400.
func (s *Server) parseQuery(t *table, raw url.Values, collection bool) (*query, error) {
	q := &query{page: 1}
	for name, vals := range raw {
		if !supportedOptions[name] || (!collection && name != "$select") {
			return nil, &queryError{code: codeSelect, msg: fmt.Sprintf("The query parameter '%s' is not supported.", name)}
		}
		if len(vals) > 1 {
			return nil, &queryError{code: codeQuery, msg: fmt.Sprintf("Query option '%s' was specified more than once, but it must be "+
				"specified at most once.", name)}
		}
	}
	if v, ok := raw["$select"]; ok {
		for _, c := range strings.Split(v[0], ",") {
			if _, ok := t.attrOf(c); !ok {
				return nil, &queryError{code: codeSelect, msg: fmt.Sprintf("Could not find a property named '%s' on type '%s'.", c, typeName(t))}
			}
			q.selects = append(q.selects, c)
		}
	}
	if v, ok := raw["$filter"]; ok {
		e, err := ParseFilter(v[0])
		if err != nil {
			return nil, err
		}
		if err := s.checkFilter(t, e); err != nil {
			return nil, err
		}
		q.filter = e
	}
	if v, ok := raw["$orderby"]; ok {
		keys, err := parseOrderBy(t, v[0])
		if err != nil {
			return nil, err
		}
		q.orderBy = keys
	}
	if v, ok := raw["$top"]; ok {
		n, err := strconv.Atoi(v[0])
		if err != nil || n < 0 {
			return nil, &queryError{code: codeQuery, msg: fmt.Sprintf("Invalid value '%s' for $top query option found. "+
				"The $top query option requires a non-negative integer value.", v[0])}
		}
		q.top = n
	}
	if v, ok := raw["$expand"]; ok {
		exps, err := s.parseExpand(t, v[0])
		if err != nil {
			return nil, err
		}
		q.expand = exps
	}
	if v, ok := raw["$skiptoken"]; ok {
		n, err := parseSkipToken(v[0])
		if err != nil {
			return nil, err
		}
		q.page = n
	}
	return q, nil
}

var orderItem = regexp.MustCompile(`^([A-Za-z_][A-Za-z0-9_]*)( +(asc|desc))?$`)

func parseOrderBy(t *table, v string) ([]orderKey, error) {
	var keys []orderKey
	for _, item := range strings.Split(v, ",") {
		m := orderItem.FindStringSubmatch(strings.TrimSpace(item))
		if m == nil {
			return nil, &queryError{code: codeQuery, msg: fmt.Sprintf("Syntax error at position 0 in '%s'.", item)}
		}
		if _, ok := t.attrOf(m[1]); !ok {
			return nil, propertyNotFound(t, m[1])
		}
		keys = append(keys, orderKey{column: m[1], desc: m[3] == "desc"})
	}
	return keys, nil
}

var pageNumber = regexp.MustCompile(`^<cookie pagenumber="([1-9][0-9]{0,6})" pagingcookie="[^"]*" istracking="False" />$`)

func parseSkipToken(tok string) (int, error) {
	m := pageNumber.FindStringSubmatch(tok)
	if m == nil {
		return 0, &queryError{code: codeQuery, msg: "The $skiptoken value is not a valid paging cookie."}
	}
	n, _ := strconv.Atoi(m[1])
	return n, nil
}

// skipToken is the paging cookie Dataverse puts in @odata.nextLink.
func skipToken(page int, pk, first, last string) string {
	inner := fmt.Sprintf(`<cookie page="%d"><%s last="{%s}" first="{%s}" /></cookie>`, page-1, pk, strings.ToUpper(last), strings.ToUpper(first))
	return fmt.Sprintf(`<cookie pagenumber="%d" pagingcookie="%s" istracking="False" />`, page, url.QueryEscape(url.QueryEscape(inner)))
}

// pageSize is what the client prefers (Prefer: odata.maxpagesize=n), within the sandbox's cap.
func (s *Server) pageSize(r *http.Request) (int, bool) {
	size, asked := maxPageSize, false
	for _, p := range strings.Split(r.Header.Get("Prefer"), ",") {
		v, ok := strings.CutPrefix(strings.TrimSpace(p), "odata.maxpagesize=")
		if n, err := strconv.Atoi(v); ok && err == nil && n > 0 && n <= maxPageSize {
			size, asked = n, true
		}
	}
	return min(size, s.opts.PageSize), asked
}

func (s *Server) handleQuery(w http.ResponseWriter, r *http.Request, t *table, version string) {
	s.queryRows(w, r, t, version, nil)
}

// queryRows answers a collection request on t; in, when set, narrows the
// rows to a filtered collection.
func (s *Server) queryRows(w http.ResponseWriter, r *http.Request, t *table, version string, in func(map[string]any) bool) {
	q, err := s.parseQuery(t, r.URL.Query(), true)
	if err != nil {
		writeError(w, err)
		return
	}
	size, asked := s.pageSize(r)
	s.mu.Lock()
	var hits []map[string]any
	for _, id := range s.order[t.logical] {
		rec := s.rows[t.logical][id]
		if (in == nil || in(rec)) && (q.filter == nil || s.match(t, rec, q.filter)) {
			hits = append(hits, rec)
		}
	}
	sortRows(t, hits, q.orderBy)
	if q.top > 0 && len(hits) > q.top {
		hits = hits[:q.top]
	}
	start := min((q.page-1)*size, len(hits))
	end := min(start+size, len(hits))
	if q.top > 0 {
		start, end = 0, len(hits)
	}
	page := make([]map[string]any, 0, end-start)
	for _, rec := range hits[start:end] {
		row := s.project(t, rec, q.selects)
		if len(q.expand) > 0 {
			id, _ := rec[t.pk].(string)
			s.expand(r, version, t, id, q.expand, row)
		}
		page = append(page, row)
	}
	s.mu.Unlock()
	body := map[string]any{"@odata.context": origin(r) + "/api/data/" + version + "/$metadata#" + contextOf(t, q, q.expand), "value": page}
	if end < len(hits) {
		first, _ := hits[start][t.pk].(string)
		last, _ := hits[end-1][t.pk].(string)
		body["@odata.nextLink"] = origin(r) + r.URL.Path + "?" + withSkipToken(r.URL.RawQuery, skipToken(q.page+1, t.pk, first, last))
	}
	if asked {
		w.Header().Set("Preference-Applied", fmt.Sprintf("odata.maxpagesize=%d", size))
	}
	writeJSON(w, http.StatusOK, body)
}

// withSkipToken keeps the client's query options as it sent them and
// replaces the paging cookie.
func withSkipToken(raw, tok string) string {
	var parts []string
	for _, p := range strings.Split(raw, "&") {
		if p != "" && !strings.HasPrefix(p, "$skiptoken=") && !strings.HasPrefix(p, "%24skiptoken=") {
			parts = append(parts, p)
		}
	}
	return strings.Join(append(parts, "$skiptoken="+strings.ReplaceAll(url.QueryEscape(tok), "+", "%20")), "&")
}

func sortRows(t *table, rows []map[string]any, keys []orderKey) {
	if len(keys) == 0 {
		return
	}
	slices.SortStableFunc(rows, func(a, b map[string]any) int {
		for _, k := range keys {
			at, _ := t.attrOf(k.column)
			c := compareForSort(columnValue(at.typ, a[k.column]), columnValue(at.typ, b[k.column]))
			if k.desc {
				c = -c
			}
			if c != 0 {
				return c
			}
		}
		return 0
	})
}

// compareForSort orders nulls first, as SQL Server does ascending.
func compareForSort(a, b any) int {
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		return -1
	case b == nil:
		return 1
	}
	c, _ := order(a, b)
	return c
}

func (s *Server) handleRetrieve(w http.ResponseWriter, r *http.Request, t *table, id, version string) {
	q, err := s.parseQuery(t, r.URL.Query(), false)
	if err != nil {
		writeError(w, err)
		return
	}
	s.mu.Lock()
	rec := s.rows[t.logical][id]
	var out map[string]any
	if rec != nil {
		out = s.project(t, rec, q.selects)
	}
	s.mu.Unlock()
	if out == nil {
		writeError(w, notFound(t, id))
		return
	}
	ctxName := t.set
	if len(q.selects) > 0 {
		ctxName += "(" + strings.Join(q.selects, ",") + ")"
	}
	out["@odata.context"] = origin(r) + "/api/data/" + version + "/$metadata#" + ctxName + "/$entity"
	writeJSON(w, http.StatusOK, out)
}

// project is a row as the Web API returns it: the selected columns (all
// when none are) plus the primary key and the row version as @odata.etag.
func (s *Server) project(t *table, rec map[string]any, selects []string) map[string]any {
	out := map[string]any{"@odata.etag": etag(rec)}
	cols := selects
	if len(cols) == 0 {
		for name := range t.attrs {
			cols = append(cols, name)
		}
	}
	for _, c := range cols {
		out[c] = rec[c]
	}
	out[t.pk] = rec[t.pk]
	return out
}
