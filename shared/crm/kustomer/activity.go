package kustomer

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmtext"
)

// messageApp is the app a timeline message is recorded for; Kustomer
// requires one on every message.
const messageApp = "crmflow"

// timestampLayout is how the driver writes date-times.
const timestampLayout = "2006-01-02T15:04:05.000Z"

// maxPreview bounds a message preview, in runes.
const maxPreview = 4000

// channels maps the contact center's media types to Kustomer message
// channels; Kustomer has no generic social channel, so social is chat.
var channels = map[string]string{"": "voice", "voice": "voice", "chat": "chat", "email": "email", "sms": "sms", "social": "chat"}

// AddActivity records the interaction as a message on the linked customer's
// timeline: POST /v1/conversations/{id}/messages into the first linked
// conversation, else POST /v1/customers/{id}/messages for the first linked
// customer (Kustomer then opens a conversation for it). Creating a message
// records it; nothing is sent. The write key goes into the message's
// externalId, which FindWrite looks up.
func (c *connector) AddActivity(ctx context.Context, a crm.Activity) (crm.WriteResult, error) {
	const op = "kustomer: add message"
	if err := checkKey(op, a.Key); err != nil {
		return crm.WriteResult{}, err
	}
	path, err := messageTarget(op, a.Links)
	if err != nil {
		return crm.WriteResult{}, err
	}
	res, err := c.write(ctx, op, http.MethodPost, path, messageBody(a, c.now()))
	if err != nil {
		return crm.WriteResult{}, err
	}
	return messageResult(c, res), nil
}

// messageTarget picks where a timeline message goes: the first linked
// conversation, else the first linked customer. Other links (companies,
// KObjects) have no timeline of messages and are passed over.
func messageTarget(op string, links []crm.Ref) (string, error) {
	var customer string
	for i, l := range links {
		o, err := checkRefAt(op, fmt.Sprintf("links[%d].", i), l)
		if err != nil {
			return "", err
		}
		switch {
		case o.entity == entConversation:
			return "/v1/conversations/" + l.ID + "/messages", nil
		case o.entity == entCustomer && customer == "":
			customer = l.ID
		}
	}
	if customer == "" {
		return "", crm.Refusal(op, "links", "a timeline message needs a linked customer or conversation")
	}
	return "/v1/customers/" + customer + "/messages", nil
}

// messageResult names the message and the conversation it went into.
func messageResult(c *connector, res resource) crm.WriteResult {
	out := crm.WriteResult{Records: []crm.Ref{{Entity: entMessage, ID: res.ID}}}
	if conv := res.rel("conversation"); conv != "" {
		c.remember(conv, res.rel("customer"))
		out.Records = append(out.Records, crm.Ref{Entity: entConversation, ID: conv})
	}
	return out
}

// messageBody maps an interaction to a message: channel from the media
// type, direction in/out with status received/sent, the subject, the notes
// and call details as the preview agents read, sentAt the start, and the
// details again, typed, in meta.
func messageBody(a crm.Activity, now time.Time) map[string]any {
	channel, ok := channels[strings.ToLower(a.MediaType)]
	if !ok {
		channel = "voice"
	}
	direction, status := "in", "received"
	if strings.EqualFold(a.Direction, "outbound") {
		direction, status = "out", "sent"
	}
	at := a.Start
	if at.IsZero() {
		at = a.End
	}
	if at.IsZero() {
		at = now
	}
	meta := map[string]any{}
	setIf(meta, "agentName", a.AgentName)
	setIf(meta, "disposition", a.Disposition)
	setIf(meta, "contactId", a.ContactID)
	setIf(meta, "phone", a.Phone)
	setIf(meta, "direction", strings.ToLower(a.Direction))
	if d := duration(a); d > 0 {
		meta["durationSeconds"] = int64(d / time.Second)
	}
	if !a.End.IsZero() {
		meta["endedAt"] = a.End.UTC().Format(timestampLayout)
	}
	if u, err := url.Parse(a.RecordingURL); err == nil && u.Scheme == "https" && u.Host != "" {
		meta["recordingUrl"] = a.RecordingURL
	}
	body := map[string]any{"app": messageApp, "channel": channel, "direction": direction, "status": status,
		"subject": subject(a), "preview": preview(a), "externalId": a.Key, "sentAt": at.UTC().Format(timestampLayout)}
	if len(meta) > 0 {
		body["meta"] = meta
	}
	return body
}

func setIf(m map[string]any, k, v string) {
	if v = strings.TrimSpace(v); v != "" {
		m[k] = v
	}
}

func duration(a crm.Activity) time.Duration {
	if a.Duration > 0 {
		return a.Duration
	}
	if !a.Start.IsZero() && a.End.After(a.Start) {
		return a.End.Sub(a.Start)
	}
	return 0
}

// preview is the text agents read on the timeline: the notes, then the
// agent, disposition, duration and contact id, one per line.
func preview(a crm.Activity) string {
	var lines []string
	if d := strings.TrimSpace(strings.ReplaceAll(a.Description, "\r\n", "\n")); d != "" {
		lines = append(lines, d)
	}
	for _, kv := range [][2]string{{"Agent", a.AgentName}, {"Disposition", a.Disposition}, {"Duration", durationText(duration(a))},
		{"Contact ID", a.ContactID}} {
		if kv[1] != "" {
			lines = append(lines, kv[0]+": "+kv[1])
		}
	}
	if len(lines) == 0 {
		return subject(a)
	}
	return crmtext.Truncate(strings.Join(lines, "\n"), maxPreview)
}

func durationText(d time.Duration) string {
	if d <= 0 {
		return ""
	}
	return d.Round(time.Second).String()
}

func subject(a crm.Activity) string {
	if s := strings.TrimSpace(a.Subject); s != "" {
		return s
	}
	return crmtext.CallTitle(a)
}
