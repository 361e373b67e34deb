package zdsandbox

import (
	"net/http"
	"reflect"
	"slices"
)

// auditSkip are ticket attributes an audit does not list as events: the
// ones Zendesk derives (raw_subject, description from the first comment)
// or keeps elsewhere (via is the audit's own via).
var auditSkip = []string{"raw_subject", "description", "via"}

// audit stores the audit of a ticket write and returns a copy of it, as
// the create and update answers carry it: one Create event per attribute
// set on a new ticket (before nil), one Change event per attribute an
// update changed (field_name, value, previous_value; tags as lists), and
// a Comment event for the write's comment, which is also the ticket's new
// comment (same id). The caller holds s.mu. Sources: Ticket Audits JSON
// format and the Ticket Audit events reference (Create, Change, Comment
// events), developer.zendesk.com.
func (s *Server) audit(ticket *record, author int64, before map[string]any, comment *newComment) map[string]any {
	s.auditSeq++
	auditID := 25000000000 + s.auditSeq
	at := s.now().Format(stampLayout)
	var events []any
	event := func(e map[string]any) {
		s.eventSeq++
		e["id"] = 26000000000 + s.eventSeq
		events = append(events, e)
	}
	if comment != nil && comment.body != "" {
		s.eventSeq++
		id := 26000000000 + s.eventSeq
		c := map[string]any{"id": id, "type": "Comment", "author_id": author, "body": comment.body,
			"html_body": "<div class=\"zd-comment\"><p>" + comment.body + "</p></div>", "plain_body": comment.body,
			"public": comment.public, "attachments": []any{}, "audit_id": auditID, "created_at": at,
			"via": map[string]any{"channel": "api"}}
		s.comments[ticket.id] = append(s.comments[ticket.id], c)
		e := clone(c).(map[string]any)
		delete(e, "created_at")
		events = append(events, e)
	}
	for _, key := range sortedAttrs(ticket.attrs) {
		if slices.Contains(auditSkip, key) {
			continue
		}
		now := ticket.attrs[key]
		switch {
		case before == nil:
			if empty(now) {
				continue
			}
			event(map[string]any{"type": "Create", "field_name": key, "value": clone(now)})
		case !reflect.DeepEqual(before[key], now):
			event(map[string]any{"type": "Change", "field_name": key, "value": clone(now), "previous_value": clone(before[key])})
		}
	}
	a := map[string]any{"id": auditID, "ticket_id": ticket.id, "created_at": at, "author_id": author,
		"metadata": map[string]any{"system": map[string]any{}, "custom": map[string]any{}},
		"via":      map[string]any{"channel": "api", "source": map[string]any{"from": map[string]any{}, "to": map[string]any{}, "rel": nil}},
		"events":   events}
	if events == nil {
		a["events"] = []any{}
	}
	s.audits[ticket.id] = append(s.audits[ticket.id], a)
	return clone(a).(map[string]any)
}

// empty is an attribute value a new ticket has not set.
func empty(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case []any:
		return len(x) == 0
	case map[string]any:
		return len(x) == 0
	}
	return false
}

func sortedAttrs(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// handleAudits serves GET /api/v2/tickets/{id}/audits, oldest first, read
// from the database (consistent at once, unlike search): offset
// pagination (page, per_page up to 100 → next_page, previous_page, count)
// or cursor pagination when page[size] is given (meta.has_more,
// links.next) — OAS ListAuditsForTicket ("Cursor pagination
// (recommended), Offset pagination … a maximum of 100 records per page").
func (s *Server) handleAudits(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	rec, ok := s.find(kindTicket, r.PathValue("id"))
	var all []any
	if ok {
		for _, a := range s.audits[rec.id] {
			all = append(all, clone(a))
		}
	}
	s.mu.Unlock()
	if !ok {
		notFound(w)
		return
	}
	params := r.URL.Query()
	if params.Has("page[size]") || params.Has("page[after]") || params.Has("page[before]") {
		page, ok := s.cursorPage(w, r, params, all)
		if !ok {
			return
		}
		page["audits"] = page["items"]
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
	writeJSON(w, http.StatusOK, map[string]any{"audits": append([]any{}, all[start:end]...), "count": len(all),
		"next_page": pageURL(r, params, page+1, end < len(all)), "previous_page": pageURL(r, params, page-1, page > 1)})
}
