package jobs

import (
	"strings"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/store"
)

// activity is the timeline entry of a job: the contact as the CRM's
// activity, keyed by the job id, linked to the job's records.
func activity(j store.Job, p payload) crm.Activity {
	c := p.CxoneContact
	a := crm.Activity{
		Key: j.ID, Direction: c.Direction, MediaType: c.MediaType, Duration: c.Duration(),
		Disposition: c.DispositionName, AgentName: c.AgentName, ContactID: c.ContactID,
		RecordingURL: c.RecordingURL, Links: p.Records, Description: description(c.DispositionNotes, c.Transcript),
	}
	if a.ContactID == "" {
		a.ContactID = j.ContactID
	}
	// The customer's number: who called in, or whom the agent called.
	a.Phone = c.ANI
	if strings.EqualFold(c.Direction, "outbound") && c.DNIS != "" {
		a.Phone = c.DNIS
	}
	if c.StartTime != nil {
		a.Start = c.StartTime.UTC()
	}
	if c.EndTime != nil {
		a.End = c.EndTime.UTC()
	}
	return a
}

// description keeps the agent's notes first and a digital transcript after.
func description(notes, transcript string) string {
	switch {
	case transcript == "":
		return notes
	case notes == "":
		return "Transcript:\n" + transcript
	}
	return notes + "\n\nTranscript:\n" + transcript
}
