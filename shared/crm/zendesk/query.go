package zendesk

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"

	"github.com/crmflow/crmflow/shared/crm"
)

// Zendesk search has no OR and no parentheses: terms are ANDed, "-"
// negates one. A portable filter is therefore brought to an OR of ANDs and
// each AND runs as its own search; results are merged by id. That bounds
// how complex a filter may be.
const maxQueries = 8

// quote puts a value in a search phrase. The syntax has no escape inside
// double quotes, so the characters with a meaning there — the quote that
// would end the phrase, the backslash and the * wildcard — and control
// characters become spaces. Zendesk's index splits text into words on
// punctuation and white space anyway, so the phrase still matches the same
// words; changed says whether anything was replaced.
func quote(v string) (phrase string, changed bool) {
	clean := strings.Map(func(r rune) rune {
		if r == '"' || r == '\\' || r == '*' || unicode.IsControl(r) {
			changed = true
			return ' '
		}
		return r
	}, v)
	folded := strings.Join(strings.Fields(clean), " ")
	return `"` + folded + `"`, changed || folded != v
}

// hasWord reports whether s holds a letter or digit, the only characters
// Zendesk's index keeps.
func hasWord(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) >= 0
}

// bareSafe is a value that can stand unquoted in a comparison term.
func bareSafe(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !(r < 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r)) || strings.ContainsRune("_.:+-@", r)) {
			return false
		}
	}
	return !strings.HasPrefix(s, "-")
}

// keyword names a field in the search syntax, "" when the field has no
// search keyword (the condition is then checked on the results only).
func keyword(entity, field string) string {
	switch field {
	case "created_at":
		return "created"
	case "updated_at":
		return "updated"
	case "organization_id":
		return "organization"
	}
	if entity == "user" {
		if k, ok := strings.CutPrefix(field, "user_fields."); ok && !strings.Contains(k, ".") {
			return strings.ToLower(k)
		}
	}
	if entity == "ticket" {
		switch field {
		case "type":
			return "ticket_type"
		case "requester_id", "assignee_id", "submitter_id":
			return strings.TrimSuffix(field, "_id")
		}
		if id, ok := strings.CutPrefix(field, "custom_fields."); ok && idRe.MatchString(id) {
			return "custom_field_" + id
		}
		if customField.MatchString(field) {
			return field
		}
	}
	if strings.Contains(field, ".") {
		return ""
	}
	return strings.ToLower(field)
}

// scalarText renders a filter value for the search syntax.
func scalarText(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case bool:
		return strconv.FormatBool(x)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case int:
		return strconv.Itoa(x)
	case int64:
		return strconv.FormatInt(x, 10)
	}
	return fmt.Sprint(v)
}

// term is the search term for one condition (not "in": see dnf), or ""
// when the condition cannot be put to the index faithfully and is left to
// the check of the results. A dropped term only widens what the index
// answers, never narrows it.
func term(entity string, c crm.Filter) string {
	kw := keyword(entity, c.Field)
	if kw == "" {
		return ""
	}
	v := scalarText(c.Value)
	_, isText := c.Value.(string)
	switch c.Op {
	case crm.OpEq, crm.OpContains:
		if !isText && bareSafe(v) {
			return kw + ":" + v
		}
		if !hasWord(v) {
			return ""
		}
		p, _ := quote(v)
		return kw + ":" + p
	case crm.OpNe:
		if !isText && bareSafe(v) {
			return "-" + kw + ":" + v
		}
		// A negated phrase that was changed (or has no words) could
		// exclude records that do not equal the value: leave it to the check.
		if p, changed := quote(v); !changed && hasWord(v) {
			return "-" + kw + ":" + p
		}
		return ""
	case crm.OpStartsWith:
		// The leading word of the value as a prefix: a wider match than
		// startsWith, narrowed by the check of the results.
		run := ""
		for i, r := range v {
			if !(r < 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r))) {
				break
			}
			run = v[:i+1]
		}
		if run == "" {
			return ""
		}
		return kw + ":" + run + "*"
	case crm.OpGt, crm.OpGte, crm.OpLt, crm.OpLte:
		if !bareSafe(v) {
			return ""
		}
		return kw + map[crm.Op]string{crm.OpGt: ">", crm.OpGte: ">=", crm.OpLt: "<", crm.OpLte: "<="}[c.Op] + v
	}
	return ""
}

// dnf brings a filter to an OR of ANDs of conditions, "in" becoming an OR
// of eq. It refuses filters that need more than maxQueries searches.
func dnf(f crm.Filter) ([][]crm.Filter, error) {
	switch {
	case f.Any != nil:
		var out [][]crm.Filter
		for _, c := range f.Any {
			sub, err := dnf(c)
			if err != nil {
				return nil, err
			}
			out = append(out, sub...)
			if len(out) > maxQueries {
				return nil, errTooComplex
			}
		}
		return out, nil
	case f.All != nil:
		out := [][]crm.Filter{nil}
		for _, c := range f.All {
			sub, err := dnf(c)
			if err != nil {
				return nil, err
			}
			var next [][]crm.Filter
			for _, a := range out {
				for _, b := range sub {
					next = append(next, append(append([]crm.Filter{}, a...), b...))
				}
			}
			if len(next) > maxQueries {
				return nil, errTooComplex
			}
			out = next
		}
		return out, nil
	case f.Op == crm.OpIn:
		list, _ := f.Value.([]any)
		if len(list) > maxQueries {
			return nil, errTooComplex
		}
		out := make([][]crm.Filter, 0, len(list))
		for _, v := range list {
			out = append(out, []crm.Filter{{Field: f.Field, Op: crm.OpEq, Value: v}})
		}
		return out, nil
	}
	return [][]crm.Filter{{f}}, nil
}

var errTooComplex = fmt.Errorf("needs more than %d searches (Zendesk search has no OR): simplify it", maxQueries)

// compileFilter turns a portable filter into the search queries to run,
// each starting with type:{entity}.
func compileFilter(entity string, f crm.Filter) ([]string, error) {
	conj, err := dnf(f)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, and := range conj {
		terms := []string{"type:" + entity}
		for _, c := range and {
			if t := term(entity, c); t != "" {
				terms = append(terms, t)
			}
		}
		q := strings.Join(terms, " ")
		if !containsString(out, q) {
			out = append(out, q)
		}
	}
	return out, nil
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
