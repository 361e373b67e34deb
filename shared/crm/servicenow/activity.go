package servicenow

import (
	"context"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmtext"
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
	links, err := resolveLinks(op, a.Links)
	if err != nil {
		return crm.WriteResult{}, err
	}
	a.Links = links
	marker := writeMarker(crm.WriteActivity, a.Key)
	note := crmtext.ActivityNote(a, activitySubject(a), marker)
	if l, ok := noteTarget(a.Links); ok {
		if err := c.Update(ctx, l, map[string]any{"work_notes": note}); err != nil {
			return crm.WriteResult{}, err
		}
		return crm.WriteResult{Records: []crm.Ref{l}}, nil
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

// noteTarget is the record AddActivity writes a work note on: the first of
// the resolved links that is a task record. ok is false when none is, and
// the activity becomes a new interaction instead. FindWrite looks for the
// note in the same place.
func noteTarget(links []crm.Ref) (crm.Ref, bool) {
	for _, l := range links {
		if taskTables[l.Entity] {
			return l, true
		}
	}
	return crm.Ref{}, false
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
	return crmtext.Truncate(crmtext.OneLine(crmtext.ActivitySubject(a)), maxShortDescription)
}
