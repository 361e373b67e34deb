package salesforce

import (
	"cmp"
	"regexp"
	"slices"
	"strings"
	"time"
)

// fieldPath is a selected or filtered field resolved against the schema:
// relationship hops (reference field names) and the final field.
type fieldPath struct {
	hops []hop
	leaf string
	typ  fieldType
	// poly is set when the last hop is polymorphic (Who, What): its Name and
	// Type come from whatever entity the id points to.
	poly bool
}

type hop struct {
	refField string // AccountId
	relName  string // Account
}

// resolvePath checks a possibly dotted field name against an entity.
func (s *Server) resolvePath(e *entity, written string) (fieldPath, *apiError) {
	parts := strings.Split(written, ".")
	var p fieldPath
	cur := e
	for i, part := range parts {
		last := i == len(parts)-1
		if last {
			name, f, ok := cur.lookup(part)
			if !ok {
				return fieldPath{}, noSuchColumn(part, cur.name)
			}
			p.leaf, p.typ = name, f.typ
			return p, nil
		}
		ref, f, ok := cur.relationship(part)
		if !ok {
			return fieldPath{}, badRequest("INVALID_FIELD", "Didn't understand relationship '%s' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name.", part)
		}
		rel := strings.TrimSuffix(ref, "Id")
		if strings.HasSuffix(ref, "__c") {
			rel = strings.TrimSuffix(ref, "__c") + "__r"
		}
		p.hops = append(p.hops, hop{refField: ref, relName: rel})
		if len(f.refs) != 1 {
			// A polymorphic relationship (Who, What) exposes only the common name fields.
			rest := parts[i+1:]
			if len(rest) != 1 || !slices.Contains([]string{"Id", "Name", "Type"}, rest[0]) {
				return fieldPath{}, noSuchColumn(strings.Join(rest, "."), "Name")
			}
			p.leaf, p.typ, p.poly = rest[0], tString, true
			if rest[0] == "Id" {
				p.typ = tID
			}
			return p, nil
		}
		cur = s.entities[strings.ToLower(f.refs[0])]
	}
	return p, nil
}

func noSuchColumn(field, entity string) *apiError {
	return badRequest("INVALID_FIELD", "No such column '%s' on entity '%s'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.", field, entity)
}

// value reads a field path from a record, following references.
func (s *Server) value(rec map[string]any, p fieldPath) any {
	var target *entity
	for _, h := range p.hops {
		id, _ := rec[h.refField].(string)
		next, te, ok := s.get(id)
		if !ok {
			return nil
		}
		rec, target = next, te
	}
	if p.poly {
		switch p.leaf {
		case "Type":
			return target.name
		case "Name":
			return rec[target.nameFields[0]]
		}
	}
	return rec[p.leaf]
}

// filter is a WHERE clause checked against the schema and ready to run.
type filter struct {
	s     *Server
	paths map[*Cond]fieldPath
	likes map[*Cond]*regexp.Regexp
	now   time.Time
}

// compileWhere type-checks every condition the way Salesforce does.
func (s *Server) compileWhere(e *entity, x Expr) (*filter, *apiError) {
	f := &filter{s: s, paths: map[*Cond]fieldPath{}, likes: map[*Cond]*regexp.Regexp{}, now: s.now().UTC()}
	if x == nil {
		return f, nil
	}
	return f, f.check(e, x)
}

func (f *filter) check(e *entity, x Expr) *apiError {
	switch x := x.(type) {
	case *And:
		for _, t := range x.Terms {
			if err := f.check(e, t); err != nil {
				return err
			}
		}
	case *Or:
		for _, t := range x.Terms {
			if err := f.check(e, t); err != nil {
				return err
			}
		}
	case *Not:
		return f.check(e, x.X)
	case *Cond:
		p, err := f.s.resolvePath(e, x.Field)
		if err != nil {
			return err
		}
		f.paths[x] = p
		if x.Op == "LIKE" {
			if !p.typ.stringLike() && p.typ != tAny {
				return badRequest("INVALID_FIELD", "invalid operator on field '%s': LIKE applies to text fields", p.leaf)
			}
			f.likes[x] = likeRegexp(x.Value)
			return nil
		}
		for _, v := range append([]Literal{x.Value}, x.Values...) {
			if v.Kind == 0 {
				continue
			}
			if err := checkLiteral(p, v); err != nil {
				return err
			}
		}
	}
	return nil
}

// checkLiteral refuses a literal of the wrong kind for the field, as Salesforce does.
func checkLiteral(p fieldPath, v Literal) *apiError {
	if v.Kind == LitNull || p.typ == tAny {
		return nil
	}
	bad := func(want, quoting string) *apiError {
		return badRequest("INVALID_FIELD", "value of filter criterion for field '%s' must be of type %s and %s be enclosed in quotes", p.leaf, want, quoting)
	}
	switch {
	case p.typ.stringLike():
		if v.Kind != LitString {
			return bad("string", "should")
		}
		if (p.typ == tID || p.typ == tRef) && v.Text != "" {
			if _, ok := canonicalID(v.Text); !ok {
				return badRequest("INVALID_QUERY_FILTER_OPERATOR", "invalid ID field: %s", v.Text)
			}
		}
	case p.typ == tBool && v.Kind != LitBool:
		return bad("boolean", "should not")
	case p.typ.numeric() && v.Kind != LitNumber:
		return bad("double", "should not")
	case p.typ == tDate && v.Kind != LitDate && v.Kind != LitDateKeyword:
		return bad("date", "should not")
	case p.typ == tDateTime && v.Kind != LitDateTime && v.Kind != LitDateKeyword:
		return bad("dateTime", "should not")
	}
	return nil
}

// likeRegexp turns a LIKE pattern into a case-insensitive regexp: unescaped %
// and _ are wildcards, everything else (\% and \_ included) is literal.
func likeRegexp(v Literal) *regexp.Regexp {
	var b strings.Builder
	b.WriteString(`(?is)^`)
	last := 0
	for _, w := range v.Wild {
		b.WriteString(regexp.QuoteMeta(v.Text[last:w]))
		if v.Text[w] == '%' {
			b.WriteString(`.*`)
		} else {
			b.WriteString(`.`)
		}
		last = w + 1
	}
	b.WriteString(regexp.QuoteMeta(v.Text[last:]))
	b.WriteString(`$`)
	return regexp.MustCompile(b.String())
}

func (f *filter) match(rec map[string]any, x Expr) bool {
	switch x := x.(type) {
	case nil:
		return true
	case *And:
		for _, t := range x.Terms {
			if !f.match(rec, t) {
				return false
			}
		}
		return true
	case *Or:
		for _, t := range x.Terms {
			if f.match(rec, t) {
				return true
			}
		}
		return false
	case *Not:
		return !f.match(rec, x.X)
	case *Cond:
		p := f.paths[x]
		v := f.s.value(rec, p)
		switch x.Op {
		case "LIKE":
			s, ok := v.(string)
			return ok && f.likes[x].MatchString(s)
		case "IN", "NOT IN":
			in := false
			for _, l := range x.Values {
				in = in || f.compare(v, "=", l, p.typ)
			}
			return in == (x.Op == "IN")
		}
		return f.compare(v, x.Op, x.Value, p.typ)
	}
	return false
}

// compare applies one comparison operator. Text compares case-insensitively,
// ids in their 18-character form, dates by the day or range they name.
func (f *filter) compare(v any, op string, l Literal, typ fieldType) bool {
	if l.Kind == LitNull || v == nil {
		eq := v == nil && l.Kind == LitNull
		switch op {
		case "=":
			return eq
		case "!=":
			return !eq
		}
		return false
	}
	var c int
	switch l.Kind {
	case LitBool:
		b, ok := v.(bool)
		if !ok {
			return op == "!="
		}
		c = cmp.Compare(boolInt(b), boolInt(l.Bool))
	case LitNumber:
		n, ok := v.(float64)
		if !ok {
			return op == "!="
		}
		c = cmp.Compare(n, l.Num)
	case LitDate, LitDateTime, LitDateKeyword:
		return f.compareTime(v, op, l)
	default:
		s, ok := v.(string)
		if !ok {
			return op == "!="
		}
		want := l.Text
		if typ == tID || typ == tRef {
			if id, ok := canonicalID(want); ok {
				want = id
			}
			c = strings.Compare(s, want)
		} else {
			c = strings.Compare(strings.ToLower(s), strings.ToLower(want))
		}
	}
	switch op {
	case "=":
		return c == 0
	case "!=":
		return c != 0
	case "<":
		return c < 0
	case "<=":
		return c <= 0
	case ">":
		return c > 0
	case ">=":
		return c >= 0
	}
	return false
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// compareTime compares a stored date or datetime with the [start, end) range a literal names.
func (f *filter) compareTime(v any, op string, l Literal) bool {
	s, ok := v.(string)
	if !ok {
		return op == "!="
	}
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		if t, err = parseDateTime(s); err != nil {
			return op == "!="
		}
	}
	start, end := f.timeRange(l)
	switch op {
	case "=":
		return !t.Before(start) && t.Before(end)
	case "!=":
		return t.Before(start) || !t.Before(end)
	case "<":
		return t.Before(start)
	case "<=":
		return t.Before(end)
	case ">":
		return !t.Before(end)
	case ">=":
		return !t.Before(start)
	}
	return false
}

func (f *filter) timeRange(l Literal) (time.Time, time.Time) {
	day := 24 * time.Hour
	today := f.now.Truncate(day)
	switch l.Kind {
	case LitDate:
		return l.Time, l.Time.Add(day)
	case LitDateTime:
		return l.Time, l.Time.Add(time.Millisecond)
	}
	switch l.Text {
	case "YESTERDAY":
		return today.Add(-day), today
	case "TOMORROW":
		return today.Add(day), today.Add(2 * day)
	case "LAST_N_DAYS", "LAST_90_DAYS":
		n := l.N
		if l.Text == "LAST_90_DAYS" {
			n = 90
		}
		return today.Add(-time.Duration(n) * day), today.Add(day)
	case "NEXT_N_DAYS", "NEXT_90_DAYS":
		n := l.N
		if l.Text == "NEXT_90_DAYS" {
			n = 90
		}
		return today.Add(day), today.Add(time.Duration(n+1) * day)
	}
	return today, today.Add(day)
}

// sortRecords orders records by ORDER BY keys; Salesforce puts nulls first
// ascending and last descending unless NULLS says otherwise.
func (s *Server) sortRecords(recs []map[string]any, keys []OrderItem, paths []fieldPath) {
	slices.SortStableFunc(recs, func(a, b map[string]any) int {
		for i, k := range keys {
			va, vb := s.value(a, paths[i]), s.value(b, paths[i])
			if c := compareValues(va, vb, k.NullsLast); c != 0 {
				if k.Desc && va != nil && vb != nil {
					return -c
				}
				return c
			}
		}
		return 0
	})
}

func compareValues(a, b any, nullsLast bool) int {
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		if nullsLast {
			return 1
		}
		return -1
	case b == nil:
		if nullsLast {
			return -1
		}
		return 1
	}
	switch x := a.(type) {
	case float64:
		y, _ := b.(float64)
		return cmp.Compare(x, y)
	case bool:
		y, _ := b.(bool)
		return cmp.Compare(boolInt(x), boolInt(y))
	case string:
		y, _ := b.(string)
		return strings.Compare(strings.ToLower(x), strings.ToLower(y))
	}
	return 0
}
