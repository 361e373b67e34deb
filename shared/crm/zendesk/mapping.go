package zendesk

import (
	"fmt"
	"slices"
	"strings"

	"github.com/crmflow/crmflow/shared/crm"
)

// readOnlyEverywhere are attributes every Zendesk record answers and no
// write sets (the JSON formats of Users, Tickets, Organizations and Custom
// Object Records mark them read-only).
var readOnlyEverywhere = []string{"id", "url", "created_at", "updated_at"}

// readOnly are the standard read-only attributes of each resource, as the
// Support API reference's JSON format tables mark them: a ticket's
// description is its first comment (set through comment.body); a user's active, last login and sharing flags are
// Zendesk's; a custom object record's key and authors are stamped by it.
var readOnly = map[string][]string{
	entTicket: {"description", "satisfaction_rating", "has_incidents", "is_public", "followup_ids",
		"from_messaging_channel", "generated_timestamp", "allow_channelback", "allow_attachments"},
	entUser: {"active", "last_login_at", "shared", "shared_agent", "two_factor_auth_enabled", "role_type", "chat_only",
		"iana_time_zone", "permanently_deleted"},
	entOrganization: {},
}

// customRecordReadOnly are the read-only attributes of a custom object record.
var customRecordReadOnly = []string{"custom_object_key", "created_by_user_id", "updated_by_user_id"}

// nestedRoots are the objects a dotted target may write into, per
// resource: a ticket's first or new comment and its custom fields by id, a
// user's or organization's custom fields by key.
var nestedRoots = map[string][]string{
	entTicket:       {"comment", "custom_fields", "voice_comment"},
	entUser:         {"user_fields"},
	entOrganization: {"organization_fields"},
}

// mappingCheck refuses, when a mapping is saved, what no Zendesk account
// can take: an entity that is no Zendesk object, a mode other than create
// or update, a target that is no attribute path, a read-only attribute, a
// dotted path into anything but the resource's writable objects
// (comment.body, custom_fields.{id}, user_fields.{key},
// organization_fields.{key}, custom_object_fields.{key}); external_id in
// create mode (it holds the write key); and for a search, a custom object
// (not in the Search API) or a field with no search keyword. Custom field keys pass: only the account knows them, and a
// configuration test checks them against its field lists.
func mappingCheck(m crm.MappingCheck) error {
	const op = "zendesk: check mapping"
	res, err := checkEntity(op, m.Entity)
	if err != nil {
		return err
	}
	switch m.Kind {
	case crm.MappingSearch:
		if res.custom() {
			return crm.Refusal(op, "entity", "%s: custom object records are not in Zendesk's Search API (search users, tickets or organizations)", res.entity)
		}
		for i, f := range m.SearchFields {
			if !validPath(f) || keyword(res.entity, f) == "" {
				return crm.Refusal(op, fmt.Sprintf("searchFields[%d]", i), "%s is no searchable Zendesk attribute of %s (phone, email, name, user_fields.{key})", crm.QuoteName(f), res.entity)
			}
		}
		for i, f := range m.DisplayFields {
			if !validPath(f) {
				return crm.Refusal(op, fmt.Sprintf("displayFields[%d].name", i), "%s is not a Zendesk attribute path (name, user_fields.job_title)", crm.QuoteName(f))
			}
		}
		return nil
	case crm.MappingMemorialization:
		switch m.Mode {
		case "", crm.ModeCreate, crm.ModeUpdate:
		default:
			return crm.Refusal(op, "mode", "mode must be create or update, not %s", crm.QuoteName(string(m.Mode)))
		}
		for i, target := range m.Targets {
			if msg := targetProblem(res, target); msg != "" {
				return crm.Refusal(op, fmt.Sprintf("fields[%d].target", i), "%s", msg)
			}
			// A created record's external_id holds the job's write key,
			// the only key Zendesk reads back consistently (issue 13):
			// a mapped value there would leave a retry nothing to find.
			if target == "external_id" && m.Mode != crm.ModeUpdate {
				return crm.Refusal(op, fmt.Sprintf("fields[%d].target", i),
					"external_id of a created %s holds crmflow's write key, by which a retry finds an earlier write; map the value to another field", res.entity)
			}
		}
		return nil
	}
	return crm.Refusal(op, "kind", "unknown mapping kind %s", crm.QuoteName(string(m.Kind)))
}

// targetProblem says why target can never be written into res, "" when it may be.
func targetProblem(res resource, target string) string {
	if !validPath(target) {
		return fmt.Sprintf("%s is not a Zendesk attribute path (subject, comment.body, user_fields.job_title)", crm.QuoteName(target))
	}
	root, rest, nested := strings.Cut(target, ".")
	ro := readOnlyEverywhere
	if res.custom() {
		ro = append(slices.Clone(ro), customRecordReadOnly...)
	} else {
		ro = append(slices.Clone(ro), readOnly[res.entity]...)
	}
	if slices.Contains(ro, root) {
		return fmt.Sprintf("%s is read-only on %s", crm.QuoteName(target), res.entity)
	}
	if !nested {
		return ""
	}
	if res.custom() {
		if root == "custom_object_fields" && !strings.Contains(rest, ".") {
			return ""
		}
		return fmt.Sprintf("%s: a custom object record's fields are custom_object_fields.{key} (or the bare key)", crm.QuoteName(target))
	}
	if !slices.Contains(nestedRoots[res.entity], root) {
		return fmt.Sprintf("%s: %s has no object %s to write into (use %s)", crm.QuoteName(target), res.entity,
			crm.QuoteName(root), strings.Join(nestedRoots[res.entity], ".…, ")+".…")
	}
	if root == "custom_fields" && !idRe.MatchString(rest) {
		return fmt.Sprintf("%s: ticket custom fields are named by their numeric id (custom_fields.360001)", crm.QuoteName(target))
	}
	if (root == "user_fields" || root == "organization_fields") && strings.Contains(rest, ".") {
		return fmt.Sprintf("%s: %s holds values by field key, one level deep", crm.QuoteName(target), root)
	}
	return ""
}
