package servicenow

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
)

// check makes sure every column a query names exists on t (dot-walks
// included); the caller holds s.mu.
func (s *Server) check(t *table, q Query) error {
	for _, g := range q.Groups {
		for _, cl := range g {
			for _, c := range cl {
				if _, _, ok := s.resolve(t, map[string]string{}, c.Field); !ok {
					return queryError("no column %q on %s", c.Field, t.name)
				}
			}
		}
	}
	for _, o := range q.OrderBy {
		if _, _, ok := s.resolve(t, map[string]string{}, o.Field); !ok {
			return queryError("no column %q on %s to order by", o.Field, t.name)
		}
	}
	return nil
}

// dropUnknown removes the conditions and orderings naming columns t does
// not have, as a default instance drops the invalid part of a query: a
// clause left empty is gone, and a query part left empty matches every
// row. The caller holds s.mu.
func (s *Server) dropUnknown(t *table, q Query) Query {
	known := func(field string) bool {
		_, _, ok := s.resolve(t, map[string]string{}, field)
		return ok
	}
	var out Query
	for _, g := range q.Groups {
		var group []Clause
		for _, cl := range g {
			var kept Clause
			for _, c := range cl {
				if known(c.Field) {
					kept = append(kept, c)
				}
			}
			if len(kept) > 0 {
				group = append(group, kept)
			}
		}
		if len(group) == 0 {
			// This part now holds for every row, and so does the query.
			return Query{OrderBy: out.OrderBy}
		}
		out.Groups = append(out.Groups, group)
	}
	for _, o := range q.OrderBy {
		if known(o.Field) {
			out.OrderBy = append(out.OrderBy, o)
		}
	}
	return out
}

// matches reports whether a row of t satisfies q; the caller holds s.mu.
func (s *Server) matches(t *table, row map[string]string, q Query) bool {
	if len(q.Groups) == 0 {
		return true
	}
	for _, g := range q.Groups {
		if s.matchesGroup(t, row, g) {
			return true
		}
	}
	return false
}

func (s *Server) matchesGroup(t *table, row map[string]string, g []Clause) bool {
	for _, cl := range g {
		if !slices.ContainsFunc(cl, func(c Condition) bool { return s.holds(t, row, c) }) {
			return false
		}
	}
	return true
}

// holds evaluates one condition. Text compares case-insensitively, as on
// an instance's default collation; integers compare as numbers.
func (s *Server) holds(t *table, row map[string]string, c Condition) bool {
	v, col, _ := s.resolve(t, row, c.Field)
	switch c.Op {
	case "ISEMPTY":
		return v == ""
	case "ISNOTEMPTY":
		return v != ""
	case "=":
		return equal(col, v, c.Value)
	case "!=":
		return !equal(col, v, c.Value)
	case "LIKE":
		return strings.Contains(strings.ToLower(v), strings.ToLower(c.Value))
	case "NOT LIKE":
		return !strings.Contains(strings.ToLower(v), strings.ToLower(c.Value))
	case "STARTSWITH":
		return strings.HasPrefix(strings.ToLower(v), strings.ToLower(c.Value))
	case "ENDSWITH":
		return strings.HasSuffix(strings.ToLower(v), strings.ToLower(c.Value))
	case "IN", "NOT IN":
		in := slices.ContainsFunc(strings.Split(c.Value, ","), func(x string) bool { return equal(col, v, x) })
		return in == (c.Op == "IN")
	case "<":
		return v != "" && compare(col, v, c.Value) < 0
	case "<=":
		return v != "" && compare(col, v, c.Value) <= 0
	case ">":
		return v != "" && compare(col, v, c.Value) > 0
	case ">=":
		return v != "" && compare(col, v, c.Value) >= 0
	}
	return false
}

func equal(col column, a, b string) bool {
	switch col.typ {
	case tBoolean:
		return truth(a) == truth(b)
	case tInteger:
		x, err1 := strconv.ParseFloat(a, 64)
		y, err2 := strconv.ParseFloat(b, 64)
		if err1 == nil && err2 == nil {
			return x == y
		}
	}
	return strings.EqualFold(a, b)
}

func truth(s string) bool { return s == "true" || s == "1" }

func compare(col column, a, b string) int {
	if col.typ == tInteger {
		x, err1 := strconv.ParseFloat(a, 64)
		y, err2 := strconv.ParseFloat(b, 64)
		if err1 == nil && err2 == nil {
			return cmp.Compare(x, y)
		}
	}
	// Date-times are written yyyy-MM-dd HH:mm:ss, so text order is time order.
	return strings.Compare(strings.ToLower(a), strings.ToLower(b))
}

// sortRows orders rows by the query's ORDERBY terms; rows that tie keep
// their insertion order. The caller holds s.mu.
func (s *Server) sortRows(t *table, rows []map[string]string, orders []Order) {
	if len(orders) == 0 {
		return
	}
	slices.SortStableFunc(rows, func(a, b map[string]string) int {
		for _, o := range orders {
			va, col, _ := s.resolve(t, a, o.Field)
			vb, _, _ := s.resolve(t, b, o.Field)
			c := compare(col, va, vb)
			if o.Desc {
				c = -c
			}
			if c != 0 {
				return c
			}
		}
		return 0
	})
}
