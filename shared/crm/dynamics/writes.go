package dynamics

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"net/http"
	"strings"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmhttp"
)

// writeNamespace is crmflow's UUID namespace for key-derived record ids.
var writeNamespace = [16]byte{0x6b, 0x1f, 0x3c, 0x52, 0x9e, 0x0a, 0x4d, 0x71, 0x8c, 0x25, 0xd3, 0x4e, 0x7a, 0x90, 0x12, 0xf8}

// maxKey bounds a write key; it only feeds a hash, so this is a sanity limit.
const maxKey = 1000

// writeID derives the primary key of a create-mode write from its key (a
// name-based UUID, RFC 9562 version 5). Dataverse lets a create set the
// primary key, so the record of a write can be read back by key alone, and
// a repeated create of the same write is refused as a duplicate instead of
// writing twice.
func writeID(kind crm.WriteKind, entity, key string) string {
	h := sha1.New()
	h.Write(writeNamespace[:])
	h.Write([]byte(string(kind) + "\x00" + entity + "\x00" + key))
	b := h.Sum(nil)[:16]
	b[6] = b[6]&0x0f | 0x50
	b[8] = b[8]&0x3f | 0x80
	s := hex.EncodeToString(b)
	return s[0:8] + "-" + s[8:12] + "-" + s[12:16] + "-" + s[16:20] + "-" + s[20:32]
}

func checkKey(op, key string) error {
	if key == "" || len(key) > maxKey {
		return crm.Refusal(op, "key", "write key must be 1 to 1000 bytes")
	}
	return nil
}

// personTables can be activity parties and customers.
var personTables = map[string]bool{"contact": true, "lead": true, "account": true}

// WriteRecord writes a data memorialization. Create mode makes one record of
// m.Entity with a key-derived id, related to the links where the table has a
// lookup for them; update mode patches every linked record of m.Entity.
func (c *connector) WriteRecord(ctx context.Context, m crm.Memorialization) (crm.WriteResult, error) {
	const op = "dynamics: write record"
	entity, err := resolveEntity(op, m.Entity)
	if err != nil {
		return crm.WriteResult{}, err
	}
	links, err := resolveLinks(op, m.Links)
	if err != nil {
		return crm.WriteResult{}, err
	}
	m.Entity, m.Links = entity, links
	switch m.Mode {
	case crm.ModeCreate, "":
		return c.createWrite(ctx, op+" "+m.Entity, m)
	case crm.ModeUpdate:
		var res crm.WriteResult
		for _, l := range m.Links {
			if l.Entity != m.Entity {
				continue
			}
			if err := c.Update(ctx, l, m.Fields); err != nil {
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

func (c *connector) createWrite(ctx context.Context, op string, m crm.Memorialization) (crm.WriteResult, error) {
	if err := checkKey(op, m.Key); err != nil {
		return crm.WriteResult{}, err
	}
	body, err := lookupBody(op, m.Fields)
	if err != nil {
		return crm.WriteResult{}, err
	}
	pk := primaryKey(m.Entity)
	if _, ok := body[pk]; ok {
		return crm.WriteResult{}, crm.Refusal(op, "fields."+pk, "%s is set by crmflow from the write key", pk)
	}
	ref := crm.Ref{Entity: m.Entity, ID: writeID(crm.WriteMemorialization, m.Entity, m.Key)}
	body[pk] = ref.ID
	relate(body, m.Entity, m.Links)
	if _, err := c.insert(ctx, op, m.Entity, body); err != nil && crm.CodeOf(err) != crm.AlreadyExists {
		return crm.WriteResult{}, err
	}
	// AlreadyExists: this write was made before; the key-derived id says so.
	return crm.WriteResult{Records: []crm.Ref{ref}}, nil
}

// relate points the lookups of a new record at the linked records, leaving
// any lookup the mapping set itself.
func relate(body map[string]any, entity string, links []crm.Ref) {
	set := func(nav string, l crm.Ref) {
		for k := range body {
			if lookupOf(k) == lookupOf(nav) {
				return
			}
		}
		body[nav+"@odata.bind"] = bindValue(l)
	}
	if activityTables[entity] {
		if l, ok := regardingLink(links); ok {
			set("regardingobjectid_"+l.Entity+"_"+entity, l)
		}
		return
	}
	for _, l := range links {
		switch {
		case entity == "incident" && (l.Entity == "contact" || l.Entity == "account"):
			set("customerid_"+l.Entity, l)
		case entity == "contact" && l.Entity == "account":
			set("parentcustomerid_account", l)
		case (entity == "opportunity" || entity == "lead") && l.Entity == "account":
			set("parentaccountid", l)
		case (entity == "opportunity" || entity == "lead") && l.Entity == "contact":
			set("parentcontactid", l)
		}
	}
}

// lookupOf names the lookup column a body key sets: customerid_contact and
// customerid_account both set customerid.
func lookupOf(key string) string {
	nav := strings.TrimSuffix(key, "@odata.bind")
	for _, l := range []string{"regardingobjectid", "customerid", "parentcustomerid"} {
		if strings.HasPrefix(nav, l+"_") {
			return l
		}
	}
	return nav
}

// regardingLink picks what an activity is regarding: the first linked
// record that is not a person (a case, an opportunity), else the first one.
func regardingLink(links []crm.Ref) (crm.Ref, bool) {
	for _, l := range links {
		if !personTables[l.Entity] {
			return l, true
		}
	}
	if len(links) > 0 {
		return links[0], true
	}
	return crm.Ref{}, false
}

// FindWrite reads the record a write with this key created, by its
// key-derived id. A phone call counts only once it is completed: an open one
// was created by a write that failed before closing it, and AddActivity
// finishes that write when it runs again.
func (c *connector) FindWrite(ctx context.Context, l crm.WriteLookup) (crm.WriteResult, bool, error) {
	const op = "dynamics: find write"
	entity := l.Entity
	switch l.Kind {
	case crm.WriteActivity:
		entity = "phonecall"
	case crm.WriteMemorialization:
		logical, err := resolveEntity(op, entity)
		if err != nil {
			return crm.WriteResult{}, false, err
		}
		entity = logical
	default:
		return crm.WriteResult{}, false, crm.Refusal(op, "kind", "unknown write kind %s", crm.QuoteName(string(l.Kind)))
	}
	if err := checkKey(op, l.Key); err != nil {
		return crm.WriteResult{}, false, err
	}
	ref := crm.Ref{Entity: entity, ID: writeID(l.Kind, entity, l.Key)}
	sel := []string{primaryKey(entity)}
	var row struct {
		StateCode int `json:"statecode"`
	}
	var out any // only a phone call's answer is read
	if l.Kind == crm.WriteActivity {
		sel, out = append(sel, "statecode"), &row
	}
	_, err := c.api.Do(ctx, crmhttp.Call{Op: op, Method: http.MethodGet, Path: recordPath(ref), Query: queryOptions{selects: sel}.encode()}, out)
	if e, ok := crm.AsError(err); ok && e.Code == crm.NotFound && !strings.EqualFold(e.CRMCode, codeSegment) {
		// No such row; an unknown table (no entity set) stays an error.
		return crm.WriteResult{}, false, nil
	}
	if err != nil {
		return crm.WriteResult{}, false, err
	}
	if l.Kind == crm.WriteActivity && row.StateCode == 0 {
		return crm.WriteResult{}, false, nil
	}
	return crm.WriteResult{Records: []crm.Ref{ref}}, true, nil
}
