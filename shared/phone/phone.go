// Package phone turns the ANI a contact center hands over into the forms CRMs
// store phone numbers in, so a search finds "+1 (415) 555-0100", "4155550100"
// and "+14155550100" alike.
package phone

import (
	"errors"
	"slices"
	"strings"
	"unicode/utf8"
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

// Number is a parsed phone number and the texts CRMs hold it as. A
// caller's number is parsed by libphonenumber (package libphone, in the
// functions that parse phone numbers: search); the forms below are pure
// text work, so drivers use them without linking the library.
type Number struct {
	// CountryCode is "1" for NANP numbers; empty when it cannot be told.
	CountryCode string
	// National is the national significant number, digits only.
	National string
	// Extension is the extension dialled after the number ("12"), kept
	// apart: it is not part of any searched form.
	Extension string
	// Region is the ISO country of the number ("GB"), when known.
	Region string
	// NationalFormat and InternationalFormat are the number as the library
	// prints it for people at home and abroad ("020 7946 0958", "+44 20 7946
	// 0958"), without the extension; empty when not parsed by the library.
	NationalFormat, InternationalFormat string
	// NationalDialled is the number as dialled at home, digits only: the
	// national number with its trunk prefix where the country has one
	// ("02079460958"; the same as National for NANP).
	NationalDialled string
}

// Parser parses a number as typed, in region's numbering plan when it has
// no country code (libphone.Parse).
type Parser func(raw, region string) (Number, error)

// Parse is the dependency-free reading of a number that tests and
// sandboxes use where no region applies; callers' numbers are parsed by
// libphone.Parse. Parse reads a phone number as callers and agents type it. A number with a
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
// repeats: E.164, country code and number as digits, the national
// significant number, the number as dialled at home (trunk prefix), the
// national and the grouped international format the library prints, and
// for NANP numbers "(415) 555-0100" and "415-555-0100".
func (n Number) Variants() []string {
	var out []string
	add := func(v string) {
		if v != "" && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	add(n.E164())
	if n.CountryCode != "" {
		add(n.CountryCode + n.National)
	}
	add(n.National)
	add(n.NationalDialled)
	add(n.NationalFormat)
	add(n.InternationalFormat)
	if n.CountryCode == "1" && nanp(n.National) {
		a, b, c := n.National[:3], n.National[3:6], n.National[6:]
		add("(" + a + ") " + b + "-" + c)
		add(a + "-" + b + "-" + c)
	}
	return out
}

// Forms lists, within max, the texts a free-text phone field may hold for
// n, for a CRM that compares phone fields as typed (Dynamics, HubSpot,
// ServiceNow): the Variants, then what people commonly type — for NANP
// numbers "(415) 555-0100", "415-555-0100", "+1 (415) 555-0100", "+1 415-555-0100", "+1 415 555 0100",
// "1-415-555-0100", "415.555.0100" and "415 555 0100"; for other numbers
// "+44 2079460958", "00442079460958" and, where the country has a trunk
// prefix, "+44 (0)20 7946 0958". keep, when set, drops forms a CRM cannot
// take (too long for its filter).
func Forms(n Number, max int, keep func(string) bool) []string {
	return SearchForms(nil, n, max, keep)
}

// SearchForms is Forms for a search that carries its variants (the
// Variants of n, or a caller's own list): the variants first, in their
// order, then n's Variants, then the typed forms. A zero n is read back from
// the first variant for its typed forms only, for callers that pass
// variants only. Invalid UTF-8 is dropped.
func SearchForms(variants []string, n Number, max int, keep func(string) bool) []string {
	var out []string
	add := func(v string) {
		v = strings.TrimSpace(v)
		if v != "" && utf8.ValidString(v) && len(out) < max && !slices.Contains(out, v) && (keep == nil || keep(v)) {
			out = append(out, v)
		}
	}
	for _, v := range variants {
		add(v)
	}
	if n.National == "" {
		// The variants are all there is; the number only adds typed forms.
		if len(out) == 0 {
			return out
		}
		var err error
		if n, err = Parse(out[0]); err != nil {
			return out
		}
	} else {
		for _, v := range n.Variants() {
			add(v)
		}
	}
	if n.CountryCode == "" {
		return out
	}
	if nat := n.National; n.CountryCode == "1" && nanp(nat) {
		a, b, c := nat[:3], nat[3:6], nat[6:]
		for _, f := range []string{"(" + a + ") " + b + "-" + c, a + "-" + b + "-" + c, "+1 (" + a + ") " + b + "-" + c, "+1 " + a + "-" + b + "-" + c, "+1 " + a + " " + b + " " + c,
			"1-" + a + "-" + b + "-" + c, a + "." + b + "." + c, a + " " + b + " " + c} {
			add(f)
		}
		return out
	}
	add("+" + n.CountryCode + " " + n.National)
	add("00" + n.CountryCode + n.National)
	if trunk, ok := strings.CutSuffix(n.NationalDialled, n.National); ok && trunk != "" && n.InternationalFormat != "" {
		if rest, ok := strings.CutPrefix(n.InternationalFormat, "+"+n.CountryCode+" "); ok {
			add("+" + n.CountryCode + " (" + trunk + ")" + rest)
		}
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
