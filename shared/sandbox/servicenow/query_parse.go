package servicenow

import (
	"errors"
	"fmt"
	"strings"
)

// Query is a parsed encoded query (sysparm_query). A row matches when it
// matches any group (groups are separated by ^NQ); it matches a group when
// every clause of the group holds (clauses are separated by ^), and a clause
// holds when any of its conditions does (conditions joined by ^OR: ^OR binds
// only the conditions right before and after it).
type Query struct {
	Groups  [][]Clause
	OrderBy []Order
}

// Clause is a disjunction of conditions.
type Clause []Condition

// Condition is one field-operator-value term.
type Condition struct {
	Field string
	Op    string
	Value string
}

// Order is one ORDERBY / ORDERBYDESC term.
type Order struct {
	Field string
	Desc  bool
}

// operators of the encoded query language the sandbox knows, longest first
// so that a longer operator is never read as a shorter one (<= before <).
var operators = []string{"ISNOTEMPTY", "STARTSWITH", "ENDSWITH", "NOT LIKE", "ISEMPTY", "NOT IN", "LIKE", "IN", "!=", "<=", ">=", "=", "<", ">"}

// noValue operators take nothing after them.
var noValue = map[string]bool{"ISEMPTY": true, "ISNOTEMPTY": true}

// ErrQuery is wrapped by every parse error.
var ErrQuery = errors.New("invalid encoded query")

func queryError(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrQuery, fmt.Sprintf(format, args...))
}

type joiner int

const (
	joinAnd joiner = iota
	joinOr
	joinNewQuery
)

type term struct {
	join joiner
	text string
}

// splitTerms cuts a query at its separators. "^^" is an escaped caret that
// belongs to a value (GlideStringUtil.escapeQueryTermSeparator writes it),
// read greedily from the left; any other "^" separates terms, and the text
// right after it says how: OR joins the next condition to the previous
// one, NQ starts a new query, anything else is AND. ORDERBY terms start
// with OR's letters and are told apart by their full keyword.
func splitTerms(q string) []term {
	var out []term
	var cur strings.Builder
	join := joinAnd
	for i := 0; i < len(q); i++ {
		if q[i] != '^' {
			cur.WriteByte(q[i])
			continue
		}
		if i+1 < len(q) && q[i+1] == '^' {
			cur.WriteByte('^')
			i++
			continue
		}
		out = append(out, term{join: join, text: cur.String()})
		cur.Reset()
		rest := q[i+1:]
		switch {
		case strings.HasPrefix(rest, "ORDERBY"):
			join = joinAnd
		case strings.HasPrefix(rest, "OR"):
			join = joinOr
			i += 2
		case strings.HasPrefix(rest, "NQ"):
			join = joinNewQuery
			i += 2
		default:
			join = joinAnd
		}
	}
	return append(out, term{join: join, text: cur.String()})
}

// ParseEncodedQuery parses a sysparm_query value. It checks syntax only;
// whether the columns exist is the table's business.
func ParseEncodedQuery(q string) (Query, error) {
	var out Query
	if q == "" {
		return out, nil
	}
	group := []Clause{}
	ended := false
	for i, t := range splitTerms(q) {
		if ended {
			return Query{}, queryError("text after ^EQ")
		}
		switch {
		case t.text == "EQ" && i > 0 && t.join == joinAnd:
			ended = true
			continue
		case strings.HasPrefix(t.text, "ORDERBYDESC"), strings.HasPrefix(t.text, "ORDERBY"):
			if t.join != joinAnd {
				return Query{}, queryError("ORDERBY cannot be joined with OR or NQ")
			}
			o := Order{Field: strings.TrimPrefix(t.text, "ORDERBY")}
			if f, ok := strings.CutPrefix(o.Field, "DESC"); ok {
				o = Order{Field: f, Desc: true}
			}
			if !validName(o.Field) {
				return Query{}, queryError("bad ORDERBY column %q", o.Field)
			}
			out.OrderBy = append(out.OrderBy, o)
			continue
		}
		c, err := parseCondition(t.text)
		if err != nil {
			return Query{}, err
		}
		switch t.join {
		case joinOr:
			if len(group) == 0 {
				return Query{}, queryError("^OR without a condition before it")
			}
			group[len(group)-1] = append(group[len(group)-1], c)
		case joinNewQuery:
			if len(group) == 0 {
				return Query{}, queryError("^NQ without a query before it")
			}
			out.Groups = append(out.Groups, group)
			group = []Clause{{c}}
		default:
			group = append(group, Clause{c})
		}
	}
	if len(group) > 0 {
		out.Groups = append(out.Groups, group)
	}
	return out, nil
}

// parseCondition reads column, operator and value. Column names are
// lowercase (ServiceNow lowercases them), so the uppercase keyword
// operators can never be part of one.
func parseCondition(text string) (Condition, error) {
	end := 0
	for end < len(text) && isNameByte(text[end]) {
		end++
	}
	field, rest := text[:end], text[end:]
	if !validName(field) {
		return Condition{}, queryError("condition %q has no valid column", text)
	}
	for _, op := range operators {
		v, ok := strings.CutPrefix(rest, op)
		if !ok {
			continue
		}
		if noValue[op] && v != "" {
			return Condition{}, queryError("%s takes no value", op)
		}
		return Condition{Field: field, Op: op, Value: v}, nil
	}
	return Condition{}, queryError("unknown operator in %q", text)
}

func isNameByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '.'
}

// validName accepts a column or dot-walked path: lowercase words joined by dots.
func validName(s string) bool {
	if s == "" || len(s) > 200 {
		return false
	}
	for part := range strings.SplitSeq(s, ".") {
		if part == "" || part[0] >= '0' && part[0] <= '9' {
			return false
		}
		for i := 0; i < len(part); i++ {
			if !isNameByte(part[i]) || part[i] == '.' {
				return false
			}
		}
	}
	return true
}
