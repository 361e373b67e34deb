package servicenow

import (
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
)

// rowTime is how the Table API writes date-times (UTC with sysparm_display_value=false).
const rowTime = "2006-01-02 15:04:05"

// integrationUser is the user name the sandbox stamps on API writes.
const integrationUser = "crmflow.integration"

// newSysID returns the next sys_id: 32 lowercase hex characters that look
// random but follow from the instance's row count, so that a test's
// requests (and their golden files) are the same on every run. The caller
// holds s.mu.
func (s *Server) newSysID() string {
	s.seq++
	return demoSysID(fmt.Sprintf("row-%d", s.seq))
}

// demoSysID derives a stable sys_id from a name, so demo rows keep their ids
// from run to run.
func demoSysID(seed string) string {
	sum := md5.Sum([]byte("crmflow-sandbox:" + seed))
	return hex.EncodeToString(sum[:])
}

// insert stores a new row of t. Fields not in the dictionary are dropped, as
// an instance does; system columns are the instance's to set, unless system
// is true (test helpers and the instance's own rows), which also skips the
// data policy. The caller holds s.mu.
func (s *Server) insert(t *table, fields map[string]string, system bool) (map[string]string, *apiError) {
	row := s.sc.defaults(t)
	var notes map[string]string
	for k, v := range fields {
		c, ok := s.sc.column(t, k)
		switch {
		case !ok:
			continue
		case c.typ == tJournal:
			notes = addNote(notes, k, v)
			continue
		case strings.HasPrefix(k, "sys_") && !system:
			continue
		}
		row[k] = v
	}
	for _, m := range s.mandatoryOf(t) {
		if !system && strings.TrimSpace(row[m]) == "" {
			return nil, dataPolicy(m)
		}
	}
	now := s.now().Format(rowTime)
	if row["sys_id"] == "" {
		row["sys_id"] = s.newSysID()
	}
	setDefault(row, "sys_created_on", now)
	setDefault(row, "sys_updated_on", row["sys_created_on"])
	setDefault(row, "sys_created_by", integrationUser)
	setDefault(row, "sys_updated_by", integrationUser)
	row["sys_class_name"] = t.name
	row["sys_mod_count"] = "0"
	if t.prefix != "" && row["number"] == "" {
		s.numbers[t.name]++
		row["number"] = fmt.Sprintf("%s%07d", t.prefix, t.first+s.numbers[t.name]-1)
	}
	if _, ok := s.sc.column(t, "opened_at"); ok {
		setDefault(row, "opened_at", row["sys_created_on"])
	}
	s.derive(t, row)
	s.rows[row["sys_id"]] = row
	s.order = append(s.order, row["sys_id"])
	s.journal(t, row, notes)
	return maps.Clone(row), nil
}

// update writes fields into an existing row; the caller holds s.mu.
func (s *Server) update(t *table, row map[string]string, fields map[string]string) *apiError {
	next := maps.Clone(row)
	var notes map[string]string
	for k, v := range fields {
		c, ok := s.sc.column(t, k)
		switch {
		case !ok || strings.HasPrefix(k, "sys_"):
			continue
		case c.typ == tJournal:
			notes = addNote(notes, k, v)
			continue
		}
		next[k] = v
	}
	for _, m := range s.mandatoryOf(t) {
		if _, set := fields[m]; set && strings.TrimSpace(next[m]) == "" {
			return dataPolicy(m)
		}
	}
	next["sys_updated_on"] = s.now().Format(rowTime)
	next["sys_updated_by"] = integrationUser
	n, _ := strconv.Atoi(next["sys_mod_count"])
	next["sys_mod_count"] = strconv.Itoa(n + 1)
	s.derive(t, next)
	maps.Copy(row, next)
	s.journal(t, row, notes)
	return nil
}

func addNote(notes map[string]string, element, value string) map[string]string {
	if strings.TrimSpace(value) == "" {
		return notes
	}
	if notes == nil {
		notes = map[string]string{}
	}
	notes[element] = value
	return notes
}

// journal stores work notes and comments as sys_journal_field rows, where
// the platform keeps them; the record itself never shows them.
func (s *Server) journal(t *table, row map[string]string, notes map[string]string) {
	jt := s.sc["sys_journal_field"]
	for _, element := range []string{"comments", "work_notes"} {
		v, ok := notes[element]
		if !ok {
			continue
		}
		_, _ = s.insert(jt, map[string]string{"name": t.name, "element": element, "element_id": row["sys_id"], "value": v,
			"sys_created_on": row["sys_updated_on"]}, true)
	}
}

// derive keeps calculated columns in step, as the base system's business
// rules do: a user's name from first and last name, a task's active flag
// and closed_at from its state.
func (s *Server) derive(t *table, row map[string]string) {
	if s.sc.isA(t.name, "sys_user") {
		if full := strings.TrimSpace(row["first_name"] + " " + row["last_name"]); full != "" {
			row["name"] = full
		}
	}
	if !s.sc.isA(t.name, "task") {
		return
	}
	closed := slices.Contains(s.sc.closedStates(t), row["state"])
	row["active"] = strconv.FormatBool(!closed)
	if closed && row["closed_at"] == "" {
		row["closed_at"] = row["sys_updated_on"]
	}
}

// mandatoryOf lists the mandatory columns of t and its ancestors.
func (s *Server) mandatoryOf(t *table) []string {
	var out []string
	for cur := t; cur != nil; cur = s.sc[cur.parent] {
		out = append(out, cur.mandatory...)
	}
	return out
}

// lookup finds a row of table (or a descendant) by sys_id; the caller holds s.mu.
func (s *Server) lookup(table, id string) (map[string]string, bool) {
	row, ok := s.rows[id]
	if !ok || !s.sc.isA(row["sys_class_name"], table) {
		return nil, false
	}
	return row, true
}

// resolve reads a possibly dot-walked column of a row: caller_id.email
// follows the caller_id reference to the user's email.
func (s *Server) resolve(t *table, row map[string]string, path string) (string, column, bool) {
	head, rest, walk := strings.Cut(path, ".")
	c, ok := s.sc.column(t, head)
	if !ok {
		return "", column{}, false
	}
	if !walk {
		if c.typ == tJournal {
			return "", c, true
		}
		return row[head], c, true
	}
	if c.typ != tReference {
		return "", column{}, false
	}
	// The walk sees the referenced table's columns, not those of a child
	// class the row may have; an empty or dangling reference walks to "".
	next, found := s.lookup(c.ref, row[head])
	if !found {
		next = map[string]string{}
	}
	return s.resolve(s.sc[c.ref], next, rest)
}

func setDefault(m map[string]string, k, v string) {
	if m[k] == "" {
		m[k] = v
	}
}

func (s *Server) now() time.Time { return s.opts.Now().UTC() }
