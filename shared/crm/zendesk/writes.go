package zendesk

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"github.com/crmflow/crmflow/shared/lazyre"
	"maps"
	"slices"

	"github.com/crmflow/crmflow/shared/crm"
)

// plainKey is a key that can stand in an external_id as it is.
var plainKey = lazyre.New(`^[A-Za-z0-9._:-]{1,100}$`)

// writeMarker is the external_id of a keyed write: crmflow:{kind}:{key},
// or a digest of the key when it is long or holds other characters. ""
// when there is no key.
func writeMarker(kind crm.WriteKind, key string) string {
	if key == "" {
		return ""
	}
	if plainKey.MatchString(key) {
		return "crmflow:" + string(kind) + ":" + key
	}
	sum := sha256.Sum256([]byte(key))
	return "crmflow:" + string(kind) + ":sha256:" + hex.EncodeToString(sum[:16])
}

// writeTag is the ticket tag of a keyed comment: tags are lowercase words
// without spaces, so it is always a digest: crmflow_{kind}_{hex}.
func writeTag(kind crm.WriteKind, key string) string {
	if key == "" {
		return ""
	}
	sum := sha256.Sum256([]byte(string(kind) + "\x00" + key))
	return "crmflow_" + map[crm.WriteKind]string{crm.WriteActivity: "tl", crm.WriteMemorialization: "dm"}[kind] + "_" + hex.EncodeToString(sum[:12])
}

// relate adds to a new record the references to the linked records its
// resource has, unless the mapping set them: a ticket's requester and
// organization, a user's organization. links are canonical. Custom object
// records relate through lookup fields whose keys only the account knows,
// so the mapping names them (custom_object_fields.{lookup} = an id).
func relate(attrs map[string]any, entity string, links []crm.Ref) {
	var user, org string
	for _, l := range links {
		switch {
		case l.Entity == entUser && user == "":
			user = l.ID
		case l.Entity == entOrganization && org == "":
			org = l.ID
		}
	}
	set := func(name, id string) {
		if _, given := attrs[name]; !given && id != "" {
			attrs[name] = json.Number(id) // ids are JSON numbers; links are checked ids
		}
	}
	switch entity {
	case entTicket:
		set("requester_id", user)
		set("organization_id", org)
	case entUser:
		set("organization_id", org)
	}
}

// WriteRecord memorializes: create mode makes one record keyed in
// external_id (unless the mapping sets it) and related to the links;
// update mode writes the fields into each linked record of the entity.
func (c *connector) WriteRecord(ctx context.Context, m crm.Memorialization) (crm.WriteResult, error) {
	op := "zendesk: write " + m.Entity
	res, err := checkEntity(op, m.Entity)
	if err != nil {
		return crm.WriteResult{}, err
	}
	links, err := checkLinks(op, m.Links)
	if err != nil {
		return crm.WriteResult{}, err
	}
	switch m.Mode {
	case crm.ModeCreate, "":
		fields := maps.Clone(m.Fields)
		if fields == nil {
			fields = map[string]any{}
		}
		if marker := writeMarker(crm.WriteMemorialization, m.Key); marker != "" {
			if _, given := fields["external_id"]; !given {
				fields["external_id"] = marker
			}
		}
		relate(fields, res.entity, links)
		rec, err := c.create(ctx, op, res, fields)
		if err != nil {
			return crm.WriteResult{}, err
		}
		return crm.WriteResult{Records: []crm.Ref{{Entity: res.entity, ID: rec.ID}}}, nil
	case crm.ModeUpdate:
		var out crm.WriteResult
		for _, l := range links {
			if l.Entity != res.entity {
				continue
			}
			if err := c.update(ctx, op, res, l.ID, m.Fields); err != nil {
				return out, err
			}
			out.Records = append(out.Records, l)
		}
		if len(out.Records) == 0 {
			return out, crm.Refusal(op, "links", "no linked %s record to update", res.entity)
		}
		return out, nil
	}
	return crm.WriteResult{}, crm.Refusal(op, "mode", "mode must be create or update, not %s", crm.QuoteName(string(m.Mode)))
}

// FindWrite looks for an earlier keyed write. A new call ticket or a
// created record is found by external_id through the list endpoints, which
// read the database and see a write at once. A comment on an existing
// ticket is found by its key tag through search, which lags the write by
// up to a few minutes: a crash in that window is covered by the
// idempotency ledger, not by this look-up.
func (c *connector) FindWrite(ctx context.Context, l crm.WriteLookup) (crm.WriteResult, bool, error) {
	const op = "zendesk: find write"
	marker := writeMarker(l.Kind, l.Key)
	if marker == "" {
		return crm.WriteResult{}, false, crm.Refusal(op, "key", "no write key")
	}
	switch l.Kind {
	case crm.WriteActivity:
		if ref, found, err := c.findExternal(ctx, op, standard[entTicket], marker); err != nil || found {
			return crm.WriteResult{Records: ref}, found, err
		}
		tag := writeTag(l.Kind, l.Key)
		objs, err := c.search(ctx, op, entTicket, "type:ticket tags:"+tag, "", func(o object) bool {
			v, _ := o.lookup("tags")
			return slices.Contains(values(v), tag)
		}, 1)
		if err != nil || len(objs) == 0 {
			return crm.WriteResult{}, false, err
		}
		return crm.WriteResult{Records: []crm.Ref{{Entity: entTicket, ID: objs[0].id()}}}, true, nil
	case crm.WriteMemorialization:
		res, err := checkEntity(op, l.Entity)
		if err != nil {
			return crm.WriteResult{}, false, err
		}
		ref, found, err := c.findExternal(ctx, op, res, marker)
		return crm.WriteResult{Records: ref}, found, err
	}
	return crm.WriteResult{}, false, crm.Refusal(op, "kind", "unknown write kind %s", crm.QuoteName(string(l.Kind)))
}

// findExternal finds the oldest record of res whose external_id is marker.
func (c *connector) findExternal(ctx context.Context, op string, res resource, marker string) ([]crm.Ref, bool, error) {
	list, err := c.listExternal(ctx, op, res, marker)
	if err != nil {
		return nil, false, err
	}
	for _, o := range list {
		if text(o["external_id"]) == marker && res.validID(o.id()) {
			return []crm.Ref{{Entity: res.entity, ID: o.id()}}, true, nil
		}
	}
	return nil, false, nil
}
