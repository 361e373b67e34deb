package salesforce

import (
	"context"
	"fmt"
	"maps"
	"math"
	"strings"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmtext"
)

// Task field limits (Salesforce object reference).
const (
	maxSubject     = 255
	maxCallObject  = 255
	maxDisposition = 255
	maxDescription = 32000
)

// AddActivity writes an interaction as a completed Task. CallObject holds the
// write key, so FindWrite can find the Task if the answer to this call is lost.
func (c *connector) AddActivity(ctx context.Context, a crm.Activity) (crm.WriteResult, error) {
	const op = "salesforce: add activity"
	if err := checkKey(op, a.Key); err != nil {
		return crm.WriteResult{}, err
	}
	task := map[string]any{
		"Subject":     crmtext.Cut(activitySubject(a), maxSubject),
		"Status":      "Completed",
		"TaskSubtype": taskSubtype(a.MediaType),
		"CallObject":  a.Key,
	}
	if d := activityDescription(a); d != "" {
		task["Description"] = crmtext.Cut(d, maxDescription)
	}
	if task["TaskSubtype"] == "Call" {
		switch strings.ToLower(a.Direction) {
		case "inbound":
			task["CallType"] = "Inbound"
		case "outbound":
			task["CallType"] = "Outbound"
		}
		if secs := callSeconds(a); secs > 0 {
			task["CallDurationInSeconds"] = secs
		}
	}
	if a.Disposition != "" {
		task["CallDisposition"] = crmtext.Cut(a.Disposition, maxDisposition)
	}
	if !a.Start.IsZero() {
		task["ActivityDate"] = a.Start.UTC().Format("2006-01-02")
	}
	links, err := resolveLinks(op, a.Links)
	if err != nil {
		return crm.WriteResult{}, err
	}
	setWhoWhat(task, links)
	id, err := c.insert(ctx, op, "Task", task)
	if err != nil {
		return crm.WriteResult{}, err
	}
	return crm.WriteResult{Records: []crm.Ref{{Entity: "Task", ID: id}}}, nil
}

func checkKey(op, key string) error {
	if key == "" || len(key) > maxCallObject {
		return crm.Refusal(op, "key", "write key must be 1 to 255 bytes (it is stored in Task.CallObject or %s, Text(255))", keyFieldCustom)
	}
	return nil
}

// taskSubtype picks the Task subtype Salesforce shows the right icon for;
// only calls get the call fields.
func taskSubtype(media string) string {
	switch strings.ToLower(media) {
	case "", "voice":
		return "Call"
	case "email":
		return "Email"
	}
	return "Task"
}

func activitySubject(a crm.Activity) string {
	if strings.TrimSpace(a.Subject) != "" {
		return a.Subject
	}
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

// activityDescription keeps the notes and adds what a Task has no field for.
func activityDescription(a crm.Activity) string {
	lines := []string{}
	if a.Description != "" {
		lines = append(lines, a.Description)
	}
	for _, kv := range [][2]string{{"Agent", a.AgentName}, {"Phone", a.Phone}, {"Recording", a.RecordingURL}} {
		if kv[1] != "" {
			lines = append(lines, kv[0]+": "+kv[1])
		}
	}
	return strings.Join(lines, "\n")
}

func callSeconds(a crm.Activity) int {
	d := a.Duration
	if d <= 0 && a.End.After(a.Start) && !a.Start.IsZero() {
		d = a.End.Sub(a.Start)
	}
	return int(math.Round(d.Seconds()))
}

// resolveLinks checks linked records ("links[i].entity", "links[i].id")
// and spells their entities canonically.
func resolveLinks(op string, links []crm.Ref) ([]crm.Ref, error) {
	out := make([]crm.Ref, len(links))
	for i, l := range links {
		r, err := resolveRef(op, fmt.Sprintf("links[%d]", i), l)
		if err != nil {
			return nil, err
		}
		out[i] = r
	}
	return out, nil
}

// setWhoWhat relates a Task to the (resolved) linked records: WhoId is the
// first Contact or Lead, WhatId the first other record. Fields the caller
// set are kept.
func setWhoWhat(task map[string]any, links []crm.Ref) {
	for _, l := range links {
		field := "WhatId"
		if l.Entity == "Contact" || l.Entity == "Lead" {
			field = "WhoId"
		}
		if !hasFieldFold(task, field) {
			task[field] = l.ID
		}
	}
}

func hasFieldFold(m map[string]any, name string) bool {
	for k := range m {
		if strings.EqualFold(k, name) {
			return true
		}
	}
	return false
}

// parentFields relate a new record to a linked one: which lookup field of
// the created entity points to the linked entity.
var parentFields = map[string]map[string]string{
	"Case":        {"Contact": "ContactId", "Account": "AccountId"},
	"Contact":     {"Account": "AccountId"},
	"Opportunity": {"Account": "AccountId"},
	"WorkOrder":   {"Contact": "ContactId", "Account": "AccountId", "Case": "CaseId"},
}

// WriteRecord writes a data memorialization. Create mode makes one record of
// m.Entity related to the links, with the write key in its key field
// (keyField: a Task's CallObject, crmflow_key__c elsewhere; a Task also gets
// WhoId and WhatId); update mode patches every linked record of m.Entity.
func (c *connector) WriteRecord(ctx context.Context, m crm.Memorialization) (crm.WriteResult, error) {
	const op = "salesforce: write record"
	entity, err := resolveEntity(op, m.Entity)
	if err != nil {
		return crm.WriteResult{}, err
	}
	switch m.Mode {
	case crm.ModeCreate, "", crm.ModeUpdate:
	default:
		return crm.WriteResult{}, crm.Refusal(op, "mode", "mode must be create or update, not %s", crm.QuoteName(string(m.Mode)))
	}
	if msg := writeProblem(entity, m.Mode); msg != "" {
		return crm.WriteResult{}, crm.Refusal(op, "entity", "%s", msg)
	}
	if err := checkFieldMap(op, m.Fields); err != nil {
		return crm.WriteResult{}, err
	}
	links, err := resolveLinks(op, m.Links)
	if err != nil {
		return crm.WriteResult{}, err
	}
	m.Entity, m.Links = entity, links
	if m.Mode != crm.ModeUpdate {
		return c.createMemorialization(ctx, op+" "+m.Entity, m)
	}
	var res crm.WriteResult
	for _, l := range m.Links {
		if !strings.EqualFold(l.Entity, m.Entity) {
			continue
		}
		if err := c.Update(ctx, l, m.Fields); err != nil {
			return res, err
		}
		res.Records = append(res.Records, l)
	}
	if len(res.Records) == 0 {
		return res, crm.Refusal(op, "links", "no linked %s record to update", m.Entity)
	}
	return res, nil
}

func (c *connector) createMemorialization(ctx context.Context, op string, m crm.Memorialization) (crm.WriteResult, error) {
	body := maps.Clone(m.Fields)
	if body == nil {
		body = map[string]any{}
	}
	entity := m.Entity
	kf := keyField(entity)
	if kf != "" {
		// The key goes in whatever the mapping says: a mapping cannot target
		// the key field (MappingCheck), and FindWrite reads it.
		if err := checkKey(op, m.Key); err != nil {
			return crm.WriteResult{}, err
		}
		for k := range body {
			if strings.EqualFold(k, kf) {
				delete(body, k)
			}
		}
		body[kf] = m.Key
	}
	if entity == "Task" {
		setWhoWhat(body, m.Links)
	} else {
		for _, l := range m.Links {
			if f := parentFields[entity][l.Entity]; f != "" && !hasFieldFold(body, f) {
				body[f] = l.ID
			}
		}
	}
	id, err := c.insert(ctx, op, m.Entity, body)
	if err != nil {
		return crm.WriteResult{}, keySetupError(op, entity, kf, err)
	}
	return crm.WriteResult{Records: []crm.Ref{{Entity: m.Entity, ID: id}}}, nil
}
