package hubspot

import (
	"encoding/json"
	"fmt"
	"net/mail"
	"slices"
	"strconv"
	"strings"
	"time"
)

// propError is one entry of HubSpot's "Property values were not valid" list.
type propError struct {
	IsValid bool   `json:"isValid"`
	Message string `json:"message"`
	Error   string `json:"error"`
	Name    string `json:"name"`
}

// readOnly are maintained by HubSpot and refused in writes.
var readOnly = map[string]bool{"hs_object_id": true, "createdate": true, "lastmodifieddate": true,
	"hs_lastmodifieddate": true, "hs_createdate": true}

// checkProps validates the properties of a create (current nil) or an
// update and returns them as stored strings. Values may be JSON strings,
// numbers, booleans or null (which clears); HubSpot stores every value as
// a string and normalizes date-times.
func (s *Server) checkProps(t *objectType, raw map[string]json.RawMessage, current *object) (map[string]string, *apiError) {
	out := map[string]string{}
	var bad []propError
	fail := func(name, code, msg string) { bad = append(bad, propError{Message: msg, Error: code, Name: name}) }
	for _, name := range sortedKeys(raw) {
		def, ok := t.props[name]
		if !ok {
			fail(name, "PROPERTY_DOESNT_EXIST", fmt.Sprintf("Property %q does not exist", name))
			continue
		}
		if readOnly[name] {
			fail(name, "READ_ONLY_VALUE", fmt.Sprintf("%q is a read only property; its value cannot be set.", name))
			continue
		}
		v, err := scalarText(raw[name])
		if err != nil {
			fail(name, "INVALID_VALUE", fmt.Sprintf("%s is not a valid value for %s", string(raw[name]), name))
			continue
		}
		if v == "" {
			out[name] = ""
			continue
		}
		norm, code, msg := checkValue(name, def, v)
		if code != "" {
			fail(name, code, msg)
			continue
		}
		out[name] = norm
	}
	if current == nil {
		s.fillDefaults(t, out)
		for _, name := range t.required {
			if out[name] == "" {
				fail(name, "REQUIRED_FIELD", fmt.Sprintf("%s is required", name))
			}
		}
	}
	if len(bad) == 0 {
		if msg, code := s.checkStage(t, out, current); code != "" {
			fail("hs_pipeline_stage", code, msg)
		}
	}
	if len(bad) > 0 {
		list, _ := json.Marshal(bad)
		return nil, validation("Property values were not valid: %s", list)
	}
	return out, nil
}

// fillDefaults puts pipelines where HubSpot would: the default one.
func (s *Server) fillDefaults(t *objectType, p map[string]string) {
	switch t.name {
	case "tickets":
		if p["hs_pipeline"] == "" {
			p["hs_pipeline"] = "0"
		}
	case "deals":
		if p["pipeline"] == "" {
			p["pipeline"] = "default"
		}
	}
}

// checkStage makes sure a ticket's stage belongs to its pipeline.
func (s *Server) checkStage(t *objectType, p map[string]string, current *object) (string, string) {
	if t.name != "tickets" {
		return "", ""
	}
	pipe, stage := p["hs_pipeline"], p["hs_pipeline_stage"]
	if current != nil {
		if pipe == "" {
			pipe = current.props["hs_pipeline"]
		}
		if stage == "" {
			stage = current.props["hs_pipeline_stage"]
		}
	}
	for _, pl := range ticketPipelines {
		if pl.id != pipe {
			continue
		}
		for _, st := range pl.stages {
			if st.id == stage {
				return "", ""
			}
		}
		return fmt.Sprintf("%s is not a valid pipeline stage of pipeline %s", stage, pipe), "INVALID_OPTION"
	}
	return fmt.Sprintf("%s is not a valid ticket pipeline", pipe), "INVALID_OPTION"
}

// scalarText turns a JSON scalar into HubSpot's string form.
func scalarText(raw json.RawMessage) (string, error) {
	var v any
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return "", err
	}
	switch x := v.(type) {
	case nil:
		return "", nil
	case string:
		return x, nil
	case json.Number:
		return x.String(), nil
	case bool:
		return strconv.FormatBool(x), nil
	}
	return "", fmt.Errorf("not a scalar")
}

// checkValue validates one non-empty value and returns it as stored, or an
// error code and message.
func checkValue(name string, def propDef, v string) (string, string, string) {
	switch def.kind {
	case kindNumber:
		if _, err := strconv.ParseFloat(v, 64); err != nil {
			return "", "INVALID_INTEGER", fmt.Sprintf("%s was not a valid number.", v)
		}
	case kindDateTime:
		t, ok := parseStamp(v)
		if !ok {
			return "", "INVALID_DATE", fmt.Sprintf("%s was not a valid date-time: use ISO 8601 or milliseconds since the epoch.", v)
		}
		return t.Format(stampLayout), "", ""
	case kindEnum:
		if def.options != nil && !slices.Contains(def.options, v) {
			return "", "INVALID_OPTION", fmt.Sprintf("%s was not one of the allowed options: %s", v, strings.Join(def.options, ", "))
		}
	}
	if name == "email" {
		if a, err := mail.ParseAddress(v); err != nil || a.Address != v || !strings.Contains(v[strings.LastIndex(v, "@")+1:], ".") {
			return "", "INVALID_EMAIL", fmt.Sprintf("Email address %s is invalid", v)
		}
	}
	return v, "", ""
}

// parseStamp reads a date-time as HubSpot accepts one: ISO 8601 (date or
// date-time) or milliseconds since the epoch.
func parseStamp(v string) (time.Time, bool) {
	if ms, err := strconv.ParseInt(v, 10, 64); err == nil {
		return time.UnixMilli(ms).UTC(), true
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02"} {
		if t, err := time.Parse(layout, v); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
