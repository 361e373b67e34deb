package oracle

import (
	"strconv"
	"strings"
)

// Query is one parsed ROQL SELECT statement.
type Query struct {
	Columns []Path // empty for SELECT *
	Table   string // as written
	Alias   string
	Where   Expr // nil: every row
	OrderBy []Order
	Limit   int // -1: none
	Offset  int
}

// Path is a dotted field path (Emails.Address), as written.
type Path []string

func (p Path) String() string { return strings.Join(p, ".") }

// Order is one ORDER BY term.
type Order struct {
	Path Path
	Desc bool
}

// Expr is a WHERE condition: *Logic, *Not or *Cond.
type Expr interface{ expr() }

// Logic joins conditions with AND or OR.
type Logic struct {
	Or    bool
	Terms []Expr
}

// Not negates a condition.
type Not struct{ X Expr }

// Cond compares a field: Op is one of = != < <= > >= LIKE IN ISNULL, with
// Negate for NOT LIKE, NOT IN and IS NOT NULL.
type Cond struct {
	Path   Path
	Op     string
	Negate bool
	Values []Literal
}

// Literal is a string or number in a query.
type Literal struct {
	Text   string
	Number bool
}

func (*Logic) expr() {}
func (*Not) expr()   {}
func (*Cond) expr()  {}

// keywords cannot be used as names.
var keywords = map[string]bool{"SELECT": true, "FROM": true, "WHERE": true, "AND": true, "OR": true, "NOT": true,
	"LIKE": true, "IN": true, "IS": true, "NULL": true, "ORDER": true, "BY": true, "ASC": true, "DESC": true,
	"LIMIT": true, "OFFSET": true}

type parser struct {
	toks []token
	i    int
}

// ParseROQL parses one ROQL statement (no semicolons).
func ParseROQL(src string) (Query, error) {
	stmts, err := splitStatements(src)
	if err != nil {
		return Query{}, err
	}
	if len(stmts) != 1 {
		return Query{}, errorf("syntax error: expected one statement")
	}
	return parseStatement(stmts[0])
}

func parseStatement(toks []token) (Query, error) {
	p := &parser{toks: toks}
	q, err := p.query()
	if err != nil {
		return Query{}, err
	}
	return q, nil
}

func (p *parser) peek() token { return p.toks[p.i] }

func (p *parser) next() token {
	t := p.toks[p.i]
	if t.kind != tokEOF {
		p.i++
	}
	return t
}

func (p *parser) isKeyword(kw string) bool {
	t := p.peek()
	return t.kind == tokIdent && strings.EqualFold(t.text, kw)
}

func (p *parser) keyword(kw string) error {
	if !p.isKeyword(kw) {
		return p.syntax()
	}
	p.next()
	return nil
}

func (p *parser) punct(s string) bool {
	t := p.peek()
	if t.kind == tokPunct && t.text == s {
		p.next()
		return true
	}
	return false
}

func (p *parser) syntax() error {
	t := p.peek()
	if t.kind == tokEOF {
		return errorf("syntax error: unexpected end of query")
	}
	if t.kind == tokQuoted {
		return errorf("Unknown table or column: %q", t.text)
	}
	return errorf("syntax error near %q", t.text)
}

func (p *parser) query() (Query, error) {
	q := Query{Limit: -1}
	if err := p.keyword("SELECT"); err != nil {
		return q, err
	}
	if p.punct("*") {
		// SELECT *
	} else {
		for {
			path, err := p.path()
			if err != nil {
				return q, err
			}
			q.Columns = append(q.Columns, path)
			if !p.punct(",") {
				break
			}
		}
	}
	if err := p.keyword("FROM"); err != nil {
		return q, err
	}
	table, err := p.path()
	if err != nil {
		return q, err
	}
	q.Table = table.String()
	if t := p.peek(); t.kind == tokIdent && !keywords[strings.ToUpper(t.text)] {
		q.Alias = p.next().text
	}
	if p.isKeyword("WHERE") {
		p.next()
		if q.Where, err = p.or(); err != nil {
			return q, err
		}
	}
	if p.isKeyword("ORDER") {
		p.next()
		if err := p.keyword("BY"); err != nil {
			return q, err
		}
		for {
			path, err := p.path()
			if err != nil {
				return q, err
			}
			o := Order{Path: path}
			if p.isKeyword("DESC") {
				p.next()
				o.Desc = true
			} else if p.isKeyword("ASC") {
				p.next()
			}
			q.OrderBy = append(q.OrderBy, o)
			if !p.punct(",") {
				break
			}
		}
	}
	if p.isKeyword("LIMIT") {
		p.next()
		if q.Limit, err = p.count(); err != nil {
			return q, err
		}
		if p.isKeyword("OFFSET") {
			p.next()
			if q.Offset, err = p.count(); err != nil {
				return q, err
			}
		}
	}
	if p.peek().kind != tokEOF {
		return q, p.syntax()
	}
	return q, nil
}

func (p *parser) count() (int, error) {
	t := p.next()
	n, err := strconv.Atoi(t.text)
	if t.kind != tokNumber || err != nil || n < 0 {
		p.i--
		return 0, p.syntax()
	}
	return n, nil
}

func (p *parser) path() (Path, error) {
	var out Path
	for {
		t := p.peek()
		if t.kind != tokIdent || keywords[strings.ToUpper(t.text)] {
			return nil, p.syntax()
		}
		p.next()
		out = append(out, t.text)
		if !p.punct(".") {
			return out, nil
		}
	}
}

func (p *parser) or() (Expr, error) {
	return p.logic(true)
}

func (p *parser) logic(or bool) (Expr, error) {
	var terms []Expr
	for {
		var x Expr
		var err error
		if or {
			x, err = p.logic(false)
		} else {
			x, err = p.not()
		}
		if err != nil {
			return nil, err
		}
		terms = append(terms, x)
		kw := "AND"
		if or {
			kw = "OR"
		}
		if !p.isKeyword(kw) {
			break
		}
		p.next()
	}
	if len(terms) == 1 {
		return terms[0], nil
	}
	return &Logic{Or: or, Terms: terms}, nil
}

func (p *parser) not() (Expr, error) {
	if p.isKeyword("NOT") {
		p.next()
		x, err := p.not()
		if err != nil {
			return nil, err
		}
		return &Not{X: x}, nil
	}
	if p.punct("(") {
		x, err := p.or()
		if err != nil {
			return nil, err
		}
		if !p.punct(")") {
			return nil, p.syntax()
		}
		return x, nil
	}
	return p.cond()
}

func (p *parser) cond() (Expr, error) {
	path, err := p.path()
	if err != nil {
		return nil, err
	}
	c := &Cond{Path: path}
	t := p.peek()
	switch {
	case t.kind == tokOp:
		p.next()
		c.Op = t.text
		if c.Op == "<>" {
			c.Op = "!="
		}
		v, err := p.literal()
		if err != nil {
			return nil, err
		}
		c.Values = []Literal{v}
	case p.isKeyword("IS"):
		p.next()
		c.Op = "ISNULL"
		if p.isKeyword("NOT") {
			p.next()
			c.Negate = true
		}
		if err := p.keyword("NULL"); err != nil {
			return nil, err
		}
	default:
		if p.isKeyword("NOT") {
			p.next()
			c.Negate = true
		}
		switch {
		case p.isKeyword("LIKE"):
			p.next()
			c.Op = "LIKE"
			v, err := p.literal()
			if err != nil {
				return nil, err
			}
			if v.Number {
				return nil, errorf("syntax error: LIKE needs a string")
			}
			c.Values = []Literal{v}
		case p.isKeyword("IN"):
			p.next()
			c.Op = "IN"
			if !p.punct("(") {
				return nil, p.syntax()
			}
			for {
				v, err := p.literal()
				if err != nil {
					return nil, err
				}
				c.Values = append(c.Values, v)
				if p.punct(")") {
					break
				}
				if !p.punct(",") {
					return nil, p.syntax()
				}
			}
		default:
			return nil, p.syntax()
		}
	}
	return c, nil
}

func (p *parser) literal() (Literal, error) {
	t := p.peek()
	switch t.kind {
	case tokString:
		p.next()
		return Literal{Text: t.text}, nil
	case tokNumber:
		p.next()
		return Literal{Text: t.text, Number: true}, nil
	}
	return Literal{}, p.syntax()
}
