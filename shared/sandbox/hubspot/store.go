package hubspot

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"time"
)

// stampLayout is how HubSpot writes date-times: UTC with milliseconds.
const stampLayout = "2006-01-02T15:04:05.000Z"

// object is one stored record; unset properties are absent from props.
type object struct {
	id      string
	props   map[string]string
	created time.Time
	updated time.Time
}

type objKey struct{ typ, id string }

// newID hands out increasing record ids with gaps, as HubSpot's look; the
// caller holds s.mu (or is New).
func (s *Server) newID() string {
	s.nextID += 1 + s.rng.Int64N(37)
	return strconv.FormatInt(s.nextID, 10)
}

// insert stores a record of t with already validated properties; the
// caller holds s.mu.
func (s *Server) insert(t *objectType, props map[string]string, at time.Time) *object {
	o := &object{id: s.newID(), props: map[string]string{}, created: at, updated: at}
	for k, v := range props {
		if v != "" {
			o.props[k] = v
		}
	}
	o.props["hs_object_id"] = o.id
	o.props[t.created] = at.Format(stampLayout)
	o.props[t.modified] = at.Format(stampLayout)
	if s.objects[t.id] == nil {
		s.objects[t.id] = map[string]*object{}
	}
	s.objects[t.id][o.id] = o
	s.order[t.id] = append(s.order[t.id], o.id)
	s.indexPut(t, o)
	return o
}

// indexPut tells the search index that o was written: it keeps a copy,
// which searches see once the index's lag has passed.
func (s *Server) indexPut(t *objectType, o *object) {
	snap := *o
	snap.props = maps.Clone(o.props)
	s.index.Put(t.id+"/"+o.id, map[string]any{"object": &snap})
}

// searchable is the version of o a search sees now (sandbox.Index), false
// when it is not indexed yet; the caller holds s.mu.
func (s *Server) searchable(t *objectType, o *object) (*object, bool) {
	rec, ok := s.index.Searchable(t.id+"/"+o.id, map[string]any{"object": o})
	if !ok {
		return nil, false
	}
	v, ok := rec["object"].(*object)
	return v, ok
}

// apply writes validated properties into o; an empty value clears one.
func (s *Server) apply(t *objectType, o *object, props map[string]string, at time.Time) {
	for k, v := range props {
		if v == "" {
			delete(o.props, k)
		} else {
			o.props[k] = v
		}
	}
	o.updated = at
	o.props[t.modified] = at.Format(stampLayout)
	s.indexPut(t, o)
}

func (s *Server) find(t *objectType, id string) (*object, bool) {
	o, ok := s.objects[t.id][id]
	return o, ok
}

// view is a record as the API answers it, with the named properties (null
// when unset) or, when names is empty, the type's default properties.
// Unknown names are left out, as HubSpot ignores them.
func view(t *objectType, o *object, names []string, always ...string) map[string]any {
	if len(names) == 0 {
		names = t.defaults
	}
	p := map[string]any{}
	for _, n := range append(slices.Clone(names), always...) {
		if _, ok := t.props[n]; !ok {
			continue
		}
		if v, ok := o.props[n]; ok {
			p[n] = v
		} else {
			p[n] = nil
		}
	}
	return map[string]any{"id": o.id, "properties": p, "createdAt": o.created.Format(stampLayout),
		"updatedAt": o.updated.Format(stampLayout), "archived": false}
}

// Add stores a record of objectType (a name or type id) with the given
// properties, unvalidated, and returns its id. It is for tests and demos.
func (s *Server) Add(objectType string, properties map[string]string) (string, error) {
	t, ok := s.types.lookup(objectType)
	if !ok {
		return "", fmt.Errorf("hubspot sandbox: no object type %q", objectType)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.insert(t, properties, s.now()).id, nil
}

// Object returns a copy of a stored record's properties.
func (s *Server) Object(objectType, id string) (map[string]string, bool) {
	t, ok := s.types.lookup(objectType)
	if !ok {
		return nil, false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.find(t, id)
	if !ok {
		return nil, false
	}
	return maps.Clone(o.props), true
}

// Count is how many records of objectType the account holds.
func (s *Server) Count(objectType string) int {
	t, ok := s.types.lookup(objectType)
	if !ok {
		return 0
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.objects[t.id])
}

// IDs lists the records of objectType in creation order.
func (s *Server) IDs(objectType string) []string {
	t, ok := s.types.lookup(objectType)
	if !ok {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.order[t.id])
}
