package salesforce

import (
	"strconv"
	"strings"
)

// soslReserved are the characters SOSL reserves in a search term; Salesforce
// requires a backslash before each, inside quotes too.
const soslReserved = `?&|!{}[]()^~*:\"'+-`

// escapeSOSL makes a value a literal search term: every reserved character
// is preceded by a backslash (so * and ? stop being wildcards and } cannot
// close the FIND clause).
func escapeSOSL(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); i++ {
		if strings.IndexByte(soslReserved, s[i]) >= 0 {
			b.WriteByte('\\')
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// phoneSOSL builds the phone search: every variant as an escaped, quoted
// phrase, ORed, in phone fields, returning each entity's fields with its own
// LIMIT. ok is false when no variant is left to search for.
func phoneSOSL(variants []string, plans []plan, limit int) (q string, ok bool) {
	var b strings.Builder
	b.WriteString("FIND {")
	n := 0
	seen := map[string]bool{}
	for _, v := range variants {
		v = strings.TrimSpace(v)
		if v == "" || seen[v] {
			continue
		}
		seen[v] = true
		if n > 0 {
			b.WriteString(" OR ")
		}
		b.WriteString(`"` + escapeSOSL(v) + `"`)
		n++
	}
	b.WriteString("} IN PHONE FIELDS RETURNING ")
	for i, p := range plans {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(p.entity + "(" + strings.Join(p.selectList, ",") + " LIMIT " + strconv.Itoa(limit) + ")")
	}
	return b.String(), n > 0
}
