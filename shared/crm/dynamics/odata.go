package dynamics

import (
	"github.com/crmflow/crmflow/shared/lazyre"
	"math"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/crmflow/crmflow/shared/crm"
)

// quote writes a value as an OData string literal: the only character with
// a meaning inside one is the single quote, which is doubled.
func quote(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// escapeLike keeps a contains/startswith value literal. Dataverse runs those
// functions as SQL LIKE, where %, _ and [ are pattern characters; in brackets
// they stand for themselves.
func escapeLike(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '%', '_', '[':
			b.WriteByte('[')
			b.WriteByte(c)
			b.WriteByte(']')
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// isoDate is a date or date-time that Dataverse compares as such; it is
// written without quotes, which Edm.DateTimeOffset columns require.
var isoDate = lazyre.New(`^[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,7})?)?(Z|[+-][0-9]{2}:[0-9]{2}))?$`)

// validDate reports whether s is an ISO date or date-time that names a real
// instant; anything else stays a quoted string.
func validDate(s string) bool {
	if !isoDate.MatchString(s) {
		return false
	}
	for _, layout := range []string{"2006-01-02", time.RFC3339Nano, "2006-01-02T15:04Z07:00"} {
		if _, err := time.Parse(layout, s); err == nil {
			return true
		}
	}
	return false
}

// idColumn is a column that holds a GUID: a key (contactid, activityid) or a
// lookup's _x_value. Edm.Guid columns only compare with unquoted GUIDs.
func idColumn(field string) bool {
	last := field[strings.LastIndexByte(field, '.')+1:]
	return strings.HasSuffix(last, "id") || (strings.HasPrefix(last, "_") && strings.HasSuffix(last, "_value"))
}

// odataReserved are words the $filter grammar reads as operators or
// literals; no Dataverse column is named like them.
var odataReserved = map[string]bool{
	"and": true, "or": true, "not": true, "eq": true, "ne": true, "gt": true, "ge": true, "lt": true, "le": true,
	"has": true, "in": true, "add": true, "sub": true, "mul": true, "div": true, "mod": true,
	"true": true, "false": true, "null": true, "INF": true, "NaN": true,
}

// property turns a portable field (dotted for lookups, parentcustomerid_account.name)
// into an OData property path (parentcustomerid_account/name).
func property(field string) (string, error) {
	segs := strings.Split(field, ".")
	for _, s := range segs {
		if !columnName.MatchString(s) || odataReserved[s] {
			return "", invalidFilter("field %q is not a Dataverse column or lookup path", field)
		}
	}
	return strings.Join(segs, "/"), nil
}

func invalidFilter(format string, args ...any) error {
	return crm.Refusal("dynamics: compile filter", "filter", format, args...)
}

// literal writes one comparison value. Strings are quoted; dates in range
// comparisons and GUIDs against id columns are written bare, as Dataverse
// types them.
func literal(op crm.Op, field string, v any) (string, error) {
	switch x := v.(type) {
	case string:
		if !utf8.ValidString(x) {
			return "", invalidFilter("value of %s is not valid UTF-8", field)
		}
		switch {
		case (op == crm.OpGt || op == crm.OpGte || op == crm.OpLt || op == crm.OpLte) && validDate(x):
			return x, nil
		case (op == crm.OpEq || op == crm.OpNe || op == crm.OpIn) && guidShape.MatchString(x) && idColumn(field):
			return strings.ToLower(x), nil
		}
		return quote(x), nil
	case float64:
		return formatNumber(field, x)
	case int:
		return strconv.Itoa(x), nil
	case int64:
		return strconv.FormatInt(x, 10), nil
	case bool:
		return strconv.FormatBool(x), nil
	}
	return "", invalidFilter("value of %s must be a string, number or boolean", field)
}

func formatNumber(field string, x float64) (string, error) {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return "", invalidFilter("value of %s is not a finite number", field)
	}
	if abs := math.Abs(x); x == 0 || (abs >= 1e-6 && abs < 1e15) {
		return strconv.FormatFloat(x, 'f', -1, 64), nil
	}
	return strconv.FormatFloat(x, 'e', -1, 64), nil
}

var comparisons = map[crm.Op]string{crm.OpEq: "eq", crm.OpNe: "ne", crm.OpGt: "gt", crm.OpGte: "ge", crm.OpLt: "lt", crm.OpLte: "le"}

// compileFilter turns a validated portable filter into an OData $filter.
// "in" becomes an or-chain of eq: OData 4.0 has no in operator, and the
// Microsoft.Dynamics.CRM.In function would need a second quoting scheme.
func compileFilter(f crm.Filter) (string, error) {
	if f.IsGroup() {
		join, list := " and ", f.All
		if f.Any != nil {
			join, list = " or ", f.Any
		}
		parts := make([]string, 0, len(list))
		for _, c := range list {
			s, err := compileFilter(c)
			if err != nil {
				return "", err
			}
			if len(list) > 1 && (c.IsGroup() || c.Op == crm.OpIn) {
				s = "(" + s + ")"
			}
			parts = append(parts, s)
		}
		if len(parts) == 0 {
			return "", invalidFilter("empty group")
		}
		return strings.Join(parts, join), nil
	}
	prop, err := property(f.Field)
	if err != nil {
		return "", err
	}
	switch f.Op {
	case crm.OpContains, crm.OpStartsWith:
		s, ok := f.Value.(string)
		if !ok || !utf8.ValidString(s) {
			return "", invalidFilter("%s needs a UTF-8 string value", f.Op)
		}
		fn := "contains"
		if f.Op == crm.OpStartsWith {
			fn = "startswith"
		}
		return fn + "(" + prop + "," + quote(escapeLike(s)) + ")", nil
	case crm.OpIn:
		list, ok := f.Value.([]any)
		if !ok || len(list) == 0 {
			return "", invalidFilter("in needs a non-empty list of values")
		}
		parts := make([]string, len(list))
		for i, v := range list {
			lit, err := literal(crm.OpIn, f.Field, v)
			if err != nil {
				return "", err
			}
			parts[i] = prop + " eq " + lit
		}
		return strings.Join(parts, " or "), nil
	}
	cmp, ok := comparisons[f.Op]
	if !ok {
		return "", invalidFilter("operator %q is not supported", f.Op)
	}
	lit, err := literal(f.Op, f.Field, f.Value)
	if err != nil {
		return "", err
	}
	return prop + " " + cmp + " " + lit, nil
}

// anyEqual is "(a eq 'x' or b eq 'x' or …)" over fields and values.
func anyEqual(fields, values []string) string {
	parts := make([]string, 0, len(fields)*len(values))
	for _, f := range fields {
		for _, v := range values {
			parts = append(parts, f+" eq "+quote(v))
		}
	}
	return strings.Join(parts, " or ")
}

// queryOptions are the system query options of a collection request.
type queryOptions struct {
	selects []string
	filter  string
	orderBy string
	// expand is a $expand value, written as Dataverse reads it
	// (nav($select=…;$filter=…;$orderby=…;$top=n)).
	expand string
}

// encode writes the options with every value URL-encoded (spaces as %20, so
// that no server reads a + as a space or a space as a +).
func (o queryOptions) encode() string {
	var parts []string
	add := func(name, v string) {
		if v != "" {
			parts = append(parts, name+"="+escapeQuery(v))
		}
	}
	add("$select", strings.Join(o.selects, ","))
	add("$filter", o.filter)
	add("$orderby", o.orderBy)
	add("$expand", o.expand)
	return strings.Join(parts, "&")
}

func escapeQuery(v string) string { return strings.ReplaceAll(url.QueryEscape(v), "+", "%20") }
