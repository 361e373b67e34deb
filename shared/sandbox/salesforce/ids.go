package salesforce

import "strings"

const base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// makeID builds an 18-character Salesforce id: 3-character key prefix, a fixed
// pod part, a base-62 counter, and the 3-character case-safe suffix.
func makeID(prefix string, n int) string {
	var counter [10]byte
	for i := len(counter) - 1; i >= 0; i-- {
		counter[i] = base62[n%62]
		n /= 62
	}
	id15 := prefix + "Dn" + string(counter[:])
	return id15 + idSuffix(id15)
}

// idSuffix is Salesforce's case-safe checksum: for each 5-character chunk, a
// bit per uppercase letter, mapped onto A–Z0–5.
func idSuffix(id15 string) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"
	var b strings.Builder
	for chunk := 0; chunk < 3; chunk++ {
		bits := 0
		for i := 0; i < 5; i++ {
			c := id15[chunk*5+i]
			if c >= 'A' && c <= 'Z' {
				bits |= 1 << i
			}
		}
		b.WriteByte(alphabet[bits])
	}
	return b.String()
}

// canonicalID turns a 15- or 18-character id into its 18-character form; ok is
// false when s is not shaped like an id at all.
func canonicalID(s string) (string, bool) {
	if len(s) != 15 && len(s) != 18 {
		return "", false
	}
	for i := 0; i < len(s); i++ {
		if strings.IndexByte(base62, s[i]) < 0 {
			return "", false
		}
	}
	id15 := s[:15]
	if len(s) == 18 && !strings.EqualFold(s[15:], idSuffix(id15)) {
		return "", false
	}
	return id15 + idSuffix(id15), true
}
