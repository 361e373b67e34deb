package oracle

import (
	"encoding/json"
	"fmt"
	"maps"
	"strings"
	"time"

	"github.com/crmflow/crmflow/shared/phone"
)

// record is one object as the sandbox keeps it: model field names, named
// IDs as {"id","lookupName"}, references as {"id"}, lists as []any, and
// ids as int64.
type record map[string]any

func (r record) id() int64 {
	id, _ := r["id"].(int64)
	return id
}

const stampLayout = "2006-01-02T15:04:05Z"

// writeError is a refused write: the detail goes into an OSC-CREST-00006
// answer, or for a property the resource does not have into the site's
// 400 OSC-CREST-00013 "Unrecognized resource" answer.
type writeError struct {
	detail  string
	unknown bool
}

func (e *writeError) Error() string { return e.detail }

func refuse(format string, args ...any) *writeError {
	return &writeError{detail: fmt.Sprintf(format, args...)}
}

// unknownProperty is the site's refusal of a property the resource does
// not have: "Invalid property specified: test" (REAL: osvc_ruby
// spec/fixtures/connect/post_or_patch/should_take_at_least_a_config_parameter_that_is_an_instance_of_an_oscruby.yml).
func unknownProperty(path string) *writeError {
	return &writeError{detail: "Invalid property specified: " + path, unknown: true}
}

// problem is the answer for a refused write.
func (e *writeError) problem() problem {
	if e.unknown {
		return problem{status: 400, code: CodeNotFound, title: "Unrecognized resource", detail: e.detail}
	}
	return writeFailed(e.detail)
}

// normalizeBody checks a create or update body against the resource's
// fields and turns it into stored form. s.mu is held.
func (s *Server) normalizeBody(res *resource, body map[string]any) (record, *writeError) {
	out := record{}
	for k, v := range body {
		n := res.root.child(k)
		if n == nil {
			return nil, unknownProperty(k)
		}
		if n.readOnly {
			return nil, refuse("Property %q is read-only", n.name)
		}
		// The REST binding takes an incident's primary contact as {"id"};
		// the model keeps it as PrimaryContact.ParentContact.
		if res.name == "incidents" && n.name == "primaryContact" {
			if m, ok := v.(map[string]any); ok && (m["id"] != nil || m["lookupName"] != nil) {
				v = map[string]any{"parentContact": m}
			}
		}
		if res.lists[n.name] {
			list, ok := v.([]any)
			if !ok {
				return nil, refuse("Property %q must be an array", n.name)
			}
			items := make([]any, 0, len(list))
			for _, item := range list {
				nv, err := s.normalize(n, item, n.name)
				if err != nil {
					return nil, err
				}
				items = append(items, nv)
			}
			out[n.name] = items
			continue
		}
		nv, err := s.normalize(n, v, n.name)
		if err != nil {
			return nil, err
		}
		out[n.name] = nv
	}
	return out, nil
}

func (s *Server) normalize(n *node, v any, path string) (any, *writeError) {
	switch {
	case n.namedID:
		return normalizeNamed(n, v, path)
	case n.ref != "":
		m, ok := v.(map[string]any)
		if !ok {
			return nil, refuse("Property %q must be an object with an id", path)
		}
		target := s.sc.byREST[strings.ToLower(n.ref)]
		id, ok := asID(m["id"])
		if !ok {
			return nil, refuse("Property %q must be an object with an id", path)
		}
		if _, found := s.records[target.name][id]; !found {
			return nil, refuse("Invalid ID: No such %s with ID = %d", singular(target.name), id)
		}
		return map[string]any{"id": id}, nil
	case len(n.children) > 0:
		m, ok := v.(map[string]any)
		if !ok {
			return nil, refuse("Property %q must be an object", path)
		}
		out := map[string]any{}
		for k, cv := range m {
			c := n.child(k)
			if c == nil {
				return nil, unknownProperty(path + "." + k)
			}
			if c.readOnly {
				return nil, refuse("Property %q is read-only", path+"."+c.name)
			}
			nv, err := s.normalize(c, cv, path+"."+c.name)
			if err != nil {
				return nil, err
			}
			out[c.name] = nv
		}
		return out, nil
	}
	switch x := v.(type) {
	case nil, string, bool:
		return x, nil
	case json.Number:
		if i, err := x.Int64(); err == nil {
			return i, nil
		}
		f, _ := x.Float64()
		return f, nil
	case float64:
		return x, nil
	}
	return nil, refuse("Property %q must be a plain value", path)
}

func normalizeNamed(n *node, v any, path string) (any, *writeError) {
	m, ok := v.(map[string]any)
	if !ok {
		return nil, refuse("Property %q must be an object with an id or lookupName", path)
	}
	table := namedValues[strings.ToLower(n.name)]
	if id, ok := asID(m["id"]); ok {
		name, known := table[int(id)]
		if table != nil && !known {
			return nil, refuse("Invalid ID: No such %s with ID = %d", n.name, id)
		}
		return map[string]any{"id": id, "lookupName": name}, nil
	}
	if name, ok := m["lookupName"].(string); ok {
		for id, ln := range table {
			if strings.EqualFold(ln, name) {
				return map[string]any{"id": int64(id), "lookupName": ln}, nil
			}
		}
		return nil, refuse("Invalid lookupName %q for %s", name, path)
	}
	return nil, refuse("Property %q must be an object with an id or lookupName", path)
}

func asID(v any) (int64, bool) {
	switch x := v.(type) {
	case json.Number:
		i, err := x.Int64()
		return i, err == nil && i >= 0
	case float64:
		return int64(x), x >= 0 && x == float64(int64(x))
	case int64:
		return x, x >= 0
	case int:
		return int64(x), x >= 0
	}
	return 0, false
}

func singular(resource string) string {
	switch resource {
	case "contacts":
		return "Contact"
	case "organizations":
		return "Organization"
	case "incidents":
		return "Incident"
	case "tasks":
		return "Task"
	}
	return resource
}

// insert stores a new record of res from a normalized body. s.mu is held.
func (s *Server) insert(res *resource, body record) record {
	s.seq++
	now := s.now().UTC()
	rec := maps.Clone(body)
	rec["id"] = s.nextID[res.name] + 1
	s.nextID[res.name]++
	stamp := now.Format(stampLayout)
	rec["createdTime"], rec["updatedTime"] = stamp, stamp
	if res.name == "incidents" {
		ref := fmt.Sprintf("%s-%06d", now.Format("060102"), rec.id())
		rec["referenceNumber"] = ref
		if rec["statusWithType"] == nil {
			rec["statusWithType"] = map[string]any{"status": map[string]any{"id": int64(1), "lookupName": "Unresolved"}}
		}
	}
	s.derive(res, rec, now)
	if s.records[res.name] == nil {
		s.records[res.name] = map[int64]record{}
	}
	s.records[res.name][rec.id()] = rec
	s.order[res.name] = append(s.order[res.name], rec.id())
	return rec
}

// patch writes a normalized body into a record: lists the model appends to
// (threads, notes) grow, others are replaced. s.mu is held.
func (s *Server) patch(res *resource, rec record, body record) {
	now := s.now().UTC()
	for k, v := range body {
		if res.appendLists[k] {
			old, _ := rec[k].([]any)
			rec[k] = append(old, v.([]any)...)
			continue
		}
		if m, ok := v.(map[string]any); ok {
			if old, ok := rec[k].(map[string]any); ok && len(old) > 0 && m["id"] == nil {
				merged := maps.Clone(old)
				maps.Copy(merged, m)
				v = merged
			}
		}
		rec[k] = v
	}
	rec["updatedTime"] = now.Format(stampLayout)
	s.derive(res, rec, now)
}

// derive fills the fields the site computes: lookup names, raw phone
// numbers, incident status types and closed times, thread stamps.
func (s *Server) derive(res *resource, rec record, now time.Time) {
	switch res.name {
	case "contacts":
		name, _ := rec["name"].(map[string]any)
		first, _ := name["first"].(string)
		last, _ := name["last"].(string)
		rec["lookupName"] = strings.TrimSpace(first + " " + last)
		phones, _ := rec["phones"].([]any)
		for _, p := range phones {
			if m, ok := p.(map[string]any); ok {
				n, _ := m["number"].(string)
				m["rawNumber"] = phone.Digits(n)
			}
		}
	case "organizations":
		rec["lookupName"], _ = rec["name"].(string)
	case "incidents":
		rec["lookupName"] = rec["referenceNumber"]
		sw, _ := rec["statusWithType"].(map[string]any)
		if st, ok := sw["status"].(map[string]any); ok {
			id, _ := st["id"].(int64)
			t := int64(statusType[int(id)])
			sw["statusType"] = map[string]any{"id": t, "lookupName": namedValues["statustype"][int(t)]}
			if t == 2 && rec["closedTime"] == nil {
				rec["closedTime"] = now.Format(stampLayout)
			}
		}
	case "tasks":
		rec["lookupName"], _ = rec["name"].(string)
	default:
		if rec["lookupName"] == nil {
			rec["lookupName"] = fmt.Sprint(rec["id"])
		}
	}
	for _, list := range []string{"threads", "notes"} {
		items, _ := rec[list].([]any)
		for i, it := range items {
			if m, ok := it.(map[string]any); ok && m["createdTime"] == nil {
				m["createdTime"] = now.Format(stampLayout)
				if list == "threads" {
					m["id"] = int64(i + 1)
					if m["entryType"] == nil {
						m["entryType"] = map[string]any{"id": int64(1), "lookupName": "Note"}
					}
				}
			}
		}
	}
}

// render is a record as the REST binding answers it: references and the
// incident's primary contact as {"id"} objects with links, plus the
// record's own links.
func (s *Server) render(res *resource, rec record, base string) map[string]any {
	out := map[string]any{}
	for k, v := range rec {
		out[k] = v
	}
	if pc, ok := rec["primaryContact"].(map[string]any); ok {
		out["primaryContact"] = pc["parentContact"]
	}
	self := fmt.Sprintf("%s/%s/%d", base, res.name, rec.id())
	out["links"] = []map[string]any{{"rel": "self", "href": self}, {"rel": "canonical", "href": self},
		{"rel": "describedby", "href": base + "/metadata-catalog/" + res.name, "mediaType": "application/schema+json"}}
	return out
}
