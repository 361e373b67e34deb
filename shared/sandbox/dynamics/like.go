package dynamics

import (
	"strings"
	"unicode/utf8"
)

// Dataverse turns contains, startswith and endswith into SQL LIKE, so their
// values are T-SQL patterns: % and _ are wildcards and [...] is a character
// class; [%], [_] and [[] stand for the characters themselves.

type likeKind int

const (
	likeLit   likeKind = iota
	likeAny            // %
	likeOne            // _
	likeClass          // [...] or [^...]
)

type likeTok struct {
	kind   likeKind
	r      rune
	neg    bool
	ranges [][2]rune
}

func likeTokens(p string) []likeTok {
	rs := []rune(p)
	var out []likeTok
	for i := 0; i < len(rs); i++ {
		switch rs[i] {
		case '%':
			out = append(out, likeTok{kind: likeAny})
		case '_':
			out = append(out, likeTok{kind: likeOne})
		case '[':
			tok, n, ok := likeClassAt(rs, i)
			if !ok {
				out = append(out, likeTok{kind: likeLit, r: '['})
				continue
			}
			out = append(out, tok)
			i = n
		default:
			out = append(out, likeTok{kind: likeLit, r: rs[i]})
		}
	}
	return out
}

// likeClassAt reads a class starting at rs[i] == '['; the first member is
// taken literally, even ']'. It returns the index of the closing ']'.
func likeClassAt(rs []rune, i int) (likeTok, int, bool) {
	tok := likeTok{kind: likeClass}
	j := i + 1
	if j < len(rs) && rs[j] == '^' {
		tok.neg = true
		j++
	}
	first := true
	for ; j < len(rs); j++ {
		if rs[j] == ']' && !first {
			return tok, j, true
		}
		first = false
		lo := rs[j]
		if j+2 < len(rs) && rs[j+1] == '-' && rs[j+2] != ']' {
			tok.ranges = append(tok.ranges, [2]rune{lo, rs[j+2]})
			j += 2
			continue
		}
		tok.ranges = append(tok.ranges, [2]rune{lo, lo})
	}
	return likeTok{}, 0, false
}

func (t likeTok) matches(r rune) bool {
	switch t.kind {
	case likeOne:
		return true
	case likeLit:
		return foldEq(t.r, r)
	}
	in := false
	for _, rg := range t.ranges {
		lr, hr, cr := lower(rg[0]), lower(rg[1]), lower(r)
		if (cr >= lr && cr <= hr) || (r >= rg[0] && r <= rg[1]) {
			in = true
			break
		}
	}
	return in != t.neg
}

func lower(r rune) rune { return []rune(strings.ToLower(string(r)))[0] }

func foldEq(a, b rune) bool { return a == b || strings.EqualFold(string(a), string(b)) }

// likeMatch reports whether s matches the pattern, case-insensitively.
func likeMatch(pattern, s string) bool {
	toks := likeTokens(pattern)
	rs := []rune(s)
	// can[j] is true when the tokens so far can match rs[:j].
	can := make([]bool, len(rs)+1)
	can[0] = true
	for _, t := range toks {
		next := make([]bool, len(rs)+1)
		if t.kind == likeAny {
			seen := false
			for j := range can {
				seen = seen || can[j]
				next[j] = seen
			}
		} else {
			for j := 0; j < len(rs); j++ {
				if can[j] && t.matches(rs[j]) {
					next[j+1] = true
				}
			}
		}
		can = next
	}
	return can[len(rs)]
}

// LikeLiteral reads a contains/startswith/endswith value as the text it
// matches literally: wildcard is true when the value holds a real wildcard
// or class rather than only escaped characters.
func LikeLiteral(pattern string) (text string, wildcard bool) {
	var b strings.Builder
	for _, t := range likeTokens(pattern) {
		switch {
		case t.kind == likeLit:
			b.WriteRune(t.r)
		case t.kind == likeClass && !t.neg && len(t.ranges) == 1 && t.ranges[0][0] == t.ranges[0][1]:
			b.WriteRune(t.ranges[0][0])
		default:
			wildcard = true
		}
	}
	return b.String(), wildcard
}

// validUTF8 guards string columns: Dataverse stores text as Unicode.
func validUTF8(s string) bool { return utf8.ValidString(s) }
