package phone_test

import (
	"testing"

	"github.com/crmflow/crmflow/shared/phone"
)

func TestMatchKind(t *testing.T) {
	uk := phone.Number{CountryCode: "44", National: "2079460958", NationalDialled: "02079460958", Region: "GB"}
	us := phone.Number{CountryCode: "1", National: "4155550100", NationalDialled: "4155550100", Region: "US"}
	jp := phone.Number{CountryCode: "81", National: "312345678", NationalDialled: "0312345678", Region: "JP"}
	for _, c := range []struct {
		n      phone.Number
		stored string
		want   string // "" = no match
	}{
		{uk, "+442079460958", phone.MatchExact},
		{uk, "+44 20 7946 0958", phone.MatchExact},
		{uk, "+44 (0)20 7946 0958", phone.MatchExact},
		{uk, "tel:+44-20-7946-0958", phone.MatchExact},
		{uk, "020 7946 0958", phone.MatchNational},
		{uk, "02079460958", phone.MatchNational},
		{uk, "20 7946 0958", phone.MatchNational},
		{uk, "442079460958", phone.MatchDigits},
		{uk, "00442079460958", phone.MatchDigits},
		{uk, "+33 20 7946 0958", ""}, // another country's number
		{uk, "+442079460959", ""},    // another number
		{uk, "0958", ""},             // a fragment
		{us, "(415) 555-0100", phone.MatchNational},
		{us, "+1 415-555-0100", phone.MatchExact},
		{us, "1-415-555-0100", phone.MatchDigits},
		{us, "011 1 415 555 0100", phone.MatchDigits},
		{us, "+1 415 555 0100 x12", phone.MatchExact}, // the extension is not compared
		{us, "415.555.0100;ext=7", phone.MatchNational},
		{jp, "03-1234-5678", phone.MatchNational},
		{jp, "+81 3-1234-5678", phone.MatchExact},
		{jp, "010 81 3 1234 5678", phone.MatchDigits},
		{phone.Number{}, "+14155550100", ""},
	} {
		got, ok := phone.MatchKind(c.n, c.stored)
		if got != c.want || ok != (c.want != "") {
			t.Errorf("MatchKind(+%s %s, %q) = %q, %v; want %q", c.n.CountryCode, c.n.National, c.stored, got, ok, c.want)
		}
	}
}
