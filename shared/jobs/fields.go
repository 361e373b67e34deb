package jobs

import (
	"strings"

	"github.com/crmflow/crmflow/shared/crm"
)

// format is how a CRM field wants a value.
type format int

const (
	formatNatural  format = iota // unknown field: the source's own form
	formatText                   // a string, cut to maxLen
	formatDate                   // 2006-01-02
	formatDateTime               // RFC 3339, UTC
	formatSeconds                // a duration as whole seconds
	formatMinutes                // a duration as whole minutes, rounded up
	formatMillis                 // a duration as milliseconds
)

// fieldSpec is what crmflow knows of one CRM field.
type fieldSpec struct {
	format format
	maxLen int // 0: no known limit
}

// knownFields are the CRM fields whose format or length crmflow knows, by
// CRM, entity and field (entity and field names lower-cased). Fields not here
// get the source's natural form (text, RFC 3339, seconds) and no cut; the CRM
// then refuses what does not fit, and the job fails with its message.
var knownFields = map[crm.Type]map[string]map[string]fieldSpec{
	crm.Salesforce: {
		"task": {
			"subject": {formatText, 255}, "description": {formatText, 32000}, "callobject": {formatText, 255},
			"calldisposition": {formatText, 255}, "calldurationinseconds": {formatSeconds, 0},
			"activitydate": {formatDate, 0}, "completeddatetime": {formatDateTime, 0},
		},
		"case": {
			"subject": {formatText, 255}, "description": {formatText, 32000}, "suppliedname": {formatText, 80},
			"suppliedphone": {formatText, 40}, "suppliedemail": {formatText, 80}, "comments": {formatText, 4000},
		},
		"contact":     {"description": {formatText, 32000}},
		"account":     {"description": {formatText, 32000}},
		"lead":        {"description": {formatText, 32000}},
		"opportunity": {"description": {formatText, 32000}, "nextstep": {formatText, 255}},
	},
	crm.Dynamics: {
		"phonecall": {
			"subject": {formatText, 200}, "description": {formatText, 2000}, "phonenumber": {formatText, 200},
			"actualdurationminutes": {formatMinutes, 0}, "actualstart": {formatDateTime, 0}, "actualend": {formatDateTime, 0},
		},
		"incident": {"title": {formatText, 200}},
	},
	crm.ServiceNow: {
		"incident":    {"short_description": {formatText, 160}},
		"interaction": {"short_description": {formatText, 160}},
	},
	crm.HubSpot: {
		"calls": {
			"hs_call_title": {formatText, 255}, "hs_call_duration": {formatMillis, 0}, "hs_timestamp": {formatDateTime, 0},
		},
	},
}

// specOf looks a target field up; ok is false when crmflow knows nothing of it.
func specOf(t crm.Type, entity, field string) (fieldSpec, bool) {
	f, ok := knownFields[t][strings.ToLower(entity)][strings.ToLower(field)]
	return f, ok
}

// truncate cuts s to at most n characters (runes); n ≤ 0 keeps s.
func truncate(s string, n int) string {
	if n <= 0 || len(s) <= n {
		return s
	}
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n])
}
