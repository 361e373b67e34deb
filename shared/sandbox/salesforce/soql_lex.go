package salesforce

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// QueryError is a refusal of a SOQL or SOSL statement, with the errorCode
// Salesforce answers it with (MALFORMED_QUERY, MALFORMED_SEARCH, INVALID_FIELD, INVALID_TYPE).
type QueryError struct {
	Code    string
	Message string
}

func (e *QueryError) Error() string { return e.Code + ": " + e.Message }

type tokKind int

const (
	tkEOF tokKind = iota
	tkIdent
	tkString
	tkNumber
	tkDate
	tkDateTime
	tkOp
	tkLParen
	tkRParen
	tkComma
	tkColon
)

type token struct {
	kind tokKind
	text string // as written (identifiers, operators, numbers, dates)
	pos  int
	lit  Literal // decoded value of strings, numbers and dates
}

// LitKind says what a literal is.
type LitKind int

const (
	LitString LitKind = iota + 1
	LitNumber
	LitBool
	LitNull
	LitDate
	LitDateTime
	LitDateKeyword
)

// Literal is a value written in a query.
type Literal struct {
	Kind LitKind
	// Text is a string's decoded value (escape sequences resolved, \% and \_
	// turned into % and _), a number or date as written, or a date keyword
	// in upper case (LAST_N_DAYS).
	Text string
	// Wild holds the byte offsets in Text of the % and _ written without a
	// backslash: the wildcards of a LIKE pattern.
	Wild []int
	Num  float64
	Bool bool
	Time time.Time
	// N is the n of LAST_N_DAYS:n and NEXT_N_DAYS:n.
	N int
	// likeEscape is set when \% or \_ was written, which only LIKE allows.
	likeEscape bool
}

var (
	dateRe     = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}`)
	dateTimeRe = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?(Z|[+-]\d{2}:\d{2})`)
	numberRe   = regexp.MustCompile(`^[+-]?\d+(\.\d+)?`)
	identRe    = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*`)
)

// lexer splits SOQL (and the clauses of SOSL after FIND {…}) into tokens.
type lexer struct {
	src  string
	pos  int
	code string // errorCode for syntax errors
}

func (l *lexer) fail(format string, args ...any) error {
	return &QueryError{Code: l.code, Message: fmt.Sprintf(format, args...)}
}

func (l *lexer) next() (token, error) {
	for l.pos < len(l.src) && strings.IndexByte(" \t\r\n", l.src[l.pos]) >= 0 {
		l.pos++
	}
	if l.pos >= len(l.src) {
		return token{kind: tkEOF, pos: l.pos}, nil
	}
	start := l.pos
	rest := l.src[l.pos:]
	c := rest[0]
	switch {
	case c == '(':
		l.pos++
		return token{kind: tkLParen, text: "(", pos: start}, nil
	case c == ')':
		l.pos++
		return token{kind: tkRParen, text: ")", pos: start}, nil
	case c == ',':
		l.pos++
		return token{kind: tkComma, text: ",", pos: start}, nil
	case c == ':':
		l.pos++
		return token{kind: tkColon, text: ":", pos: start}, nil
	case c == '\'':
		return l.str()
	case c == '=':
		l.pos++
		return token{kind: tkOp, text: "=", pos: start}, nil
	case c == '!' || c == '<' || c == '>':
		op := string(c)
		if len(rest) > 1 && rest[1] == '=' {
			op += "="
		}
		if op == "!" {
			return token{}, l.fail("unexpected token: '!' at column %d", start+1)
		}
		l.pos += len(op)
		return token{kind: tkOp, text: op, pos: start}, nil
	case c >= '0' && c <= '9' || c == '-' || c == '+':
		return l.numberOrDate()
	case c == '_' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z':
		m := identRe.FindString(rest)
		l.pos += len(m)
		if l.pos < len(l.src) && l.src[l.pos] == '.' {
			return token{}, l.fail("unexpected token: '.' at column %d", l.pos+1)
		}
		return token{kind: tkIdent, text: m, pos: start}, nil
	}
	return token{}, l.fail("unexpected character '%c' at column %d", c, start+1)
}

func (l *lexer) numberOrDate() (token, error) {
	start := l.pos
	rest := l.src[l.pos:]
	if m := dateTimeRe.FindString(rest); m != "" {
		t, err := time.Parse("2006-01-02T15:04:05.999Z07:00", m)
		if err != nil {
			return token{}, l.fail("invalid date/time literal %q", m)
		}
		l.pos += len(m)
		return token{kind: tkDateTime, text: m, pos: start, lit: Literal{Kind: LitDateTime, Text: m, Time: t}}, nil
	}
	if m := dateRe.FindString(rest); m != "" {
		t, err := time.Parse("2006-01-02", m)
		if err != nil {
			return token{}, l.fail("invalid date literal %q", m)
		}
		l.pos += len(m)
		if l.pos < len(l.src) && isWordByte(l.src[l.pos]) {
			return token{}, l.fail("invalid date literal %q", l.src[start:l.pos+1])
		}
		return token{kind: tkDate, text: m, pos: start, lit: Literal{Kind: LitDate, Text: m, Time: t}}, nil
	}
	m := numberRe.FindString(rest)
	if m == "" {
		return token{}, l.fail("unexpected token: '%c' at column %d", rest[0], start+1)
	}
	l.pos += len(m)
	if l.pos < len(l.src) && (isWordByte(l.src[l.pos]) || l.src[l.pos] == '.') {
		return token{}, l.fail("invalid number at column %d", start+1)
	}
	f, err := strconv.ParseFloat(m, 64)
	if err != nil {
		return token{}, l.fail("invalid number %q", m)
	}
	return token{kind: tkNumber, text: m, pos: start, lit: Literal{Kind: LitNumber, Text: m, Num: f}}, nil
}

func isWordByte(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z'
}

// str reads a quoted string literal with SOQL's escape sequences; any other
// backslash sequence is an error, as in Salesforce.
func (l *lexer) str() (token, error) {
	start := l.pos
	l.pos++ // opening quote
	var b strings.Builder
	lit := Literal{Kind: LitString}
	for {
		if l.pos >= len(l.src) {
			return token{}, l.fail("unterminated string literal starting at column %d", start+1)
		}
		c := l.src[l.pos]
		switch c {
		case '\'':
			l.pos++
			lit.Text = b.String()
			return token{kind: tkString, text: l.src[start:l.pos], pos: start, lit: lit}, nil
		case '%', '_':
			lit.Wild = append(lit.Wild, b.Len())
			b.WriteByte(c)
			l.pos++
			continue
		case '\\':
		default:
			b.WriteByte(c)
			l.pos++
			continue
		}
		if l.pos+1 >= len(l.src) {
			return token{}, l.fail("unterminated string literal starting at column %d", start+1)
		}
		e := l.src[l.pos+1]
		l.pos += 2
		switch e {
		case 'n', 'N':
			b.WriteByte('\n')
		case 'r', 'R':
			b.WriteByte('\r')
		case 't', 'T':
			b.WriteByte('\t')
		case 'b', 'B':
			b.WriteByte('\b')
		case 'f', 'F':
			b.WriteByte('\f')
		case '"', '\'', '\\':
			b.WriteByte(e)
		case '%', '_':
			lit.likeEscape = true
			b.WriteByte(e)
		case 'u':
			if l.pos+4 > len(l.src) {
				return token{}, l.fail("Invalid string literal: illegal unicode escape at column %d", l.pos-1)
			}
			r, err := strconv.ParseUint(l.src[l.pos:l.pos+4], 16, 16)
			if err != nil {
				return token{}, l.fail("Invalid string literal: illegal unicode escape at column %d", l.pos-1)
			}
			b.WriteRune(rune(r))
			l.pos += 4
		default:
			return token{}, l.fail("Invalid string literal. Illegal character sequence '\\%c' in string literal.", e)
		}
	}
}
