package salesforce

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/lazyre"
)

// apiName is one segment of a Salesforce API name (Contact, Phone,
// Account__r, ns__Field__c).
var apiName = lazyre.New(`^[A-Za-z][A-Za-z0-9_]*$`)

// soqlReserved cannot name a field or an object in SOQL.
var soqlReserved = map[string]bool{
	"AND": true, "ASC": true, "DESC": true, "EXCLUDES": true, "FIRST": true, "FROM": true, "GROUP": true,
	"HAVING": true, "IN": true, "INCLUDES": true, "LAST": true, "LIKE": true, "LIMIT": true, "NOT": true,
	"NULL": true, "NULLS": true, "OR": true, "SELECT": true, "WHERE": true, "WITH": true, "TRUE": true, "FALSE": true,
}

// validName checks a field or object name before it goes into SOQL or a URL:
// the portable rule (crm.ValidField) plus Salesforce's own shape, segment by
// segment for relationship paths.
func validName(name string, dotted bool) bool {
	if !crm.ValidField(name) || (!dotted && strings.Contains(name, ".")) {
		return false
	}
	for _, seg := range strings.Split(name, ".") {
		if !apiName.MatchString(seg) || soqlReserved[strings.ToUpper(seg)] {
			return false
		}
	}
	return true
}

// checkFieldList refuses a list of field names at field ("fields" gives
// "fields[2]") unless each is a Salesforce field API name (relationship
// paths such as Account.Name where dotted).
func checkFieldList(op, field string, fields []string, dotted bool) error {
	for i, f := range fields {
		if !validName(f, dotted) {
			return crm.Refusal(op, fmt.Sprintf("%s[%d]", field, i), "%s is not a Salesforce field API name", crm.QuoteName(f))
		}
	}
	return nil
}

// checkFieldMap refuses written fields ("fields.Name") whose names are no
// Salesforce field API names; a write takes no relationship paths.
func checkFieldMap(op string, fields map[string]any) error {
	for _, f := range slices.Sorted(maps.Keys(fields)) {
		if !validName(f, false) {
			return crm.Refusal(op, "fields."+f, "%s is not a Salesforce field API name", crm.QuoteName(f))
		}
	}
	return nil
}

// escapeSOQL escapes a value for a quoted SOQL string literal: backslash and
// both quotes, and the control characters SOQL has escapes for. It works on
// bytes so that the value reaches Salesforce byte for byte.
func escapeSOQL(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\\', '\'', '"':
			b.WriteByte('\\')
			b.WriteByte(c)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		case '\f':
			b.WriteString(`\f`)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// quote is a SOQL string literal.
func quote(s string) string { return "'" + escapeSOQL(s) + "'" }

// likeLiteral is a LIKE pattern: the value's own % and _ are escaped so that
// only the wildcards the caller adds around it act as wildcards.
func likeLiteral(prefix, v, suffix string) string {
	e := escapeSOQL(v)
	e = strings.ReplaceAll(e, "%", `\%`)
	e = strings.ReplaceAll(e, "_", `\_`)
	return "'" + prefix + e + suffix + "'"
}

// literal writes a filter value: strings quoted, numbers and booleans bare.
// For range comparisons an ISO date or datetime string is written as a bare
// date literal, since Salesforce refuses quoted values for date fields; an
// equality keeps it quoted (text fields hold such strings too).
func literal(v any, rangeOp bool) (string, error) {
	switch x := v.(type) {
	case string:
		if rangeOp && isDateLiteral(x) {
			return x, nil
		}
		return quote(x), nil
	case bool:
		return strconv.FormatBool(x), nil
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return "", fmt.Errorf("not a finite number")
		}
		return strconv.FormatFloat(x, 'f', -1, 64), nil
	case int:
		return strconv.Itoa(x), nil
	case int64:
		return strconv.FormatInt(x, 10), nil
	}
	return "", fmt.Errorf("must be a string, number or boolean")
}

var (
	dateShape     = lazyre.New(`^\d{4}-\d{2}-\d{2}$`)
	dateTimeShape = lazyre.New(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?(Z|[+-]\d{2}:\d{2})$`)
)

func isDateLiteral(s string) bool {
	if dateShape.MatchString(s) {
		_, err := time.Parse("2006-01-02", s)
		return err == nil
	}
	if dateTimeShape.MatchString(s) {
		_, err := time.Parse(time.RFC3339, s)
		return err == nil
	}
	return false
}

var comparisons = map[crm.Op]string{crm.OpEq: "=", crm.OpNe: "!=", crm.OpGt: ">", crm.OpGte: ">=", crm.OpLt: "<", crm.OpLte: "<="}

// compileWhere turns a portable filter into a SOQL condition expression.
// Groups are parenthesized because SOQL refuses AND and OR mixed without them.
func compileWhere(f crm.Filter) (string, error) {
	var b strings.Builder
	if err := writeFilter(&b, f, 1); err != nil {
		return "", crm.Refusal("salesforce: compile filter", "filter", "%s", err.Error())
	}
	return b.String(), nil
}

func writeFilter(b *strings.Builder, f crm.Filter, depth int) error {
	if depth > crm.MaxFilterDepth {
		return fmt.Errorf("filter nested deeper than %d levels", crm.MaxFilterDepth)
	}
	if !f.IsGroup() {
		return writeCondition(b, f)
	}
	list, joiner := f.All, " AND "
	if f.Any != nil {
		list, joiner = f.Any, " OR "
	}
	switch len(list) {
	case 0:
		return fmt.Errorf("a filter group needs at least one condition")
	case 1:
		return writeFilter(b, list[0], depth+1)
	}
	b.WriteByte('(')
	for i, c := range list {
		if i > 0 {
			b.WriteString(joiner)
		}
		if err := writeFilter(b, c, depth+1); err != nil {
			return err
		}
	}
	b.WriteByte(')')
	return nil
}

func writeCondition(b *strings.Builder, f crm.Filter) error {
	if !validName(f.Field, true) {
		return fmt.Errorf("field %q is not a Salesforce field API name", f.Field)
	}
	b.WriteString(f.Field)
	switch f.Op {
	case crm.OpContains, crm.OpStartsWith:
		s, ok := f.Value.(string)
		if !ok {
			return fmt.Errorf("%s: value must be a string", f.Field)
		}
		prefix := "%"
		if f.Op == crm.OpStartsWith {
			prefix = ""
		}
		b.WriteString(" LIKE " + likeLiteral(prefix, s, "%"))
		return nil
	case crm.OpIn:
		list, ok := f.Value.([]any)
		if !ok || len(list) == 0 {
			return fmt.Errorf("%s: in needs a non-empty list", f.Field)
		}
		b.WriteString(" IN (")
		for i, v := range list {
			lit, err := literal(v, false)
			if err != nil {
				return fmt.Errorf("%s: %w", f.Field, err)
			}
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(lit)
		}
		b.WriteByte(')')
		return nil
	}
	op, ok := comparisons[f.Op]
	if !ok {
		return fmt.Errorf("%s: unknown operator %q", f.Field, f.Op)
	}
	lit, err := literal(f.Value, f.Op != crm.OpEq && f.Op != crm.OpNe)
	if err != nil {
		return fmt.Errorf("%s: %w", f.Field, err)
	}
	b.WriteString(" " + op + " " + lit)
	return nil
}
