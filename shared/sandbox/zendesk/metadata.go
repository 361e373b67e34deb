package zdsandbox

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// The account's field lists, its current user and its record lists, as
// the Support API reference documents them: GET /api/v2/users/me, GET
// /api/v2/ticket_fields (system and custom fields), /api/v2/user_fields
// and /api/v2/organization_fields (custom fields only), and the lists of
// users, tickets and organizations with offset (page, per_page) or cursor
// (page[size], page[after]) pagination.

// fieldDef is one ticket, user or organization field.
type fieldDef struct {
	id          int64
	typ, key    string
	title       string
	description string
	system      bool
}

// systemTicketFields are the system fields every account's ticket_fields
// list holds (types as Zendesk names them: tickettype is the Type field).
var systemTicketFields = []fieldDef{
	{typ: "subject", title: "Subject", system: true},
	{typ: "description", title: "Description", description: "Please enter the details of your request.", system: true},
	{typ: "status", title: "Status", description: "Request status", system: true},
	{typ: "tickettype", title: "Type", description: "Request type", system: true},
	{typ: "priority", title: "Priority", description: "Request priority", system: true},
	{typ: "group", title: "Group", description: "Request group", system: true},
	{typ: "assignee", title: "Assignee", description: "Agent assigned to your request", system: true},
}

// defineFields stores the account's field lists; the caller is New.
func (s *Server) defineFields() {
	for i, f := range systemTicketFields {
		f.id = 360011737434 + int64(i)*20
		s.ticketFields = append(s.ticketFields, f)
	}
	if s.opts.Empty {
		return
	}
	// The demo's custom fields: a ticket field by id (custom_fields.360001),
	// a user field and an organization field by key.
	s.ticketFields = append(s.ticketFields, fieldDef{id: 360001, typ: "text", title: "Support tier", description: "Tier of the caller's plan"})
	s.userFields = append(s.userFields, fieldDef{id: 7, typ: "text", key: "job_title", title: "Job title", description: "The user's role at their company"})
	s.orgFields = append(s.orgFields, fieldDef{id: 9170294642017, typ: "text", key: "account_tier", title: "Account tier", description: "Commercial tier"})
}

func (f fieldDef) view(r *http.Request, list string, position int, stamp string) map[string]any {
	v := map[string]any{"url": fmt.Sprintf("%s/api/v2/%s/%d.json", origin(r), list, f.id), "id": f.id, "type": f.typ,
		"title": f.title, "raw_title": f.title, "description": f.description, "raw_description": f.description,
		"position": position, "active": true, "regexp_for_validation": nil, "created_at": stamp, "updated_at": stamp}
	if list == "ticket_fields" {
		v["required"], v["removable"] = false, !f.system
		v["title_in_portal"], v["visible_in_portal"], v["editable_in_portal"] = f.title, f.system, f.system
		v["tag"], v["agent_description"] = nil, nil
	} else {
		v["key"] = f.key
	}
	return v
}

// handleFields serves one field list; ticket fields answer unpaginated
// (every field, as the reference says of a request without paging
// parameters), user and organization fields with offset paging fields.
func (s *Server) handleFields(list string, defs func() []fieldDef) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		all := defs()
		s.mu.Unlock()
		stamp := s.opts.Now().UTC().Add(-24 * time.Hour).Truncate(24 * time.Hour).Format(stampLayout)
		out := make([]any, 0, len(all))
		for i, f := range all {
			out = append(out, f.view(r, list, i, stamp))
		}
		body := map[string]any{list: out, "next_page": nil, "previous_page": nil, "count": len(out)}
		writeJSON(w, http.StatusOK, body)
	}
}

// handleMe serves GET /api/v2/users/me: the user the credentials belong to.
func (s *Server) handleMe(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec := s.records[kindUser][s.agentID]
	v := rec.view(kindUser, origin(r))
	v["authenticity_token"] = "crmflow-sandbox-csrf"
	writeJSON(w, http.StatusOK, map[string]any{"user": v})
}

// handleList serves GET /api/v2/{users,tickets,organizations}: offset
// pagination (page, per_page → next_page, previous_page, count) or cursor
// pagination when page[size] is given (→ meta.has_more, after_cursor,
// before_cursor and links.next, links.prev). Tickets also take
// ?external_id= (read from the database, so consistent at once, unlike
// search).
func (s *Server) handleList(k kind) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		params := r.URL.Query()
		ext, byExt := params["external_id"]
		byExt = byExt && k == kindTicket
		s.mu.Lock()
		var all []any
		for _, id := range s.order[k] {
			rec := s.records[k][id]
			if byExt && rec.attrs["external_id"] != ext[0] {
				continue
			}
			all = append(all, rec.view(k, origin(r)))
		}
		s.mu.Unlock()
		if params.Has("page[size]") || params.Has("page[after]") || params.Has("page[before]") {
			page, ok := s.cursorPage(w, r, params, all)
			if !ok {
				return
			}
			page[k.plural()] = page["items"]
			delete(page, "items")
			writeJSON(w, http.StatusOK, page)
			return
		}
		page, perPage, ok := s.paging(w, params)
		if !ok {
			return
		}
		start := min((page-1)*perPage, len(all))
		end := min(start+perPage, len(all))
		writeJSON(w, http.StatusOK, map[string]any{k.plural(): append([]any{}, all[start:end]...), "count": len(all),
			"next_page": pageURL(r, params, page+1, end < len(all)), "previous_page": pageURL(r, params, page-1, page > 1)})
	}
}

// cursorPage cuts one cursor page out of items: page[size] (1 to 100,
// default 100, capped by Options.PageSize) after the page[after] cursor or
// before page[before] (the two together are refused). The sandbox's
// cursors are opaque to clients (positions, encoded); the answer holds the
// page under "items" for the caller to rename.
func (s *Server) cursorPage(w http.ResponseWriter, r *http.Request, params url.Values, items []any) (map[string]any, bool) {
	size := s.opts.PageSize
	if v := params.Get("page[size]"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 100 {
			writeError(w, http.StatusBadRequest, "InvalidPaginationParameter", "page[size] must be between 1 and 100", nil)
			return nil, false
		}
		size = min(n, s.opts.PageSize)
	}
	after, before := params.Get("page[after]"), params.Get("page[before]")
	if after != "" && before != "" {
		writeError(w, http.StatusBadRequest, "InvalidPaginationParameter", "page[before] and page[after] can't be used together", nil)
		return nil, false
	}
	start, end := 0, min(size, len(items))
	decode := func(c string) (int, bool) {
		n, err := strconv.Atoi(c)
		return n, err == nil && n >= 0 && n <= len(items)
	}
	switch {
	case after != "":
		n, ok := decode(after)
		if !ok {
			writeError(w, http.StatusBadRequest, "InvalidPaginationParameter", "page[after] is not a valid cursor", nil)
			return nil, false
		}
		start, end = n, min(n+size, len(items))
	case before != "":
		n, ok := decode(before)
		if !ok {
			writeError(w, http.StatusBadRequest, "InvalidPaginationParameter", "page[before] is not a valid cursor", nil)
			return nil, false
		}
		start, end = max(n-size, 0), n
	}
	link := func(param string, at int, exists bool) any {
		if !exists {
			return nil
		}
		p := url.Values{}
		for k, v := range params {
			if k != "page[after]" && k != "page[before]" {
				p[k] = v
			}
		}
		p.Set(param, strconv.Itoa(at))
		return origin(r) + r.URL.Path + ".json?" + p.Encode()
	}
	var afterCursor, beforeCursor any
	if end > start {
		afterCursor, beforeCursor = strconv.Itoa(end), strconv.Itoa(start)
	}
	return map[string]any{"items": append([]any{}, items[start:end]...),
		"meta":  map[string]any{"has_more": end < len(items), "after_cursor": afterCursor, "before_cursor": beforeCursor},
		"links": map[string]any{"next": link("page[after]", end, end < len(items)), "prev": link("page[before]", start, start > 0)}}, true
}
