package zendesk

import (
	"context"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmhttp"
	"github.com/crmflow/crmflow/shared/crm/crmtext"
)

// maxSubject bounds the subject of a call ticket.
const maxSubject = 150

// AddActivity writes the interaction to the timeline as a private comment
// (an internal note): on the first linked ticket, tagged with the write's
// key tag; or, when no ticket is linked, on a new ticket requested by the
// linked user (and in the linked organization) that keeps the key in
// external_id. A private comment works on every Zendesk plan; a
// voice_comment would need Talk Partner Edition and its own endpoint.
func (c *connector) AddActivity(ctx context.Context, a crm.Activity) (crm.WriteResult, error) {
	const op = "zendesk: add activity"
	links, err := checkLinks(op, a.Links)
	if err != nil {
		return crm.WriteResult{}, err
	}
	note := crmtext.ActivityNote(a, activitySubject(a), "")
	comment := map[string]any{"body": note, "public": false}
	marker, tag := writeMarker(crm.WriteActivity, a.Key), writeTag(crm.WriteActivity, a.Key)
	tickets := standard[entTicket]
	if l, ok := noteTarget(links); ok {
		t := map[string]any{"comment": comment}
		if tag != "" {
			t["additional_tags"] = []string{tag}
		}
		if _, err := c.one(ctx, crmhttp.Call{Op: op, Method: "PUT", Path: "tickets/" + l.ID + ".json", Body: map[string]any{"ticket": t}}, tickets); err != nil {
			return crm.WriteResult{}, err
		}
		return crm.WriteResult{Records: []crm.Ref{l}}, nil
	}
	t := map[string]any{"subject": activitySubject(a), "comment": comment, "tags": []string{"crmflow"}}
	if marker != "" {
		t["external_id"] = marker
		t["tags"] = []string{"crmflow", tag}
	}
	relate(t, entTicket, links)
	o, err := c.one(ctx, crmhttp.Call{Op: op, Method: "POST", Path: "tickets.json", Body: map[string]any{"ticket": t}}, tickets)
	if err != nil {
		return crm.WriteResult{}, err
	}
	return crm.WriteResult{Records: []crm.Ref{{Entity: entTicket, ID: o.id()}}}, nil
}

// noteTarget is the ticket AddActivity comments on: the first of the
// checked links that is a ticket. ok is false when none is, and the
// activity becomes a new ticket instead. FindWrite looks for the comment
// on the same ticket.
func noteTarget(links []crm.Ref) (crm.Ref, bool) {
	for _, l := range links {
		if l.Entity == entTicket {
			return l, true
		}
	}
	return crm.Ref{}, false
}

func activitySubject(a crm.Activity) string {
	return crmtext.Truncate(crmtext.OneLine(crmtext.ActivitySubject(a)), maxSubject)
}
