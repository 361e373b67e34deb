package dynamics

import (
	"fmt"
	"strconv"
)

// Expr is a parsed $filter expression.
type Expr interface{ position() int }

// Logical is "and" or "or".
type Logical struct {
	Op          string
	Left, Right Expr
	At          int
}

// Not negates its operand; OData binds it tighter than comparisons.
type Not struct {
	X  Expr
	At int
}

// Compare is eq, ne, gt, ge, lt or le.
type Compare struct {
	Op          string
	Left, Right Expr
	At          int
}

// Call is a query function: contains, startswith or endswith.
type Call struct {
	Name string
	Args []Expr
	At   int
}

// Property is a column or a path through single-valued navigation properties.
type Property struct {
	Path []string
	At   int
}

// LitKind is the type of a literal.
type LitKind int

const (
	LitString LitKind = iota
	LitNumber
	LitBool
	LitNull
	LitGuid
	LitDate
	LitDateTime
)

// Literal is a constant. Text is the unescaped value of a string, or the
// literal as written for the other kinds.
type Literal struct {
	Kind LitKind
	Text string
	Num  float64
	Bool bool
	At   int
}

func (e *Logical) position() int  { return e.At }
func (e *Not) position() int      { return e.At }
func (e *Compare) position() int  { return e.At }
func (e *Call) position() int     { return e.At }
func (e *Property) position() int { return e.At }
func (e *Literal) position() int  { return e.At }

var comparisons = map[string]bool{"eq": true, "ne": true, "gt": true, "ge": true, "lt": true, "le": true}

// keywords cannot be used as property names.
var keywords = map[string]bool{"and": true, "or": true, "not": true, "eq": true, "ne": true, "gt": true, "ge": true,
	"lt": true, "le": true, "has": true, "in": true, "add": true, "sub": true, "mul": true, "div": true, "mod": true}

var functions = map[string]bool{"contains": true, "startswith": true, "endswith": true}

// maxDepth bounds nesting so that a hostile filter cannot exhaust the stack.
const maxDepth = 100

type parser struct {
	src   string
	toks  []token
	i     int
	depth int
}

// ParseFilter parses a $filter value the way Dataverse's OData library does,
// for the subset the sandbox serves: comparisons, and/or/not, parentheses,
// contains/startswith/endswith, and string, number, boolean, null, GUID,
// date and date-time literals. Keywords are case-sensitive.
func ParseFilter(src string) (Expr, error) {
	toks, err := lex(src)
	if err != nil {
		return nil, err
	}
	p := &parser{src: src, toks: toks}
	e, err := p.or()
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind != tokEOF {
		return nil, p.syntax(t.pos)
	}
	return e, nil
}

func (p *parser) peek() token { return p.toks[p.i] }
func (p *parser) next() token {
	t := p.toks[p.i]
	if t.kind != tokEOF {
		p.i++
	}
	return t
}

func (p *parser) isWord(w string) bool { t := p.peek(); return t.kind == tokIdent && t.text == w }

func (p *parser) syntax(pos int) error {
	return &SyntaxError{Pos: pos, Msg: fmt.Sprintf("Syntax error at position %d in '%s'.", pos, p.src)}
}

func (p *parser) expected(pos int) error {
	return &SyntaxError{Pos: pos, Msg: fmt.Sprintf("Expression expected at position %d in '%s'.", pos, p.src)}
}

func (p *parser) or() (Expr, error) {
	p.depth++
	defer func() { p.depth-- }()
	if p.depth > maxDepth {
		return nil, &SyntaxError{Pos: p.peek().pos, Msg: "The recursion limit has been exceeded."}
	}
	return p.chain("or", p.and)
}

func (p *parser) and() (Expr, error) { return p.chain("and", p.compare) }

// chain parses operands joined by a logical operator, left-associative.
func (p *parser) chain(op string, operand func() (Expr, error)) (Expr, error) {
	left, err := operand()
	for err == nil && p.isWord(op) {
		at := p.next().pos
		var right Expr
		if right, err = operand(); err == nil {
			left = &Logical{Op: op, Left: left, Right: right, At: at}
		}
	}
	return left, err
}

func (p *parser) compare() (Expr, error) {
	left, err := p.unary()
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind == tokIdent && comparisons[t.text] {
		p.next()
		right, err := p.unary()
		if err != nil {
			return nil, err
		}
		return &Compare{Op: t.text, Left: left, Right: right, At: t.pos}, nil
	}
	return left, nil
}

func (p *parser) unary() (Expr, error) {
	if p.isWord("not") {
		at := p.next().pos
		p.depth++
		defer func() { p.depth-- }()
		if p.depth > maxDepth {
			return nil, &SyntaxError{Pos: at, Msg: "The recursion limit has been exceeded."}
		}
		x, err := p.unary()
		if err != nil {
			return nil, err
		}
		return &Not{X: x, At: at}, nil
	}
	return p.primary()
}

func (p *parser) primary() (Expr, error) {
	t := p.next()
	switch t.kind {
	case tokLParen:
		e, err := p.or()
		if err != nil {
			return nil, err
		}
		if c := p.next(); c.kind != tokRParen {
			return nil, &SyntaxError{Pos: c.pos, Msg: fmt.Sprintf("')' or operator expected at position %d in '%s'.", c.pos, p.src)}
		}
		return e, nil
	case tokString:
		return &Literal{Kind: LitString, Text: t.text, At: t.pos}, nil
	case tokGuid:
		return &Literal{Kind: LitGuid, Text: t.text, At: t.pos}, nil
	case tokDate:
		return &Literal{Kind: LitDate, Text: t.text, At: t.pos}, nil
	case tokDateTime:
		return &Literal{Kind: LitDateTime, Text: t.text, At: t.pos}, nil
	case tokNumber:
		n, err := strconv.ParseFloat(t.text, 64)
		if err != nil {
			return nil, &SyntaxError{Pos: t.pos, Msg: fmt.Sprintf("The number '%s' at position %d is out of range.", t.text, t.pos)}
		}
		return &Literal{Kind: LitNumber, Text: t.text, Num: n, At: t.pos}, nil
	case tokIdent:
		return p.word(t)
	}
	return nil, p.expected(t.pos)
}

// word is a keyword literal, a function call or a property path.
func (p *parser) word(t token) (Expr, error) {
	switch t.text {
	case "true", "false":
		return &Literal{Kind: LitBool, Text: t.text, Bool: t.text == "true", At: t.pos}, nil
	case "null":
		return &Literal{Kind: LitNull, Text: t.text, At: t.pos}, nil
	}
	if keywords[t.text] {
		return nil, p.expected(t.pos)
	}
	if p.peek().kind == tokLParen {
		return p.call(t)
	}
	path := []string{t.text}
	for p.peek().kind == tokSlash {
		p.next()
		seg := p.next()
		if seg.kind != tokIdent || keywords[seg.text] {
			return nil, p.syntax(seg.pos)
		}
		path = append(path, seg.text)
	}
	for _, seg := range path {
		if !validSegment(seg) {
			return nil, &SyntaxError{Pos: t.pos, Msg: fmt.Sprintf("Syntax error at position %d in '%s'.", t.pos, p.src)}
		}
	}
	return &Property{Path: path, At: t.pos}, nil
}

// validSegment refuses qualified names (Microsoft.Dynamics.CRM.x) as properties.
func validSegment(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == '.' {
			return false
		}
	}
	return true
}

func (p *parser) call(name token) (Expr, error) {
	if !functions[name.text] {
		return nil, &SyntaxError{Pos: name.pos, Msg: fmt.Sprintf("An unknown function with name '%s' was found. "+
			"This may also be a function import or a key lookup on a navigation property, which is not allowed.", name.text)}
	}
	p.next() // (
	var args []Expr
	if p.peek().kind != tokRParen {
		for {
			a, err := p.or()
			if err != nil {
				return nil, err
			}
			args = append(args, a)
			if p.peek().kind != tokComma {
				break
			}
			p.next()
		}
	}
	if c := p.next(); c.kind != tokRParen {
		return nil, &SyntaxError{Pos: c.pos, Msg: fmt.Sprintf("')' or ',' expected at position %d in '%s'.", c.pos, p.src)}
	}
	if len(args) != 2 {
		return nil, &SyntaxError{Pos: name.pos, Msg: signatureMessage(name.text)}
	}
	return &Call{Name: name.text, Args: args, At: name.pos}, nil
}

func signatureMessage(fn string) string {
	return fmt.Sprintf("No function signature for the function with name '%s' matches the specified arguments. "+
		"The function signatures considered are: %s(Edm.String Nullable=true, Edm.String Nullable=true).", fn, fn)
}
