package hubspot

import (
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/crmflow/crmflow/shared/phone"
)

// maxPhoneForms bounds the values of a phone search's IN filter.
const maxPhoneForms = 16

// phoneForms lists the texts a phone property may hold for the number.
// HubSpot keeps phone properties as typed and IN matches whole values, so
// beyond phone.Variants this adds the formats people commonly type: for
// NANP numbers "(415) 555-0100", "415-555-0100", "+1 (415) 555-0100",
// "+1 415-555-0100", "+1 415 555 0100", "1-415-555-0100", "415.555.0100"
// and "415 555 0100"; for other numbers "+44 2079460958" and
// "00442079460958".
func phoneForms(variants []string) []string {
	var out []string
	add := func(v string) {
		if v != "" && utf8.ValidString(v) && len(v) <= maxValueLength && len(out) < maxPhoneForms && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	for _, v := range variants {
		add(strings.TrimSpace(v))
	}
	if len(out) == 0 {
		return nil
	}
	n, err := phone.Parse(out[0])
	if err != nil || n.CountryCode == "" {
		return out
	}
	if nat := n.National; n.CountryCode == "1" && len(nat) == 10 {
		a, b, c := nat[:3], nat[3:6], nat[6:]
		for _, f := range []string{"(" + a + ") " + b + "-" + c, a + "-" + b + "-" + c, "+1 (" + a + ") " + b + "-" + c, "+1 " + a + "-" + b + "-" + c, "+1 " + a + " " + b + " " + c,
			"1-" + a + "-" + b + "-" + c, a + "." + b + "." + c, a + " " + b + " " + c} {
			add(f)
		}
		return out
	}
	add("+" + n.CountryCode + " " + n.National)
	add("00" + n.CountryCode + n.National)
	return out
}
