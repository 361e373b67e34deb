package zendesk

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmhttp"
)

// writeMarker is the external_id of a keyed write: crmflow:{kind}:{key},
// or a digest of the key when it is long or holds other characters. ""
// when there is no key.
func writeMarker(kind crm.WriteKind, key string) string {
	// A key of up to 100 characters is kept as it is.
	return crm.WriteMarker(kind, key, len(crm.WriteMarkerPrefix(kind))+100, 16)
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

// FindWrite looks for an earlier keyed write, always through reads that
// see a write at once (never search, which lags by minutes): a new call
// ticket or a created record by its external_id (the ticket list,
// show_many, the custom object record list), a comment on an existing
// ticket by the key tag its audit shows (GET /api/v2/tickets/{id}/audits,
// the ticket's own history), the ticket named by l.Links. Only a lookup
// whose links are unknown (nil: not the job consumer, which always passes
// them) falls back to the tag through search.
func (c *connector) FindWrite(ctx context.Context, l crm.WriteLookup) (crm.WriteResult, bool, error) {
	const op = "zendesk: find write"
	marker := writeMarker(l.Kind, l.Key)
	if marker == "" {
		return crm.WriteResult{}, false, crm.Refusal(op, "key", "no write key")
	}
	switch l.Kind {
	case crm.WriteActivity:
		tag := writeTag(l.Kind, l.Key)
		if l.Links != nil {
			links, err := checkLinks(op, l.Links)
			if err != nil {
				return crm.WriteResult{}, false, err
			}
			// AddActivity comments on the note target, else makes a new ticket.
			if t, ok := noteTarget(links); ok {
				found, err := c.auditShowsTag(ctx, op, t.ID, tag)
				if err != nil || !found {
					return crm.WriteResult{}, false, err
				}
				return crm.WriteResult{Records: []crm.Ref{t}}, true, nil
			}
		}
		if ref, found, err := c.findExternal(ctx, op, standard[entTicket], marker); err != nil || found || l.Links != nil {
			return crm.WriteResult{Records: ref}, found, err
		}
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

// maxAuditPages bounds how many pages of a ticket's audits (100 each) a
// lookup reads; a ticket with more is refused rather than half read.
const maxAuditPages = 50

// auditPage is an answer of GET /api/v2/tickets/{id}/audits (offset
// pagination: OAS TicketAuditsResponseNoneCursor).
type auditPage struct {
	Audits []struct {
		Events []struct {
			Type      string `json:"type"`
			FieldName string `json:"field_name"`
			Value     any    `json:"value"`
		} `json:"events"`
	} `json:"audits"`
	NextPage *string `json:"next_page"`
}

// auditShowsTag reports whether an audit of the ticket set tag: a Create
// or Change event of tags whose value holds it. The audit list is the
// ticket's history read from the database, so it shows a write at once
// (Ticket Audits: "When a ticket is updated … an audit is stored"); the
// tag and the comment are one update, so one audit.
func (c *connector) auditShowsTag(ctx context.Context, op, ticketID, tag string) (bool, error) {
	path := "tickets/" + ticketID + "/audits"
	q := url.Values{"per_page": {strconv.Itoa(pageSize)}}
	cl := crmhttp.Call{Op: op, Method: http.MethodGet, Path: path + ".json", Query: q.Encode()}
	for range maxAuditPages {
		var page auditPage
		r, err := c.api.Do(ctx, cl, &page)
		if err != nil {
			return false, err
		}
		for _, a := range page.Audits {
			for _, e := range a.Events {
				if (e.Type == "Change" || e.Type == "Create") && e.FieldName == "tags" && slices.Contains(tagValues(e.Value), tag) {
					return true, nil
				}
			}
		}
		if page.NextPage == nil || *page.NextPage == "" || len(page.Audits) == 0 {
			return false, nil
		}
		if !c.onAccount(*page.NextPage, path) {
			return false, &crm.Error{Code: crm.Internal, Op: op, Status: r.Status, Message: "Zendesk's next page link leaves the account"}
		}
		cl = crmhttp.Call{Op: op, Method: http.MethodGet, Next: *page.NextPage}
	}
	return false, &crm.Error{Code: crm.Internal, Op: op, Message: fmt.Sprintf("ticket %s has more than %d audits to look through", ticketID, maxAuditPages*pageSize)}
}

// tagValues reads the value of a tags event: a list of tags, or the tags
// in one space-separated text (the reference does not show which).
func tagValues(v any) []string {
	switch x := v.(type) {
	case string:
		return strings.Fields(x)
	case []any:
		var out []string
		for _, e := range x {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
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
