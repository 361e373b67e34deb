package oracle

import (
	"context"
	"strconv"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmhttp"
	"github.com/crmflow/crmflow/shared/crm/crmtext"
)

// maxSubject is the length of incident.subject.
const maxSubject = 240

// Thread entry type and status ids of the system-defined values.
const (
	entryTypeNote = 1 // thread entry type "Note" (private)
	statusSolved  = 2 // incident status "Solved" (status type Solved)
)

// AddActivity writes the interaction to the timeline as an incident
// thread. With a linked incident the thread is appended to it (PATCH with
// threads adds an entry); otherwise a new incident logs the call: subject,
// the linked contact as primary contact and organization, channel Phone
// for voice, status Solved (a logged call is not open work) and the note as
// its first thread. Either way the thread text ends with "[marker]", and a
// new incident holds the marker in its key field (customFields.c.crmflow_key,
// not in its subject), so FindWrite can find the write after a crash.
func (c *connector) AddActivity(ctx context.Context, a crm.Activity) (crm.WriteResult, error) {
	const op = "oracle: add activity"
	links, err := resolveLinks(op, a.Links)
	if err != nil {
		return crm.WriteResult{}, err
	}
	a.Links = links
	marker := writeMarker(crm.WriteActivity, a.Key)
	note := crmtext.ActivityNote(a, activitySubject(a), marker)
	thread := map[string]any{"text": note, "entryType": map[string]any{"id": entryTypeNote}}
	for _, l := range a.Links {
		if l.Entity == resIncidents {
			if _, err := c.api.Do(ctx, crmhttp.Call{Op: op, Method: "PATCH", Path: resourcePath(l.Entity, l.ID),
				Body: map[string]any{"threads": []any{thread}}}, nil); err != nil {
				return crm.WriteResult{}, err
			}
			return crm.WriteResult{Records: []crm.Ref{l}}, nil
		}
	}
	body := map[string]any{"subject": crmtext.Truncate(activitySubject(a), maxSubject),
		"statusWithType": map[string]any{"status": map[string]any{"id": statusSolved}},
		"threads":        []any{thread}}
	if a.MediaType == "" || a.MediaType == "voice" {
		body["channel"] = map[string]any{"lookupName": "Phone"}
	}
	relate(body, resIncidents, a.Links)
	rec, err := c.createKeyed(ctx, op, resIncidents, body, marker)
	if err != nil {
		return crm.WriteResult{}, err
	}
	return crm.WriteResult{Records: []crm.Ref{{Entity: resIncidents, ID: rec}}}, nil
}

// activitySubject is the subject of a call-log incident: the activity's
// own, or "Inbound call" and the like.
func activitySubject(a crm.Activity) string {
	if s := crmtext.OneLine(a.Subject); s != "" {
		return s
	}
	return crmtext.ActivitySubject(a)
}

// idNumber is an id as the JSON number the REST binding takes in {"id": n}.
func idNumber(id string) int64 {
	n, _ := strconv.ParseInt(id, 10, 64)
	return n
}
