package servicenow

import (
	"context"
	"strings"
	"time"

	"github.com/crmflow/crmflow/shared/crm"
)

// maxShortDescription is the length of task.short_description.
const maxShortDescription = 160

// AddActivity writes the interaction to the timeline: a work note on the
// first linked task record (an incident, case, interaction…), or else a
// closed interaction record opened for the linked person. Either way the
// text ends with the write's key marker, and a new interaction also keeps
// it in correlation_id, so FindWrite can find the write after a crash.
func (c *connector) AddActivity(ctx context.Context, a crm.Activity) (crm.WriteResult, error) {
	const op = "servicenow: add activity"
	for _, l := range a.Links {
		if err := checkRef(op, l); err != nil {
			return crm.WriteResult{}, err
		}
	}
	marker := writeMarker(crm.WriteActivity, a.Key)
	note := activityNote(a, marker)
	for _, l := range a.Links {
		if taskTables[l.Entity] {
			if err := c.Update(ctx, l, map[string]any{"work_notes": note}); err != nil {
				return crm.WriteResult{}, err
			}
			return crm.WriteResult{Records: []crm.Ref{l}}, nil
		}
	}
	body := map[string]any{"type": interactionType(a.MediaType), "short_description": activitySubject(a),
		"state": "closed_complete", "work_notes": note}
	if marker != "" {
		body["correlation_id"], body["correlation_display"] = marker, correlationDisplay
	}
	relate(body, "interaction", a.Links)
	rec, err := c.Create(ctx, "interaction", body)
	if err != nil {
		return crm.WriteResult{}, err
	}
	return crm.WriteResult{Records: []crm.Ref{{Entity: "interaction", ID: rec.ID}}}, nil
}

// interactionType maps the contact center's media type to interaction.type
// ("phone" and "chat" are the base choices).
func interactionType(media string) string {
	switch media {
	case "chat", "sms", "social":
		return "chat"
	case "email":
		return "email"
	}
	return "phone"
}

func activitySubject(a crm.Activity) string {
	s := strings.TrimSpace(a.Subject)
	if s == "" {
		kind := "call"
		if a.MediaType != "" && a.MediaType != "voice" {
			kind = a.MediaType
		}
		dir := "Inbound"
		if a.Direction == "outbound" {
			dir = "Outbound"
		}
		s = dir + " " + kind
	}
	return truncate(oneLine(s), maxShortDescription)
}

// activityNote is the journal text of an activity: subject, notes, then
// what the contact center knows about the contact, and the key marker last.
func activityNote(a crm.Activity, marker string) string {
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
	add(activitySubject(a))
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
