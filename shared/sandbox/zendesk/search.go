package zdsandbox

import (
	"cmp"
	"net/http"
	"net/url"
	"slices"
	"strconv"
)

// handleSearch serves GET /api/v2/search: the query syntax (see ParseQuery),
// over the search index (new and changed records after Options.IndexLag),
// sort_by/sort_order, offset paging with next_page, at most 1000 results
// (a page past them answers 422), results with result_type.
func (s *Server) handleSearch(w http.ResponseWriter, r *http.Request) {
	params := r.URL.Query()
	q, err := compile(params.Get("query"))
	if err != nil {
		writeError(w, http.StatusBadRequest, "invalid", "Sorry, your search query is invalid: "+err.Error(), nil)
		return
	}
	page, perPage, ok := s.paging(w, params)
	if !ok {
		return
	}
	if (page-1)*perPage >= searchCap {
		writeError(w, http.StatusUnprocessableEntity, "invalid", "Search results are limited to 1000 results; narrow the query", nil)
		return
	}
	type hit struct {
		k   kind
		rec *record
	}
	s.mu.Lock()
	var hits []hit
	for _, k := range kinds {
		for _, id := range s.order[k] {
			// The index's version: none for a record not indexed yet, the
			// old values of one changed within the lag.
			rec, indexed := s.searchable(k, s.records[k][id])
			if indexed && s.matches(k, rec, q) {
				hits = append(hits, hit{k, rec})
			}
		}
	}
	if by := params.Get("sort_by"); by != "" {
		desc := params.Get("sort_order") != "asc"
		slices.SortStableFunc(hits, func(a, b hit) int {
			var c int
			switch by {
			case "updated_at":
				c = a.rec.updated.Compare(b.rec.updated)
			case "created_at":
				c = a.rec.created.Compare(b.rec.created)
			case "status", "priority":
				order := statusOrder
				if by == "priority" {
					order = priorityOrder
				}
				as, _ := a.rec.attrs[by].(string)
				bs, _ := b.rec.attrs[by].(string)
				c = slices.Index(order, as) - slices.Index(order, bs)
			}
			if c == 0 {
				c = cmp.Compare(a.rec.id, b.rec.id)
			}
			if desc {
				return -c
			}
			return c
		})
	}
	total := len(hits)
	reachable := min(total, searchCap)
	start := min((page-1)*perPage, reachable)
	end := min(start+perPage, reachable)
	results := make([]any, 0, end-start)
	o := origin(r)
	for _, h := range hits[start:end] {
		v := h.rec.view(h.k, o)
		v["result_type"] = string(h.k)
		results = append(results, v)
	}
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"results": results, "facets": nil, "count": total,
		"next_page": pageURL(r, params, page+1, end < reachable), "previous_page": pageURL(r, params, page-1, page > 1)})
}

// paging reads page and per_page (default 100, capped by Options.PageSize).
func (s *Server) paging(w http.ResponseWriter, params url.Values) (page, perPage int, ok bool) {
	page, perPage = 1, s.opts.PageSize
	if v := params.Get("page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			writeError(w, http.StatusBadRequest, "InvalidPaginationParameter", "page must be a positive integer", nil)
			return 0, 0, false
		}
		page = n
	}
	if v := params.Get("per_page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			writeError(w, http.StatusBadRequest, "InvalidPaginationParameter", "per_page must be a positive integer", nil)
			return 0, 0, false
		}
		perPage = min(n, s.opts.PageSize)
	}
	return page, perPage, true
}

// pageURL is the absolute next_page/previous_page link, or nil.
func pageURL(r *http.Request, params url.Values, page int, exists bool) any {
	if !exists {
		return nil
	}
	p := url.Values{}
	for k, v := range params {
		p[k] = slices.Clone(v)
	}
	p.Set("page", strconv.Itoa(page))
	return origin(r) + r.URL.Path + ".json?" + p.Encode()
}
