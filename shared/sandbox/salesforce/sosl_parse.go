package salesforce

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"
)

// Search is a parsed SOSL statement.
type Search struct {
	Find      SearchExpr
	In        string // ALL, NAME, EMAIL, PHONE or SIDEBAR
	Returning []Returning
	Limit     int // -1 without LIMIT
}

// Returning is one object of the RETURNING clause; Query holds its field
// list and its own WHERE, ORDER BY, LIMIT and OFFSET.
type Returning struct {
	Entity string
	Query  *Query
}

// SearchExpr is the search query inside FIND {…}: *SearchTerm, *SearchAnd,
// *SearchOr or *SearchNot.
type SearchExpr interface{ isSearch() }

// SearchTerm is a word or a quoted phrase, escapes resolved.
type SearchTerm struct {
	Text   string
	Phrase bool
	// Wild holds the byte offsets in Text of unescaped * and ? wildcards.
	Wild []int
}

// SearchAnd, SearchOr and SearchNot combine terms.
type (
	SearchAnd struct{ Terms []SearchExpr }
	SearchOr  struct{ Terms []SearchExpr }
	SearchNot struct{ X SearchExpr }
)

func (*SearchTerm) isSearch() {}
func (*SearchAnd) isSearch()  {}
func (*SearchOr) isSearch()   {}
func (*SearchNot) isSearch()  {}

// soslReserved must be escaped with a backslash in a search term, inside
// quotes too; * and ? unescaped are wildcards, so they are not listed.
const soslReserved = `&|!{}[]()^~:\"'+-`

func searchErr(format string, args ...any) error {
	return &QueryError{Code: "MALFORMED_SEARCH", Message: fmt.Sprintf(format, args...)}
}

// ParseSOSL parses FIND {…} [IN … FIELDS] [RETURNING …] [LIMIT n].
func ParseSOSL(src string) (*Search, error) {
	rest := strings.TrimLeft(src, " \t\r\n")
	if len(rest) < 4 || !strings.EqualFold(rest[:4], "FIND") {
		return nil, searchErr("unexpected token: the search must start with FIND")
	}
	rest = strings.TrimLeft(rest[4:], " \t\r\n")
	if !strings.HasPrefix(rest, "{") {
		return nil, searchErr("No search term found. The search term must be enclosed in braces.")
	}
	toks, n, err := scanFind(rest[1:])
	if err != nil {
		return nil, err
	}
	sp := &searchParser{toks: toks}
	find, err := sp.or()
	if err != nil {
		return nil, err
	}
	if sp.pos != len(sp.toks) {
		return nil, searchErr("unexpected token in search query: %s", sp.toks[sp.pos].text())
	}
	s := &Search{Find: find, In: "ALL", Limit: -1}
	p, err := newParser(rest[1+n:], "MALFORMED_SEARCH")
	if err != nil {
		return nil, err
	}
	if err := p.searchClauses(s); err != nil {
		return nil, err
	}
	return s, nil
}

func (p *parser) searchClauses(s *Search) error {
	if p.isKeyword("IN") {
		if err := p.advance(); err != nil {
			return err
		}
		group := strings.ToUpper(p.tok.text)
		switch group {
		case "ALL", "NAME", "EMAIL", "PHONE", "SIDEBAR":
		default:
			return p.unexpected()
		}
		s.In = group
		if err := p.advance(); err != nil {
			return err
		}
		if err := p.expectKeyword("FIELDS"); err != nil {
			return err
		}
	}
	if p.isKeyword("RETURNING") {
		for {
			if err := p.advance(); err != nil {
				return err
			}
			r, err := p.returning()
			if err != nil {
				return err
			}
			s.Returning = append(s.Returning, r)
			if p.tok.kind != tkComma {
				break
			}
		}
	}
	if p.isKeyword("LIMIT") {
		n, err := p.count()
		if err != nil {
			return err
		}
		s.Limit = n
	}
	if p.tok.kind != tkEOF {
		return p.unexpected()
	}
	return nil
}

func (p *parser) returning() (Returning, error) {
	name, err := p.name(false)
	if err != nil {
		return Returning{}, err
	}
	r := Returning{Entity: name, Query: &Query{Entity: name, Limit: -1, Fields: []string{"Id"}}}
	if p.tok.kind != tkLParen {
		return r, nil
	}
	if err := p.advance(); err != nil {
		return Returning{}, err
	}
	if r.Query.Fields, err = p.fieldList(); err != nil {
		return Returning{}, err
	}
	if err := p.tail(r.Query, tkRParen); err != nil {
		return Returning{}, err
	}
	return r, p.advance()
}

// findTok is a token of the search query: a term, a parenthesis or an operator.
type findTok struct {
	term *SearchTerm
	op   string // AND, OR, NOT, (, )
}

func (t findTok) text() string {
	if t.term != nil {
		return t.term.Text
	}
	return t.op
}

// scanFind reads the search query up to the closing brace and returns its
// tokens and the length consumed (brace included).
func scanFind(src string) ([]findTok, int, error) {
	var toks []findTok
	i := 0
	for {
		for i < len(src) && strings.IndexByte(" \t\r\n", src[i]) >= 0 {
			i++
		}
		if i >= len(src) {
			return nil, 0, searchErr("missing closing brace of the search query")
		}
		switch c := src[i]; c {
		case '}':
			if len(toks) == 0 {
				return nil, 0, searchErr("No search term found. The search term must be enclosed in braces.")
			}
			return toks, i + 1, nil
		case '(', ')':
			toks = append(toks, findTok{op: string(c)})
			i++
			continue
		case '"':
			t, n, err := scanTerm(src[i+1:], true)
			if err != nil {
				return nil, 0, err
			}
			toks = append(toks, findTok{term: t})
			i += 1 + n
			continue
		}
		t, n, err := scanTerm(src[i:], false)
		if err != nil {
			return nil, 0, err
		}
		i += n
		if up := strings.ToUpper(t.Text); !t.Phrase && len(t.Wild) == 0 && (up == "AND" || up == "OR" || up == "NOT") {
			toks = append(toks, findTok{op: up})
			continue
		}
		toks = append(toks, findTok{term: t})
	}
}

// scanTerm reads a word (up to white space, a parenthesis, a quote or the
// closing brace) or, in a phrase, up to the closing quote.
func scanTerm(src string, phrase bool) (*SearchTerm, int, error) {
	var b strings.Builder
	t := &SearchTerm{Phrase: phrase}
	i := 0
	for {
		if i >= len(src) {
			if phrase {
				return nil, 0, searchErr("unterminated quoted phrase in the search query")
			}
			return nil, 0, searchErr("missing closing brace of the search query")
		}
		c := src[i]
		switch {
		case phrase && c == '"':
			i++
			return finishTerm(t, &b, i)
		case !phrase && strings.IndexByte(" \t\r\n()}\"", c) >= 0:
			return finishTerm(t, &b, i)
		case c == '\\':
			if i+1 >= len(src) || strings.IndexByte(soslReserved+"*?", src[i+1]) < 0 {
				return nil, 0, searchErr("Invalid escape sequence in search query: a backslash must precede a reserved character")
			}
			b.WriteByte(src[i+1])
			i += 2
		case c == '*' || c == '?':
			t.Wild = append(t.Wild, b.Len())
			b.WriteByte(c)
			i++
		case strings.IndexByte(soslReserved, c) >= 0:
			return nil, 0, searchErr("unexpected reserved character '%c' in search query: reserved characters must be escaped with a backslash", c)
		default:
			b.WriteByte(c)
			i++
		}
	}
}

func finishTerm(t *SearchTerm, b *strings.Builder, n int) (*SearchTerm, int, error) {
	t.Text = b.String()
	// Wildcards do not count towards the two characters a term needs.
	literal := []byte(t.Text)
	for i := len(t.Wild) - 1; i >= 0; i-- {
		literal = append(literal[:t.Wild[i]], literal[t.Wild[i]+1:]...)
	}
	if utf8.RuneCount(bytes.TrimSpace(literal)) < 2 {
		return nil, 0, searchErr("search term must be longer than one character")
	}
	return t, n, nil
}

// searchParser builds the boolean structure of the search query: OR binds
// loosest, adjacent terms are ANDed, AND NOT excludes.
type searchParser struct {
	toks []findTok
	pos  int
}

func (sp *searchParser) peek(op string) bool {
	return sp.pos < len(sp.toks) && sp.toks[sp.pos].term == nil && sp.toks[sp.pos].op == op
}

func (sp *searchParser) or() (SearchExpr, error) {
	first, err := sp.and()
	if err != nil {
		return nil, err
	}
	terms := []SearchExpr{first}
	for sp.peek("OR") {
		sp.pos++
		t, err := sp.and()
		if err != nil {
			return nil, err
		}
		terms = append(terms, t)
	}
	if len(terms) == 1 {
		return first, nil
	}
	return &SearchOr{Terms: terms}, nil
}

func (sp *searchParser) and() (SearchExpr, error) {
	first, err := sp.primary()
	if err != nil {
		return nil, err
	}
	terms := []SearchExpr{first}
	for sp.pos < len(sp.toks) && !sp.peek("OR") && !sp.peek(")") {
		negate := false
		if sp.peek("AND") {
			sp.pos++
			if sp.peek("NOT") {
				sp.pos++
				negate = true
			}
		}
		t, err := sp.primary()
		if err != nil {
			return nil, err
		}
		if negate {
			t = &SearchNot{X: t}
		}
		terms = append(terms, t)
	}
	if len(terms) == 1 {
		return first, nil
	}
	return &SearchAnd{Terms: terms}, nil
}

func (sp *searchParser) primary() (SearchExpr, error) {
	if sp.pos >= len(sp.toks) {
		return nil, searchErr("unexpected end of search query")
	}
	t := sp.toks[sp.pos]
	if t.term != nil {
		sp.pos++
		return t.term, nil
	}
	if t.op != "(" {
		return nil, searchErr("unexpected token in search query: %s", t.op)
	}
	sp.pos++
	e, err := sp.or()
	if err != nil {
		return nil, err
	}
	if !sp.peek(")") {
		return nil, searchErr("missing closing parenthesis in search query")
	}
	sp.pos++
	return e, nil
}
