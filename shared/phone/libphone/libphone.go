// Package libphone parses callers' phone numbers with libphonenumber
// (github.com/nyaruka/phonenumbers, Google's metadata): any country's
// national and international formats, tel: URIs, extensions, trunk
// prefixes, "(0)", and the exit codes of the caller's region (00, 011 in
// NANP, 010 in Japan, 0011 in Australia).
//
// The library's metadata costs megabytes of binary and milliseconds of
// package init, so only the functions that parse callers' numbers import
// this package (the search function and the local run); everything else
// works on phone.Number.
package libphone

import (
	"errors"
	"strconv"
	"strings"

	"github.com/nyaruka/phonenumbers"

	"github.com/crmflow/crmflow/shared/phone"
)

// DefaultRegion is the numbering plan of a number without country code
// when the configuration names none (defaultRegion): NANP, as crmflow read
// numbers before regions could be configured.
const DefaultRegion = "US"

// Why a text is refused besides phone's length errors.
var (
	// ErrRegion: the region is no ISO country libphonenumber knows.
	ErrRegion = errors.New("region is not a country libphonenumber knows (ISO 3166-1 alpha-2, such as US, GB, JP)")
	// ErrInvalid: the text is no written phone number.
	ErrInvalid = errors.New("is not a phone number: digits with spaces or + - . ( ) /, a tel: URI, an extension (ext. 12)")
)

// Parse reads raw as callers and agents write it, in region's numbering
// plan when it has no country code ("" means DefaultRegion). A number the
// plan cannot place (too short for its country, say) is searched as the
// digits dialled, with no country. Text that is no phone number is
// refused with phone's errors.
func Parse(raw, region string) (phone.Number, error) {
	s := strings.TrimSpace(raw)
	if err := checkText(s); err != nil {
		return phone.Number{}, err
	}
	region = strings.ToUpper(strings.TrimSpace(region))
	if region == "" {
		region = DefaultRegion
	}
	if !Supported(region) {
		return phone.Number{}, ErrRegion
	}
	digits := phone.Digits(s)
	switch {
	case len(digits) < 4: // the shortest national numbers (Niue, Tokelau) have 4
		return phone.Number{}, phone.ErrTooShort
	case len(digits) > phone.MaxDigits+6: // room for an extension and an exit code
		return phone.Number{}, phone.ErrTooLong
	}
	n, err := phonenumbers.Parse(s, region)
	switch {
	case errors.Is(err, phonenumbers.ErrInvalidCountryCode):
		return phone.Number{}, phone.ErrNoCountry
	case errors.Is(err, phonenumbers.ErrTooShortNSN), errors.Is(err, phonenumbers.ErrTooShortAfterIDD):
		return phone.Number{}, phone.ErrTooShort
	case errors.Is(err, phonenumbers.ErrNumTooLong):
		return phone.Number{}, phone.ErrTooLong
	case err != nil:
		return phone.Number{}, ErrInvalid
	}
	ext := n.GetExtension()
	n.Extension = nil
	cc := strconv.Itoa(int(n.GetCountryCode()))
	nsn := phonenumbers.GetNationalSignificantNumber(n)
	switch total := len(cc) + len(nsn); {
	case total > phone.MaxDigits:
		return phone.Number{}, phone.ErrTooLong
	case len(nsn) < 4 || total < phone.MinDigits:
		return phone.Number{}, phone.ErrTooShort
	}
	if phonenumbers.IsPossibleNumberWithReason(n) != phonenumbers.IS_POSSIBLE {
		// No plan places it (or only as a local number without its area
		// code): keep what was dialled, without the extension.
		dialled := phone.Digits(strings.TrimSuffix(s, ext))
		if ext == "" {
			dialled = digits
		}
		return phone.Number{National: dialled, Extension: ext}, nil
	}
	national := phonenumbers.Format(n, phonenumbers.NATIONAL)
	return phone.Number{
		CountryCode:         cc,
		National:            nsn,
		Extension:           ext,
		Region:              phonenumbers.GetRegionCodeForNumber(n),
		NationalFormat:      national,
		InternationalFormat: phonenumbers.Format(n, phonenumbers.INTERNATIONAL),
		NationalDialled:     phone.Digits(national),
	}, nil
}

// Variants parses raw in region and returns its search forms.
func Variants(raw, region string) ([]string, error) {
	n, err := Parse(raw, region)
	if err != nil {
		return nil, err
	}
	return n.Variants(), nil
}

// Supported reports whether region is a country libphonenumber has a
// numbering plan for.
func Supported(region string) bool { return phonenumbers.GetSupportedRegions()[region] }

// checkText refuses what no written phone number holds. Letters are
// allowed for tel: URIs, extension markers (ext, x) and vanity numbers;
// the searched forms are built from the parsed digits, never from the text.
func checkText(s string) error {
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9', r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z':
		case strings.ContainsRune(" +-.()/:;=#,\t", r):
		default:
			return ErrInvalid
		}
	}
	return nil
}
