package crm

import (
	"encoding/json"
	"fmt"

	"github.com/crmflow/crmflow/shared/lazyre"
)

// Op is a comparison of the portable filter.
type Op string

const (
	OpEq         Op = "eq"
	OpNe         Op = "ne"
	OpContains   Op = "contains"
	OpStartsWith Op = "startsWith"
	OpGt         Op = "gt"
	OpGte        Op = "gte"
	OpLt         Op = "lt"
	OpLte        Op = "lte"
	OpIn         Op = "in"
)

var ops = map[Op]bool{OpEq: true, OpNe: true, OpContains: true, OpStartsWith: true, OpGt: true, OpGte: true, OpLt: true, OpLte: true, OpIn: true}

// Limits on a filter, so a request cannot make a driver build an unbounded query.
const (
	MaxFilterDepth      = 4
	MaxFilterConditions = 32
	MaxInValues         = 50
	MaxValueLength      = 1000
)

// fieldName is the shape every field name must have (SPEC §4.3); dotted paths
// address nested attributes.
var fieldName = lazyre.New(`^[A-Za-z_][A-Za-z0-9_.]*$`)

// ValidField reports whether name may be used as a field or entity name in a query.
func ValidField(name string) bool { return len(name) <= 255 && fieldName.MatchString(name) }

// Filter is the portable filter of a custom search: either a group (All or Any)
// or one condition (Field, Op, Value). Value is a string, float64, bool, or for
// OpIn a []any of those.
type Filter struct {
	All   []Filter `json:"all,omitempty"`
	Any   []Filter `json:"any,omitempty"`
	Field string   `json:"field,omitempty"`
	Op    Op       `json:"op,omitempty"`
	Value any      `json:"value,omitempty"`
}

// IsGroup reports whether f combines other filters.
func (f Filter) IsGroup() bool { return f.All != nil || f.Any != nil }

// FilterError says which part of a filter is wrong; Path is a dotted JSON path
// below the filter, such as "all[1].value".
type FilterError struct {
	Path string
	Msg  string
}

func (e *FilterError) Error() string {
	if e.Path == "" {
		return e.Msg
	}
	return e.Path + ": " + e.Msg
}

// ParseFilter decodes and validates a portable filter.
func ParseFilter(data []byte) (Filter, error) {
	var f Filter
	if err := json.Unmarshal(data, &f); err != nil {
		return Filter{}, &FilterError{Msg: "not a valid filter object: " + err.Error()}
	}
	return f, f.Validate()
}

// Validate checks names, operators, value types and size limits.
func (f Filter) Validate() error {
	n := 0
	return f.validate("", 1, &n)
}

func (f Filter) validate(path string, depth int, n *int) error {
	at := func(p string) string {
		if path == "" {
			return p
		}
		return path + "." + p
	}
	if depth > MaxFilterDepth {
		return &FilterError{Path: path, Msg: fmt.Sprintf("nested deeper than %d levels", MaxFilterDepth)}
	}
	if f.IsGroup() {
		if f.All != nil && f.Any != nil {
			return &FilterError{Path: path, Msg: `a group has either "all" or "any", not both`}
		}
		if f.Field != "" || f.Op != "" || f.Value != nil {
			return &FilterError{Path: path, Msg: "a group cannot also be a condition"}
		}
		name, list := "all", f.All
		if f.Any != nil {
			name, list = "any", f.Any
		}
		if len(list) == 0 {
			return &FilterError{Path: at(name), Msg: "needs at least one condition"}
		}
		for i, c := range list {
			if err := c.validate(at(fmt.Sprintf("%s[%d]", name, i)), depth+1, n); err != nil {
				return err
			}
		}
		return nil
	}
	*n++
	if *n > MaxFilterConditions {
		return &FilterError{Path: path, Msg: fmt.Sprintf("more than %d conditions", MaxFilterConditions)}
	}
	if f.Field == "" {
		return &FilterError{Path: at("field"), Msg: "is required"}
	}
	if !ValidField(f.Field) {
		return &FilterError{Path: at("field"), Msg: "must match ^[A-Za-z_][A-Za-z0-9_.]*$"}
	}
	if !ops[f.Op] {
		return &FilterError{Path: at("op"), Msg: "must be one of eq, ne, contains, startsWith, gt, gte, lt, lte, in"}
	}
	if f.Op == OpIn {
		list, ok := f.Value.([]any)
		if !ok || len(list) == 0 {
			return &FilterError{Path: at("value"), Msg: `must be a non-empty array for "in"`}
		}
		if len(list) > MaxInValues {
			return &FilterError{Path: at("value"), Msg: fmt.Sprintf("more than %d values", MaxInValues)}
		}
		for i, v := range list {
			if err := scalar(v, at(fmt.Sprintf("value[%d]", i))); err != nil {
				return err
			}
		}
		return nil
	}
	if err := scalar(f.Value, at("value")); err != nil {
		return err
	}
	if f.Op == OpContains || f.Op == OpStartsWith {
		if _, ok := f.Value.(string); !ok {
			return &FilterError{Path: at("value"), Msg: fmt.Sprintf("must be a string for %q", f.Op)}
		}
	}
	return nil
}

func scalar(v any, path string) error {
	switch x := v.(type) {
	case string:
		if len(x) > MaxValueLength {
			return &FilterError{Path: path, Msg: fmt.Sprintf("longer than %d bytes", MaxValueLength)}
		}
		return nil
	case float64, bool:
		return nil
	case int, int64:
		return nil
	case nil:
		return &FilterError{Path: path, Msg: "is required"}
	}
	return &FilterError{Path: path, Msg: "must be a string, number or boolean"}
}

// Conditions calls fn for every condition of f, depth first.
func (f Filter) Conditions(fn func(Filter)) {
	for _, c := range f.All {
		c.Conditions(fn)
	}
	for _, c := range f.Any {
		c.Conditions(fn)
	}
	if !f.IsGroup() {
		fn(f)
	}
}
