package hubspot

import (
	"context"
	"github.com/crmflow/crmflow/shared/lazyre"
	"html"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmtext"
)

// timestampLayout is how the driver writes date-time properties.
const timestampLayout = "2006-01-02T15:04:05.000Z"

var calls = object{entity: "calls", typeID: typeCall}

// callOutcomes are the call outcomes (hs_call_disposition values) every
// HubSpot account has, by their English label.
var callOutcomes = map[string]string{
	"busy":              "9d9162e7-6cf3-4944-bf63-4dff82258764",
	"connected":         "f240bbac-87c9-4f6e-bf70-924b57d47db7",
	"left live message": "a4c4c377-d246-4b32-a13b-75a56a4cd0ff",
	"left voicemail":    "b2cf5968-551e-4856-9783-52b3da59a7d0",
	"no answer":         "73a0d17f-1163-4015-bdd5-ec830791da20",
	"wrong number":      "17b47fee-58de-441e-a44c-c6300d46f273",
}

var guidShape = lazyre.New(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// AddActivity logs the interaction as a completed call engagement with the
// write key in crmflow_key, associated with the linked records in
// the same request (call→contact 194, →company 182, →deal 206, →ticket
// 220). Links to objects without a known association type (custom objects)
// get HubSpot's default association afterwards, one request each.
func (c *connector) AddActivity(ctx context.Context, a crm.Activity) (crm.WriteResult, error) {
	const op = "hubspot: add call"
	if err := checkKey(op, a.Key); err != nil {
		return crm.WriteResult{}, err
	}
	inline, later, err := linkAssociations(op, calls, a.Links)
	if err != nil {
		return crm.WriteResult{}, err
	}
	h, err := c.insertKeyed(ctx, op, calls, a.Key, callProperties(a, c.now()), inline)
	if err != nil {
		return crm.WriteResult{}, err
	}
	if err := c.associateLater(ctx, op, calls, h.ID, later); err != nil {
		return crm.WriteResult{}, err
	}
	return crm.WriteResult{Records: []crm.Ref{{Entity: calls.entity, ID: h.ID}}}, nil
}

// callProperties maps an interaction to call properties. The number is the
// customer's: hs_call_from_number for inbound calls, hs_call_to_number for
// outbound ones. A disposition that names one of HubSpot's call outcomes
// (or is an outcome id) sets hs_call_disposition; any other goes into the
// notes, as do the agent, channel and contact id.
func callProperties(a crm.Activity, now time.Time) map[string]string {
	p := map[string]string{keyProperty: a.Key, "hs_call_title": activitySubject(a), "hs_call_status": "COMPLETED"}
	at := a.Start
	if at.IsZero() {
		at = a.End
	}
	if at.IsZero() {
		at = now
	}
	p["hs_timestamp"] = at.UTC().Format(timestampLayout)
	disposition := ""
	if id, ok := callOutcomes[strings.ToLower(strings.TrimSpace(a.Disposition))]; ok {
		p["hs_call_disposition"] = id
	} else if guidShape.MatchString(a.Disposition) {
		p["hs_call_disposition"] = strings.ToLower(a.Disposition)
	} else {
		disposition = a.Disposition
	}
	if body := callBody(a, disposition); body != "" {
		p["hs_call_body"] = body
	}
	switch strings.ToLower(a.Direction) {
	case "inbound":
		p["hs_call_direction"] = "INBOUND"
		setIf(p, "hs_call_from_number", a.Phone)
	case "outbound":
		p["hs_call_direction"] = "OUTBOUND"
		setIf(p, "hs_call_to_number", a.Phone)
	}
	if ms := callDuration(a).Milliseconds(); ms > 0 {
		p["hs_call_duration"] = strconv.FormatInt(ms, 10)
	}
	if u, err := url.Parse(a.RecordingURL); err == nil && u.Scheme == "https" && u.Host != "" {
		p["hs_call_recording_url"] = a.RecordingURL
	}
	return p
}

func setIf(p map[string]string, k, v string) {
	if v = strings.TrimSpace(v); v != "" {
		p[k] = v
	}
}

func callDuration(a crm.Activity) time.Duration {
	if a.Duration > 0 {
		return a.Duration
	}
	if !a.Start.IsZero() && a.End.After(a.Start) {
		return a.End.Sub(a.Start)
	}
	return 0
}

// callBody is the notes as the rich text hs_call_body holds: each line
// HTML-escaped, lines joined with <br>.
func callBody(a crm.Activity, disposition string) string {
	var lines []string
	if a.Description != "" {
		lines = append(lines, strings.Split(strings.ReplaceAll(a.Description, "\r\n", "\n"), "\n")...)
	}
	for _, kv := range [][2]string{{"Agent", a.AgentName}, {"Disposition", disposition}, {"Channel", a.MediaType},
		{"Contact ID", a.ContactID}} {
		if kv[1] != "" {
			lines = append(lines, kv[0]+": "+kv[1])
		}
	}
	for i, l := range lines {
		lines[i] = html.EscapeString(l)
	}
	return strings.Join(lines, "<br>")
}

func activitySubject(a crm.Activity) string {
	if s := strings.TrimSpace(a.Subject); s != "" {
		return s
	}
	return crmtext.CallTitle(a)
}
