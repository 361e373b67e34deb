// Package phone turns the ANI a contact center hands over into the forms CRMs
// store phone numbers in, so a search finds "+1 (415) 555-0100", "4155550100"
// and "+14155550100" alike.
package phone

import (
	"errors"
	"strings"
)

// Limits of E.164 and of what we accept as a number at all.
const (
	MinDigits = 7
	MaxDigits = 15
)

// ErrTooShort and ErrTooLong explain why a number was refused.
var (
	ErrTooShort = errors.New("needs at least 7 digits")
	ErrTooLong  = errors.New("has more than 15 digits")
	ErrInvalid  = errors.New("may contain only digits, spaces, +, -, ., ( and )")
	// ErrNoCountry: no E.164 country code starts with 0, so "+0…" or "000…"
	// cannot be put into E.164 (it is refused rather than stored as "+0…").
	ErrNoCountry = errors.New("has no country code after + or 00 (country codes do not start with 0)")
)

// Number is a parsed phone number.
type Number struct {
	// CountryCode is "1" for NANP numbers; empty when it cannot be told.
	CountryCode string
	// National is the number without country code, digits only.
	National string
}

// Parse reads a phone number as callers and agents type it. A number with a
// leading + or 00 is international; 10 digits, or 11 starting with 1, are NANP
// (the default region) when the area code starts with 2-9; anything else is
// kept as dialled.
func Parse(raw string) (Number, error) {
	s := strings.TrimSpace(raw)
	intl := false
	var digits strings.Builder
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits.WriteRune(r)
		case r == '+' && digits.Len() == 0 && !intl && i == 0:
			intl = true
		case r == ' ' || r == '-' || r == '.' || r == '(' || r == ')':
		default:
			return Number{}, ErrInvalid
		}
	}
	d := digits.String()
	if !intl && strings.HasPrefix(d, "00") {
		intl, d = true, d[2:]
	}
	switch {
	case len(d) < MinDigits:
		return Number{}, ErrTooShort
	case len(d) > MaxDigits:
		return Number{}, ErrTooLong
	}
	if intl {
		if d[0] == '0' {
			return Number{}, ErrNoCountry
		}
		cc := countryCode(d)
		return Number{CountryCode: cc, National: d[len(cc):]}, nil
	}
	switch {
	case nanp(d):
		return Number{CountryCode: "1", National: d}, nil
	case len(d) == 11 && d[0] == '1' && nanp(d[1:]):
		return Number{CountryCode: "1", National: d[1:]}, nil
	}
	return Number{National: d}, nil
}

// nanp reports whether d is a 10-digit NANP number: its area code starts
// with 2-9, so "0201234567" (a national number with a trunk 0) is not taken
// for +1 020…, and every NANP variant re-parses to the same number.
func nanp(d string) bool {
	return len(d) == 10 && d[0] >= '2' && d[0] <= '9'
}

// E164 is +<country><national>, or the bare digits when the country is unknown.
func (n Number) E164() string {
	if n.CountryCode == "" {
		return n.National
	}
	return "+" + n.CountryCode + n.National
}

// Variants lists the forms to search for, most specific first and without
// repeats: E.164, country code and number as digits, the national number, and
// for NANP numbers the formatted "(415) 555-0100" and "415-555-0100".
func (n Number) Variants() []string {
	var out []string
	add := func(v string) {
		for _, o := range out {
			if o == v {
				return
			}
		}
		out = append(out, v)
	}
	add(n.E164())
	if n.CountryCode != "" {
		add(n.CountryCode + n.National)
	}
	add(n.National)
	if n.CountryCode == "1" && nanp(n.National) {
		a, b, c := n.National[:3], n.National[3:6], n.National[6:]
		add("(" + a + ") " + b + "-" + c)
		add(a + "-" + b + "-" + c)
	}
	return out
}

// Variants parses raw and returns its search forms.
func Variants(raw string) ([]string, error) {
	n, err := Parse(raw)
	if err != nil {
		return nil, err
	}
	return n.Variants(), nil
}

// Digits keeps only the digits of s; CRMs and sandboxes compare numbers this way.
func Digits(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// countryCode picks the E.164 country code prefix of an international number.
// Codes are 1–3 digits and prefix-free; the table holds the 1- and 2-digit ones,
// every other prefix is 3 digits.
func countryCode(d string) string {
	if d[0] == '1' || d[0] == '7' {
		return d[:1]
	}
	if twoDigit[d[:2]] {
		return d[:2]
	}
	return d[:3]
}

var twoDigit = map[string]bool{
	"20": true, "27": true, "30": true, "31": true, "32": true, "33": true, "34": true, "36": true, "39": true,
	"40": true, "41": true, "43": true, "44": true, "45": true, "46": true, "47": true, "48": true, "49": true,
	"51": true, "52": true, "53": true, "54": true, "55": true, "56": true, "57": true, "58": true,
	"60": true, "61": true, "62": true, "63": true, "64": true, "65": true, "66": true,
	"81": true, "82": true, "84": true, "86": true, "90": true, "91": true, "92": true, "93": true, "94": true, "95": true, "98": true,
}
