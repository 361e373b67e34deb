package dynamics

import (
	"fmt"
	"regexp"
	"strings"
	"time"
)

// tokKind is a lexical token of an OData $filter.
type tokKind int

const (
	tokEOF tokKind = iota
	tokIdent
	tokString
	tokNumber
	tokGuid
	tokDate
	tokDateTime
	tokLParen
	tokRParen
	tokComma
	tokSlash
)

type token struct {
	kind tokKind
	text string // identifier, raw literal, or the unescaped string value
	pos  int
}

// SyntaxError is a $filter the parser refuses, with the OData library's wording.
type SyntaxError struct {
	Pos int
	Msg string
}

func (e *SyntaxError) Error() string { return e.Msg }

var (
	guidLit     = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}`)
	dateTimeLit = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,7})?)?(Z|[+-][0-9]{2}:[0-9]{2})`)
	dateLit     = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}`)
	numberLit   = regexp.MustCompile(`^-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?`)
)

var punctuation = [256]tokKind{'(': tokLParen, ')': tokRParen, ',': tokComma, '/': tokSlash}

func identStart(c byte) bool { return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') }
func identPart(c byte) bool  { return identStart(c) || (c >= '0' && c <= '9') }

// lex splits a $filter into tokens. It works on bytes: a string literal's
// value is whatever bytes stand between its quotes, a doubled quote read as one.
func lex(src string) ([]token, error) {
	var toks []token
	for i := 0; i < len(src); {
		c := src[i]
		switch {
		case c == ' ' || c == '\t':
			i++
		case punctuation[c] != tokEOF:
			toks = append(toks, token{punctuation[c], string(c), i})
			i++
		case c == '\'':
			t, next, err := lexString(src, i)
			if err != nil {
				return nil, err
			}
			toks = append(toks, t)
			i = next
		default:
			t, next, err := lexWord(src, i)
			if err != nil {
				return nil, err
			}
			toks = append(toks, t)
			i = next
		}
	}
	return append(toks, token{tokEOF, "", len(src)}), nil
}

func lexString(src string, start int) (token, int, error) {
	var b strings.Builder
	for i := start + 1; i < len(src); i++ {
		if src[i] != '\'' {
			b.WriteByte(src[i])
			continue
		}
		if i+1 < len(src) && src[i+1] == '\'' {
			b.WriteByte('\'')
			i++
			continue
		}
		return token{tokString, b.String(), start}, i + 1, nil
	}
	// The OData library reports where the text ran out, not where the literal began.
	return token{}, 0, &SyntaxError{Pos: len(src), Msg: fmt.Sprintf("There is an unterminated literal at position %d in '%s'.", len(src), src)}
}

// lexWord reads a GUID, date, date-time, number or identifier; a literal
// glued to letters (12abc) is a syntax error.
func lexWord(src string, i int) (token, int, error) {
	rest := src[i:]
	glued := func(n int) bool {
		return n < len(rest) && (identPart(rest[n]) || rest[n] == '.' || rest[n] == '-' || rest[n] == ':')
	}
	bad := func(at int) error {
		return &SyntaxError{Pos: at, Msg: fmt.Sprintf("Syntax error at position %d in '%s'.", at, src)}
	}
	if m := guidLit.FindString(rest); m != "" && !glued(len(m)) {
		return token{tokGuid, strings.ToLower(m), i}, i + len(m), nil
	}
	c := rest[0]
	if c >= '0' && c <= '9' {
		if m := dateTimeLit.FindString(rest); m != "" {
			if !validDateTime(m) || glued(len(m)) {
				return token{}, 0, bad(i)
			}
			return token{tokDateTime, m, i}, i + len(m), nil
		}
		if m := dateLit.FindString(rest); m != "" {
			if _, err := time.Parse("2006-01-02", m); err != nil || glued(len(m)) {
				return token{}, 0, bad(i)
			}
			return token{tokDate, m, i}, i + len(m), nil
		}
	}
	if (c >= '0' && c <= '9') || (c == '-' && len(rest) > 1 && rest[1] >= '0' && rest[1] <= '9') {
		m := numberLit.FindString(rest)
		if glued(len(m)) {
			return token{}, 0, bad(i)
		}
		return token{tokNumber, m, i}, i + len(m), nil
	}
	if identStart(c) {
		n := 0
		for n < len(rest) && (identPart(rest[n]) || (rest[n] == '.' && n+1 < len(rest) && identStart(rest[n+1]))) {
			n++
		}
		return token{tokIdent, rest[:n], i}, i + n, nil
	}
	return token{}, 0, &SyntaxError{Pos: i, Msg: fmt.Sprintf("Syntax error: character '%c' is not valid at position %d in '%s'.", c, i, src)}
}

// validDateTime accepts Edm.DateTimeOffset literals with or without seconds.
func validDateTime(s string) bool {
	_, err := parseDateTime(s)
	return err == nil
}

func parseDateTime(s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		t, err = time.Parse("2006-01-02T15:04Z07:00", s)
	}
	return t, err
}
