package kustomer

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
)

// Operators are the criterion operators the sandbox's search accepts.
var Operators = []string{"equals", "not_equals", "contains", "gt", "gte", "lt", "lte"}

// attribute value types of the search schema ("operator" in Kustomer's
// standard attributes JSON schema).
type attrType int

const (
	atString      attrType = iota // analyzed text: equals ignores case
	atNotAnalyzed                 // exact text
	atPhone                       // ^\+?[1-9]\d{1,14}$, compared as digits
	atList                        // enumerations and tags
	atNumber
	atDatetime
	atBoolean
)

// searchAttrs are the standard search attributes the sandbox knows.
var searchAttrs = map[string]attrType{
	"customer_name": atString, "customer_email": atString, "customer_phone": atPhone,
	"customer_externalId": atNotAnalyzed, "customer_locale": atString, "customer_tags": atList,
	"customer_created_at": atDatetime, "customer_updated_at": atDatetime, "customer_modified_at": atDatetime,
	"conversation_name": atString, "conversation_status": atList, "conversation_priority": atNumber,
	"conversation_tags": atList, "conversation_customer_id": atNotAnalyzed, "conversation_direction": atList,
	"conversation_channels": atList, "conversation_created_at": atDatetime, "conversation_updated_at": atDatetime,
	"conversation_modified_at": atDatetime,
}

// customAttr is a custom attribute of a standard object in search:
// {object}_custom_{name}, the name ending in its type suffix.
var customAttr = regexp.MustCompile(`^(customer|conversation)_custom_([a-z][A-Za-z0-9]*(Num|At|Str|Txt|Bool|Url))$`)

// phonePattern is the customer_phone value pattern of Kustomer's schema.
var phonePattern = regexp.MustCompile(`^\+?[1-9]\d{1,14}$`)

// opsFor are the operators each attribute type takes.
var opsFor = map[attrType][]string{
	atString: {"equals", "not_equals", "contains"}, atNotAnalyzed: {"equals", "not_equals", "contains"},
	atPhone: {"equals", "not_equals", "contains"}, atList: {"equals", "not_equals"},
	atNumber: {"equals", "not_equals", "gt", "gte", "lt", "lte"}, atDatetime: {"equals", "not_equals", "gt", "gte", "lt", "lte"},
	atBoolean: {"equals", "not_equals"},
}

// SearchRequest is a search body as the sandbox understood it.
type SearchRequest struct {
	QueryContext string
	And, Or      []Criterion
	Sort         []Sort
}

// Criterion is a group (And or Or set) or one condition.
type Criterion struct {
	And, Or   []Criterion
	Attribute string
	Operator  string
	Value     any // string, float64 or bool
}

// Sort orders results by one attribute.
type Sort struct {
	Attribute  string
	Descending bool
}

// contexts are the queryContext values the sandbox searches in.
var contexts = []string{typeCustomer, typeConversation}

// ParseSearch reads a search body strictly: unknown top-level keys, an
// unknown queryContext, attribute or operator, a value of the wrong type, a
// phone not matching Kustomer's pattern, or an unknown sort are refused with
// a bad_request error (its detail says which).
func ParseSearch(body []byte) (SearchRequest, error) {
	req, err := parseSearch(body)
	if err != nil {
		return req, err
	}
	return req, nil
}

func parseSearch(body []byte) (SearchRequest, *apiError) {
	var req SearchRequest
	var raw map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&raw); err != nil || raw == nil || !atEOF(dec) {
		return req, badRequest("", "Search body must be one JSON object")
	}
	for _, k := range sortedKeys(raw) {
		switch {
		case slices.Contains([]string{"and", "or", "sort", "queryContext", "timeZone", "includeDeleted", "searchHash"}, k):
		case slices.Contains([]string{"not", "aggs", "fields"}, k):
			// Documented, but the sandbox does not evaluate them; it
			// refuses rather than answer a wider or different result.
			return req, badRequest("/"+k, "%q is not supported by this sandbox", k)
		default:
			return req, badRequest("/"+k, "%q is not allowed in a search", k)
		}
	}
	req.QueryContext = typeCustomer
	if q, ok := raw["queryContext"]; ok {
		if json.Unmarshal(q, &req.QueryContext) != nil || !slices.Contains(contexts, req.QueryContext) {
			return req, badRequest("/queryContext", "queryContext must be one of %s", strings.Join(contexts, ", "))
		}
	}
	var err *apiError
	if req.And, err = parseList(raw["and"], "/and", req.QueryContext, 1); err != nil {
		return req, err
	}
	if req.Or, err = parseList(raw["or"], "/or", req.QueryContext, 1); err != nil {
		return req, err
	}
	if s, ok := raw["sort"]; ok {
		var list []map[string]string
		if json.Unmarshal(s, &list) != nil {
			return req, badRequest("/sort", `sort must be a list of {"attribute": "asc"|"desc"}`)
		}
		if len(list) > maxSorts {
			return req, badRequest("/sort", "sort must have at most %d items", maxSorts)
		}
		for i, m := range list {
			if len(m) != 1 {
				return req, badRequest(fmt.Sprintf("/sort/%d", i), "a sort names exactly one attribute")
			}
			for a, dir := range m {
				if !sortable(a, req.QueryContext) || (dir != "asc" && dir != "desc") {
					return req, badRequest(fmt.Sprintf("/sort/%d", i), "cannot sort on %q %q", a, dir)
				}
				req.Sort = append(req.Sort, Sort{Attribute: a, Descending: dir == "desc"})
			}
		}
	}
	return req, nil
}

// sortAttrs are the attributes a search may sort on: customer attributes
// from Kustomer's documented list, and conversation dates (and name) for
// conversation searches.
var sortAttrs = []string{"customer_name", "customer_externalId", "customer_created_at", "customer_updated_at",
	"customer_modified_at", "conversation_name", "conversation_created_at", "conversation_updated_at", "conversation_modified_at"}

func sortable(attr, ctx string) bool {
	return strings.HasPrefix(attr, ctx+"_") && slices.Contains(sortAttrs, attr)
}

const maxCriteriaDepth = 6

// maxCriteria and maxSorts are the search schema's maxItems of and/or and
// of sort (Kustomer's OpenAPI, POST /v1/customers/search).
const (
	maxCriteria = 20
	maxSorts    = 5
)

func parseList(raw json.RawMessage, path, ctx string, depth int) ([]Criterion, *apiError) {
	if raw == nil || string(raw) == "null" {
		return nil, nil
	}
	if depth > maxCriteriaDepth {
		return nil, badRequest(path, "criteria nested deeper than %d levels", maxCriteriaDepth)
	}
	var items []map[string]json.RawMessage
	if json.Unmarshal(raw, &items) != nil {
		return nil, badRequest(path, "must be a list of criteria objects")
	}
	if len(items) > maxCriteria {
		return nil, badRequest(path, "must have at most %d items", maxCriteria)
	}
	out := make([]Criterion, 0, len(items))
	for i, item := range items {
		at := fmt.Sprintf("%s/%d", path, i)
		if len(item) != 1 {
			return nil, badRequest(at, "a criterion names exactly one attribute or group")
		}
		for key, v := range item {
			c, err := parseCriterion(key, v, at, ctx, depth)
			if err != nil {
				return nil, err
			}
			out = append(out, c)
		}
	}
	return out, nil
}

func parseCriterion(key string, v json.RawMessage, at, ctx string, depth int) (Criterion, *apiError) {
	var c Criterion
	switch key {
	case "and", "or":
		list, err := parseList(v, at+"/"+key, ctx, depth+1)
		if err != nil {
			return c, err
		}
		if len(list) == 0 {
			return c, badRequest(at+"/"+key, "a group needs at least one criterion")
		}
		if key == "and" {
			c.And = list
		} else {
			c.Or = list
		}
		return c, nil
	}
	typ, ok := attrTypeOf(key, ctx)
	if !ok {
		return c, badRequest(at, "%q is not a search attribute in queryContext %s", key, ctx)
	}
	var ops map[string]json.RawMessage
	if json.Unmarshal(v, &ops) != nil || len(ops) != 1 {
		return c, badRequest(at+"/"+key, `a condition is {"operator": value} with exactly one operator`)
	}
	for op, raw := range ops {
		if !slices.Contains(opsFor[typ], op) {
			return c, badRequest(at+"/"+key, "operator %q does not apply to %s", op, key)
		}
		var val any
		if json.Unmarshal(raw, &val) != nil {
			return c, badRequest(at+"/"+key+"/"+op, "value is not JSON")
		}
		if err := checkSearchValue(typ, val); err != "" {
			return c, badRequest(at+"/"+key+"/"+op, "%s: %s", key, err)
		}
		c.Attribute, c.Operator, c.Value = key, op, val
	}
	return c, nil
}

// attrTypeOf: customer searches may also name conversation attributes (a
// customer matches when one of their conversations does).
func attrTypeOf(attr, ctx string) (attrType, bool) {
	if ctx == typeConversation && !strings.HasPrefix(attr, "conversation_") {
		return 0, false
	}
	if t, ok := searchAttrs[attr]; ok {
		return t, true
	}
	m := customAttr.FindStringSubmatch(attr)
	if m == nil {
		return 0, false
	}
	switch m[3] {
	case "Num":
		return atNumber, true
	case "At":
		return atDatetime, true
	case "Bool":
		return atBoolean, true
	}
	return atString, true
}

func checkSearchValue(t attrType, v any) string {
	switch t {
	case atNumber:
		if _, ok := v.(float64); !ok {
			return "must be a number"
		}
	case atBoolean:
		if _, ok := v.(bool); !ok {
			return "must be a boolean"
		}
	case atDatetime:
		if s, ok := v.(string); !ok || !validTime(s) {
			return "must be a date (YYYY-MM-DD) or an ISO 8601 date-time"
		}
	case atPhone:
		if s, ok := v.(string); !ok || !phonePattern.MatchString(s) {
			return `must match ^\+?[1-9]\d{1,14}$`
		}
	default:
		if _, ok := v.(string); !ok {
			return "must be a string"
		}
	}
	return ""
}

// atEOF says whether nothing but white space follows the decoded value.
func atEOF(dec *json.Decoder) bool {
	_, err := dec.Token()
	return errors.Is(err, io.EOF)
}
