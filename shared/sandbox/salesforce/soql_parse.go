package salesforce

import (
	"strconv"
	"strings"
)

// Query is a parsed SOQL SELECT of the subset the sandbox serves.
type Query struct {
	Fields  []string
	Entity  string
	Where   Expr // nil without WHERE
	OrderBy []OrderItem
	Limit   int // -1 without LIMIT
	Offset  int
}

// OrderItem is one ORDER BY key.
type OrderItem struct {
	Field     string
	Desc      bool
	NullsLast bool
}

// Expr is a WHERE condition: *And, *Or, *Not or *Cond.
type Expr interface{ isExpr() }

// And is true when every term is.
type And struct{ Terms []Expr }

// Or is true when any term is.
type Or struct{ Terms []Expr }

// Not negates X.
type Not struct{ X Expr }

// Cond compares a field with a literal: Op is one of = != < <= > >= LIKE IN "NOT IN".
type Cond struct {
	Field  string
	Op     string
	Value  Literal   // all but IN and NOT IN
	Values []Literal // IN and NOT IN
}

func (*And) isExpr()  {}
func (*Or) isExpr()   {}
func (*Not) isExpr()  {}
func (*Cond) isExpr() {}

// reserved words cannot name a field or an entity (Salesforce's SOQL list,
// plus the boolean literals).
var reserved = map[string]bool{
	"AND": true, "ASC": true, "DESC": true, "EXCLUDES": true, "FIRST": true, "FROM": true, "GROUP": true,
	"HAVING": true, "IN": true, "INCLUDES": true, "LAST": true, "LIKE": true, "LIMIT": true, "NOT": true,
	"NULL": true, "NULLS": true, "OR": true, "SELECT": true, "WHERE": true, "WITH": true, "TRUE": true, "FALSE": true,
}

// dateKeywords are the relative date literals the sandbox understands; the
// ones ending in _N_DAYS take ":n".
var dateKeywords = map[string]bool{
	"TODAY": true, "YESTERDAY": true, "TOMORROW": true, "LAST_N_DAYS": true, "NEXT_N_DAYS": true,
	"LAST_90_DAYS": true, "NEXT_90_DAYS": true,
}

// maxQueryLength is Salesforce's limit on a SOQL statement.
const maxQueryLength = 100000

// parser reads tokens with one token of lookahead.
type parser struct {
	lx  lexer
	tok token
}

func newParser(src, code string) (*parser, error) {
	p := &parser{lx: lexer{src: src, code: code}}
	return p, p.advance()
}

func (p *parser) advance() error {
	t, err := p.lx.next()
	p.tok = t
	return err
}

func (p *parser) fail(format string, args ...any) error { return p.lx.fail(format, args...) }

func (p *parser) unexpected() error {
	if p.tok.kind == tkEOF {
		return p.fail("unexpected end of query")
	}
	return p.fail("unexpected token: '%s' at column %d", p.tok.text, p.tok.pos+1)
}

// isKeyword reports whether the current token is the keyword kw.
func (p *parser) isKeyword(kw string) bool {
	return p.tok.kind == tkIdent && strings.EqualFold(p.tok.text, kw)
}

func (p *parser) expectKeyword(kw string) error {
	if !p.isKeyword(kw) {
		return p.unexpected()
	}
	return p.advance()
}

// name reads a field or entity name; dotted says whether relationship paths are allowed.
func (p *parser) name(dotted bool) (string, error) {
	if p.tok.kind != tkIdent || reserved[strings.ToUpper(p.tok.text)] || (!dotted && strings.Contains(p.tok.text, ".")) {
		return "", p.unexpected()
	}
	n := p.tok.text
	return n, p.advance()
}

// ParseSOQL parses a SELECT statement; syntax errors are *QueryError with code MALFORMED_QUERY.
func ParseSOQL(src string) (*Query, error) {
	if len(src) > maxQueryLength {
		return nil, &QueryError{Code: "MALFORMED_QUERY", Message: "query is longer than 100000 characters"}
	}
	p, err := newParser(src, "MALFORMED_QUERY")
	if err != nil {
		return nil, err
	}
	q := &Query{Limit: -1}
	if err := p.expectKeyword("SELECT"); err != nil {
		return nil, err
	}
	if q.Fields, err = p.fieldList(); err != nil {
		return nil, err
	}
	if err := p.expectKeyword("FROM"); err != nil {
		return nil, err
	}
	if q.Entity, err = p.name(false); err != nil {
		return nil, err
	}
	if err := p.tail(q, tkEOF); err != nil {
		return nil, err
	}
	return q, nil
}

// tail reads the optional WHERE, ORDER BY, LIMIT and OFFSET clauses, up to a
// token of kind end (EOF for SOQL, ")" inside a SOSL RETURNING spec).
func (p *parser) tail(q *Query, end tokKind) error {
	var err error
	if p.isKeyword("WHERE") {
		if err = p.advance(); err != nil {
			return err
		}
		if q.Where, err = p.or(); err != nil {
			return err
		}
	}
	if p.isKeyword("ORDER") {
		if err = p.advance(); err != nil {
			return err
		}
		if err = p.expectKeyword("BY"); err != nil {
			return err
		}
		if q.OrderBy, err = p.orderList(); err != nil {
			return err
		}
	}
	if p.isKeyword("LIMIT") {
		if q.Limit, err = p.count(); err != nil {
			return err
		}
	}
	if p.isKeyword("OFFSET") {
		if q.Offset, err = p.count(); err != nil {
			return err
		}
	}
	if p.tok.kind != end {
		return p.unexpected()
	}
	return nil
}

func (p *parser) fieldList() ([]string, error) {
	var out []string
	seen := map[string]bool{}
	for {
		n, err := p.name(true)
		if err != nil {
			return nil, err
		}
		if seen[strings.ToLower(n)] {
			return nil, p.fail("duplicate field selected: %s", n)
		}
		seen[strings.ToLower(n)] = true
		out = append(out, n)
		if p.tok.kind != tkComma {
			return out, nil
		}
		if err := p.advance(); err != nil {
			return nil, err
		}
	}
}

func (p *parser) orderList() ([]OrderItem, error) {
	var out []OrderItem
	for {
		n, err := p.name(true)
		if err != nil {
			return nil, err
		}
		it := OrderItem{Field: n}
		switch {
		case p.isKeyword("ASC"):
			err = p.advance()
		case p.isKeyword("DESC"):
			it.Desc = true
			err = p.advance()
		}
		if err != nil {
			return nil, err
		}
		it.NullsLast = it.Desc
		if p.isKeyword("NULLS") {
			if err := p.advance(); err != nil {
				return nil, err
			}
			switch {
			case p.isKeyword("FIRST"):
				it.NullsLast = false
			case p.isKeyword("LAST"):
				it.NullsLast = true
			default:
				return nil, p.unexpected()
			}
			if err := p.advance(); err != nil {
				return nil, err
			}
		}
		out = append(out, it)
		if p.tok.kind != tkComma {
			return out, nil
		}
		if err := p.advance(); err != nil {
			return nil, err
		}
	}
}

// count reads the non-negative integer after LIMIT or OFFSET.
func (p *parser) count() (int, error) {
	if err := p.advance(); err != nil {
		return 0, err
	}
	if p.tok.kind != tkNumber || strings.ContainsAny(p.tok.text, ".+-") {
		return 0, p.unexpected()
	}
	n, err := strconv.Atoi(p.tok.text)
	if err != nil {
		return 0, p.fail("number too large: %s", p.tok.text)
	}
	return n, p.advance()
}

// or reads a chain of terms joined by AND or by OR. Salesforce requires
// parentheses when the two are mixed, so a chain never mixes them.
func (p *parser) or() (Expr, error) {
	first, err := p.unary()
	if err != nil {
		return nil, err
	}
	var joiner string
	terms := []Expr{first}
	for p.isKeyword("AND") || p.isKeyword("OR") {
		kw := strings.ToUpper(p.tok.text)
		if joiner != "" && kw != joiner {
			return nil, p.fail("unexpected token: '%s' at column %d (use parentheses to mix AND and OR)", p.tok.text, p.tok.pos+1)
		}
		joiner = kw
		if err := p.advance(); err != nil {
			return nil, err
		}
		t, err := p.unary()
		if err != nil {
			return nil, err
		}
		terms = append(terms, t)
	}
	switch joiner {
	case "AND":
		return &And{Terms: terms}, nil
	case "OR":
		return &Or{Terms: terms}, nil
	}
	return first, nil
}

func (p *parser) unary() (Expr, error) {
	if p.isKeyword("NOT") {
		if err := p.advance(); err != nil {
			return nil, err
		}
		x, err := p.unary()
		if err != nil {
			return nil, err
		}
		return &Not{X: x}, nil
	}
	if p.tok.kind == tkLParen {
		if err := p.advance(); err != nil {
			return nil, err
		}
		e, err := p.or()
		if err != nil {
			return nil, err
		}
		if p.tok.kind != tkRParen {
			return nil, p.unexpected()
		}
		return e, p.advance()
	}
	return p.cond()
}

func (p *parser) cond() (Expr, error) {
	f, err := p.name(true)
	if err != nil {
		return nil, err
	}
	c := &Cond{Field: f}
	switch {
	case p.tok.kind == tkOp:
		c.Op = p.tok.text
		if err := p.advance(); err != nil {
			return nil, err
		}
		c.Value, err = p.value()
	case p.isKeyword("LIKE"):
		c.Op = "LIKE"
		if err := p.advance(); err != nil {
			return nil, err
		}
		if p.tok.kind != tkString {
			return nil, p.unexpected()
		}
		c.Value, err = p.value()
		return c, err
	case p.isKeyword("IN"):
		c.Op = "IN"
		c.Values, err = p.list()
	case p.isKeyword("NOT"):
		c.Op = "NOT IN"
		if err := p.advance(); err != nil {
			return nil, err
		}
		if !p.isKeyword("IN") {
			return nil, p.unexpected()
		}
		c.Values, err = p.list()
	default:
		return nil, p.unexpected()
	}
	if err != nil {
		return nil, err
	}
	for _, v := range append([]Literal{c.Value}, c.Values...) {
		if v.likeEscape {
			return nil, p.fail("Invalid string literal. Illegal character sequence '\\%%' or '\\_' outside a LIKE expression.")
		}
	}
	return c, nil
}

// list reads "IN (v, v, …)"; the current token is IN.
func (p *parser) list() ([]Literal, error) {
	if err := p.advance(); err != nil {
		return nil, err
	}
	if p.tok.kind != tkLParen {
		return nil, p.unexpected()
	}
	var out []Literal
	for {
		if err := p.advance(); err != nil {
			return nil, err
		}
		v, err := p.value()
		if err != nil {
			return nil, err
		}
		out = append(out, v)
		if p.tok.kind == tkRParen {
			return out, p.advance()
		}
		if p.tok.kind != tkComma {
			return nil, p.unexpected()
		}
	}
}

func (p *parser) value() (Literal, error) {
	t := p.tok
	switch t.kind {
	case tkString, tkNumber, tkDate, tkDateTime:
		return t.lit, p.advance()
	case tkIdent:
		up := strings.ToUpper(t.text)
		switch up {
		case "TRUE", "FALSE":
			return Literal{Kind: LitBool, Text: up, Bool: up == "TRUE"}, p.advance()
		case "NULL":
			return Literal{Kind: LitNull, Text: up}, p.advance()
		}
		if !dateKeywords[up] {
			return Literal{}, p.unexpected()
		}
		lit := Literal{Kind: LitDateKeyword, Text: up}
		if err := p.advance(); err != nil {
			return Literal{}, err
		}
		if !strings.HasSuffix(up, "_N_DAYS") {
			return lit, nil
		}
		if p.tok.kind != tkColon {
			return Literal{}, p.unexpected()
		}
		n, err := p.count()
		lit.N = n
		return lit, err
	}
	return Literal{}, p.unexpected()
}
