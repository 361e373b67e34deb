// Package crmtext holds the plain text the drivers write the same way:
// one-line, length-bounded messages and the journal text of an activity.
package crmtext

import (
	"strings"
	"time"

	"github.com/crmflow/crmflow/shared/crm"
)

// OneLine folds line breaks and runs of white space into single spaces.
func OneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// Truncate cuts s to at most n runes, the "…" that marks a cut included,
// so the result always fits a field limit of n characters (ServiceNow's
// 160-character short_description). n < 1 gives "".
func Truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	r := []rune(s)
	switch {
	case len(r) <= n:
		return s
	case n < 1:
		return ""
	}
	return string(r[:n-1]) + "…"
}

// Cut cuts s to at most n runes with no mark, for a value that must fit a
// field (a cut note is still the note); n <= 0 keeps s.
func Cut(s string, n int) string {
	if n <= 0 || len(s) <= n {
		return s
	}
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n])
}

// ActivitySubject is the activity's subject, trimmed, or when it has none
// its direction and medium: "Inbound call", "Outbound chat" ("call" for
// voice or no media type; anything but "outbound" is inbound).
func ActivitySubject(a crm.Activity) string {
	if s := strings.TrimSpace(a.Subject); s != "" {
		return s
	}
	kind := "call"
	if a.MediaType != "" && a.MediaType != "voice" {
		kind = a.MediaType
	}
	dir := "Inbound"
	if a.Direction == "outbound" {
		dir = "Outbound"
	}
	return dir + " " + kind
}

// CallTitle names an activity by direction and medium, for one without a
// subject: "Inbound call", "Outbound sms", or just "Call" when the
// direction is neither; direction and medium are read case-insensitively,
// and voice or no media type is a call. (ActivitySubject's names differ:
// some CRMs' golden requests pin each form.)
func CallTitle(a crm.Activity) string {
	noun := "call"
	if m := strings.ToLower(a.MediaType); m != "" && m != "voice" {
		noun = m
	}
	switch strings.ToLower(a.Direction) {
	case "inbound":
		return "Inbound " + noun
	case "outbound":
		return "Outbound " + noun
	}
	return strings.ToUpper(noun[:1]) + noun[1:]
}

// ActivityNote is the plain journal text of an activity, one line each for
// what is known: the subject, the notes, direction, medium, duration and
// time span, phone, agent and disposition, contact id and recording; then
// "[marker]" when marker is not "". Parts of a line are joined with " · ".
func ActivityNote(a crm.Activity, subject, marker string) string {
	var lines []string
	add := func(parts ...string) {
		var kept []string
		for _, p := range parts {
			if p = strings.TrimSpace(p); p != "" {
				kept = append(kept, p)
			}
		}
		if len(kept) > 0 {
			lines = append(lines, strings.Join(kept, " · "))
		}
	}
	add(subject)
	add(a.Description)
	var span string
	if !a.Start.IsZero() {
		span = a.Start.UTC().Format(noteTime)
		if !a.End.IsZero() {
			span += " – " + a.End.UTC().Format(noteTime)
		}
	}
	var took string
	if a.Duration > 0 {
		took = a.Duration.Round(time.Second).String()
	}
	add(strings.TrimSpace(a.Direction+" "+a.MediaType), took, span)
	add(labeled("Phone", a.Phone), labeled("Agent", a.AgentName), labeled("Disposition", a.Disposition))
	add(labeled("Contact ID", a.ContactID), labeled("Recording", a.RecordingURL))
	if marker != "" {
		lines = append(lines, "["+marker+"]")
	}
	return strings.Join(lines, "\n")
}

const noteTime = "2006-01-02 15:04:05 UTC"

func labeled(name, v string) string {
	if v = strings.TrimSpace(v); v == "" {
		return ""
	}
	return name + ": " + v
}
