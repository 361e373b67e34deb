package oracle

import (
	"errors"
	"fmt"
	"github.com/crmflow/crmflow/shared/lazyre"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/crmflow/crmflow/shared/crm"
)

// ROQL reading rules the driver relies on: a string literal is
// single-quoted and a quote inside it is written twice ('O''Brien'); a
// backslash is an ordinary character ("'\'" is a syntax error on a site);
// a double-quoted text is an identifier, so values are never put in double
// quotes. queryResults takes semicolon-separated statements in one query
// parameter, so a value holding ";" is refused rather than trusted to the
// site's splitting; so are control characters and invalid UTF-8. LIKE has
// % and _ as wildcards and no documented escape: contains and startsWith
// refuse values holding them.

var (
	errControl   = errors.New("may not hold control characters or line breaks")
	errSemicolon = errors.New(`may not hold ";" (ROQL separates statements with it)`)
	errUTF8      = errors.New("is not valid UTF-8")
	errWildcard  = errors.New(`may not hold "%" or "_" for contains or startsWith (ROQL LIKE has no escape for them)`)
	errEmpty     = errors.New("needs a value")
)

// quote makes v a ROQL string literal.
func quote(v string) (string, error) {
	switch {
	case !utf8.ValidString(v):
		return "", errUTF8
	case strings.ContainsFunc(v, func(r rune) bool { return r < 0x20 || r == 0x7f }):
		return "", errControl
	case strings.Contains(v, ";"):
		return "", errSemicolon
	}
	return "'" + strings.ReplaceAll(v, "'", "''") + "'", nil
}

// likeLiteral quotes a LIKE pattern: prefix and suffix are the wildcards
// the driver adds around v.
func likeLiteral(prefix, v, suffix string) (string, error) {
	if v == "" {
		return "", errEmpty
	}
	if strings.ContainsAny(v, "%_") {
		return "", errWildcard
	}
	q, err := quote(v)
	if err != nil {
		return "", err
	}
	return "'" + prefix + q[1:len(q)-1] + suffix + "'", nil
}

// roqlKeywords may not be used as a name segment.
var roqlKeywords = map[string]bool{"SELECT": true, "FROM": true, "WHERE": true, "AND": true, "OR": true, "NOT": true,
	"LIKE": true, "IN": true, "IS": true, "NULL": true, "ORDER": true, "BY": true, "ASC": true, "DESC": true,
	"LIMIT": true, "OFFSET": true, "GROUP": true, "HAVING": true, "AS": true, "DISTINCT": true}

var segmentRe = lazyre.New(`^[A-Za-z_][A-Za-z0-9_]*$`)

// maxPathSegments bounds how deep a field path walks the object model.
const maxPathSegments = 8

// validField reports whether name is a ROQL field path (emails.address,
// statusWithType.status.lookupName, customFields.c.job_title).
func validField(name string) bool {
	if !crm.ValidField(name) {
		return false
	}
	parts := strings.Split(name, ".")
	if len(parts) > maxPathSegments {
		return false
	}
	for _, p := range parts {
		if !segmentRe.MatchString(p) || roqlKeywords[strings.ToUpper(p)] {
			return false
		}
	}
	return true
}

// idRe is an object id: a positive integer.
var idRe = lazyre.New(`^[1-9][0-9]{0,17}$`)

func validID(id string) bool { return idRe.MatchString(id) }

// literal renders a filter value: strings quoted, numbers as numbers,
// booleans as 1 and 0 (how Connect stores them).
func literal(v any) (string, error) {
	switch x := v.(type) {
	case string:
		return quote(x)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64), nil
	case int:
		return strconv.Itoa(x), nil
	case int64:
		return strconv.FormatInt(x, 10), nil
	case bool:
		if x {
			return "1", nil
		}
		return "0", nil
	}
	return "", fmt.Errorf("unsupported value type %T", v)
}

var comparisons = map[crm.Op]string{crm.OpEq: "=", crm.OpNe: "!=", crm.OpGt: ">", crm.OpGte: ">=", crm.OpLt: "<", crm.OpLte: "<="}

// compileFilter turns a validated portable filter into a ROQL condition.
// Groups are parenthesized; an empty string compares as NULL, which is how
// the site stores empty text.
func compileFilter(f crm.Filter) (string, error) {
	if f.IsGroup() {
		list, join := f.All, " AND "
		if f.Any != nil {
			list, join = f.Any, " OR "
		}
		parts := make([]string, 0, len(list))
		for _, sub := range list {
			s, err := compileFilter(sub)
			if err != nil {
				return "", err
			}
			parts = append(parts, s)
		}
		return "(" + strings.Join(parts, join) + ")", nil
	}
	if !validField(f.Field) {
		return "", fmt.Errorf("field %q is not a ROQL field path", f.Field)
	}
	fail := func(err error) (string, error) { return "", fmt.Errorf("%s: value %w", f.Field, err) }
	switch f.Op {
	case crm.OpContains, crm.OpStartsWith:
		s, _ := f.Value.(string)
		prefix := "%"
		if f.Op == crm.OpStartsWith {
			prefix = ""
		}
		lit, err := likeLiteral(prefix, s, "%")
		if err != nil {
			return fail(err)
		}
		return f.Field + " LIKE " + lit, nil
	case crm.OpIn:
		list, _ := f.Value.([]any)
		vals := make([]string, 0, len(list))
		for _, v := range list {
			lit, err := literal(v)
			if err != nil {
				return fail(err)
			}
			vals = append(vals, lit)
		}
		return f.Field + " IN (" + strings.Join(vals, ", ") + ")", nil
	}
	op, ok := comparisons[f.Op]
	if !ok {
		return "", fmt.Errorf("unknown operator %q", f.Op)
	}
	if s, isText := f.Value.(string); isText && s == "" {
		switch f.Op {
		case crm.OpEq:
			return f.Field + " IS NULL", nil
		case crm.OpNe:
			return f.Field + " IS NOT NULL", nil
		}
		return fail(errEmpty)
	}
	lit, err := literal(f.Value)
	if err != nil {
		return fail(err)
	}
	return f.Field + " " + op + " " + lit, nil
}
