package servicenow

import (
	"slices"
	"strings"

	"github.com/crmflow/crmflow/shared/phone"
)

// maxPhoneForms bounds the IN list of a phone search.
const maxPhoneForms = 16

// phoneForms lists the texts a phone column may hold for the number.
// sys_user and customer_contact phone columns are free text compared as
// such (only the E.164 phone type normalizes), so beyond phone.Variants this
// adds what people type: for NANP numbers "+1 (415) 555-0100",
// "+1 415-555-0100", "+1 415 555 0100", "1-415-555-0100", "415.555.0100"
// and "415 555 0100"; for other numbers "+44 2079460958" and
// "00442079460958".
func phoneForms(variants []string) []string {
	var out []string
	add := func(v string) {
		if v = strings.TrimSpace(v); v != "" && len(out) < maxPhoneForms && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	for _, v := range variants {
		add(v)
	}
	if len(out) == 0 {
		return nil
	}
	n, err := phone.Parse(out[0])
	if err != nil || n.CountryCode == "" {
		return out
	}
	if d := n.National; n.CountryCode == "1" && len(d) == 10 {
		area, exchange, line := d[:3], d[3:6], d[6:]
		add("+1 (" + area + ") " + exchange + "-" + line)
		add("+1 " + area + "-" + exchange + "-" + line)
		add("+1 " + area + " " + exchange + " " + line)
		add("1-" + area + "-" + exchange + "-" + line)
		add(area + "." + exchange + "." + line)
		add(area + " " + exchange + " " + line)
		return out
	}
	add("+" + n.CountryCode + " " + n.National)
	add("00" + n.CountryCode + n.National)
	return out
}
