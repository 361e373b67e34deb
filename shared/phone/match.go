package phone

import "strings"

// How a stored phone value matches a searched number, best first.
const (
	// MatchExact is the number written with its country code after a +
	// ("+44 20 7946 0958", "+442079460958"): E.164 in any grouping.
	MatchExact = "exact"
	// MatchNational is the number written as dialled at home, trunk prefix
	// and all ("020 7946 0958"), or as its bare national number.
	MatchNational = "national"
	// MatchDigits is the same digits written without a +: the country code
	// as digits ("442079460958"), behind an exit code ("00442079460958"),
	// or the national number at the end of a longer run.
	MatchDigits = "digits"
)

// MatchKind says how stored, a phone field's value as the CRM holds it,
// matches n; ok is false when it is not n. A value shorter than MinDigits
// never matches (an extension, a fragment), nor does one longer than
// maxStoredDigits, nor one whose country code says another number; the
// extension of either side is not compared.
func MatchKind(n Number, stored string) (kind string, ok bool) {
	s := strings.TrimSpace(stored)
	if i := strings.IndexAny(s, "xX#;"); i > 0 { // an extension after the number
		s = s[:i]
	}
	s = strings.TrimPrefix(s, "tel:")
	// "+44 (0)20 7946 0958": the (0) is the trunk prefix, not a digit of
	// the international number.
	s = strings.Replace(s, "(0)", "", 1)
	d := Digits(s)
	if len(d) < MinDigits || len(d) > maxStoredDigits || n.National == "" {
		return "", false
	}
	e := n.CountryCode + n.National
	switch {
	case strings.HasPrefix(s, "+"):
		if n.CountryCode != "" && d == e {
			return MatchExact, true
		}
		return "", false
	case d == n.NationalDialled || d == n.National:
		return MatchNational, true
	case n.CountryCode != "" && (d == e || strings.HasSuffix(d, e) && exitCode(d[:len(d)-len(e)])):
		return MatchDigits, true
	case len(n.National) >= MinDigits && strings.HasSuffix(d, n.National):
		return MatchDigits, true
	}
	return "", false
}

// maxStoredDigits bounds the digits of a stored value that can still be a
// number: the longest E.164 number (MaxDigits) behind the "00" exit code.
const maxStoredDigits = MaxDigits + 2

// exitCode reports whether p is an international call prefix written
// before a country code: 00 (most of the world), 011 (NANP), 010 (Japan),
// 0011 (Australia).
func exitCode(p string) bool {
	switch p {
	case "00", "011", "010", "0011":
		return true
	}
	return false
}
