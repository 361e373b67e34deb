package oracle

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// maxRowsPerRecord bounds the rows one record spreads into when several
// list fields are selected (every email times every phone).
const maxRowsPerRecord = 256

// table is one queryResults item.
type table struct {
	TableName   string      `json:"tableName"`
	Count       int         `json:"count"`
	ColumnNames []string    `json:"columnNames"`
	Rows        [][]*string `json:"rows"`
}

// run executes a parsed statement against the store; s.mu is held.
func (s *Server) run(q Query) (table, error) {
	res, ok := s.sc.byROQL[strings.ToLower(q.Table)]
	if !ok {
		return table{}, errorf("Invalid object name: %s", q.Table)
	}
	strip := func(p Path) Path {
		if len(p) > 1 && (strings.EqualFold(p[0], q.Alias) || strings.EqualFold(p[0], q.Table) || slices.ContainsFunc(res.roql,
			func(n string) bool { return strings.EqualFold(n, p[0]) })) {
			return p[1:]
		}
		return p
	}
	cols := q.Columns
	if len(cols) == 0 {
		for _, name := range []string{"id", "lookupName", "createdTime", "updatedTime"} {
			cols = append(cols, Path{name})
		}
	}
	for i := range cols {
		cols[i] = strip(cols[i])
		if _, err := s.resolve(res, nil, cols[i]); err != nil {
			return table{}, err
		}
	}
	if err := s.checkExpr(res, q.Where, strip); err != nil {
		return table{}, err
	}
	for i := range q.OrderBy {
		q.OrderBy[i].Path = strip(q.OrderBy[i].Path)
		if _, err := s.resolve(res, nil, q.OrderBy[i].Path); err != nil {
			return table{}, err
		}
	}
	var recs []record
	for _, id := range s.order[res.name] {
		rec := s.records[res.name][id]
		ok, err := s.match(res, rec, q.Where)
		if err != nil {
			return table{}, err
		}
		if ok {
			recs = append(recs, rec)
		}
	}
	slices.SortStableFunc(recs, func(a, b record) int {
		for _, o := range q.OrderBy {
			av, _ := s.resolve(res, a, o.Path)
			bv, _ := s.resolve(res, b, o.Path)
			c := compareValues(first(av), first(bv))
			if o.Desc {
				c = -c
			}
			if c != 0 {
				return c
			}
		}
		return cmp.Compare(a.id(), b.id())
	})
	// The site names the table as the REST resource when the query spells
	// it so in another case (REAL: "from serviceproducts" answers
	// tableName "serviceProducts").
	name := q.Table
	if strings.EqualFold(name, res.name) {
		name = res.name
	}
	out := table{TableName: name, ColumnNames: make([]string, len(cols)), Rows: [][]*string{}}
	for i, c := range cols {
		out.ColumnNames[i] = c[len(c)-1]
	}
	var rows [][]*string
	for _, rec := range recs {
		rows = append(rows, s.rowsOf(res, rec, cols)...)
	}
	limit := s.opts.MaxRows
	if q.Limit >= 0 && q.Limit < limit {
		limit = q.Limit
	}
	if q.Offset < len(rows) {
		rows = rows[q.Offset:]
	} else {
		rows = nil
	}
	if len(rows) > limit {
		rows = rows[:limit]
	}
	out.Rows = append(out.Rows, rows...)
	out.Count = len(out.Rows)
	return out, nil
}

// rowsOf spreads a record over rows: one per combination of the values of
// list fields, as a join would.
func (s *Server) rowsOf(res *resource, rec record, cols []Path) [][]*string {
	rows := [][]*string{make([]*string, 0, len(cols))}
	for _, c := range cols {
		vals, _ := s.resolve(res, rec, c)
		if len(vals) == 0 {
			vals = []any{nil}
		}
		var next [][]*string
		for _, r := range rows {
			for _, v := range vals {
				if len(next) >= maxRowsPerRecord {
					break
				}
				next = append(next, append(slices.Clone(r), cell(v)))
			}
		}
		rows = next
	}
	return rows
}

// cell renders a value as queryResults does: every value a string, null for none.
func cell(v any) *string {
	var s string
	switch x := v.(type) {
	case nil:
		return nil
	case string:
		s = x
	case bool:
		s = "0"
		if x {
			s = "1"
		}
	case int64:
		s = strconv.FormatInt(x, 10)
	case float64:
		s = strconv.FormatFloat(x, 'f', -1, 64)
	default:
		s = fmt.Sprint(x)
	}
	return &s
}

func first(vs []any) any {
	if len(vs) == 0 {
		return nil
	}
	return vs[0]
}

// resolve reads a path from a record (nil: only check the path against the
// schema). Lists spread into several values; references are followed into
// the referenced record; a named ID or reference at the end yields its id.
func (s *Server) resolve(res *resource, rec record, p Path) ([]any, error) {
	n := res.root
	var vals []any
	if rec != nil {
		vals = []any{map[string]any(rec)}
	}
	for i, seg := range p {
		last := i == len(p)-1
		if n.namedID {
			key := ""
			switch strings.ToLower(seg) {
			case "id":
				key = "id"
			case "lookupname":
				key = "lookupName"
			}
			if key == "" || !last {
				return nil, errorf("Unknown table or column: %s", p)
			}
			vals = pick(vals, key)
			return vals, nil
		}
		child := n.child(seg)
		if child == nil {
			return nil, errorf("Unknown table or column: %s", p)
		}
		vals = pick(vals, child.name)
		switch {
		case child.ref != "":
			if last {
				return pick(vals, "id"), nil
			}
			target := s.sc.byREST[strings.ToLower(child.ref)]
			var recs []any
			for _, v := range vals {
				if m, ok := v.(map[string]any); ok {
					if id, ok := m["id"].(int64); ok {
						if r, ok := s.records[target.name][id]; ok {
							recs = append(recs, map[string]any(r))
						}
					}
				}
			}
			vals, n = recs, target.root
		case child.namedID:
			if last {
				return pick(vals, "id"), nil
			}
			n = child
		default:
			if last && len(child.children) > 0 {
				return nil, errorf("Unknown table or column: %s", p)
			}
			n = child
		}
	}
	return vals, nil
}

// pick reads key from every object among vals, spreading lists.
func pick(vals []any, key string) []any {
	var out []any
	for _, v := range vals {
		m, ok := v.(map[string]any)
		if !ok {
			continue
		}
		switch x := m[key].(type) {
		case nil:
		case []any:
			out = append(out, x...)
		default:
			out = append(out, x)
		}
	}
	return out
}

func (s *Server) checkExpr(res *resource, e Expr, strip func(Path) Path) error {
	switch x := e.(type) {
	case nil:
		return nil
	case *Logic:
		for _, t := range x.Terms {
			if err := s.checkExpr(res, t, strip); err != nil {
				return err
			}
		}
		return nil
	case *Not:
		return s.checkExpr(res, x.X, strip)
	case *Cond:
		x.Path = strip(x.Path)
		_, err := s.resolve(res, nil, x.Path)
		return err
	}
	return nil
}

func (s *Server) match(res *resource, rec record, e Expr) (bool, error) {
	switch x := e.(type) {
	case nil:
		return true, nil
	case *Logic:
		for _, t := range x.Terms {
			ok, err := s.match(res, rec, t)
			if err != nil {
				return false, err
			}
			if ok == x.Or {
				return ok, nil
			}
		}
		return !x.Or, nil
	case *Not:
		ok, err := s.match(res, rec, x.X)
		return !ok, err
	case *Cond:
		vals, err := s.resolve(res, rec, x.Path)
		if err != nil {
			return false, err
		}
		if x.Op == "ISNULL" {
			null := len(vals) == 0 || !slices.ContainsFunc(vals, func(v any) bool { return v != nil && v != "" })
			return null != x.Negate, nil
		}
		for _, v := range vals {
			if v == nil || v == "" {
				continue // empty text is NULL in the database
			}
			if condHolds(x, v) {
				return true, nil
			}
		}
		return false, nil
	}
	return false, nil
}

func condHolds(c *Cond, v any) bool {
	switch c.Op {
	case "LIKE":
		return like(text(v), c.Values[0].Text) != c.Negate
	case "IN":
		in := slices.ContainsFunc(c.Values, func(l Literal) bool { return compareLiteral(v, l) == 0 })
		return in != c.Negate
	}
	r := compareLiteral(v, c.Values[0])
	switch c.Op {
	case "=":
		return r == 0
	case "!=":
		return r != 0
	case "<":
		return r < 0
	case "<=":
		return r <= 0
	case ">":
		return r > 0
	case ">=":
		return r >= 0
	}
	return false
}

func text(v any) string {
	if c := cell(v); c != nil {
		return *c
	}
	return ""
}

// compareLiteral compares a stored value with a literal: numbers as
// numbers, text case-insensitively (ROQL comparisons ignore case).
func compareLiteral(v any, l Literal) int {
	if l.Number {
		want, _ := strconv.ParseFloat(l.Text, 64)
		got, err := strconv.ParseFloat(text(v), 64)
		if err != nil {
			return strings.Compare(strings.ToLower(text(v)), strings.ToLower(l.Text))
		}
		return cmp.Compare(got, want)
	}
	return strings.Compare(strings.ToLower(text(v)), strings.ToLower(l.Text))
}

func compareValues(a, b any) int {
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		return -1
	case b == nil:
		return 1
	}
	af, errA := strconv.ParseFloat(text(a), 64)
	bf, errB := strconv.ParseFloat(text(b), 64)
	if errA == nil && errB == nil {
		return cmp.Compare(af, bf)
	}
	return strings.Compare(strings.ToLower(text(a)), strings.ToLower(text(b)))
}

// like matches SQL LIKE case-insensitively: % any run, _ one character.
func like(s, pattern string) bool {
	sr, pr := []rune(strings.ToLower(s)), []rune(strings.ToLower(pattern))
	// Iterative wildcard matching with backtracking on the last %.
	si, pi, star, mark := 0, 0, -1, 0
	for si < len(sr) {
		switch {
		case pi < len(pr) && (pr[pi] == '_' || pr[pi] == sr[si]):
			si++
			pi++
		case pi < len(pr) && pr[pi] == '%':
			star, mark = pi, si
			pi++
		case star >= 0:
			pi = star + 1
			mark++
			si = mark
		default:
			return false
		}
	}
	for pi < len(pr) && pr[pi] == '%' {
		pi++
	}
	return pi == len(pr)
}
