package dynamics

import (
	"encoding/hex"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// lookupTypeSuffix is the annotation that tells which table a lookup points
// to; the sandbox keeps it on the row and leaves it out of answers.
const lookupTypeSuffix = "@Microsoft.Dynamics.CRM.lookuplogicalname"

// rowTime is how Dataverse writes date-times in JSON.
const rowTime = "2006-01-02T15:04:05Z"

// change is a validated create or update body.
type change struct {
	vals    map[string]any
	links   map[string]link
	parties []Party
}

// link is a lookup set through a navigation property.
type link struct {
	id     string
	target string
}

func formatGUID(b [16]byte) string {
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

// newID returns the next row id: version 4 GUIDs from a seeded generator, so
// that a fresh sandbox hands out the same ids on every run; the caller holds
// s.mu (or is New).
func (s *Server) newID() string {
	var b [16]byte
	for i := 0; i < 16; i += 8 {
		v := s.rng.Uint64()
		for j := 0; j < 8; j++ {
			b[i+j] = byte(v >> (8 * j))
		}
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return formatGUID(b)
}

// insert stores a new row; the caller holds s.mu and has validated ch.
func (s *Server) insert(t *table, id string, ch *change) map[string]any {
	now := s.now().Format(rowTime)
	owner := s.userID
	if owner == "" {
		owner = id // the first user owns itself
	}
	rec := map[string]any{t.pk: id, "createdon": now, "modifiedon": now, "versionnumber": s.nextVersion(),
		"statecode": 0.0, "statuscode": float64(t.states[0].statuses[0])}
	for _, l := range []string{"ownerid", "createdby", "modifiedby"} {
		rec[lookupKey(l)], rec[lookupKey(l)+lookupTypeSuffix] = owner, "systemuser"
	}
	if t.activity {
		rec["activitytypecode"] = t.logical
	}
	if t.logical == "incident" {
		s.tickets++
		rec["ticketnumber"] = fmt.Sprintf("CAS-%05d-%s", s.tickets, s.ticketSuffix())
	}
	s.apply(t, rec, ch)
	s.journal(func() {
		delete(s.rows[t.logical], id)
		s.order[t.logical] = slices.DeleteFunc(s.order[t.logical], func(v string) bool { return v == id })
		delete(s.parties, id)
	})
	if s.rows[t.logical] == nil {
		s.rows[t.logical] = map[string]map[string]any{}
	}
	s.rows[t.logical][id] = rec
	s.order[t.logical] = append(s.order[t.logical], id)
	if len(ch.parties) > 0 {
		s.parties[id] = ch.parties
	}
	return rec
}

// apply copies a change into a row and recomputes the derived columns.
func (s *Server) apply(t *table, rec map[string]any, ch *change) {
	maps.Copy(rec, ch.vals)
	for name, l := range ch.links {
		if l.id == "" {
			rec[lookupKey(name)], rec[lookupKey(name)+lookupTypeSuffix] = nil, nil
			continue
		}
		rec[lookupKey(name)], rec[lookupKey(name)+lookupTypeSuffix] = l.id, l.target
	}
	if hasFullname(t.logical) {
		first, _ := rec["firstname"].(string)
		last, _ := rec["lastname"].(string)
		rec["fullname"] = strings.TrimSpace(first + " " + last)
	}
}

// journal records how to take back a write while a change set runs; the
// caller holds s.mu.
func (s *Server) journal(undo func()) {
	if s.undo != nil {
		*s.undo = append(*s.undo, undo)
	}
}

// journalRow records a row's columns before a change set updates it.
func (s *Server) journalRow(rec map[string]any) {
	if s.undo == nil {
		return
	}
	before := maps.Clone(rec)
	s.journal(func() {
		clear(rec)
		maps.Copy(rec, before)
	})
}

// nextVersion is the row version behind @odata.etag; the caller holds s.mu.
func (s *Server) nextVersion() float64 {
	s.version++
	return float64(s.version)
}

func (s *Server) ticketSuffix() string {
	const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"
	b := make([]byte, 6)
	for i := range b {
		b[i] = alphabet[s.rng.IntN(len(alphabet))]
	}
	return string(b)
}

// Add stores a row without the API's validation of read-only columns and
// states (ids, types, lookups and derived columns still apply), for demo data
// and tests. Fields may hold columns, "nav@odata.bind" lookups and created/
// modified stamps. It returns the id, or "" when the table or a field is unknown.
func (s *Server) Add(entity string, fields map[string]any) string {
	s.tx.RLock()
	defer s.tx.RUnlock()
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.tableByLogical(entity)
	if !ok {
		return ""
	}
	ch, err := s.checkWrite(t, fields, true, false)
	if err != nil {
		return ""
	}
	id, _ := ch.vals[t.pk].(string)
	if id == "" {
		id = s.newID()
	}
	s.insert(t, id, ch)
	return id
}

// Record returns a copy of one row (annotations left out), or nil.
func (s *Server) Record(entity, id string) map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec := s.rows[entity][strings.ToLower(id)]
	if rec == nil {
		return nil
	}
	return withoutAnnotations(rec)
}

// Records returns copies of a table's rows in creation order.
func (s *Server) Records(entity string) []map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []map[string]any
	for _, id := range s.order[entity] {
		out = append(out, withoutAnnotations(s.rows[entity][id]))
	}
	return out
}

// Parties returns the activity parties stored for an activity.
func (s *Server) Parties(activityID string) []Party {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Party(nil), s.parties[strings.ToLower(activityID)]...)
}

func withoutAnnotations(rec map[string]any) map[string]any {
	out := make(map[string]any, len(rec))
	for k, v := range rec {
		if !strings.Contains(k, "@") {
			out[k] = v
		}
	}
	return out
}
