package dynamics

import (
	"fmt"
	"strings"
	"time"
)

// vtype is the type of a $filter operand after resolution.
type vtype int

const (
	vString vtype = iota
	vNumber
	vBool
	vGuid
	vTime
	vNull
)

type operand struct {
	typ vtype
	edm string
}

var opKinds = map[string]string{"eq": "Equal", "ne": "NotEqual", "gt": "GreaterThan", "ge": "GreaterThanOrEqual",
	"lt": "LessThan", "le": "LessThanOrEqual", "and": "And", "or": "Or"}

// queryError is a $filter, $select or $orderby Dataverse refuses (400).
type queryError struct {
	code string
	msg  string
}

func (e *queryError) Error() string { return e.msg }

func filterErr(format string, args ...any) error {
	return &queryError{code: codeQuery, msg: fmt.Sprintf(format, args...)}
}

func propertyNotFound(t *table, name string) error {
	return filterErr("Could not find a property named '%s' on type '%s'.", name, typeName(t))
}

func vtypeOf(a attrType) vtype {
	switch {
	case a.text():
		return vString
	case a.numeric():
		return vNumber
	case a == tBool:
		return vBool
	case a == tGuid || a == tLookup:
		return vGuid
	}
	return vTime
}

// resolve follows a property path through navigation properties to a column.
func (s *Server) resolve(t *table, path []string) (attr, error) {
	for len(path) > 1 {
		n, ok := t.navs[path[0]]
		if !ok {
			return attr{}, propertyNotFound(t, path[0])
		}
		t, _ = s.tableByLogical(n.target)
		path = path[1:]
	}
	a, ok := t.attrOf(path[0])
	if !ok {
		return attr{}, propertyNotFound(t, path[0])
	}
	return a, nil
}

// checkFilter types a parsed filter against a table before any row is read,
// so that a bad filter fails even on an empty table, as in Dataverse.
func (s *Server) checkFilter(t *table, e Expr) error {
	o, err := s.typeOf(t, e)
	if err != nil {
		return err
	}
	if o.typ != vBool {
		return filterErr("The $filter expression must evaluate to a single boolean value.")
	}
	return nil
}

func (s *Server) typeOf(t *table, e Expr) (operand, error) {
	boolean := operand{vBool, "Edm.Boolean"}
	switch x := e.(type) {
	case *Literal:
		return literalType(x), nil
	case *Property:
		a, err := s.resolve(t, x.Path)
		if err != nil {
			return operand{}, err
		}
		return operand{vtypeOf(a.typ), a.typ.edmName()}, nil
	case *Not:
		o, err := s.typeOf(t, x.X)
		if err == nil && o.typ != vBool {
			err = filterErr("A unary operator with an incompatible type was detected. Found operand type '%s' for operator kind 'Not'.", o.edm)
		}
		return boolean, err
	case *Logical:
		return boolean, s.checkOperands(t, x.Op, x.Left, x.Right, func(l, r operand) bool { return l.typ == vBool && r.typ == vBool })
	case *Compare:
		return boolean, s.checkOperands(t, x.Op, x.Left, x.Right, func(l, r operand) bool {
			return l.typ == r.typ || l.typ == vNull || r.typ == vNull
		})
	case *Call:
		for _, a := range x.Args {
			o, err := s.typeOf(t, a)
			if err != nil {
				return operand{}, err
			}
			if o.typ != vString {
				return operand{}, filterErr("%s", signatureMessage(x.Name))
			}
		}
		return boolean, nil
	}
	return operand{}, filterErr("The $filter expression must evaluate to a single boolean value.")
}

// checkOperands types both sides of a binary operator and refuses the pair
// unless fit says the types go together.
func (s *Server) checkOperands(t *table, op string, left, right Expr, fit func(l, r operand) bool) error {
	l, err := s.typeOf(t, left)
	if err != nil {
		return err
	}
	r, err := s.typeOf(t, right)
	if err == nil && !fit(l, r) {
		err = incompatible(l, r, op)
	}
	return err
}

func incompatible(l, r operand, op string) error {
	return filterErr("A binary operator with incompatible types was detected. Found operand types '%s' and '%s' for operator kind '%s'.",
		l.edm, r.edm, opKinds[op])
}

func literalType(l *Literal) operand {
	switch l.Kind {
	case LitString:
		return operand{vString, "Edm.String"}
	case LitNumber:
		if strings.ContainsAny(l.Text, ".eE") {
			return operand{vNumber, "Edm.Decimal"}
		}
		return operand{vNumber, "Edm.Int32"}
	case LitBool:
		return operand{vBool, "Edm.Boolean"}
	case LitGuid:
		return operand{vGuid, "Edm.Guid"}
	case LitDate:
		return operand{vTime, "Edm.Date"}
	case LitDateTime:
		return operand{vTime, "Edm.DateTimeOffset"}
	}
	return operand{vNull, "<null>"}
}

// match evaluates a checked filter against one row; the caller holds s.mu.
func (s *Server) match(t *table, rec map[string]any, e Expr) bool {
	v, _ := s.eval(t, rec, e).(bool)
	return v
}

func (s *Server) eval(t *table, rec map[string]any, e Expr) any {
	switch x := e.(type) {
	case *Literal:
		return literalValue(x)
	case *Property:
		return s.valueAt(t, rec, x.Path)
	case *Not:
		b, ok := s.eval(t, rec, x.X).(bool)
		return ok && !b
	case *Logical:
		l := s.match(t, rec, x.Left)
		if x.Op == "and" {
			return l && s.match(t, rec, x.Right)
		}
		return l || s.match(t, rec, x.Right)
	case *Compare:
		return compareValues(x.Op, s.eval(t, rec, x.Left), s.eval(t, rec, x.Right))
	case *Call:
		text, ok1 := s.eval(t, rec, x.Args[0]).(string)
		pat, ok2 := s.eval(t, rec, x.Args[1]).(string)
		if !ok1 || !ok2 {
			return false
		}
		switch x.Name {
		case "contains":
			pat = "%" + pat + "%"
		case "startswith":
			pat += "%"
		case "endswith":
			pat = "%" + pat
		}
		return likeMatch(pat, text)
	}
	return nil
}

// valueAt reads a column, following lookups to the related row.
func (s *Server) valueAt(t *table, rec map[string]any, path []string) any {
	for len(path) > 1 {
		n := t.navs[path[0]]
		id, _ := rec[lookupKey(n.lookup)].(string)
		if target, _ := rec[lookupKey(n.lookup)+lookupTypeSuffix].(string); id == "" || target != n.target {
			return nil
		}
		t, _ = s.tableByLogical(n.target)
		if rec = s.rows[t.logical][id]; rec == nil {
			return nil
		}
		path = path[1:]
	}
	a, _ := t.attrOf(path[0])
	return columnValue(a.typ, rec[path[0]])
}

// columnValue turns a stored value into the form comparisons use.
func columnValue(typ attrType, v any) any {
	s, isString := v.(string)
	switch {
	case v == nil:
		return nil
	case typ == tDateTime && isString:
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			return nil
		}
		return t
	case typ == tDateOnly && isString:
		t, err := time.Parse("2006-01-02", s)
		if err != nil {
			return nil
		}
		return t
	case (typ == tGuid || typ == tLookup) && isString:
		return guidValue(strings.ToLower(s))
	}
	return v
}

// guidValue keeps GUIDs apart from strings, which compare case-insensitively.
type guidValue string

func literalValue(l *Literal) any {
	switch l.Kind {
	case LitString:
		return l.Text
	case LitNumber:
		return l.Num
	case LitBool:
		return l.Bool
	case LitGuid:
		return guidValue(l.Text)
	case LitDate:
		t, _ := time.Parse("2006-01-02", l.Text)
		return t
	case LitDateTime:
		t, _ := parseDateTime(l.Text)
		return t
	}
	return nil
}

// compareValues applies a comparison; strings compare case-insensitively
// and null equals only null, as in Dataverse.
func compareValues(op string, l, r any) bool {
	if l == nil || r == nil {
		switch op {
		case "eq":
			return l == nil && r == nil
		case "ne":
			return (l == nil) != (r == nil)
		}
		return false
	}
	c, ok := order(l, r)
	if !ok {
		return false
	}
	switch op {
	case "eq":
		return c == 0
	case "ne":
		return c != 0
	case "gt":
		return c > 0
	case "ge":
		return c >= 0
	case "lt":
		return c < 0
	}
	return c <= 0
}

func order(l, r any) (int, bool) {
	switch a := l.(type) {
	case string:
		b, ok := r.(string)
		return strings.Compare(strings.ToLower(a), strings.ToLower(b)), ok
	case float64:
		b, ok := r.(float64)
		switch {
		case !ok:
			return 0, false
		case a < b:
			return -1, true
		case a > b:
			return 1, true
		}
		return 0, true
	case bool:
		b, ok := r.(bool)
		if !ok {
			return 0, false
		}
		if a == b {
			return 0, true
		}
		if !a {
			return -1, true
		}
		return 1, true
	case guidValue:
		b, ok := r.(guidValue)
		return strings.Compare(string(a), string(b)), ok
	case time.Time:
		b, ok := r.(time.Time)
		return a.Compare(b), ok
	}
	return 0, false
}
