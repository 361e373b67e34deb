package phone

import (
	"errors"
	"reflect"
	"slices"
	"testing"
)

func TestVariants(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"+1 (415) 555-0100", []string{"+14155550100", "14155550100", "4155550100", "(415) 555-0100", "415-555-0100"}},
		{"4155550100", []string{"+14155550100", "14155550100", "4155550100", "(415) 555-0100", "415-555-0100"}},
		{"1-415-555-0100", []string{"+14155550100", "14155550100", "4155550100", "(415) 555-0100", "415-555-0100"}},
		{"+44 20 7946 0958", []string{"+442079460958", "442079460958", "2079460958"}},
		{"0044 20 7946 0958", []string{"+442079460958", "442079460958", "2079460958"}},
		{"+81 3-1234-5678", []string{"+81312345678", "81312345678", "312345678"}},
		{"+353 1 234 5678", []string{"+35312345678", "35312345678", "12345678"}},
		{"5550100", []string{"5550100"}},
	}
	for _, tt := range tests {
		got, err := Variants(tt.in)
		if err != nil {
			t.Fatalf("%q: %v", tt.in, err)
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%q: got %q want %q", tt.in, got, tt.want)
		}
	}
}

func TestParseRefuses(t *testing.T) {
	tests := []struct {
		in   string
		want error
	}{
		{"", ErrTooShort},
		{"555-01", ErrTooShort},
		{"+1234567890123456", ErrTooLong},
		{"415' OR 1=1", ErrInvalid},
		{"415*555", ErrInvalid},
		{"4+15", ErrInvalid},
	}
	for _, tt := range tests {
		if _, err := Parse(tt.in); !errors.Is(err, tt.want) {
			t.Errorf("%q: got %v want %v", tt.in, err, tt.want)
		}
	}
}

func TestDigits(t *testing.T) {
	if got := Digits("+1 (415) 555-0100"); got != "14155550100" {
		t.Fatal(got)
	}
}

func BenchmarkVariants(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Variants("+1 (415) 555-0100"); err != nil {
			b.Fatal(err)
		}
	}
}

// TestSearchForms: the one list of typed forms every free-text CRM
// searches, from a parsed number or from variants alone.
func TestSearchForms(t *testing.T) {
	nanp := []string{"+14155550100", "14155550100", "4155550100", "(415) 555-0100", "415-555-0100", "+1 (415) 555-0100",
		"+1 415-555-0100", "+1 415 555 0100", "1-415-555-0100", "415.555.0100", "415 555 0100"}
	n, _ := Parse("+1 415 555 0100")
	if got := Forms(n, 16, nil); !reflect.DeepEqual(got, nanp) {
		t.Errorf("Forms(NANP) = %q", got)
	}
	if got := SearchForms([]string{"+14155550100"}, Number{}, 16, nil); got[0] != "+14155550100" || len(got) != 9 {
		t.Errorf("SearchForms(variants only) = %q", got)
	}
	uk := Number{CountryCode: "44", National: "2079460958", NationalFormat: "020 7946 0958",
		InternationalFormat: "+44 20 7946 0958", NationalDialled: "02079460958"}
	got := Forms(uk, 16, nil)
	for _, want := range []string{"+442079460958", "02079460958", "020 7946 0958", "+44 20 7946 0958", "+44 2079460958",
		"00442079460958", "+44 (0)20 7946 0958"} {
		if !slices.Contains(got, want) {
			t.Errorf("Forms(UK) = %q, lacks %q", got, want)
		}
	}
	if got := Forms(uk, 3, nil); len(got) != 3 {
		t.Errorf("Forms within 3 = %q", got)
	}
	if got := SearchForms([]string{"+14155550100", "\xff"}, Number{}, 16, func(v string) bool { return len(v) <= 12 }); slices.Contains(got, "\xff") || slices.Contains(got, "+1 (415) 555-0100") {
		t.Errorf("SearchForms kept invalid UTF-8 or a form keep refused: %q", got)
	}
	if SearchForms([]string{"", " "}, Number{}, 16, nil) != nil {
		t.Error("SearchForms of nothing is not nil")
	}
}
