package oracle

import (
	"fmt"
	"strings"
)

// tokKind is the kind of a ROQL token.
type tokKind int

const (
	tokEOF tokKind = iota
	tokIdent
	tokString // '…' with '' for a quote inside
	tokNumber // 12, 1.5
	tokQuoted // "…": an identifier to ROQL, never a string
	tokOp     // = != <> < <= > >=
	tokPunct  // ( ) , . * ;
)

type token struct {
	kind tokKind
	text string // identifier, string value (unquoted), number or operator
	pos  int
}

// roqlError is a query the site refuses; the message follows the parser's
// wording where it is known ("unrecognized token", "syntax error",
// "Unknown table or column").
type roqlError struct{ msg string }

func (e *roqlError) Error() string { return e.msg }

func errorf(format string, args ...any) *roqlError {
	return &roqlError{msg: fmt.Sprintf(format, args...)}
}

// lex splits a ROQL text into tokens. A string is single-quoted and holds
// a quote as two quotes; a backslash has no meaning and an unterminated
// string is an "unrecognized token", as on a real site ("SELECT * FROM
// Contact WHERE LookupName LIKE '%\'%'" fails that way, "'%”%'" finds
// O'Calloway).
func lex(src string) ([]token, error) {
	var out []token
	i := 0
	for i < len(src) {
		c := src[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case isIdentStart(c):
			j := i + 1
			for j < len(src) && isIdentPart(src[j]) {
				j++
			}
			out = append(out, token{kind: tokIdent, text: src[i:j], pos: i})
			i = j
		case (c >= '0' && c <= '9') || (c == '-' && i+1 < len(src) && src[i+1] >= '0' && src[i+1] <= '9'):
			j := i + 1
			for j < len(src) && src[j] >= '0' && src[j] <= '9' {
				j++
			}
			if j+1 < len(src) && src[j] == '.' && src[j+1] >= '0' && src[j+1] <= '9' {
				j++
				for j < len(src) && src[j] >= '0' && src[j] <= '9' {
					j++
				}
			}
			out = append(out, token{kind: tokNumber, text: src[i:j], pos: i})
			i = j
		case c == '\'' || c == '"':
			var b strings.Builder
			j := i + 1
			closed := false
			for j < len(src) {
				if src[j] == c {
					if j+1 < len(src) && src[j+1] == c {
						b.WriteByte(c)
						j += 2
						continue
					}
					closed = true
					j++
					break
				}
				b.WriteByte(src[j])
				j++
			}
			if !closed {
				return nil, errorf("unrecognized token: %q", src[i:])
			}
			kind := tokString
			if c == '"' {
				kind = tokQuoted
			}
			out = append(out, token{kind: kind, text: b.String(), pos: i})
			i = j
		case c == '!' || c == '<' || c == '>' || c == '=':
			op := string(c)
			if i+1 < len(src) && (src[i+1] == '=' || (c == '<' && src[i+1] == '>')) {
				op += string(src[i+1])
			}
			if op == "!" {
				return nil, errorf("unrecognized token: %q", src[i:])
			}
			out = append(out, token{kind: tokOp, text: op, pos: i})
			i += len(op)
		case strings.IndexByte("(),.*;", c) >= 0:
			out = append(out, token{kind: tokPunct, text: string(c), pos: i})
			i++
		default:
			return nil, errorf("unrecognized token: %q", src[i:])
		}
	}
	return append(out, token{kind: tokEOF, pos: len(src)}), nil
}

func isIdentStart(c byte) bool {
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
}

func isIdentPart(c byte) bool { return isIdentStart(c) || (c >= '0' && c <= '9') }

// splitStatements cuts a queryResults query into its semicolon-separated
// ROQL statements; semicolons inside strings do not count.
func splitStatements(src string) ([][]token, error) {
	toks, err := lex(src)
	if err != nil {
		return nil, err
	}
	var out [][]token
	var cur []token
	for _, t := range toks {
		if t.kind == tokEOF || (t.kind == tokPunct && t.text == ";") {
			if len(cur) > 0 {
				out = append(out, append(cur, token{kind: tokEOF, pos: t.pos}))
			}
			cur = nil
			continue
		}
		cur = append(cur, t)
	}
	return out, nil
}
