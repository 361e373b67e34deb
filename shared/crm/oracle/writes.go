package oracle

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"github.com/crmflow/crmflow/shared/lazyre"
	"net/http"
	"strings"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmtext"
)

// keyFields are the resources a keyed write can be found in again, with
// the text field that carries the key marker at its end.
var keyFields = map[string]struct {
	field string
	max   int
}{
	resIncidents: {"subject", maxSubject},
	resTasks:     {"name", 80},
}

// maxMarker keeps a marker short enough to leave room in a subject.
const maxMarker = 64

// plainKey is a key that can stand in a marker as it is: no LIKE wildcard
// (%, _), no quote, nothing ROQL or a subject line would mind.
var plainKey = lazyre.New(`^[A-Za-z0-9.:-]+$`)

// writeMarker is what a keyed write stores: crmflow:{kind}:{key}, or a
// digest of the key when it is long or holds other characters. "" when
// there is no key.
func writeMarker(kind crm.WriteKind, key string) string {
	if key == "" {
		return ""
	}
	prefix := "crmflow:" + string(kind) + ":"
	if plainKey.MatchString(key) && len(prefix)+len(key) <= maxMarker {
		return prefix + key
	}
	sum := sha256.Sum256([]byte(key))
	return prefix + "sha256:" + hex.EncodeToString(sum[:12])
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
	r, err := c.do(ctx, call{op: op, method: http.MethodPost, path: resourcePath(entity, ""), body: body})
	if err != nil {
		return "", err
	}
	var created struct {
		ID json.Number `json:"id"`
	}
	if err := json.Unmarshal(r.Body, &created); err != nil || !validID(created.ID.String()) {
		return "", &crm.Error{Code: crm.Internal, Op: op, Status: r.Status, Message: "Oracle B2C Service answered without an id"}
	}
	return created.ID.String(), nil
}

// WriteRecord memorializes: create mode posts one record (keyed in the
// subject of incidents and the name of tasks, related to the links by
// relate); update mode writes the fields into each linked record of the
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
		if kf, ok := keyFields[m.Entity]; ok {
			if marker := writeMarker(crm.WriteMemorialization, m.Key); marker != "" {
				text, _ := body[kf.field].(string)
				if text == "" && body[kf.field] != nil {
					text = fmt.Sprint(body[kf.field])
				}
				if strings.TrimSpace(text) == "" {
					text = "Contact center interaction"
				}
				body[kf.field] = keyedText(crmtext.OneLine(text), marker, kf.max)
			}
		}
		relate(body, m.Entity, m.Links)
		id, err := c.createRaw(ctx, op, m.Entity, body)
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
			if _, err := c.do(ctx, call{op: op, method: http.MethodPatch, path: resourcePath(l.Entity, l.ID), body: body}); err != nil {
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

// FindWrite looks for an earlier keyed write. A timeline write is a
// call-log incident whose subject ends with "[marker]", or else a thread
// holding it on a linked incident (found with a LIKE on threads.text; a
// site that refuses that query answers not found). A memorialization is
// found by the marker in the key field of incidents and tasks; on other
// resources it cannot be told (found is false).
func (c *connector) FindWrite(ctx context.Context, l crm.WriteLookup) (crm.WriteResult, bool, error) {
	const op = "oracle: find write"
	marker := writeMarker(l.Kind, l.Key)
	if marker == "" {
		return crm.WriteResult{}, false, crm.Refusal(op, "key", "no write key")
	}
	switch l.Kind {
	case crm.WriteActivity:
		res, found, err := c.findKeyed(ctx, op, resIncidents, "subject", marker)
		if err != nil || found {
			return res, found, err
		}
		return c.findThread(ctx, op, marker)
	case crm.WriteMemorialization:
		entity, err := resolveEntity(op, l.Entity)
		if err != nil {
			return crm.WriteResult{}, false, err
		}
		kf, ok := keyFields[entity]
		if !ok {
			return crm.WriteResult{}, false, nil
		}
		return c.findKeyed(ctx, op, entity, kf.field, marker)
	}
	return crm.WriteResult{}, false, crm.Refusal(op, "kind", "unknown write kind %s", crm.QuoteName(string(l.Kind)))
}

// findKeyed finds the oldest record of entity whose field ends with
// "[marker]", checking the answer as well.
func (c *connector) findKeyed(ctx context.Context, op, entity, field, marker string) (crm.WriteResult, bool, error) {
	tag := "[" + marker + "]"
	lit, err := likeLiteral("%", tag, "")
	if err != nil {
		return crm.WriteResult{}, false, crm.Refusal(op, "key", "write key %s", err.Error())
	}
	rows, err := c.query(ctx, op, fmt.Sprintf("SELECT id, %s FROM %s WHERE %s LIKE %s ORDER BY id LIMIT 5", field, entity, field, lit))
	if err != nil {
		return crm.WriteResult{}, false, err
	}
	for _, r := range rows {
		if len(r) == 2 && r[0] != nil && r[1] != nil && validID(*r[0]) && strings.HasSuffix(*r[1], tag) {
			return crm.WriteResult{Records: []crm.Ref{{Entity: entity, ID: *r[0]}}}, true, nil
		}
	}
	return crm.WriteResult{}, false, nil
}

// findThread finds the incident with a thread holding "[marker]".
func (c *connector) findThread(ctx context.Context, op, marker string) (crm.WriteResult, bool, error) {
	lit, err := likeLiteral("%", "["+marker+"]", "%")
	if err != nil {
		return crm.WriteResult{}, false, crm.Refusal(op, "key", "write key %s", err.Error())
	}
	rows, err := c.query(ctx, op, "SELECT id FROM "+resIncidents+" WHERE threads.text LIKE "+lit+" ORDER BY id LIMIT 5")
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
