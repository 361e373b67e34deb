package phone

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

// FuzzParse: whatever the text, Parse never panics and either refuses with
// one of its errors or gives a number whose forms agree with each other:
// E.164 re-parses to the same number, every variant is the same digits
// (a suffix of the E.164 digits), NANP variants all re-normalize to the
// same E.164, and Variants has the E.164 first and no repeats.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"+1 (415) 555-0100", "4155550100", "1-415-555-0100", "+44 20 7946 0958", "0044 20 7946 0958",
		"+81 3-1234-5678", "+353 1 234 5678", "5550100", "", "555-01", "+1234567890123456", "415' OR 1=1", "4+15",
		"+", "++14155550100", "00", "0000000000", "+0 123 4567", "00 0 1234567", "+7 495 123 45 67", "(((1)))2345678",
		" \t+1 415 555 0100\n", "+１４１５５５５０１００", "4155550100 x123", "+1 234 567", "12345678901"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		n, err := Parse(raw)
		if err != nil {
			if !errors.Is(err, ErrTooShort) && !errors.Is(err, ErrTooLong) && !errors.Is(err, ErrInvalid) && !errors.Is(err, ErrNoCountry) {
				t.Fatalf("%q: unexpected error %v", raw, err)
			}
			return
		}
		e164 := n.E164()
		digits := Digits(e164)
		if len(digits) < MinDigits || len(digits) > MaxDigits {
			t.Fatalf("%q: E.164 %q has %d digits", raw, e164, len(digits))
		}
		if n.National == "" || Digits(n.National) != n.National {
			t.Fatalf("%q: national %q", raw, n.National)
		}
		if n.CountryCode != "" {
			if len(n.CountryCode) > 3 || Digits(n.CountryCode) != n.CountryCode || n.CountryCode[0] == '0' {
				t.Fatalf("%q: country code %q", raw, n.CountryCode)
			}
			if e164 != "+"+digits {
				t.Fatalf("%q: E.164 %q", raw, e164)
			}
		}
		again, err := Parse(e164)
		if err != nil || again != n {
			t.Fatalf("%q: E.164 %q re-parses to %+v (%v), want %+v", raw, e164, again, err, n)
		}
		vs := n.Variants()
		if len(vs) == 0 || vs[0] != e164 {
			t.Fatalf("%q: variants %q do not start with %q", raw, vs, e164)
		}
		for i, v := range vs {
			if slices.Contains(vs[:i], v) {
				t.Fatalf("%q: variant %q repeated in %q", raw, v, vs)
			}
			if !strings.HasSuffix(digits, Digits(v)) {
				t.Fatalf("%q: variant %q is not a form of %q", raw, v, e164)
			}
			if n.CountryCode == "1" && nanp(n.National) {
				w, err := Parse(v)
				if err != nil || w.E164() != e164 {
					t.Fatalf("%q: NANP variant %q re-normalizes to %q (%v), want %q", raw, v, w.E164(), err, e164)
				}
			}
		}
		if vs2, err := Variants(raw); err != nil || !slices.Equal(vs, vs2) {
			t.Fatalf("%q: Variants %q (%v), want %q", raw, vs2, err, vs)
		}
	})
}
