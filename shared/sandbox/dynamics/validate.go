package dynamics

import (
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"time"
)

// bindTarget is the value of an @odata.bind: /contacts(id), or the same
// below an absolute /api/data/v9.x/ address.
var bindTarget = regexp.MustCompile(`^(?:https?://[^/]+/api/data/v9\.[0-2])?/([A-Za-z0-9_]+)\(([0-9a-fA-F-]{36})\)$`)

// payloadError is Dataverse's 0x80048d19 answer to a body it cannot take:
// the entity set, a help link, and the inner exception (an OData
// deserializer's, by default).
func payloadError(t *table, inner string) *apiError {
	return payloadErrorFrom(t, "Microsoft.OData.ODataException: "+inner)
}

func payloadErrorFrom(t *table, inner string) *apiError {
	return badRequest(codePayload, "Error identified in Payload provided by the user for Entity :'"+t.set+"', For more information "+
		"on this error please follow this help link https://go.microsoft.com/fwlink/?linkid=2195293  ---->  InnerException : "+inner)
}

// invalidProperty is what Dataverse answers a create or update naming a
// column the table does not have (recorded: verbb/formie issue 1251,
// microsoft/PowerAppsCodeApps issue 84).
func invalidProperty(t *table, key string) *apiError {
	return payloadErrorFrom(t, fmt.Sprintf("Microsoft.Crm.CrmException: Invalid property '%s' was found in entity '%s'. ---> "+
		"Microsoft.OData.ODataException: Does not support untyped value in non-open type.", key, typeName(t)))
}

// decodeBody reads a JSON object body, as the Web API insists.
func decodeBody(r *http.Request, t *table) (map[string]any, *apiError) {
	var body map[string]any
	dec := json.NewDecoder(http.MaxBytesReader(nil, r.Body, 1<<20))
	if err := dec.Decode(&body); err != nil || body == nil || dec.More() {
		return nil, payloadError(t, "Invalid JSON. A JSON object was expected.")
	}
	return body, nil
}

// checkWrite validates a create or update body. strict is the API's view;
// Add passes false to set read-only columns and states for demo data.
func (s *Server) checkWrite(t *table, body map[string]any, create, strict bool) (*change, *apiError) {
	ch := &change{vals: map[string]any{}, links: map[string]link{}}
	for _, key := range slices.Sorted(maps.Keys(body)) {
		v := body[key]
		switch {
		case key == "@odata.type":
			continue
		case strings.HasSuffix(key, "@odata.bind"):
			if err := s.checkBind(t, ch, strings.TrimSuffix(key, "@odata.bind"), v); err != nil {
				return nil, err
			}
		case key == t.logical+"_activity_parties" && t.logical == "phonecall":
			parties, err := s.checkParties(t, v)
			if err != nil {
				return nil, err
			}
			ch.parties = parties
		default:
			a, ok := t.attrOf(key)
			if !ok || (strict && isLookupKey(key)) {
				return nil, invalidProperty(t, key)
			}
			if strict && (a.readOnly || (key == t.pk && !create) || (key == "statecode" && create)) {
				return nil, payloadError(t, fmt.Sprintf("The property '%s' is not valid for %s on type '%s'.", key, verb(create), typeName(t)))
			}
			val, err := convert(t, key, a, v)
			if err != nil {
				return nil, err
			}
			ch.vals[key] = val
		}
	}
	return ch, nil
}

func verb(create bool) string {
	if create {
		return "create"
	}
	return "update"
}

// checkBind resolves nav@odata.bind to an existing row of the nav's target.
func (s *Server) checkBind(t *table, ch *change, navName string, v any) *apiError {
	n, ok := t.navs[navName]
	if !ok {
		return payloadError(t, fmt.Sprintf("An undeclared property '%s' which only has property annotations in the payload but no "+
			"property value was found in the payload. In OData, only declared navigation properties and declared named streams can be "+
			"represented as properties without values.", navName))
	}
	if _, dup := ch.links[n.lookup]; dup {
		return payloadError(t, fmt.Sprintf("The lookup '%s' was set more than once.", n.lookup))
	}
	if v == nil {
		ch.links[n.lookup] = link{}
		return nil
	}
	ref, _ := v.(string)
	target, id, err := s.resolveBind(t, ref)
	if err != nil {
		return err
	}
	if target.logical != n.target {
		return payloadError(t, fmt.Sprintf("A value of type '%s' was bound to the navigation property '%s', which expects '%s'.",
			typeName(target), navName, "Microsoft.Dynamics.CRM."+n.target))
	}
	ch.links[n.lookup] = link{id: id, target: target.logical}
	return nil
}

func (s *Server) resolveBind(t *table, ref string) (*table, string, *apiError) {
	m := bindTarget.FindStringSubmatch(ref)
	if m == nil || !guidRe.MatchString(m[2]) {
		return nil, "", payloadError(t, fmt.Sprintf("The value '%s' is not a valid entity reference.", ref))
	}
	target, ok := s.tables[m[1]]
	if !ok {
		return nil, "", segmentNotFound(m[1])
	}
	id := strings.ToLower(m[2])
	if s.rows[target.logical][id] == nil {
		return nil, "", notFound(target, id)
	}
	return target, id, nil
}

// checkParties validates phonecall_activity_parties: each party binds one
// account, contact, lead or user and has a participation type (1 From, 2 To…).
func (s *Server) checkParties(t *table, v any) ([]Party, *apiError) {
	list, ok := v.([]any)
	if !ok {
		return nil, payloadError(t, "A collection was expected for 'phonecall_activity_parties'.")
	}
	var out []Party
	for _, item := range list {
		obj, ok := item.(map[string]any)
		if !ok || len(obj) != 2 {
			return nil, payloadError(t, "An activity party needs one partyid binding and a participationtypemask.")
		}
		mask, ok := obj["participationtypemask"].(float64)
		if !ok || mask != math.Trunc(mask) || mask < 1 || mask > 11 {
			return nil, payloadError(t, "The participationtypemask of an activity party must be an integer from 1 to 11.")
		}
		var p *Party
		for k, ref := range obj {
			navName, isBind := strings.CutSuffix(k, "@odata.bind")
			if !isBind {
				continue
			}
			want, known := partyTargets[navName]
			r, _ := ref.(string)
			if !known {
				return nil, payloadError(t, "The activity party binding '"+k+"' is not supported.")
			}
			target, id, err := s.resolveBind(t, r)
			if err != nil {
				return nil, err
			}
			if target.logical != want {
				return nil, payloadError(t, fmt.Sprintf("A value of type '%s' was bound to '%s'.", typeName(target), navName))
			}
			p = &Party{Entity: want, ID: id, Mask: int(mask)}
		}
		if p == nil {
			return nil, payloadError(t, "An activity party needs one partyid binding and a participationtypemask.")
		}
		out = append(out, *p)
	}
	return out, nil
}

// convert checks one value against its column's type and returns the stored form.
func convert(t *table, name string, a attr, v any) (any, *apiError) {
	if v == nil {
		return nil, nil
	}
	wrong := func() *apiError {
		return payloadError(t, fmt.Sprintf("Cannot convert the literal '%v' to the expected type '%s'.", v, a.typ.edmName()))
	}
	switch {
	case a.typ.text():
		str, ok := v.(string)
		if !ok || !validUTF8(str) {
			return nil, wrong()
		}
		if a.max > 0 && len([]rune(str)) > a.max {
			return nil, badRequest(codeLength, fmt.Sprintf("A validation error occurred. The length of the '%s' attribute of the '%s' "+
				"entity exceeded the maximum allowed length of '%d'.", name, t.logical, a.max))
		}
		return str, nil
	case a.typ.numeric():
		n, ok := v.(float64)
		if !ok || (a.typ != tDecimal && a.typ != tMoney && (n != math.Trunc(n) || n > math.MaxInt32 || n < math.MinInt32)) {
			return nil, wrong()
		}
		return n, nil
	case a.typ == tBool:
		if _, ok := v.(bool); !ok {
			return nil, wrong()
		}
		return v, nil
	}
	str, ok := v.(string)
	if !ok {
		return nil, wrong()
	}
	switch a.typ {
	case tDateTime:
		ts, err := time.Parse(time.RFC3339Nano, str)
		if err != nil {
			return nil, wrong()
		}
		return ts.UTC().Format(rowTime), nil
	case tDateOnly:
		if _, err := time.Parse("2006-01-02", str); err != nil {
			return nil, wrong()
		}
		return str, nil
	}
	if !guidRe.MatchString(str) {
		return nil, wrong()
	}
	return strings.ToLower(str), nil
}
