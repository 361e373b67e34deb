// Package cxone is the contact-center side of a post-call job: the
// cxoneContact fields Studio sends (SPEC §3.1), validation of mappings that
// name them, and {{field}} templates rendered from them.
package cxone

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Contact is cxoneContact.
type Contact struct {
	ContactID             string            `json:"contactId"`
	InteractionID         string            `json:"interactionId"`
	MediaType             string            `json:"mediaType"`
	Direction             string            `json:"direction"`
	SkillName             string            `json:"skillName"`
	SkillID               string            `json:"skillId"`
	AgentID               string            `json:"agentId"`
	AgentName             string            `json:"agentName"`
	ANI                   string            `json:"ani"`
	DNIS                  string            `json:"dnis"`
	StartTime             *time.Time        `json:"startTime"`
	EndTime               *time.Time        `json:"endTime"`
	CallDurationInSeconds *int              `json:"callDurationInSeconds"`
	DispositionName       string            `json:"dispositionName"`
	DispositionNotes      string            `json:"dispositionNotes"`
	Tags                  []string          `json:"tags"`
	RecordingURL          string            `json:"recordingUrl"`
	Transcript            string            `json:"transcript"`
	ChannelType           string            `json:"channelType"`
	CustomerName          string            `json:"customerName"`
	ScriptVariables       map[string]string `json:"scriptVariables"`
}

// FieldKind says how a field's value converts into CRM formats.
type FieldKind int

const (
	KindString FieldKind = iota
	KindTime
	KindSeconds
	KindList
)

// Fields lists every cxoneContact field by its JSON name with its kind.
// scriptVariables.<name> addresses one script variable.
var Fields = map[string]FieldKind{
	"contactId": KindString, "interactionId": KindString, "mediaType": KindString, "direction": KindString,
	"skillName": KindString, "skillId": KindString, "agentId": KindString, "agentName": KindString,
	"ani": KindString, "dnis": KindString, "startTime": KindTime, "endTime": KindTime,
	"callDurationInSeconds": KindSeconds, "dispositionName": KindString, "dispositionNotes": KindString,
	"tags": KindList, "recordingUrl": KindString, "transcript": KindString, "channelType": KindString,
	"customerName": KindString,
}

// FieldNames returns the field names, sorted, for error messages.
func FieldNames() []string {
	out := make([]string, 0, len(Fields)+1)
	for k := range Fields {
		out = append(out, k)
	}
	out = append(out, "scriptVariables.<name>")
	sort.Strings(out)
	return out
}

// Known reports whether name (without the "cxoneContact." prefix) is a field.
func Known(name string) bool {
	if v, ok := strings.CutPrefix(name, "scriptVariables."); ok {
		return v != "" && !strings.ContainsAny(v, " {}")
	}
	_, ok := Fields[name]
	return ok
}

// Valid values of the enumerated fields.
var (
	MediaTypes = []string{"voice", "chat", "email", "sms", "social"}
	Directions = []string{"inbound", "outbound"}
)

// Validate checks enumerations and times. Field names are as in JSON.
func (c Contact) Validate() error {
	if c.MediaType != "" && !contains(MediaTypes, c.MediaType) {
		return fieldErr("mediaType", "must be one of voice, chat, email, sms, social")
	}
	if c.Direction != "" && !contains(Directions, c.Direction) {
		return fieldErr("direction", "must be inbound or outbound")
	}
	if c.CallDurationInSeconds != nil && (*c.CallDurationInSeconds < 0 || *c.CallDurationInSeconds > 7*24*3600) {
		return fieldErr("callDurationInSeconds", "must be between 0 and 604800")
	}
	if c.StartTime != nil && c.EndTime != nil && c.EndTime.Before(*c.StartTime) {
		return fieldErr("endTime", "is before startTime")
	}
	return nil
}

// FieldError names the cxoneContact field that is wrong.
type FieldError struct{ Field, Msg string }

func (e *FieldError) Error() string { return "cxoneContact." + e.Field + ": " + e.Msg }

func fieldErr(f, msg string) error { return &FieldError{Field: f, Msg: msg} }

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// Duration is the call's length: callDurationInSeconds, else end − start.
func (c Contact) Duration() time.Duration {
	if c.CallDurationInSeconds != nil {
		return time.Duration(*c.CallDurationInSeconds) * time.Second
	}
	if c.StartTime != nil && c.EndTime != nil {
		return c.EndTime.Sub(*c.StartTime)
	}
	return 0
}

// Value returns a field's value: strings as they are, times as RFC 3339 UTC,
// seconds as a number, lists joined with ", ". ok is false for unknown names.
func (c Contact) Value(name string) (v any, ok bool) {
	if sv, isVar := strings.CutPrefix(name, "scriptVariables."); isVar {
		return c.ScriptVariables[sv], Known(name)
	}
	switch name {
	case "startTime":
		return timeValue(c.StartTime), true
	case "endTime":
		return timeValue(c.EndTime), true
	case "callDurationInSeconds":
		if d := c.Duration(); d > 0 || c.CallDurationInSeconds != nil {
			return int(d / time.Second), true
		}
		return nil, true
	case "tags":
		return strings.Join(c.Tags, ", "), true
	}
	s, ok := c.strings()[name]
	return s, ok
}

// strings maps the plain string fields by JSON name.
func (c Contact) strings() map[string]string {
	return map[string]string{
		"contactId": c.ContactID, "interactionId": c.InteractionID, "mediaType": c.MediaType, "direction": c.Direction,
		"skillName": c.SkillName, "skillId": c.SkillID, "agentId": c.AgentID, "agentName": c.AgentName,
		"ani": c.ANI, "dnis": c.DNIS, "dispositionName": c.DispositionName, "dispositionNotes": c.DispositionNotes,
		"recordingUrl": c.RecordingURL, "transcript": c.Transcript, "channelType": c.ChannelType, "customerName": c.CustomerName,
	}
}

func timeValue(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.UTC().Format(time.RFC3339)
}

// Text is a field's value as template text.
func (c Contact) Text(name string) string {
	v, _ := c.Value(name)
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case int:
		return strconv.Itoa(x)
	}
	return fmt.Sprint(v)
}
