package crmtext

import (
	"testing"
	"time"
	"unicode/utf8"

	"github.com/crmflow/crmflow/shared/crm"
)

func TestActivityNote(t *testing.T) {
	start := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	a := crm.Activity{Description: " Asked about the printer. ", Direction: "inbound", MediaType: "voice",
		Duration: 95*time.Second + 400*time.Millisecond, Start: start, End: start.Add(95 * time.Second),
		Phone: "+15551230000", AgentName: "Ann", ContactID: "c-1"}
	want := "Inbound call\nAsked about the printer.\ninbound voice · 1m35s · 2026-11-23 10:00:00 UTC – 2026-11-23 10:01:35 UTC\n" +
		"Phone: +15551230000 · Agent: Ann\nContact ID: c-1\n[crmflow:k1]"
	if got := ActivityNote(a, ActivitySubject(a), "crmflow:k1"); got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
	if got := ActivityNote(crm.Activity{}, "", ""); got != "" {
		t.Fatalf("empty activity: %q", got)
	}
}

func TestSubjects(t *testing.T) {
	for _, tc := range []struct {
		a                  crm.Activity
		subject, callTitle string
	}{
		{crm.Activity{Subject: "  Refund  "}, "Refund", "Call"},
		{crm.Activity{Direction: "outbound", MediaType: "chat"}, "Outbound chat", "Outbound chat"},
		{crm.Activity{Direction: "Outbound", MediaType: "SMS"}, "Inbound SMS", "Outbound sms"},
		{crm.Activity{MediaType: "voice"}, "Inbound call", "Call"},
	} {
		if got := ActivitySubject(tc.a); got != tc.subject {
			t.Errorf("ActivitySubject(%+v) = %q, want %q", tc.a, got, tc.subject)
		}
		if got := CallTitle(tc.a); got != tc.callTitle {
			t.Errorf("CallTitle(%+v) = %q, want %q", tc.a, got, tc.callTitle)
		}
	}
}

func TestTruncateAndOneLine(t *testing.T) {
	if got := Truncate("héllo wörld", 5); got != "héll…" {
		t.Fatalf("%q", got)
	}
	// Never more than n runes, the mark included.
	for n := 0; n <= 12; n++ {
		if got := Truncate("héllo wörld!", n); utf8.RuneCountInString(got) > n {
			t.Fatalf("Truncate(_, %d) = %q: %d runes", n, got, utf8.RuneCountInString(got))
		}
	}
	if got := Truncate("héllo", 5); got != "héllo" {
		t.Fatalf("%q", got)
	}
	if got := OneLine(" a\n\tb  c "); got != "a b c" {
		t.Fatalf("%q", got)
	}
}

func TestCut(t *testing.T) {
	for _, c := range []struct {
		in   string
		n    int
		want string
	}{{"héllo wörld", 5, "héllo"}, {"héllo", 5, "héllo"}, {"héllo", 0, "héllo"}, {"", 3, ""}} {
		if got := Cut(c.in, c.n); got != c.want {
			t.Errorf("Cut(%q, %d) = %q, want %q", c.in, c.n, got, c.want)
		}
	}
}
