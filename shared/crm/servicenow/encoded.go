package servicenow

import (
	"fmt"
	"github.com/crmflow/crmflow/shared/lazyre"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/crmflow/crmflow/shared/crm"
)

// Names. ServiceNow table and column names are lowercase (the platform
// lowercases them, custom ones start with u_ or x_), and a column may be
// dot-walked through references (caller_id.email). Keeping them lowercase
// also means the uppercase keyword operators (LIKE, IN, STARTSWITH…) can
// never run into a column name in an encoded query.
var (
	tableName  = lazyre.New(`^[a-z_][a-z0-9_]{0,79}$`)
	columnPath = lazyre.New(`^[a-z_][a-z0-9_]{0,79}(\.[a-z_][a-z0-9_]{0,79}){0,4}$`)
	sysID      = lazyre.New(`^[0-9a-f]{32}$`)
)

func validTable(name string) bool  { return crm.ValidField(name) && tableName.MatchString(name) }
func validColumn(name string) bool { return crm.ValidField(name) && columnPath.MatchString(name) }

// validWriteColumn is a column a create or update can set: no dot-walk.
func validWriteColumn(name string) bool { return validColumn(name) && !strings.Contains(name, ".") }

func validSysID(id string) bool { return sysID.MatchString(id) }

// escapeValue makes a value safe inside an encoded query. "^" separates
// terms (^, ^OR, ^NQ, ^ORDERBY…), so a caret in a value is doubled, the
// escape GlideStringUtil.escapeQueryTermSeparator writes. Two things remain
// that no escape covers, and they are refused: a value ending in a caret
// (its doubled caret would run into the next separator, "x^^^OR…", which
// only a left-to-right reader splits as intended) and control characters
// such as line breaks, which an encoded query has no way to carry.
func escapeValue(v string) (string, error) {
	if !utf8.ValidString(v) {
		return "", fmt.Errorf("is not valid UTF-8")
	}
	for _, r := range v {
		if r < 0x20 || r == 0x7f {
			return "", fmt.Errorf("contains a control character (line breaks cannot be searched for)")
		}
	}
	if strings.HasSuffix(v, "^") {
		return "", fmt.Errorf(`cannot end with "^" in a ServiceNow query`)
	}
	return strings.ReplaceAll(v, "^", "^^"), nil
}

// scalarText writes a filter value the way the Table API compares it: all
// values are text on the wire.
func scalarText(v any) (string, error) {
	switch x := v.(type) {
	case string:
		return x, nil
	case bool:
		return strconv.FormatBool(x), nil
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64), nil
	case int:
		return strconv.Itoa(x), nil
	case int64:
		return strconv.FormatInt(x, 10), nil
	}
	return "", fmt.Errorf("must be a string, number or boolean")
}

// encodedOps are the encoded-query operators of the portable comparisons.
var encodedOps = map[crm.Op]string{
	crm.OpEq: "=", crm.OpNe: "!=", crm.OpContains: "LIKE", crm.OpStartsWith: "STARTSWITH",
	crm.OpGt: ">", crm.OpGte: ">=", crm.OpLt: "<", crm.OpLte: "<=", crm.OpIn: "IN",
}

// condition compiles one portable condition to an encoded-query term.
// An empty value means "is empty" for eq and ne (ServiceNow stores no
// NULL/"" difference a filter could see); contains, startsWith and the
// range operators need a value. A range value may not start with an
// operator character: "<" followed by "=5" would read as "<=5". An "in"
// list is comma-separated with no escape for a comma, so values holding
// one are refused.
func condition(f crm.Filter) (string, error) {
	if !validColumn(f.Field) {
		return "", fmt.Errorf("field %q is not a ServiceNow column name", f.Field)
	}
	op, ok := encodedOps[f.Op]
	if !ok {
		return "", fmt.Errorf("operator %q is not supported", f.Op)
	}
	if f.Op == crm.OpIn {
		list, ok := f.Value.([]any)
		if !ok || len(list) == 0 {
			return "", fmt.Errorf(`"in" needs a list of values`)
		}
		items := make([]string, 0, len(list))
		for _, item := range list {
			s, err := scalarText(item)
			if err != nil {
				return "", err
			}
			if s == "" || strings.Contains(s, ",") {
				return "", fmt.Errorf(`an "in" value cannot be empty or contain a comma in a ServiceNow query`)
			}
			items = append(items, s)
		}
		v, err := escapeValue(strings.Join(items, ","))
		if err != nil {
			return "", err
		}
		return f.Field + op + v, nil
	}
	s, err := scalarText(f.Value)
	if err != nil {
		return "", err
	}
	switch {
	case s == "" && f.Op == crm.OpEq:
		return f.Field + "ISEMPTY", nil
	case s == "" && f.Op == crm.OpNe:
		return f.Field + "ISNOTEMPTY", nil
	case s == "":
		return "", fmt.Errorf("%q needs a non-empty value", f.Op)
	case op[0] == '<' || op[0] == '>':
		if strings.ContainsRune("=<>!@", rune(s[0])) {
			return "", fmt.Errorf("a %q value cannot start with %q", f.Op, s[:1])
		}
	}
	v, err := escapeValue(s)
	if err != nil {
		return "", err
	}
	return f.Field + op + v, nil
}
