package dynamics

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
)

// collection is a collection-valued navigation property: the rows of a
// table whose lookup points at the row.
type collection struct {
	from   string // the referencing table's logical name
	lookup string // its lookup column
}

// collectionNavs are the collection-valued navigation properties the
// sandbox serves, by the referenced table's logical name: the one-to-many
// relationships of its tables whose names the table reference documents
// (reference/entities/contact.md and account.md: incident_customer_contacts
// and incident_customer_accounts, ReferencingAttribute customerid; the
// navigation property is named as the relationship).
var collectionNavs = map[string]map[string]collection{
	"contact": {"incident_customer_contacts": {from: "incident", lookup: "customerid"}},
	"account": {"incident_customer_accounts": {from: "incident", lookup: "customerid"}},
}

// expansion is one item of a $expand.
type expansion struct {
	nav    string
	coll   collection
	target *table
	q      *query
	// options are the expand options as a query string, for the
	// <nav>@odata.nextLink of the filtered collection.
	options string
}

var navName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// expandOptions are the options Dataverse takes inside $expand of a
// collection-valued navigation property (join-tables.md); $skip, $count,
// $search and $levels are not supported there.
var expandOptions = map[string]bool{"$select": true, "$filter": true, "$orderby": true, "$top": true}

// parseExpand reads a $expand of collection-valued navigation properties
// with their options in parentheses, separated by semicolons:
// incident_customer_contacts($select=title;$filter=statecode eq 0;$orderby=modifiedon desc;$top=5).
// A single level only: a nested $expand, single-valued navigation
// properties and /$ref are not served.
func (s *Server) parseExpand(t *table, v string) ([]expansion, error) {
	items, err := splitTop(v, ',')
	if err != nil {
		return nil, err
	}
	var out []expansion
	for _, item := range items {
		name, opts, hasOpts := strings.Cut(strings.TrimSpace(item), "(")
		if hasOpts {
			if !strings.HasSuffix(opts, ")") {
				return nil, &queryError{code: codeQuery, msg: fmt.Sprintf("Syntax error at position %d in '%s'.", len(v), v)}
			}
			opts = strings.TrimSuffix(opts, ")")
		}
		if strings.Contains(name, "/") {
			return nil, &queryError{code: codeQuery, msg: "Expand with $ref is only supported on lookup type navigation property."}
		}
		if !navName.MatchString(name) {
			return nil, &queryError{code: codeQuery, msg: fmt.Sprintf("Syntax error at position 0 in '%s'.", item)}
		}
		coll, ok := collectionNavs[t.logical][name]
		if !ok {
			if _, single := t.navs[name]; single {
				return nil, &queryError{code: codeSelect, msg: fmt.Sprintf("The sandbox does not serve $expand of the single-valued "+
					"navigation property '%s'.", name)}
			}
			return nil, propertyNotFound(t, name)
		}
		target, _ := s.tableByLogical(coll.from)
		vals := url.Values{}
		if hasOpts && strings.TrimSpace(opts) != "" {
			parts, err := splitTop(opts, ';')
			if err != nil {
				return nil, err
			}
			for _, p := range parts {
				k, val, ok := strings.Cut(strings.TrimSpace(p), "=")
				switch {
				case !ok:
					return nil, &queryError{code: codeQuery, msg: fmt.Sprintf("Syntax error at position 0 in '%s'.", p)}
				case k == "$expand":
					return nil, &queryError{code: codeSelect, msg: "The sandbox does not serve a nested $expand."}
				case !expandOptions[k]:
					return nil, &queryError{code: codeQuery, msg: fmt.Sprintf("The query option '%s' is not supported in $expand.", k)}
				case vals.Has(k):
					return nil, &queryError{code: codeQuery, msg: fmt.Sprintf("Query option '%s' was specified more than once, but it "+
						"must be specified at most once.", k)}
				}
				vals.Set(k, val)
			}
		}
		q, err := s.parseQuery(target, vals, true)
		if err != nil {
			return nil, err
		}
		var enc []string
		for _, k := range []string{"$select", "$filter", "$orderby", "$top"} {
			if vals.Has(k) {
				enc = append(enc, k+"="+strings.ReplaceAll(url.QueryEscape(vals.Get(k)), "+", "%20"))
			}
		}
		out = append(out, expansion{nav: name, coll: coll, target: target, q: q, options: strings.Join(enc, "&")})
	}
	return out, nil
}

// splitTop splits s at sep outside parentheses and string literals.
func splitTop(s string, sep byte) ([]string, error) {
	var out []string
	depth, quoted, start := 0, false, 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\'':
			quoted = !quoted // a doubled quote toggles twice
		case quoted:
		case c == '(':
			depth++
		case c == ')':
			depth--
			if depth < 0 {
				return nil, &queryError{code: codeQuery, msg: fmt.Sprintf("Syntax error at position %d in '%s'.", i, s)}
			}
		case c == sep && depth == 0:
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	if depth != 0 || quoted {
		return nil, &queryError{code: codeQuery, msg: fmt.Sprintf("Syntax error at position %d in '%s'.", len(s), s)}
	}
	return append(out, s[start:]), nil
}

// expand adds the expanded collections of the row id to out, the caller
// holding s.mu: the matching rows, ordered and cut to $top, not paged (a
// single-level $expand pages only the outer collection), each with the
// referencing lookup's _x_value as Dataverse adds it, and
// <nav>@odata.nextLink naming the filtered collection with the options,
// without paging information (join-tables.md).
func (s *Server) expand(r *http.Request, version string, t *table, id string, exps []expansion, out map[string]any) {
	for _, e := range exps {
		var rows []map[string]any
		for _, rid := range s.order[e.target.logical] {
			rec := s.rows[e.target.logical][rid]
			if !pointsAt(rec, e.coll.lookup, t.logical, id) || (e.q.filter != nil && !s.match(e.target, rec, e.q.filter)) {
				continue
			}
			rows = append(rows, rec)
		}
		sortRows(e.target, rows, e.q.orderBy)
		limit := maxPageSize
		if e.q.top > 0 {
			limit = min(e.q.top, limit)
		}
		rows = rows[:min(len(rows), limit)]
		list := make([]map[string]any, 0, len(rows))
		for _, rec := range rows {
			row := s.project(e.target, rec, e.q.selects)
			row[lookupKey(e.coll.lookup)] = rec[lookupKey(e.coll.lookup)]
			list = append(list, row)
		}
		out[e.nav] = list
		next := origin(r) + "/api/data/" + version + "/" + t.set + "(" + id + ")/" + e.nav
		if e.options != "" {
			next += "?" + e.options
		}
		out[e.nav+"@odata.nextLink"] = next
	}
}

// pointsAt reports whether rec's lookup names the row id of the table.
func pointsAt(rec map[string]any, lookup, logical, id string) bool {
	v, _ := rec[lookupKey(lookup)].(string)
	typ, _ := rec[lookupKey(lookup)+lookupTypeSuffix].(string)
	return v != "" && strings.EqualFold(v, id) && typ == logical
}

// contextOf is the @odata.context selection: the columns, then each
// expansion with its own.
func contextOf(t *table, q *query, exps []expansion) string {
	items := append([]string{}, q.selects...)
	for _, e := range exps {
		items = append(items, e.nav+"("+strings.Join(e.q.selects, ",")+")")
	}
	if len(items) == 0 {
		return t.set
	}
	return t.set + "(" + strings.Join(items, ",") + ")"
}

// handleCollection serves GET {set}({id})/{nav}: the rows of a
// collection-valued navigation property of one row, a filtered collection
// with the usual query options (query-data-web-api.md, "Filtered
// collections"; what <nav>@odata.nextLink names).
func (s *Server) handleCollection(w http.ResponseWriter, r *http.Request, t *table, id, nav, version string) {
	coll, ok := collectionNavs[t.logical][nav]
	if !ok {
		writeError(w, segmentNotFound(nav))
		return
	}
	if r.Method != http.MethodGet {
		writeError(w, methodNotAllowed(r.Method))
		return
	}
	s.mu.Lock()
	exists := s.rows[t.logical][id] != nil
	s.mu.Unlock()
	if !exists {
		writeError(w, notFound(t, id))
		return
	}
	target, _ := s.tableByLogical(coll.from)
	s.queryRows(w, r, target, version, func(rec map[string]any) bool { return pointsAt(rec, coll.lookup, t.logical, id) })
}
