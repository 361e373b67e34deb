package salesforce

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"time"
)

// sfTime is how Salesforce writes datetimes in JSON.
const sfTime = "2006-01-02T15:04:05.000-0700"

// apiError is one element of Salesforce's error array.
type apiError struct {
	Message   string   `json:"message"`
	ErrorCode string   `json:"errorCode"`
	Fields    []string `json:"fields,omitempty"`
	status    int
}

func (e *apiError) Error() string { return e.ErrorCode + ": " + e.Message }

func badRequest(code, format string, args ...any) *apiError {
	return &apiError{status: 400, ErrorCode: code, Message: fmt.Sprintf(format, args...)}
}

func notFound() *apiError {
	return &apiError{status: 404, ErrorCode: "NOT_FOUND", Message: "The requested resource does not exist"}
}

var customObjectName = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9]*(_[A-Za-z0-9]+)*__c$`)

// entityByName finds a known entity case-insensitively; the caller holds s.mu.
func (s *Server) entityByName(name string) (*entity, bool) {
	e, ok := s.entities[strings.ToLower(name)]
	return e, ok
}

// entityForCreate finds an entity or, for a well-formed custom object name,
// registers it: the sandbox has no setup UI, so a custom object exists once
// something writes to it.
func (s *Server) entityForCreate(name string) (*entity, bool) {
	if e, ok := s.entityByName(name); ok {
		return e, e.createable
	}
	if !customObjectName.MatchString(name) {
		return nil, false
	}
	n := s.customObjects
	s.customObjects++
	prefix := fmt.Sprintf("a%c%c", base62[(n/62)%62], base62[n%62])
	e := customEntity(name, prefix)
	s.entities[strings.ToLower(name)] = e
	s.byPrefix[prefix] = e
	return e, true
}

// entityOfID tells which entity an id belongs to, by its key prefix.
func (s *Server) entityOfID(id string) (*entity, bool) {
	if len(id) < 3 {
		return nil, false
	}
	e, ok := s.byPrefix[id[:3]]
	return e, ok
}

// get returns a stored record by any id form; the caller holds s.mu.
func (s *Server) get(id string) (map[string]any, *entity, bool) {
	cid, ok := canonicalID(id)
	if !ok {
		return nil, nil, false
	}
	rec, ok := s.records[cid]
	if !ok {
		return nil, nil, false
	}
	e, _ := s.entityOfID(cid)
	return rec, e, true
}

// insert validates body and stores a new record; the caller holds s.mu.
func (s *Server) insert(e *entity, body map[string]any, validate bool) (string, *apiError) {
	vals, err := s.checkWrite(e, body, validate)
	if err != nil {
		return "", err
	}
	if validate {
		if err := missingRequired(e, vals, true); err != nil {
			return "", err
		}
	}
	s.seq++
	id := makeID(e.prefix, s.seq)
	now := s.now().UTC().Format(sfTime)
	rec := map[string]any{"Id": id, "IsDeleted": false, "CreatedDate": now, "CreatedById": s.userID,
		"LastModifiedDate": now, "LastModifiedById": s.userID, "SystemModstamp": now}
	if _, ok := e.fields["OwnerId"]; ok {
		rec["OwnerId"] = s.userID
	}
	for name, f := range e.fields {
		if f.def != nil {
			rec[name] = f.def
		}
	}
	maps.Copy(rec, vals)
	switch e.name {
	case "Case":
		s.caseNumber++
		rec["CaseNumber"] = fmt.Sprintf("%08d", s.caseNumber)
	case "WorkOrder":
		s.workOrderNumber++
		rec["WorkOrderNumber"] = fmt.Sprintf("%08d", s.workOrderNumber)
	}
	derive(e, rec, now)
	if validate {
		if err := s.checkUnique(e, id, rec); err != nil {
			return "", err
		}
	}
	s.records[id] = rec
	s.order[e.name] = append(s.order[e.name], id)
	s.index.Put(id, rec)
	return id, nil
}

// update validates body and changes a stored record; the caller holds s.mu.
func (s *Server) update(e *entity, rec map[string]any, body map[string]any) *apiError {
	vals, err := s.checkWrite(e, body, true)
	if err != nil {
		return err
	}
	if err := missingRequired(e, vals, false); err != nil {
		return err
	}
	next := maps.Clone(rec)
	maps.Copy(next, vals)
	if err := s.checkUnique(e, rec["Id"].(string), next); err != nil {
		return err
	}
	maps.Copy(rec, vals)
	now := s.now().UTC().Format(sfTime)
	rec["LastModifiedDate"], rec["SystemModstamp"], rec["LastModifiedById"] = now, now, s.userID
	derive(e, rec, now)
	s.index.Put(rec["Id"].(string), rec)
	return nil
}

// checkUnique refuses a value of a unique field that another record of e
// holds already, as Salesforce does (DUPLICATE_VALUE; the message as the
// API shows it, "duplicate value found: <field> duplicates value on record
// with id: <id>"). Test helpers (Add) skip it, so a test can make the
// duplicates an org without the Unique attribute would have.
func (s *Server) checkUnique(e *entity, id string, rec map[string]any) *apiError {
	for name, f := range e.fields {
		v, ok := rec[name].(string)
		if !f.unique || !ok || v == "" {
			continue
		}
		for _, other := range s.order[e.name] {
			if other != id && s.records[other][name] == v {
				err := badRequest("DUPLICATE_VALUE", "duplicate value found: %s duplicates value on record with id: %s", name, other)
				err.Fields = []string{name}
				return err
			}
		}
	}
	return nil
}

// missingRequired reports required fields left out on create or blanked on update.
func missingRequired(e *entity, vals map[string]any, create bool) *apiError {
	var missing []string
	for _, r := range e.required {
		v, present := vals[r]
		if (create && !present) || (present && v == nil) {
			missing = append(missing, r)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	err := badRequest("REQUIRED_FIELD_MISSING", "Required fields are missing: [%s]", strings.Join(missing, ", "))
	err.Fields = missing
	return err
}

// checkWrite validates the fields of a create or update body and returns them
// under their canonical names, converted to the stored form. Without validate
// (demo data and test helpers) only names are checked.
func (s *Server) checkWrite(e *entity, body map[string]any, validate bool) (map[string]any, *apiError) {
	out := make(map[string]any, len(body))
	for _, k := range slices.Sorted(maps.Keys(body)) {
		v := body[k]
		if k == "attributes" {
			continue
		}
		if strings.EqualFold(k, "Id") {
			return nil, badRequest("INVALID_FIELD", "The Id field should not be specified in the sobject data.")
		}
		name, f, ok := e.lookup(k)
		if !ok {
			return nil, badRequest("INVALID_FIELD", "No such column '%s' on sobject of type %s", k, e.name)
		}
		if validate && f.readOnly {
			err := badRequest("INVALID_FIELD_FOR_INSERT_UPDATE", "Unable to create/update fields: %s. Please check the security settings of this field and verify that it is read/write for your profile or permission set.", name)
			err.Fields = []string{name}
			return nil, err
		}
		conv, err := s.convert(e, name, f, v, validate)
		if err != nil {
			return nil, err
		}
		out[name] = conv
	}
	return out, nil
}

// convert checks one value against its field's type and returns the stored form.
func (s *Server) convert(e *entity, name string, f field, v any, validate bool) (any, *apiError) {
	if v == nil {
		return nil, nil
	}
	wrongType := func(kind string) *apiError {
		err := badRequest("JSON_PARSER_ERROR", "Cannot deserialize instance of %s for field %s", kind, name)
		err.Fields = []string{name}
		return err
	}
	switch {
	case f.typ == tAny:
		switch x := v.(type) {
		case string:
			if x == "" {
				return nil, nil
			}
			return x, nil
		case bool, float64:
			return x, nil
		}
		return nil, wrongType("string")
	case f.typ == tBool:
		if _, ok := v.(bool); !ok {
			return nil, wrongType("boolean")
		}
		return v, nil
	case f.typ.numeric():
		n, ok := v.(float64)
		if !ok {
			return nil, wrongType("double")
		}
		if f.typ == tInt && n != float64(int64(n)) {
			return nil, wrongType("int")
		}
		return n, nil
	}
	str, ok := v.(string)
	if !ok {
		return nil, wrongType(typeName(f.typ))
	}
	if str == "" {
		return nil, nil
	}
	switch f.typ {
	case tDate:
		if _, err := time.Parse("2006-01-02", str); err != nil {
			return nil, wrongType("date")
		}
	case tDateTime:
		t, err := parseDateTime(str)
		if err != nil {
			return nil, wrongType("datetime")
		}
		return t.UTC().Format(sfTime), nil
	case tRef:
		if validate {
			return s.checkRef(name, f, str)
		}
	}
	if validate && f.restricted != nil && !slices.Contains(f.restricted, str) {
		err := badRequest("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST", "%s: bad value for restricted picklist field: %s", name, str)
		err.Fields = []string{name}
		return nil, err
	}
	if max := maxLength(e.name, name); validate && max > 0 && len([]rune(str)) > max {
		err := badRequest("STRING_TOO_LONG", "%s: data value too large (max length=%d)", name, max)
		err.Fields = []string{name}
		return nil, err
	}
	return str, nil
}

func typeName(t fieldType) string {
	switch t {
	case tDate:
		return "date"
	case tDateTime:
		return "datetime"
	}
	return "string"
}

// maxLength is the length limit of the few text fields whose limit matters to callers.
func maxLength(entity, field string) int {
	switch field {
	case "Subject", "CallObject", "CallDisposition", "Name", "Company", WriteKeyField:
		return 255
	case "LastName":
		return 80
	case "FirstName":
		return 40
	}
	return 0
}

// checkRef validates a reference: an id of an existing record of a target entity.
func (s *Server) checkRef(name string, f field, v string) (any, *apiError) {
	id, ok := canonicalID(v)
	if !ok {
		err := badRequest("MALFORMED_ID", "%s: id value of incorrect type: %s", name, v)
		err.Fields = []string{name}
		return nil, err
	}
	_, te, found := s.get(id)
	if !found {
		err := badRequest("INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id")
		err.Fields = []string{name}
		return nil, err
	}
	// WhatId takes custom objects too.
	if !slices.Contains(f.refs, te.name) && !(name == "WhatId" && te.custom) {
		err := badRequest("FIELD_INTEGRITY_EXCEPTION", "%s: id value of incorrect type: %s", name, v)
		err.Fields = []string{name}
		return nil, err
	}
	return id, nil
}

func parseDateTime(s string) (time.Time, error) {
	if t, err := time.Parse(sfTime, s); err == nil {
		return t, nil
	}
	return time.Parse(time.RFC3339Nano, s)
}

// derive recomputes the fields Salesforce computes: compound names and the
// closed flags that follow a status.
func derive(e *entity, rec map[string]any, now string) {
	str := func(k string) string { v, _ := rec[k].(string); return v }
	switch e.name {
	case "Contact", "Lead", "User":
		rec["Name"] = strings.TrimSpace(str("FirstName") + " " + str("LastName"))
	case "Case":
		closed := str("Status") == "Closed"
		if closed && rec["ClosedDate"] == nil {
			rec["ClosedDate"] = now
		}
		if !closed {
			rec["ClosedDate"] = nil
		}
		rec["IsClosed"] = closed
	case "Task":
		rec["IsClosed"] = str("Status") == "Completed"
	case "Opportunity":
		rec["IsClosed"] = strings.HasPrefix(str("StageName"), "Closed")
		rec["IsWon"] = str("StageName") == "Closed Won"
	case "WorkOrder":
		rec["IsClosed"] = slices.Contains([]string{"Closed", "Completed", "Canceled", "Cannot Complete"}, str("Status"))
	}
}
