package libphone

import (
	"errors"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/nyaruka/phonenumbers"

	"github.com/crmflow/crmflow/shared/phone"
)

// TestWorldNumbers: the numbers issue 14 measured, as people write them.
func TestWorldNumbers(t *testing.T) {
	for _, tc := range []struct {
		raw, region, e164, ext string
		want                   []string // forms that must be searched
	}{
		{"+44 20 7946 0958", "US", "+442079460958", "", []string{"020 7946 0958", "02079460958", "+44 20 7946 0958", "2079460958"}},
		{"020 7946 0958", "GB", "+442079460958", "", []string{"+442079460958", "020 7946 0958"}},
		{"02079460958", "GB", "+442079460958", "", nil},
		{"+44 (0)20 7946 0958", "US", "+442079460958", "", nil}, // not the impossible +4402079460958
		{"tel:+1-415-555-0100", "US", "+14155550100", "", []string{"(415) 555-0100", "415-555-0100", "4155550100"}},
		{"+1 415 555 0100 ext. 12", "US", "+14155550100", "12", nil},
		{"(415) 555-0100 x12", "", "+14155550100", "12", nil},
		{"011 44 20 7946 0958", "US", "+442079460958", "", nil},
		{"010 44 20 7946 0958", "JP", "+442079460958", "", nil},
		{"0011 44 20 7946 0958", "AU", "+442079460958", "", nil},
		{"03-1234-5678", "JP", "+81312345678", "", []string{"03-1234-5678", "0312345678", "+81 3-1234-5678"}},
		{"030 1234567", "DE", "+49301234567", "", []string{"030 1234567", "0301234567"}},
		{"4155550100", "", "+14155550100", "", []string{"(415) 555-0100"}},
	} {
		n, err := Parse(tc.raw, tc.region)
		if err != nil {
			t.Errorf("Parse(%q, %q): %v", tc.raw, tc.region, err)
			continue
		}
		if n.E164() != tc.e164 || n.Extension != tc.ext {
			t.Errorf("Parse(%q, %q) = %s ext %q, want %s ext %q", tc.raw, tc.region, n.E164(), n.Extension, tc.e164, tc.ext)
		}
		v := n.Variants()
		if v[0] != tc.e164 {
			t.Errorf("%q: variants start %q", tc.raw, v[0])
		}
		for _, w := range tc.want {
			if !slices.Contains(v, w) {
				t.Errorf("%q: variants %q lack %q", tc.raw, v, w)
			}
		}
		for _, f := range v {
			if ext := n.Extension; ext != "" && strings.HasSuffix(phone.Digits(f), n.National+ext) {
				t.Errorf("%q: the extension is searched as part of %q", tc.raw, f)
			}
		}
	}
}

func TestRefuses(t *testing.T) {
	for _, tc := range []struct {
		raw, region string
		want        error
	}{
		{"", "", phone.ErrTooShort},
		{"555-01", "", phone.ErrTooShort},
		{"415' OR 1=1", "", ErrInvalid},
		{"415*555*0100", "", ErrInvalid},
		{"+0 123 4567 890", "", phone.ErrNoCountry},
		{"+1 415 555 0100", "XX", ErrRegion},
		{"+1234567890123456789012", "", phone.ErrTooLong},
	} {
		if _, err := Parse(tc.raw, tc.region); !errors.Is(err, tc.want) {
			t.Errorf("Parse(%q, %q) = %v, want %v", tc.raw, tc.region, err, tc.want)
		}
	}
	// Possible in no plan: searched as dialled.
	n, err := Parse("555-0100", "US")
	if err != nil || n.CountryCode != "" || n.National != "5550100" {
		t.Errorf("a local number: %+v %v", n, err)
	}
}

// TestAgainstLibrary is the property test against libphonenumber: for
// every region's example numbers of three types, each way the library
// prints them parses (in that region) to the E.164 the library itself
// parses it to, and the searched forms hold the national and the
// international format the library prints for that number.
func TestAgainstLibrary(t *testing.T) {
	regions := make([]string, 0, 256)
	for r := range phonenumbers.GetSupportedRegions() {
		regions = append(regions, r)
	}
	sort.Strings(regions)
	types := []phonenumbers.PhoneNumberType{phonenumbers.FIXED_LINE, phonenumbers.MOBILE, phonenumbers.TOLL_FREE}
	checked := 0
	for _, region := range regions {
		for _, typ := range types {
			ex := phonenumbers.GetExampleNumberForType(region, typ)
			if ex == nil {
				continue
			}
			for _, f := range []phonenumbers.PhoneNumberFormat{phonenumbers.E164, phonenumbers.INTERNATIONAL, phonenumbers.NATIONAL, phonenumbers.RFC3966} {
				text := phonenumbers.Format(ex, f)
				lib, err := phonenumbers.Parse(text, region)
				if err != nil {
					continue
				}
				e164 := phonenumbers.Format(lib, phonenumbers.E164)
				n, err := Parse(text, region)
				if err != nil {
					t.Errorf("%s %v %q: %v", region, f, text, err)
					continue
				}
				checked++
				if n.E164() != e164 {
					t.Errorf("%s %v %q = %s, want %s", region, f, text, n.E164(), e164)
					continue
				}
				v := n.Variants()
				for _, want := range []string{phonenumbers.Format(lib, phonenumbers.NATIONAL), phonenumbers.Format(lib, phonenumbers.INTERNATIONAL)} {
					if !slices.Contains(v, want) {
						t.Errorf("%s %q: variants %q lack %q", region, text, v, want)
					}
				}
				if slices.ContainsFunc(v, func(s string) bool { return s == "" }) {
					t.Errorf("%s %q: an empty variant", region, text)
				}
			}
		}
	}
	if checked < 1000 {
		t.Errorf("only %d numbers checked", checked)
	}
	t.Logf("%d printed numbers of %d regions parse back to the library's E.164", checked, len(regions))
}

func BenchmarkParse(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse("+44 (0)20 7946 0958", "GB"); err != nil {
			b.Fatal(err)
		}
	}
}

// TestRegionsAreTheLibrarys: phone's region list, which the admin function
// checks defaultRegion against, is the library's.
func TestRegionsAreTheLibrarys(t *testing.T) {
	got := phone.Regions()
	var want []string
	for r := range phonenumbers.GetSupportedRegions() {
		want = append(want, r)
	}
	sort.Strings(want)
	if !slices.Equal(got, want) {
		t.Errorf("phone.Regions() = %v\nthe library's = %v", got, want)
	}
	for _, r := range want {
		if !phone.KnownRegion(r) {
			t.Errorf("KnownRegion(%q) = false", r)
		}
	}
	for _, r := range []string{"", "U", "XX", "C A", "S ", "us", "USA"} {
		if phone.KnownRegion(r) {
			t.Errorf("KnownRegion(%q) = true", r)
		}
	}
}
