package zdsandbox

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// Term is one part of a search query: [-]keyword<op>value, or free text
// (Keyword empty). Phrase is true when the value was in double quotes.
type Term struct {
	Negate  bool
	Keyword string
	Op      string // ":", "<", ">", "<=", ">=" ("" for free text)
	Value   string
	Phrase  bool
}

// ParseQuery reads Zendesk's search syntax: terms separated by white space,
// each an optional "-" then keyword:value (or <, >, <=, >=) or free text,
// values bare or in double quotes. A quote must open a value and be closed;
// Zendesk has no escape for a quote inside a phrase.
func ParseQuery(q string) ([]Term, error) {
	var out []Term
	i := 0
	for {
		for i < len(q) && isSpace(q[i]) {
			i++
		}
		if i >= len(q) {
			break
		}
		var t Term
		if q[i] == '-' {
			t.Negate = true
			i++
		}
		// keyword: letters, digits and underscores followed by an operator
		j := i
		for j < len(q) && (q[j] == '_' || q[j] < 0x80 && (unicode.IsLetter(rune(q[j])) || unicode.IsDigit(rune(q[j])))) {
			j++
		}
		if j > i && j < len(q) {
			for _, op := range []string{"<=", ">=", ":", "<", ">"} {
				if strings.HasPrefix(q[j:], op) {
					t.Keyword, t.Op = strings.ToLower(q[i:j]), op
					i = j + len(op)
					break
				}
			}
		}
		if i < len(q) && q[i] == '"' {
			end := strings.IndexByte(q[i+1:], '"')
			if end < 0 {
				return nil, errors.New("unterminated quoted phrase")
			}
			t.Value, t.Phrase = q[i+1:i+1+end], true
			i += end + 2
			if i < len(q) && !isSpace(q[i]) {
				return nil, errors.New("a quoted phrase must end its term")
			}
		} else {
			j := i
			for j < len(q) && !isSpace(q[j]) {
				if q[j] == '"' {
					return nil, errors.New("a quote may only open a value")
				}
				j++
			}
			t.Value = q[i:j]
			i = j
		}
		if t.Keyword != "" && t.Value == "" && !t.Phrase {
			return nil, fmt.Errorf("keyword %s has no value", t.Keyword)
		}
		if t.Keyword == "" && t.Value == "" {
			if t.Negate {
				return nil, errors.New("a lone -")
			}
			continue
		}
		out = append(out, t)
	}
	if len(out) == 0 {
		return nil, errors.New("empty query")
	}
	return out, nil
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// words splits text into lowercase words on anything but letters and digits,
// as Zendesk's index tokenizes.
func words(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// containsPhrase reports whether the words of phrase occur in order in text.
func containsPhrase(text, phrase string) bool {
	hay, needle := words(text), words(phrase)
	if len(needle) == 0 {
		return false
	}
	for i := 0; i+len(needle) <= len(hay); i++ {
		if slices.Equal(hay[i:i+len(needle)], needle) {
			return true
		}
	}
	return false
}

// wordGlob matches a bare value with * wildcards against the words of text.
func wordGlob(text, pattern string) bool {
	pattern = strings.ToLower(pattern)
	if !strings.Contains(pattern, "*") {
		return containsPhrase(text, pattern)
	}
	for _, w := range words(text) {
		if glob(w, pattern) {
			return true
		}
	}
	return glob(strings.ToLower(text), pattern)
}

// glob matches s against a pattern where * stands for any run of characters.
func glob(s, pattern string) bool {
	parts := strings.Split(pattern, "*")
	if !strings.HasPrefix(s, parts[0]) {
		return false
	}
	s = s[len(parts[0]):]
	for i, p := range parts[1:] {
		if i == len(parts)-2 {
			return strings.HasSuffix(s, p) && len(s) >= len(p)
		}
		k := strings.Index(s, p)
		if k < 0 {
			return false
		}
		s = s[k+len(p):]
	}
	return s == ""
}

func digits(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// phoneMatch compares digits; a leading * matches any prefix (country code,
// formatting), a trailing * any rest.
func phoneMatch(stored, value string) bool {
	d, want := digits(stored), digits(value)
	if d == "" || want == "" {
		return false
	}
	lead, trail := strings.HasPrefix(value, "*"), strings.HasSuffix(value, "*")
	switch {
	case lead && trail:
		return strings.Contains(d, want)
	case lead:
		return strings.HasSuffix(d, want)
	case trail:
		return strings.HasPrefix(d, want)
	}
	return d == want
}

// Ordered values Zendesk compares with < and >.
var (
	statusOrder   = []string{"new", "open", "pending", "hold", "solved", "closed"}
	priorityOrder = []string{"low", "normal", "high", "urgent"}
)

// query is a parsed search: the types asked for and the other terms.
type query struct {
	types []kind
	terms []Term
}

func compile(q string) (query, error) {
	terms, err := ParseQuery(q)
	if err != nil {
		return query{}, err
	}
	var out query
	for _, t := range terms {
		if t.Keyword == "type" && t.Op == ":" && !t.Negate {
			k := kind(strings.ToLower(t.Value))
			if k == "group" {
				out.types = append(out.types, k)
				continue
			}
			if !slices.Contains(kinds, k) {
				return query{}, fmt.Errorf("unknown type %q", t.Value)
			}
			out.types = append(out.types, k)
			continue
		}
		out.terms = append(out.terms, t)
	}
	return out, nil
}

// values are the texts a search keyword reads on a record; ok is false for
// a keyword the type does not have.
func (s *Server) values(k kind, rec *record, keyword string) (vals []string, ok bool) {
	str := func(name string) []string {
		switch v := rec.attrs[name].(type) {
		case string:
			return []string{v}
		case int64:
			return []string{strconv.FormatInt(v, 10)}
		case float64:
			return []string{strconv.FormatFloat(v, 'f', -1, 64)}
		}
		return nil
	}
	switch keyword {
	case "created":
		return []string{rec.created.Format(stampLayout)}, true
	case "updated":
		return []string{rec.updated.Format(stampLayout)}, true
	case "tags":
		return tagList(rec.attrs["tags"]), true
	case "external_id", "details", "notes":
		return str(keyword), true
	case "organization":
		vals = str("organization_id")
		if org, found := s.find(kindOrganization, strings.Join(vals, "")); found {
			vals = append(vals, str2(org.attrs["name"])...)
		}
		return vals, k != kindOrganization
	}
	switch k {
	case kindUser:
		switch keyword {
		case "name", "email", "phone", "role":
			return str(keyword), true
		}
		if uf, isMap := rec.attrs["user_fields"].(map[string]any); isMap {
			if v, has := uf[keyword]; has {
				return str2(v), true
			}
		}
	case kindTicket:
		switch keyword {
		case "status", "priority", "subject", "description":
			return str(keyword), true
		case "ticket_type":
			return str("type"), true
		case "requester", "assignee", "submitter":
			vals = str(keyword + "_id")
			if u, found := s.find(kindUser, strings.Join(vals, "")); found {
				vals = append(vals, str2(u.attrs["email"])...)
				vals = append(vals, str2(u.attrs["name"])...)
			}
			return vals, true
		}
		if id, isCustom := strings.CutPrefix(keyword, "custom_field_"); isCustom {
			for _, f := range asList(rec.attrs["custom_fields"]) {
				if m, _ := f.(map[string]any); m != nil && fmt.Sprint(m["id"]) == id {
					return str2(m["value"]), true
				}
			}
			return nil, true
		}
	case kindOrganization:
		if keyword == "name" {
			return str("name"), true
		}
	}
	return nil, false
}

func str2(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case nil:
		return nil
	case []any:
		var out []string
		for _, e := range x {
			out = append(out, str2(e)...)
		}
		return out
	}
	return []string{fmt.Sprint(v)}
}

func asList(v any) []any {
	l, _ := v.([]any)
	return l
}

// freeText are the fields a term without keyword searches.
var freeText = map[kind][]string{
	kindUser:         {"name", "email", "phone", "notes", "details"},
	kindTicket:       {"subject", "description"},
	kindOrganization: {"name", "details", "notes"},
}

// matches evaluates every term (they are ANDed) on a record.
func (s *Server) matches(k kind, rec *record, q query) bool {
	if len(q.types) > 0 && !slices.Contains(q.types, k) {
		return false
	}
	for _, t := range q.terms {
		if s.termMatches(k, rec, t) == t.Negate {
			return false
		}
	}
	return true
}

func (s *Server) termMatches(k kind, rec *record, t Term) bool {
	if t.Keyword == "" {
		for _, f := range freeText[k] {
			for _, v := range str2(rec.attrs[f]) {
				if textMatch(v, t) {
					return true
				}
			}
		}
		return false
	}
	vals, ok := s.values(k, rec, t.Keyword)
	if !ok {
		return false
	}
	if t.Op != ":" {
		for _, v := range vals {
			if compareMatch(t.Keyword, v, t.Op, t.Value) {
				return true
			}
		}
		return false
	}
	for _, v := range vals {
		switch {
		case t.Keyword == "phone":
			if phoneMatch(v, t.Value) {
				return true
			}
		case t.Keyword == "tags" || strings.HasSuffix(t.Keyword, "_id") || t.Keyword == "status" || t.Keyword == "priority":
			if strings.EqualFold(v, t.Value) {
				return true
			}
		case isID(t.Value) && isID(v):
			if v == t.Value {
				return true
			}
		case textMatch(v, t):
			return true
		}
	}
	return false
}

func isID(s string) bool {
	_, err := strconv.ParseInt(s, 10, 64)
	return err == nil
}

func textMatch(v string, t Term) bool {
	if t.Phrase {
		return containsPhrase(v, t.Value)
	}
	return wordGlob(v, t.Value)
}

// compareMatch evaluates <, >, <= and >=: ordered for status and priority,
// by date for created and updated, numerically for numbers, else as text.
func compareMatch(keyword, have, op, want string) bool {
	var c int
	switch keyword {
	case "status", "priority":
		order := statusOrder
		if keyword == "priority" {
			order = priorityOrder
		}
		a, b := slices.Index(order, strings.ToLower(have)), slices.Index(order, strings.ToLower(want))
		if a < 0 || b < 0 {
			return false
		}
		c = a - b
	case "created", "updated":
		h, err1 := time.Parse(stampLayout, have)
		w, err2 := parseWhen(want)
		if err1 != nil || err2 != nil {
			return false
		}
		c = h.Compare(w)
	default:
		a, err1 := strconv.ParseFloat(have, 64)
		b, err2 := strconv.ParseFloat(want, 64)
		if err1 == nil && err2 == nil {
			switch {
			case a < b:
				c = -1
			case a > b:
				c = 1
			}
		} else {
			c = strings.Compare(strings.ToLower(have), strings.ToLower(want))
		}
	}
	switch op {
	case "<":
		return c < 0
	case ">":
		return c > 0
	case "<=":
		return c <= 0
	case ">=":
		return c >= 0
	}
	return false
}

func parseWhen(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339, "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, errors.New("not a date")
}
