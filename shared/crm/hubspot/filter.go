package hubspot

import (
	"fmt"
	"github.com/crmflow/crmflow/shared/lazyre"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/crmflow/crmflow/shared/crm"
)

// HubSpot's search limits: filter groups are OR-ed, the filters of a group
// AND-ed; at most 5 groups, 6 filters in a group and 18 filters in all.
const (
	maxGroups        = 5
	maxGroupFilters  = 6
	maxFilters       = 18
	maxValueLength   = 1000
	filterOpContains = "CONTAINS_TOKEN"
	filterOpIn       = "IN"
	filterOpEqual    = "EQ"
)

// searchFilter is one filter of a search body. Values travel as JSON
// strings, so no value needs escaping: JSON encoding keeps it one string.
type searchFilter struct {
	PropertyName string   `json:"propertyName"`
	Operator     string   `json:"operator"`
	Value        *string  `json:"value,omitempty"`
	Values       []string `json:"values,omitempty"`
}

type filterGroup struct {
	Filters []searchFilter `json:"filters"`
}

// operators maps the portable comparisons HubSpot can express.
var operators = map[crm.Op]string{crm.OpEq: filterOpEqual, crm.OpNe: "NEQ", crm.OpGt: "GT", crm.OpGte: "GTE",
	crm.OpLt: "LT", crm.OpLte: "LTE", crm.OpContains: filterOpContains}

// associationFilter is HubSpot's pseudo-property for "associated with the
// record whose id is the value": associations.contact, associations.company…
var associationFilter = lazyre.New(`^associations\.[a-z][a-z_]{0,40}$`)

// compileFilter turns a portable filter into HubSpot filter groups: the
// filter in disjunctive normal form (an OR of ANDs), which must fit
// HubSpot's limits. What HubSpot cannot express is refused with
// InvalidArgument rather than approximated.
func compileFilter(f crm.Filter) ([]filterGroup, error) {
	const op = "hubspot: compile filter"
	dnf, err := normalForm(f)
	if err != nil {
		return nil, crm.Refusal(op, "filter", "%s", err.Error())
	}
	if err := checkLimits(dnf); err != nil {
		return nil, crm.Refusal(op, "filter", "%s", err.Error())
	}
	return dnf, nil
}

// checkLimits holds a search's groups to HubSpot's limits.
func checkLimits(groups []filterGroup) error {
	total := 0
	for _, g := range groups {
		if len(g.Filters) > maxGroupFilters {
			return fmt.Errorf("the filter needs %d conditions AND-ed in one group; HubSpot search allows %d", len(g.Filters), maxGroupFilters)
		}
		total += len(g.Filters)
	}
	if len(groups) > maxGroups {
		return fmt.Errorf("the filter needs %d OR-ed groups of conditions; HubSpot search allows %d", len(groups), maxGroups)
	}
	if total > maxFilters {
		return fmt.Errorf("the filter needs %d conditions in all; HubSpot search allows %d", total, maxFilters)
	}
	return nil
}

// normalForm distributes AND over OR. Intermediate results are bounded by
// the limits so that a deep filter cannot blow up.
func normalForm(f crm.Filter) ([]filterGroup, error) {
	switch {
	case f.Any != nil:
		var out []filterGroup
		for _, c := range f.Any {
			d, err := normalForm(c)
			if err != nil {
				return nil, err
			}
			out = append(out, d...)
			if len(out) > maxGroups {
				return nil, fmt.Errorf("the filter needs more than %d OR-ed groups of conditions; HubSpot search allows %d", maxGroups, maxGroups)
			}
		}
		return out, nil
	case f.All != nil:
		out := []filterGroup{{}}
		for _, c := range f.All {
			d, err := normalForm(c)
			if err != nil {
				return nil, err
			}
			next := make([]filterGroup, 0, len(out)*len(d))
			for _, a := range out {
				for _, b := range d {
					g := filterGroup{Filters: append(append([]searchFilter{}, a.Filters...), b.Filters...)}
					if len(g.Filters) > maxGroupFilters {
						return nil, fmt.Errorf("the filter needs more than %d conditions AND-ed in one group; HubSpot search allows %d", maxGroupFilters, maxGroupFilters)
					}
					next = append(next, g)
				}
			}
			if len(next) > maxGroups {
				return nil, fmt.Errorf("the filter needs more than %d OR-ed groups of conditions; HubSpot search allows %d", maxGroups, maxGroups)
			}
			out = next
		}
		return out, nil
	}
	return condition(f)
}

// condition compiles one comparison to a group (or, for "in" with values
// in capitals, one group per value).
func condition(f crm.Filter) ([]filterGroup, error) {
	if !validProperty(f.Field) && !associationFilter.MatchString(f.Field) {
		return nil, fmt.Errorf("field %s is not a HubSpot property name (properties are flat; associations.{object} is the only dotted name)", quoteName(f.Field))
	}
	if f.Op == crm.OpIn {
		return inCondition(f)
	}
	name, ok := operators[f.Op]
	if !ok {
		return nil, fmt.Errorf("operator %q cannot be expressed in HubSpot search: CONTAINS_TOKEN with a trailing * matches word prefixes anywhere in the value, not the start of it", f.Op)
	}
	v, err := valueText(f.Value)
	if err != nil {
		return nil, err
	}
	if f.Op == crm.OpContains && strings.ContainsRune(v, '*') {
		return nil, fmt.Errorf("a contains value cannot hold *: HubSpot reads it as a wildcard and has no escape for it")
	}
	return []filterGroup{{Filters: []searchFilter{{PropertyName: f.Field, Operator: name, Value: &v}}}}, nil
}

// inCondition: HubSpot's IN compares string properties in lowercase (its
// values must be lowercase) but enumerations as written, and the driver
// does not know a property's type. Values already in lowercase work either
// way and go into one IN; otherwise each value becomes an EQ (which ignores
// case for strings and keeps it for enumerations) in a group of its own.
func inCondition(f crm.Filter) ([]filterGroup, error) {
	list, _ := f.Value.([]any)
	values := make([]string, 0, len(list))
	lower := true
	for _, x := range list {
		v, err := valueText(x)
		if err != nil {
			return nil, err
		}
		lower = lower && strings.ToLower(v) == v
		values = append(values, v)
	}
	if lower {
		return []filterGroup{{Filters: []searchFilter{{PropertyName: f.Field, Operator: filterOpIn, Values: values}}}}, nil
	}
	out := make([]filterGroup, 0, len(values))
	for _, v := range values {
		out = append(out, filterGroup{Filters: []searchFilter{{PropertyName: f.Field, Operator: filterOpEqual, Value: &v}}})
	}
	return out, nil
}

// valueText is a value as HubSpot filters take it: text (see scalarText).
func valueText(v any) (string, error) {
	if v == nil {
		return "", fmt.Errorf("a filter value is required")
	}
	if _, list := v.([]any); list {
		return "", fmt.Errorf("a filter value must be a string, number or boolean")
	}
	s, err := scalarText(v)
	if err != nil {
		return "", fmt.Errorf("a filter value: %w", err)
	}
	if len(s) > maxValueLength {
		return "", fmt.Errorf("a filter value is longer than %d bytes", maxValueLength)
	}
	return s, nil
}

// scalarText writes a string, number or boolean as HubSpot's text:
// numbers in full (no exponent), booleans as true/false.
func scalarText(v any) (string, error) {
	switch x := v.(type) {
	case string:
		if !utf8.ValidString(x) {
			return "", fmt.Errorf("value is not valid UTF-8")
		}
		return x, nil
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return "", fmt.Errorf("value is not a finite number")
		}
		return strconv.FormatFloat(x, 'f', -1, 64), nil
	case int:
		return strconv.Itoa(x), nil
	case int64:
		return strconv.FormatInt(x, 10), nil
	case bool:
		return strconv.FormatBool(x), nil
	}
	return "", fmt.Errorf("value must be a string, number or boolean")
}
