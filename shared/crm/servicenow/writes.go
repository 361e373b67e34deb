package servicenow

import (
	"context"
	"fmt"
	"maps"
	"strings"

	"github.com/crmflow/crmflow/shared/crm"
)

// taskTables are base-system tables that extend task and so have its
// correlation_id, correlation_display, parent and work_notes columns.
// Write keys are only looked up in these: on any other table a query on
// correlation_id would name an unknown column, which a default instance
// drops from the query, answering every row.
var taskTables = map[string]bool{
	"task": true, "incident": true, "problem": true, "problem_task": true, "change_request": true, "change_task": true,
	"sc_request": true, "sc_req_item": true, "sc_task": true, "interaction": true, "sn_customerservice_case": true,
	"sn_customerservice_task": true, "wm_order": true, "wm_task": true,
}

// correlationDisplay names crmflow as the system keyed writes came from.
const correlationDisplay = "crmflow"

// maxCorrelationID is the length of task.correlation_id.
const maxCorrelationID = 100

// writeMarker is what a keyed write stores: crmflow:{kind}:{key}, or a
// digest of the key when it is long or holds other characters, so that a
// marker always fits correlation_id and is safe in any query. "" when
// there is no key.
func writeMarker(kind crm.WriteKind, key string) string {
	return crm.WriteMarker(kind, key, maxCorrelationID, 16)
}

// resolveLinks resolves every link's table to its canonical name and
// checks its sys_id, naming links[i].entity or links[i].id when refused.
func resolveLinks(op string, links []crm.Ref) ([]crm.Ref, error) {
	if len(links) == 0 {
		return links, nil
	}
	out := make([]crm.Ref, len(links))
	for i, l := range links {
		r, err := resolveRef(op, fmt.Sprintf("links[%d].", i), l)
		if err != nil {
			return nil, err
		}
		out[i] = r
	}
	return out, nil
}

// relate adds to a new record's body the reference to the linked records
// that its table has (unless the mapping set it already): the caller of an
// incident, the contact of a case, the person and parent ticket of an
// interaction, the parent of other task records. Other tables get none.
func relate(body map[string]any, table string, links []crm.Ref) {
	var person, contact, ticket string
	for _, l := range links {
		switch {
		case (l.Entity == "sys_user" || l.Entity == "customer_contact") && person == "":
			person = l.ID
			if l.Entity == "customer_contact" {
				contact = l.ID
			}
		case taskTables[l.Entity] && ticket == "":
			ticket = l.ID
		}
	}
	set := func(col, id string) {
		if _, given := body[col]; !given && id != "" {
			body[col] = id
		}
	}
	switch {
	case table == "incident":
		set("caller_id", person)
	case table == "sn_customerservice_case":
		set("contact", contact)
	case table == "interaction":
		set("opened_for", person)
		set("contact", contact)
		set("parent", ticket)
	case taskTables[table]:
		set("parent", ticket)
	}
}

// WriteRecord memorializes: create mode inserts one record (keyed in
// correlation_id on task tables, related to the links by relate); update
// mode writes the fields into each linked record of the entity.
func (c *connector) WriteRecord(ctx context.Context, m crm.Memorialization) (crm.WriteResult, error) {
	op := "servicenow: write " + m.Entity
	entity, err := resolveEntity(op, m.Entity)
	if err != nil {
		return crm.WriteResult{}, err
	}
	m.Entity = entity
	if m.Links, err = resolveLinks(op, m.Links); err != nil {
		return crm.WriteResult{}, err
	}
	if err := checkWrite(op, m.Fields); err != nil {
		return crm.WriteResult{}, err
	}
	switch m.Mode {
	case crm.ModeCreate, "":
		body := maps.Clone(m.Fields)
		if body == nil {
			body = map[string]any{}
		}
		if marker := writeMarker(crm.WriteMemorialization, m.Key); marker != "" && taskTables[m.Entity] {
			body["correlation_id"], body["correlation_display"] = marker, correlationDisplay
		}
		relate(body, m.Entity, m.Links)
		rec, err := c.Create(ctx, m.Entity, body)
		if err != nil {
			return crm.WriteResult{}, err
		}
		return crm.WriteResult{Records: []crm.Ref{{Entity: m.Entity, ID: rec.ID}}}, nil
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

// FindWrite looks for an earlier keyed write, with Table API queries only:
// each is a database read, consistent the moment the write is answered (no
// text search index is involved; see doc.go, "Exactly once").
//
// A timeline write is a work note holding "[marker]" on the first linked
// task record, else an interaction with the marker in correlation_id
// (AddActivity's choice, made from the links alone). With the links known,
// one query answers: the journal entries of that one record
// (sys_journal_field element_id = its sys_id), or interactions by
// correlation_id. With the links unknown (nil), both places are read: the
// interactions, then every work note (the integration user needs read
// access to sys_journal_field either way).
//
// A memorialization is found by correlation_id on task tables. Other
// tables have no column the driver could key (mappingCheck refuses a
// create-mode mapping into them); found is false there, without a call.
func (c *connector) FindWrite(ctx context.Context, l crm.WriteLookup) (crm.WriteResult, bool, error) {
	const op = "servicenow: find write"
	marker := writeMarker(l.Kind, l.Key)
	if marker == "" {
		return crm.WriteResult{}, false, crm.Refusal(op, "key", "no write key")
	}
	switch l.Kind {
	case crm.WriteActivity:
		if l.Links != nil {
			links, err := resolveLinks(op, l.Links)
			if err != nil {
				return crm.WriteResult{}, false, err
			}
			if on, ok := noteTarget(links); ok {
				return c.findNote(ctx, op, marker, &on)
			}
			return c.findCorrelated(ctx, op, tableInteraction, marker)
		}
		res, found, err := c.findCorrelated(ctx, op, tableInteraction, marker)
		if err != nil || found {
			return res, found, err
		}
		return c.findNote(ctx, op, marker, nil)
	case crm.WriteMemorialization:
		entity, err := resolveEntity(op, l.Entity)
		if err != nil {
			return crm.WriteResult{}, false, err
		}
		if !taskTables[entity] {
			return crm.WriteResult{}, false, nil
		}
		return c.findCorrelated(ctx, op, entity, marker)
	}
	return crm.WriteResult{}, false, crm.Refusal(op, "kind", "unknown write kind %s", crm.QuoteName(string(l.Kind)))
}

// findCorrelated finds the record of table whose correlation_id is the
// marker. The answer is checked too: an instance that dropped the
// condition would hand back unrelated rows.
func (c *connector) findCorrelated(ctx context.Context, op, table, marker string) (crm.WriteResult, bool, error) {
	v, err := escapeValue(marker)
	if err != nil {
		return crm.WriteResult{}, false, crm.Refusal(op, "key", "write key %s", err.Error())
	}
	rows, err := c.list(ctx, op, table, "correlation_id="+v+"^ORDERBYsys_created_on", []string{"correlation_id"}, 1)
	if err != nil {
		return crm.WriteResult{}, false, err
	}
	for _, r := range rows {
		if r.text("correlation_id") == marker && validSysID(r.text("sys_id")) {
			return crm.WriteResult{Records: []crm.Ref{{Entity: table, ID: r.text("sys_id")}}}, true, nil
		}
	}
	return crm.WriteResult{}, false, nil
}

// findNote finds the work note holding "[marker]" and names the record it
// is on: among the journal entries of on when it is given (the record
// AddActivity wrote to), else among all work notes.
func (c *connector) findNote(ctx context.Context, op, marker string, on *crm.Ref) (crm.WriteResult, bool, error) {
	tag := "[" + marker + "]"
	v, err := escapeValue(tag)
	if err != nil {
		return crm.WriteResult{}, false, crm.Refusal(op, "key", "write key %s", err.Error())
	}
	query, limit := "element=work_notes^valueLIKE"+v+"^ORDERBYsys_created_on", 5
	if on != nil {
		// on.ID is a checked sys_id (resolveLinks): hex only, nothing to escape.
		query, limit = "element_id="+on.ID+"^"+query, 1
	}
	fields := []string{"name", "element_id", "value"}
	rows, err := c.list(ctx, op, tableJournal, query, fields, limit)
	if err != nil {
		return crm.WriteResult{}, false, err
	}
	for _, r := range rows {
		table, id := r.text("name"), r.text("element_id")
		if !strings.Contains(r.text("value"), tag) || !validSysID(id) {
			continue
		}
		if on != nil {
			// The record as AddActivity named it in its result.
			if id == on.ID {
				return crm.WriteResult{Records: []crm.Ref{*on}}, true, nil
			}
			continue
		}
		if validTable(table) {
			return crm.WriteResult{Records: []crm.Ref{{Entity: table, ID: id}}}, true, nil
		}
	}
	return crm.WriteResult{}, false, nil
}
