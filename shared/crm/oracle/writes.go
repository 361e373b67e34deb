package oracle

import (
	"context"
	"encoding/json"
	"fmt"
	"github.com/crmflow/crmflow/shared/lazyre"
	"net/http"
	"strings"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmhttp"
	"github.com/crmflow/crmflow/shared/crm/crmtext"
)

// keyFieldName is the text field that holds crmflow's write key: a custom
// field customFields.c.crmflow_key on the standard objects that take
// custom fields, an attribute crmflow_key of a custom object. A site admin
// adds it once (Custom Fields editor, text, indexed, not shown on agent
// workspaces; Object Designer for a custom object): Connect REST cannot
// create fields. FindWrite reads it with ROQL on that indexed field, which
// queries the operational database (consistent: a write is found as soon
// as it is answered), never a search index.
const keyFieldName = "crmflow_key"

// keyedResources are the standard resources a site can add custom fields
// to (cx.rightnow.com Answer 155: answers, incidents, contacts,
// organizations, staff accounts, opportunities, tasks, sales products):
// a create into any of them carries the key. Other standard resources
// (assets, purchased products, service products, categories,
// dispositions) take no custom field, so a create into them could not be
// found again after a crash: MappingCheck refuses it.
var keyedResources = map[string]bool{
	"accounts": true, "answers": true, resContacts: true, resIncidents: true, "opportunities": true,
	resOrganizations: true, "salesProducts": true, resTasks: true,
}

// keyPath is the field path of entity's write key, "" when entity has none.
func keyPath(entity string) string {
	switch {
	case isCustomObject(entity):
		return keyFieldName
	case keyedResources[entity]:
		return "customFields.c." + keyFieldName
	}
	return ""
}

// isKeyPath reports whether target is entity's write key field, which no
// mapping may write.
func isKeyPath(entity, target string) bool {
	kp := keyPath(entity)
	return kp != "" && strings.EqualFold(target, kp)
}

// requiredText are the text fields a site requires on a new record of a
// resource (an incident's subject, a task's name), filled with a neutral
// text when a mapping leaves them empty.
var requiredText = map[string]struct {
	field string
	max   int
}{
	resIncidents: {"subject", maxSubject},
	resTasks:     {"name", 80},
}

// maxMarker keeps a marker short enough for the key field and a thread.
const maxMarker = 64

// plainKey is a key that can stand in a marker as it is: nothing ROQL, a
// LIKE pattern or a thread would mind. An underscore is LIKE's
// one-character wildcard, which findThread's pattern then holds; it still
// matches only a marker of the same kind and key at every other position,
// and crmflow's job ids (job_…) put it at the same place in every key.
var plainKey = lazyre.New(`^[A-Za-z0-9._:-]+$`)

// writeMarker is what a keyed write stores: crmflow:{kind}:{key}, or a
// digest of the key when it is long or holds other characters. "" when
// there is no key.
func writeMarker(kind crm.WriteKind, key string) string {
	return crm.WriteMarker(kind, key, maxMarker, 12)
}

// missingKeyField reports whether a site's refusal of a create names the
// key field as a property it does not have ("Invalid property specified:
// customFields…", OSC-CREST-00013).
func missingKeyField(msg, kp string) bool {
	msg = strings.ToLower(msg)
	top := strings.ToLower(strings.Split(kp, ".")[0])
	return strings.Contains(msg, "invalid property") && (strings.Contains(msg, top) || strings.Contains(msg, keyFieldName))
}

// setPath sets a dotted path in a nested body, keeping what is there.
func setPath(body map[string]any, path string, v any) {
	parts := strings.Split(path, ".")
	cur := body
	for _, p := range parts[:len(parts)-1] {
		next, ok := cur[p].(map[string]any)
		if !ok {
			next = map[string]any{}
			cur[p] = next
		}
		cur = next
	}
	cur[parts[len(parts)-1]] = v
}

// relate adds to a new record's body the references to the linked records
// that its resource has (unless the mapping set them): an incident's
// primary contact and organization, a task's contact, incident and
// organization, a custom object's contact and incident.
func relate(body map[string]any, entity string, links []crm.Ref) {
	first := map[string]string{}
	for _, l := range links {
		if _, ok := first[l.Entity]; !ok {
			first[l.Entity] = l.ID
		}
	}
	set := func(field, linked string) {
		id, ok := first[linked]
		if !ok {
			return
		}
		if _, given := body[field]; !given {
			body[field] = map[string]any{"id": idNumber(id)}
		}
	}
	switch {
	case entity == resIncidents:
		set("primaryContact", resContacts)
		set("organization", resOrganizations)
	case entity == resTasks:
		set("contact", resContacts)
		set("incident", resIncidents)
		set("organization", resOrganizations)
	case isCustomObject(entity):
		set("contact", resContacts)
		set("incident", resIncidents)
	}
}

// createRaw posts a nested body and returns the new record's id.
func (c *connector) createRaw(ctx context.Context, op, entity string, body map[string]any) (string, error) {
	var created struct {
		ID json.Number `json:"id"`
	}
	r, err := c.api.Do(ctx, crmhttp.Call{Op: op, Method: http.MethodPost, Path: resourcePath(entity, ""), Body: body}, &created)
	if err != nil {
		return "", err
	}
	if !validID(created.ID.String()) {
		return "", &crm.Error{Code: crm.Internal, Op: op, Status: r.Status, Message: "Oracle B2C Service answered without an id"}
	}
	return created.ID.String(), nil
}

// createKeyed posts a new record carrying marker in entity's key field.
// A site without the field refuses the property (400 "Invalid property
// specified"): the error then says which field to add.
func (c *connector) createKeyed(ctx context.Context, op, entity string, body map[string]any, marker string) (string, error) {
	kp := keyPath(entity)
	if marker != "" && kp != "" {
		setPath(body, kp, marker)
	}
	id, err := c.createRaw(ctx, op, entity, body)
	if e, ok := crm.AsError(err); ok && marker != "" && kp != "" && e.Status == http.StatusBadRequest && missingKeyField(e.Message, kp) {
		e.Message = crmtext.Truncate(e.Message+" — the site needs the text field "+kp+" on "+entity+
			" for crmflow's write key (an indexed custom field, or a custom object attribute): see the Oracle driver's setup", maxMessage)
	}
	return id, err
}

// WriteRecord memorializes: create mode posts one record (its key in the
// entity's key field, related to the links by relate); update mode writes the fields into each linked record of the
// entity.
func (c *connector) WriteRecord(ctx context.Context, m crm.Memorialization) (crm.WriteResult, error) {
	op := "oracle: write " + m.Entity
	entity, err := resolveEntity(op, m.Entity)
	if err != nil {
		return crm.WriteResult{}, err
	}
	m.Entity = entity
	links, err := resolveLinks(op, m.Links)
	if err != nil {
		return crm.WriteResult{}, err
	}
	m.Links = links
	body, err := expand(op, m.Fields)
	if err != nil {
		return crm.WriteResult{}, err
	}
	switch m.Mode {
	case crm.ModeCreate, "":
		if rt, ok := requiredText[m.Entity]; ok {
			text, _ := body[rt.field].(string)
			if text == "" && body[rt.field] != nil {
				text = fmt.Sprint(body[rt.field])
			}
			if strings.TrimSpace(text) == "" {
				text = "Contact center interaction"
			}
			body[rt.field] = crmtext.Truncate(crmtext.OneLine(text), rt.max)
		}
		relate(body, m.Entity, m.Links)
		id, err := c.createKeyed(ctx, op, m.Entity, body, writeMarker(crm.WriteMemorialization, m.Key))
		if err != nil {
			return crm.WriteResult{}, err
		}
		return crm.WriteResult{Records: []crm.Ref{{Entity: m.Entity, ID: id}}}, nil
	case crm.ModeUpdate:
		var res crm.WriteResult
		for _, l := range m.Links {
			if l.Entity != m.Entity {
				continue
			}
			if _, err := c.api.Do(ctx, crmhttp.Call{Op: op, Method: http.MethodPatch, Path: resourcePath(l.Entity, l.ID), Body: body}, nil); err != nil {
				return res, err
			}
			res.Records = append(res.Records, l)
		}
		if len(res.Records) == 0 {
			return res, crm.Refusal(op, "links", "no linked %s record to update", m.Entity)
		}
		return res, nil
	}
	return crm.WriteResult{}, crm.Refusal(op, "mode", "mode must be create or update, not %s", crm.QuoteName(string(m.Mode)))
}

// FindWrite looks for an earlier keyed write, by ROQL on the operational
// database (never a search index). A timeline write is a call-log incident
// whose key field holds the marker, or else a thread holding "[marker]" on
// a linked incident (a LIKE on threads.text; a site that refuses that
// query answers not found). A memorialization is found by its entity's key
// field; an entity without one cannot be told (found is false, and
// MappingCheck refuses such mappings).
func (c *connector) FindWrite(ctx context.Context, l crm.WriteLookup) (crm.WriteResult, bool, error) {
	const op = "oracle: find write"
	marker := writeMarker(l.Kind, l.Key)
	if marker == "" {
		return crm.WriteResult{}, false, crm.Refusal(op, "key", "no write key")
	}
	switch l.Kind {
	case crm.WriteActivity:
		res, found, err := c.findKeyed(ctx, op, resIncidents, marker)
		if err != nil || found {
			return res, found, err
		}
		return c.findThread(ctx, op, marker)
	case crm.WriteMemorialization:
		entity, err := resolveEntity(op, l.Entity)
		if err != nil {
			return crm.WriteResult{}, false, err
		}
		if keyPath(entity) == "" {
			return crm.WriteResult{}, false, nil
		}
		return c.findKeyed(ctx, op, entity, marker)
	}
	return crm.WriteResult{}, false, crm.Refusal(op, "kind", "unknown write kind %s", crm.QuoteName(string(l.Kind)))
}

// findKeyed finds the oldest record of entity whose key field is marker.
// Comparisons of text ignore case on a site, so the answer is checked
// exactly as well.
func (c *connector) findKeyed(ctx context.Context, op, entity, marker string) (crm.WriteResult, bool, error) {
	kp := keyPath(entity)
	lit, err := quote(marker)
	if err != nil {
		return crm.WriteResult{}, false, crm.Refusal(op, "key", "write key %s", err.Error())
	}
	rows, err := c.query(ctx, op, fmt.Sprintf("SELECT id, %s FROM %s WHERE %s = %s ORDER BY id LIMIT 5", kp, entity, kp, lit))
	if err != nil {
		return crm.WriteResult{}, false, err
	}
	for _, r := range rows {
		if len(r) == 2 && r[0] != nil && r[1] != nil && validID(*r[0]) && *r[1] == marker {
			return crm.WriteResult{Records: []crm.Ref{{Entity: entity, ID: *r[0]}}}, true, nil
		}
	}
	return crm.WriteResult{}, false, nil
}

// findThread finds the incident with a thread holding "[marker]". The
// marker holds no % and no quote (plainKey or a digest); an underscore in
// it stays LIKE's one-character wildcard (see plainKey).
func (c *connector) findThread(ctx context.Context, op, marker string) (crm.WriteResult, bool, error) {
	if !plainKey.MatchString(marker) {
		return crm.WriteResult{}, false, crm.Refusal(op, "key", "write key holds characters a marker cannot")
	}
	rows, err := c.query(ctx, op, "SELECT id FROM "+resIncidents+" WHERE threads.text LIKE '%["+marker+"]%' ORDER BY id LIMIT 5")
	if err != nil {
		if e, ok := crm.AsError(err); ok && e.Status == http.StatusBadRequest {
			return crm.WriteResult{}, false, nil
		}
		return crm.WriteResult{}, false, err
	}
	for _, r := range rows {
		if len(r) >= 1 && r[0] != nil && validID(*r[0]) {
			return crm.WriteResult{Records: []crm.Ref{{Entity: resIncidents, ID: *r[0]}}}, true, nil
		}
	}
	return crm.WriteResult{}, false, nil
}

// resolveLinks resolves the links of a write to canonical references,
// naming a bad one as links[i].entity or links[i].id.
func resolveLinks(op string, links []crm.Ref) ([]crm.Ref, error) {
	out := make([]crm.Ref, 0, len(links))
	for i, l := range links {
		r, err := resolveRefAt(op, fmt.Sprintf("links[%d].", i), l)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}
