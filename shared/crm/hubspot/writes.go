package hubspot

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"unicode/utf8"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmhttp"
)

// maxKey bounds a write key; a string property holds far more, but a job
// key never needs it.
const maxKey = 255

func checkKey(op, key string) error {
	if key == "" || len(key) > maxKey || !utf8.ValidString(key) {
		return crm.Refusal(op, "key", "write key must be 1 to 255 bytes of UTF-8")
	}
	return nil
}

// linkAssociations turns links into the create's inline associations where
// HubSpot defines the type, and lists the other links for default
// associations after the create.
func linkAssociations(op string, from object, links []crm.Ref) ([]association, []linked, error) {
	var inline []association
	var later []linked
	seen := map[crm.Ref]bool{}
	for i, l := range links {
		o, err := checkRefAt(op, fmt.Sprintf("links[%d].", i), l)
		if err != nil {
			return nil, nil, err
		}
		key := crm.Ref{Entity: o.entity, ID: l.ID}
		if seen[key] {
			continue
		}
		seen[key] = true
		if typeID, ok := associationTypes[[2]string{from.typeID, o.typeID}]; ok {
			var a association
			a.To.ID = l.ID
			a.Types = []associationSpec{{Category: "HUBSPOT_DEFINED", TypeID: typeID}}
			inline = append(inline, a)
			continue
		}
		later = append(later, linked{o, l.ID})
	}
	return inline, later, nil
}

// linked is a resolved link.
type linked struct {
	obj object
	id  string
}

// associateLater creates HubSpot's default association from a new record
// to each link: PUT /crm/v4/objects/{type}/{id}/associations/default/{toType}/{toId}.
func (c *connector) associateLater(ctx context.Context, op string, from object, id string, links []linked) error {
	for _, l := range links {
		path := "/crm/v4/objects/" + url.PathEscape(from.entity) + "/" + id + "/associations/default/" +
			url.PathEscape(l.obj.entity) + "/" + l.id
		if _, err := c.api.Do(ctx, crmhttp.Call{Op: op + " associate", Method: http.MethodPut, Path: path}, nil); err != nil {
			return err
		}
	}
	return nil
}

// WriteRecord writes a data memorialization. Create mode makes one record
// of m.Entity associated with the links, carrying the key in crmflow_key
// (objects that cannot hold it are refused); a call, the one engagement
// that can hold it, gets hs_timestamp (the write time) unless the mapping
// sets it. Update mode patches every linked record of m.Entity.
func (c *connector) WriteRecord(ctx context.Context, m crm.Memorialization) (crm.WriteResult, error) {
	const op = "hubspot: write record"
	o, err := resolve(op, m.Entity)
	if err != nil {
		return crm.WriteResult{}, err
	}
	switch m.Mode {
	case crm.ModeCreate, "":
		return c.createWrite(ctx, op+" "+o.entity, o, m)
	case crm.ModeUpdate:
		var targets []crm.Ref
		for i, l := range m.Links {
			lo, err := checkRefAt(op, fmt.Sprintf("links[%d].", i), l)
			if err != nil {
				return crm.WriteResult{}, err
			}
			if lo.entity == o.entity {
				targets = append(targets, crm.Ref{Entity: o.entity, ID: l.ID})
			}
		}
		if len(targets) == 0 {
			return crm.WriteResult{}, crm.Refusal(op, "links", "no linked %s record to update", o.entity)
		}
		if _, err := propertyValues(op, m.Fields); err != nil {
			return crm.WriteResult{}, err
		}
		var res crm.WriteResult
		for _, t := range targets {
			if err := c.Update(ctx, t, m.Fields); err != nil {
				return res, err
			}
			res.Records = append(res.Records, t)
		}
		return res, nil
	}
	return crm.WriteResult{}, crm.Refusal(op, "mode", "mode must be create or update, not %s", quoteName(string(m.Mode)))
}

func (c *connector) createWrite(ctx context.Context, op string, o object, m crm.Memorialization) (crm.WriteResult, error) {
	if err := checkKey(op, m.Key); err != nil {
		return crm.WriteResult{}, err
	}
	if !keyed(o) {
		return crm.WriteResult{}, crm.Refusal(op, "entity", "%s", unkeyedReason(o))
	}
	props, err := propertyValues(op, m.Fields)
	if err != nil {
		return crm.WriteResult{}, err
	}
	if o.typeID == typeCall && props["hs_timestamp"] == "" {
		props["hs_timestamp"] = c.now().UTC().Format(timestampLayout)
	}
	if _, set := props[keyProperty]; set {
		return crm.WriteResult{}, crm.Refusal(op, "fields."+keyProperty, "%s is set by crmflow from the write key", keyProperty)
	}
	props[keyProperty] = m.Key
	inline, later, err := linkAssociations(op, o, m.Links)
	if err != nil {
		return crm.WriteResult{}, err
	}
	h, err := c.insertKeyed(ctx, op, o, m.Key, props, inline)
	if err != nil {
		return crm.WriteResult{}, err
	}
	if err := c.associateLater(ctx, op, o, h.ID, later); err != nil {
		return crm.WriteResult{}, err
	}
	return crm.WriteResult{Records: []crm.Ref{{Entity: o.entity, ID: h.ID}}}, nil
}

// FindWrite reads the record carrying the key in crmflow_key, by that
// unique value (GET /crm/v3/objects/{type}/{key}?idProperty=crmflow_key):
// the timeline's call, or the memorialization's record of its entity. A
// read by a unique value is consistent, so a write made a moment ago is
// found, whatever the search index's lag. An object that cannot hold the
// key is never written in create mode (WriteRecord refuses it), so there
// is nothing to find: found false.
func (c *connector) FindWrite(ctx context.Context, l crm.WriteLookup) (crm.WriteResult, bool, error) {
	const op = "hubspot: find write"
	o := calls
	switch l.Kind {
	case crm.WriteActivity:
	case crm.WriteMemorialization:
		var err error
		if o, err = resolve(op, l.Entity); err != nil {
			return crm.WriteResult{}, false, err
		}
		if !keyed(o) {
			return crm.WriteResult{}, false, nil
		}
	default:
		return crm.WriteResult{}, false, crm.Refusal(op, "kind", "unknown write kind %s", quoteName(string(l.Kind)))
	}
	if err := checkKey(op, l.Key); err != nil {
		return crm.WriteResult{}, false, err
	}
	h, found, err := c.recordByKey(ctx, op, o, l.Key)
	if err != nil || !found {
		return crm.WriteResult{}, false, err
	}
	return crm.WriteResult{Records: []crm.Ref{{Entity: o.entity, ID: h.ID}}}, true, nil
}
