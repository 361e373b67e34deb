package hubspot

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Limits of one search request, as HubSpot documents them: at most five
// filter groups (OR-ed), six filters in a group (AND-ed) and 18 filters in all.
const (
	MaxFilterGroups = 5
	MaxGroupFilters = 6
	MaxFilters      = 18
	defaultLimit    = 10
)

// Operators are the filter operators HubSpot's search accepts.
var Operators = []string{"EQ", "NEQ", "LT", "LTE", "GT", "GTE", "BETWEEN", "IN", "NOT_IN",
	"HAS_PROPERTY", "NOT_HAS_PROPERTY", "CONTAINS_TOKEN", "NOT_CONTAINS_TOKEN"}

// SearchRequest is a search body as the sandbox understood it.
type SearchRequest struct {
	FilterGroups []FilterGroup
	Sorts        []Sort
	Query        string
	Properties   []string
	Limit        int
	After        int
}

// FilterGroup is filters that must all match.
type FilterGroup struct {
	Filters []Filter
}

// Filter is one condition. Values arrive as JSON strings (numbers and
// booleans are taken as their text, as HubSpot does).
type Filter struct {
	PropertyName string
	Operator     string
	Value        string
	HighValue    string
	Values       []string
}

// Sort orders the results by one property.
type Sort struct {
	PropertyName string
	Descending   bool
}

type wireFilter struct {
	PropertyName string            `json:"propertyName"`
	Operator     string            `json:"operator"`
	Value        json.RawMessage   `json:"value"`
	HighValue    json.RawMessage   `json:"highValue"`
	Values       []json.RawMessage `json:"values"`
}

type wireSearch struct {
	FilterGroups []struct {
		Filters []wireFilter `json:"filters"`
	} `json:"filterGroups"`
	Filters    []wireFilter      `json:"filters"`
	Sorts      []json.RawMessage `json:"sorts"`
	Query      string            `json:"query"`
	Properties []string          `json:"properties"`
	Limit      *int              `json:"limit"`
	After      json.RawMessage   `json:"after"`
}

// ParseSearch reads a search body strictly, as HubSpot validates one:
// unknown keys, operators or sort directions, missing values, more than
// MaxFilterGroups groups, MaxGroupFilters filters in a group or MaxFilters
// in all, a limit over 200, a non-integer after, or paging past 10,000
// results are refused with a VALIDATION_ERROR. Property names are checked
// against the object type when the search is served.
func ParseSearch(body []byte) (*SearchRequest, error) {
	req, err := parseSearch(body)
	if err != nil {
		return nil, err
	}
	return req, nil
}

func parseSearch(body []byte) (*SearchRequest, *apiError) {
	var w wireSearch
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&w); err != nil {
		return nil, validation("Invalid input JSON on line 1: %s", strings.TrimPrefix(err.Error(), "json: "))
	}
	if dec.More() {
		return nil, validation("Invalid input JSON: trailing data after the request body")
	}
	req := &SearchRequest{Query: w.Query, Properties: w.Properties, Limit: defaultLimit}
	if len(w.FilterGroups) > MaxFilterGroups {
		return nil, validation("Too many filter groups: %d. The maximum is %d.", len(w.FilterGroups), MaxFilterGroups)
	}
	total := len(w.Filters)
	groups := make([][]wireFilter, 0, len(w.FilterGroups)+1)
	for i, g := range w.FilterGroups {
		if len(g.Filters) == 0 {
			return nil, validation("filterGroups[%d]: a filter group needs at least one filter", i)
		}
		if len(g.Filters) > MaxGroupFilters {
			return nil, validation("Too many filters in filterGroups[%d]: %d. The maximum is %d per group.", i, len(g.Filters), MaxGroupFilters)
		}
		total += len(g.Filters)
		groups = append(groups, g.Filters)
	}
	if total > MaxFilters {
		return nil, validation("Too many filters: %d. The maximum is %d in all filter groups together.", total, MaxFilters)
	}
	if len(w.Filters) > 0 {
		// Top-level filters are one more AND group.
		groups = append(groups, w.Filters)
	}
	for i, g := range groups {
		var fg FilterGroup
		for j, wf := range g {
			f, err := parseFilter(wf)
			if err != nil {
				err.message = fmt.Sprintf("filterGroups[%d].filters[%d]: %s", i, j, err.message)
				return nil, err
			}
			fg.Filters = append(fg.Filters, f)
		}
		req.FilterGroups = append(req.FilterGroups, fg)
	}
	if len(w.Sorts) > 1 {
		return nil, validation("Only one sort is allowed, got %d", len(w.Sorts))
	}
	for _, raw := range w.Sorts {
		s, err := parseSort(raw)
		if err != nil {
			return nil, err
		}
		req.Sorts = append(req.Sorts, s)
	}
	if w.Limit != nil {
		if *w.Limit < 0 || *w.Limit > maxSearchPage {
			return nil, validation("limit: must be between 0 and %d, got %d", maxSearchPage, *w.Limit)
		}
		req.Limit = *w.Limit
	}
	if len(w.After) > 0 {
		text, err := scalarText(w.After)
		n, convErr := strconv.Atoi(text)
		if err != nil || convErr != nil || n < 0 {
			return nil, validation("after: %s is not a valid integer", string(w.After))
		}
		req.After = n
	}
	if req.After+req.Limit > maxSearchTotal {
		return nil, validation("Search results are limited to %d; cannot page to %d", maxSearchTotal, req.After+req.Limit)
	}
	return req, nil
}

func parseFilter(wf wireFilter) (Filter, *apiError) {
	f := Filter{PropertyName: wf.PropertyName, Operator: wf.Operator}
	if f.PropertyName == "" {
		return f, validation("propertyName is required")
	}
	if !slices.Contains(Operators, f.Operator) {
		return f, validation("%q is not a valid operator; use one of %s", f.Operator, strings.Join(Operators, ", "))
	}
	text := func(name string, raw json.RawMessage) (string, *apiError) {
		if len(raw) == 0 || string(raw) == "null" {
			return "", validation("%s is required for operator %s", name, f.Operator)
		}
		v, err := scalarText(raw)
		if err != nil {
			return "", validation("%s must be a string, number or boolean", name)
		}
		return v, nil
	}
	var err *apiError
	switch f.Operator {
	case "HAS_PROPERTY", "NOT_HAS_PROPERTY":
	case "IN", "NOT_IN":
		if len(wf.Values) == 0 {
			return f, validation("values is required for operator %s", f.Operator)
		}
		for _, raw := range wf.Values {
			v, err := text("values[]", raw)
			if err != nil {
				return f, err
			}
			f.Values = append(f.Values, v)
		}
	case "BETWEEN":
		if f.Value, err = text("value", wf.Value); err != nil {
			return f, err
		}
		if f.HighValue, err = text("highValue", wf.HighValue); err != nil {
			return f, err
		}
	default:
		if f.Value, err = text("value", wf.Value); err != nil {
			return f, err
		}
	}
	return f, nil
}

// parseSort reads "prop", "-prop" or {"propertyName","direction"}.
func parseSort(raw json.RawMessage) (Sort, *apiError) {
	var name string
	if json.Unmarshal(raw, &name) == nil {
		desc := strings.HasPrefix(name, "-")
		return Sort{PropertyName: strings.TrimPrefix(name, "-"), Descending: desc}, nil
	}
	var obj struct {
		PropertyName string `json:"propertyName"`
		Direction    string `json:"direction"`
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&obj); err != nil || obj.PropertyName == "" {
		return Sort{}, validation("sorts: a sort is a property name or {\"propertyName\",\"direction\"}")
	}
	switch obj.Direction {
	case "", "ASCENDING":
		return Sort{PropertyName: obj.PropertyName}, nil
	case "DESCENDING":
		return Sort{PropertyName: obj.PropertyName, Descending: true}, nil
	}
	return Sort{}, validation("sorts: direction %q is not ASCENDING or DESCENDING", obj.Direction)
}
