package salesforce

import (
	"bytes"
	"encoding/json"
	"maps"
	"slices"
)

// object is a JSON object that keeps its keys in insertion order, so records
// come out as Salesforce writes them: attributes first, then fields in the
// order they were selected.
type object struct {
	keys []string
	vals map[string]any
}

func newObject() *object { return &object{vals: map[string]any{}} }

func (o *object) set(k string, v any) {
	if _, ok := o.vals[k]; !ok {
		o.keys = append(o.keys, k)
	}
	o.vals[k] = v
}

func (o *object) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, k := range o.keys {
		if i > 0 {
			b.WriteByte(',')
		}
		kb, _ := json.Marshal(k)
		b.Write(kb)
		b.WriteByte(':')
		vb, err := json.Marshal(o.vals[k])
		if err != nil {
			return nil, err
		}
		b.Write(vb)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// attributes is the {"type","url"} head of every record.
func attributes(entity, id, version string) *object {
	a := newObject()
	a.set("type", entity)
	a.set("url", "/services/data/"+version+"/sobjects/"+entity+"/"+id)
	return a
}

// project renders a record with the selected field paths; relationship paths
// become nested records, or null when the reference is empty.
func (s *Server) project(e *entity, rec map[string]any, paths []fieldPath, version string) *object {
	o := newObject()
	id, _ := rec["Id"].(string)
	o.set("attributes", attributes(e.name, id, version))
	for _, p := range paths {
		s.projectPath(o, rec, p, 0, version)
	}
	return o
}

func (s *Server) projectPath(o *object, rec map[string]any, p fieldPath, depth int, version string) {
	if depth == len(p.hops) {
		o.set(p.leaf, rec[p.leaf])
		return
	}
	h := p.hops[depth]
	id, _ := rec[h.refField].(string)
	next, te, ok := s.get(id)
	if !ok {
		if _, set := o.vals[h.relName]; !set {
			o.set(h.relName, nil)
		}
		return
	}
	sub, _ := o.vals[h.relName].(*object)
	if sub == nil {
		nid, _ := next["Id"].(string)
		sub = newObject()
		sub.set("attributes", attributes(te.name, nid, version))
		o.set(h.relName, sub)
	}
	if p.poly && depth == len(p.hops)-1 {
		sub.set(p.leaf, s.value(rec, fieldPath{hops: []hop{h}, leaf: p.leaf, poly: true}))
		return
	}
	s.projectPath(sub, next, p, depth+1, version)
}

// fullRecord renders every field of a record, for GET /sobjects/{Entity}/{Id}.
func (s *Server) fullRecord(e *entity, rec map[string]any, version string) *object {
	o := newObject()
	id, _ := rec["Id"].(string)
	o.set("attributes", attributes(e.name, id, version))
	o.set("Id", id)
	for _, k := range slices.Sorted(maps.Keys(e.fields)) {
		if k != "Id" {
			o.set(k, rec[k])
		}
	}
	if e.custom {
		for _, k := range slices.Sorted(maps.Keys(rec)) {
			if _, known := e.fields[k]; !known {
				o.set(k, rec[k])
			}
		}
	}
	return o
}
