package dynamics

import (
	"context"
	"math"
	"net/http"
	"strings"
	"time"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmhttp"
	"github.com/crmflow/crmflow/shared/crm/crmtext"
)

// Phone call column limits (Dataverse table reference).
const (
	maxSubject     = 200
	maxDescription = 2000
	maxPhoneNumber = 200
)

// Phone call states: statecode 1 Completed with statuscode 2 Made
// (outgoing) or 4 Received (incoming).
const (
	stateCompleted = 1
	statusMade     = 2
	statusReceived = 4
)

// AddActivity writes an interaction as a completed phone call with a
// key-derived activityid, regarding the linked case or person and with the
// linked people and the application user as its parties. Dataverse cannot
// create a closed activity (statecode is not valid for create), so the call
// is created open and then completed, both in one $batch change set: one
// HTTP request, and atomic, so that a failure leaves no open call behind.
// When the create is refused as a duplicate, an earlier attempt wrote the
// call (the change set rolled back otherwise); it is completed if it is
// still open, as a call written before change sets were used can be.
func (c *connector) AddActivity(ctx context.Context, a crm.Activity) (crm.WriteResult, error) {
	const op = "dynamics: add activity"
	if err := checkKey(op, a.Key); err != nil {
		return crm.WriteResult{}, err
	}
	links, err := resolveLinks(op, a.Links)
	if err != nil {
		return crm.WriteResult{}, err
	}
	a.Links = links
	user, err := c.whoAmI(ctx)
	if err != nil {
		return crm.WriteResult{}, err
	}
	ref := crm.Ref{Entity: "phonecall", ID: writeID(crm.WriteActivity, "phonecall", a.Key)}
	status := statusMade
	if inbound(a) {
		status = statusReceived
	}
	complete := map[string]any{"statecode": stateCompleted, "statuscode": status}
	replies, err := c.changeset(ctx, op, ref.ID, []batchOp{
		{method: http.MethodPost, target: entitySet(ref.Entity), body: phonecallBody(a, ref.ID, user)},
		{method: http.MethodPatch, target: "$1", body: complete, mustExist: true},
	})
	if crm.CodeOf(err) == crm.AlreadyExists {
		res := crm.WriteResult{Records: []crm.Ref{ref}}
		open, err := c.isOpen(ctx, op, ref)
		if err != nil || !open {
			return res, err
		}
		if _, err := c.api.Do(ctx, crmhttp.Call{Op: op, Method: http.MethodPatch, Path: recordPath(ref), Body: complete,
			Header: callHeader{mustExist: true}.set}, nil); err != nil {
			return crm.WriteResult{}, err
		}
		return res, nil
	}
	if err != nil {
		return crm.WriteResult{}, err
	}
	m := entityID.FindStringSubmatch(replies[0].header.Get("OData-EntityId"))
	if m == nil {
		return crm.WriteResult{}, &crm.Error{Code: crm.Internal, Op: op, Status: replies[0].status,
			Message: "Dataverse answered the phone call create without an OData-EntityId"}
	}
	return crm.WriteResult{Records: []crm.Ref{{Entity: ref.Entity, ID: strings.ToLower(m[1])}}}, nil
}

func inbound(a crm.Activity) bool { return strings.EqualFold(a.Direction, "inbound") }

// phonecallBody is the phone call create: subject, notes, number, direction
// (directioncode false is incoming), times, regarding and parties.
func phonecallBody(a crm.Activity, id, user string) map[string]any {
	body := map[string]any{"activityid": id, "subject": crmtext.Cut(activitySubject(a), maxSubject)}
	if d := activityDescription(a); d != "" {
		body["description"] = crmtext.Cut(d, maxDescription)
	}
	if a.Phone != "" {
		body["phonenumber"] = crmtext.Cut(a.Phone, maxPhoneNumber)
	}
	switch strings.ToLower(a.Direction) {
	case "inbound":
		body["directioncode"] = false
	case "outbound":
		body["directioncode"] = true
	}
	if mins := callMinutes(a); mins > 0 {
		body["actualdurationminutes"] = mins
	}
	if !a.Start.IsZero() {
		body["actualstart"] = a.Start.UTC().Format(time.RFC3339)
		end := a.End
		if end.IsZero() && a.Duration > 0 {
			end = a.Start.Add(a.Duration)
		}
		if end.After(a.Start) {
			body["actualend"] = end.UTC().Format(time.RFC3339)
		}
	}
	if l, ok := regardingLink(a.Links); ok {
		body["regardingobjectid_"+l.Entity+"_phonecall@odata.bind"] = bindValue(l)
	}
	if parties := activityParties(a, user); len(parties) > 0 {
		body["phonecall_activity_parties"] = parties
	}
	return body
}

// activityParties puts the linked people on the caller's side of the call
// (From when inbound, To when outbound) and the application user on the other.
func activityParties(a crm.Activity, user string) []map[string]any {
	const from, to = 1, 2
	caller, agent := to, from
	if inbound(a) {
		caller, agent = from, to
	}
	var out []map[string]any
	seen := map[crm.Ref]bool{}
	for _, l := range a.Links {
		if !personTables[l.Entity] || seen[l] {
			continue
		}
		seen[l] = true
		out = append(out, map[string]any{"partyid_" + l.Entity + "@odata.bind": bindValue(l), "participationtypemask": caller})
	}
	if user != "" {
		out = append(out, map[string]any{"partyid_systemuser@odata.bind": bindValue(crm.Ref{Entity: "systemuser", ID: user}),
			"participationtypemask": agent})
	}
	return out
}

func activitySubject(a crm.Activity) string {
	if strings.TrimSpace(a.Subject) != "" {
		return a.Subject
	}
	return crmtext.CallTitle(a)
}

// activityDescription keeps the notes and adds what a phone call has no column for.
func activityDescription(a crm.Activity) string {
	var lines []string
	if a.Description != "" {
		lines = append(lines, a.Description)
	}
	for _, kv := range [][2]string{{"Agent", a.AgentName}, {"Disposition", a.Disposition}, {"Channel", a.MediaType},
		{"Contact ID", a.ContactID}, {"Recording", a.RecordingURL}} {
		if kv[1] != "" {
			lines = append(lines, kv[0]+": "+kv[1])
		}
	}
	return strings.Join(lines, "\n")
}

// callMinutes rounds up: a 40-second call shows as one minute, not zero.
func callMinutes(a crm.Activity) int {
	d := a.Duration
	if d <= 0 && !a.Start.IsZero() && a.End.After(a.Start) {
		d = a.End.Sub(a.Start)
	}
	return int(math.Ceil(d.Minutes()))
}

// isOpen reads whether a phone call is still open (statecode 0).
func (c *connector) isOpen(ctx context.Context, op string, ref crm.Ref) (bool, error) {
	var row struct {
		StateCode int `json:"statecode"`
	}
	if _, err := c.api.Do(ctx, crmhttp.Call{Op: op, Method: http.MethodGet, Path: recordPath(ref),
		Query: queryOptions{selects: []string{"statecode"}}.encode()}, &row); err != nil {
		return false, err
	}
	return row.StateCode == 0, nil
}

// whoAmI returns the application user's id, asked once per connector.
func (c *connector) whoAmI(ctx context.Context) (string, error) {
	const op = "dynamics: who am I"
	c.userMu.Lock()
	id := c.userID
	c.userMu.Unlock()
	if id != "" {
		return id, nil
	}
	var who struct {
		UserID string `json:"UserId"`
	}
	if _, err := c.api.Do(ctx, crmhttp.Call{Op: op, Method: http.MethodGet, Path: "WhoAmI"}, &who); err != nil {
		return "", err
	}
	if !guidShape.MatchString(who.UserID) {
		return "", &crm.Error{Code: crm.Internal, Op: op, Message: "WhoAmI answered without a user id"}
	}
	c.userMu.Lock()
	c.userID = strings.ToLower(who.UserID)
	c.userMu.Unlock()
	return strings.ToLower(who.UserID), nil
}
