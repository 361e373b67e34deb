package kustomer

import (
	"encoding/json"
	"regexp"
	"slices"
	"strings"
	"time"
)

// kind is the JSON shape an attribute takes.
type kind int

const (
	kString  kind = iota // string or null
	kNumber              // number or null
	kBool                // boolean or null
	kTime                // ISO 8601 date-time string or null
	kStrings             // array of strings
	kEmails              // [{"email","type","verified"}]
	kPhones              // [{"phone","type","verified"}]
	kAny                 // any JSON value
	kCustom              // custom attributes object (suffix-typed)
	kRef                 // id of a related resource (customer, conversation, company)
)

type attrSpec struct {
	kind     kind
	enum     []string
	required bool
}

// Channels are the message channels Kustomer documents.
var Channels = []string{"email", "sms", "chat", "facebook", "twitter-dm", "twitter-tweet", "voice", "instagram", "whatsapp"}

// schemas are the attributes each resource type's create and update
// bodies take: the union of the POST and PATCH (PUT for companies, POST
// /v1/conversations/{id}/notes for notes, POST /v1/klasses/{name} for
// KObjects) request schemas of Kustomer's OpenAPI "Core Resources"
// (LarisLab/kustomer-client openapi.json), each "additionalProperties":
// false. Others are refused with a 400.
var schemas = map[string]map[string]attrSpec{
	typeCustomer: {
		"name": {kind: kString}, "company": {kind: kRef}, "externalId": {kind: kString}, "username": {kind: kString},
		"signedUpAt": {kind: kTime}, "lastActivityAt": {kind: kTime}, "lastCustomerActivityAt": {kind: kTime},
		"lastSeenAt": {kind: kTime}, "avatarUrl": {kind: kString}, "externalIds": {kind: kAny},
		"sharedExternalIds": {kind: kAny}, "emails": {kind: kEmails}, "sharedEmails": {kind: kEmails},
		"phones": {kind: kPhones}, "sharedPhones": {kind: kPhones}, "whatsapps": {kind: kAny}, "facebookIds": {kind: kAny},
		"instagramIds": {kind: kAny}, "socials": {kind: kAny}, "sharedSocials": {kind: kAny}, "urls": {kind: kAny},
		"locations": {kind: kAny}, "locale": {kind: kString}, "timeZone": {kind: kString}, "tags": {kind: kStrings},
		"birthdayAt": {kind: kTime}, "gender": {kind: kString, enum: []string{"m", "f"}}, "defaultLang": {kind: kString},
		"custom": {kind: kCustom}, "importedAt": {kind: kTime}, "createdAt": {kind: kTime}, "rev": {kind: kNumber},
		"sentiment": {kind: kAny},
	},
	typeCompany: {
		"name": {kind: kString}, "externalId": {kind: kString}, "domains": {kind: kStrings}, "emails": {kind: kEmails},
		"phones": {kind: kPhones}, "urls": {kind: kAny}, "locations": {kind: kAny}, "tags": {kind: kStrings},
		"custom": {kind: kCustom}, "defaultLang": {kind: kString}, "importedAt": {kind: kTime}, "avatarUrl": {kind: kString},
		"createdAt": {kind: kTime}, "deleted": {kind: kBool}, "employeeCount": {kind: kNumber}, "rev": {kind: kNumber},
		"socials": {kind: kAny}, "whatsapps": {kind: kAny},
	},
	typeConversation: {
		"customer": {kind: kRef, required: true}, "name": {kind: kString},
		"status": {kind: kString, enum: []string{"open", "done", "snoozed"}}, "subStatus": {kind: kString},
		"priority": {kind: kNumber}, "direction": {kind: kString, enum: []string{"in", "out"}}, "tags": {kind: kStrings},
		"assignedUsers": {kind: kStrings}, "assignedTeams": {kind: kStrings}, "externalId": {kind: kString},
		"custom": {kind: kCustom}, "queue": {kind: kAny}, "snooze": {kind: kAny}, "defaultLang": {kind: kString},
		"ended": {kind: kBool}, "endedAt": {kind: kTime}, "endedBy": {kind: kString}, "endedByType": {kind: kString},
		"endedReason": {kind: kString}, "importedAt": {kind: kTime}, "createdAt": {kind: kTime}, "deleted": {kind: kBool},
		"locked": {kind: kBool}, "replyChannel": {kind: kString}, "rev": {kind: kNumber}, "satisfaction": {kind: kNumber},
		"satisfactionLevel": {kind: kAny}, "sentiment": {kind: kAny}, "suggestedShortcuts": {kind: kAny},
		"suggestedTags": {kind: kAny},
	},
	typeMessage: {
		"app": {kind: kString, required: true}, "channel": {kind: kString, enum: Channels, required: true},
		"direction": {kind: kString, enum: []string{"in", "out"}, required: true},
		"status":    {kind: kString, enum: []string{"sent", "received", "error"}}, "preview": {kind: kString},
		"subject": {kind: kString}, "externalId": {kind: kString}, "sentAt": {kind: kTime}, "meta": {kind: kAny},
		"conversation": {kind: kRef}, "customer": {kind: kRef}, "custom": {kind: kCustom}, "auto": {kind: kBool},
		"lang": {kind: kString}, "importedAt": {kind: kTime}, "createdAt": {kind: kTime}, "attachments": {kind: kAny},
		"createdBy": {kind: kString}, "modifiedAt": {kind: kTime}, "modifiedBy": {kind: kString}, "error": {kind: kAny},
		"errorAt": {kind: kTime}, "kbArticles": {kind: kAny}, "location": {kind: kAny}, "queue": {kind: kAny},
		"reference": {kind: kAny}, "related": {kind: kAny}, "sentiment": {kind: kAny}, "shortcuts": {kind: kAny},
		"size": {kind: kNumber}, "source": {kind: kAny},
	},
	typeNote: {
		"body": {kind: kString, required: true}, "conversation": {kind: kRef}, "userMentions": {kind: kAny},
		"externalId": {kind: kString}, "importedAt": {kind: kTime}, "attachments": {kind: kAny}, "lang": {kind: kString},
		"createdAt": {kind: kTime}, "createdBy": {kind: kString}, "modifiedAt": {kind: kTime}, "modifiedBy": {kind: kString},
		"deleted": {kind: kBool},
	},
	typeKObject: {
		"title": {kind: kString, required: true}, "description": {kind: kString}, "externalId": {kind: kString},
		"icon": {kind: kString}, "images": {kind: kAny}, "custom": {kind: kCustom}, "customer": {kind: kRef},
		"company": {kind: kRef}, "tags": {kind: kStrings}, "importedAt": {kind: kTime}, "createdAt": {kind: kTime},
		"data": {kind: kAny},
	},
}

// customKey is a custom attribute name: camelCase ending in the suffix that
// gives its type.
var customKey = regexp.MustCompile(`^[a-z][A-Za-z0-9]*(Num|At|Str|Txt|Bool|Url)$`)

// maxNoteBody and maxCustomText are Kustomer's documented length limits.
const (
	maxNoteBody   = 10240
	maxCustomText = 1024
)

// validate checks a body's attributes against typ's schema. create says
// whether required attributes must be present; fixed names attributes that
// the path already sets (they may not be given in the body).
func validate(typ string, body map[string]any, create bool, fixed ...string) *apiError {
	spec := schemas[typ]
	for _, k := range sortedKeys(body) {
		a, ok := spec[k]
		if !ok || slices.Contains(fixed, k) {
			return badRequest("/data/attributes/"+k, "%q is not an allowed attribute of %s", k, typ)
		}
		if err := checkValue(typ, k, a, body[k]); err != nil {
			return err
		}
	}
	if create {
		for _, k := range sortedKeys(spec) {
			if spec[k].required && !slices.Contains(fixed, k) {
				if v, ok := body[k]; !ok || v == nil || v == "" {
					return badRequest("/data/attributes/"+k, "%q is required", k)
				}
			}
		}
	}
	if typ == typeNote {
		if b, _ := body["body"].(string); len([]rune(b)) > maxNoteBody {
			return badRequest("/data/attributes/body", "body must be at most %d characters", maxNoteBody)
		}
	}
	return nil
}

func checkValue(typ, k string, a attrSpec, v any) *apiError {
	ptr := "/data/attributes/" + k
	if v == nil {
		if a.required {
			return badRequest(ptr, "%q is required", k)
		}
		return nil
	}
	bad := func(want string) *apiError { return badRequest(ptr, "%q must be %s", k, want) }
	switch a.kind {
	case kString, kRef:
		s, ok := v.(string)
		if !ok {
			return bad("a string")
		}
		if len(a.enum) > 0 && !slices.Contains(a.enum, s) {
			return bad("one of " + strings.Join(a.enum, ", "))
		}
		if a.kind == kRef && !idShape.MatchString(s) {
			return bad("a Kustomer id")
		}
	case kNumber:
		n, ok := v.(json.Number)
		if !ok {
			return bad("a number")
		}
		if k == "priority" {
			if p, err := n.Int64(); err != nil || p < 1 || p > 5 {
				return bad("an integer from 1 to 5")
			}
		}
	case kBool:
		if _, ok := v.(bool); !ok {
			return bad("a boolean")
		}
	case kTime:
		s, ok := v.(string)
		if !ok || !validTime(s) {
			return bad("an ISO 8601 date-time")
		}
	case kStrings:
		list, ok := v.([]any)
		if !ok {
			return bad("an array of strings")
		}
		for _, e := range list {
			if _, ok := e.(string); !ok {
				return bad("an array of strings")
			}
		}
	case kEmails, kPhones:
		key := "email"
		if a.kind == kPhones {
			key = "phone"
		}
		list, ok := v.([]any)
		if !ok {
			return bad(`an array of {"` + key + `": …} objects`)
		}
		for _, e := range list {
			m, ok := e.(map[string]any)
			if !ok {
				return bad(`an array of {"` + key + `": …} objects`)
			}
			if s, ok := m[key].(string); !ok || strings.TrimSpace(s) == "" {
				return bad(`an array of {"` + key + `": …} objects`)
			}
			for ek := range m {
				if ek != key && ek != "type" && ek != "verified" {
					return badRequest(ptr, "%q entries may only have %s, type and verified", k, key)
				}
			}
		}
	case kCustom:
		m, ok := v.(map[string]any)
		if !ok {
			return bad("an object")
		}
		for _, ck := range sortedKeys(m) {
			if err := checkCustom(ck, m[ck]); err != nil {
				return err
			}
		}
	}
	return nil
}

// checkCustom enforces the custom attribute naming convention: the suffix
// gives the type (Num number, At date-time, Str and Txt strings of at most
// 1024 characters, Bool boolean, Url URI), and null clears.
func checkCustom(k string, v any) *apiError {
	ptr := "/data/attributes/custom/" + k
	m := customKey.FindStringSubmatch(k)
	if m == nil {
		return badRequest(ptr, "custom attribute %q must be camelCase and end in Num, At, Str, Txt, Bool or Url", k)
	}
	if v == nil {
		return nil
	}
	switch m[1] {
	case "Num":
		if _, ok := v.(json.Number); !ok {
			return badRequest(ptr, "custom attribute %q must be a number", k)
		}
	case "Bool":
		if _, ok := v.(bool); !ok {
			return badRequest(ptr, "custom attribute %q must be a boolean", k)
		}
	case "At":
		if s, ok := v.(string); !ok || !validTime(s) {
			return badRequest(ptr, "custom attribute %q must be an ISO 8601 date-time", k)
		}
	default:
		s, ok := v.(string)
		if !ok {
			return badRequest(ptr, "custom attribute %q must be a string", k)
		}
		if len([]rune(s)) > maxCustomText {
			return badRequest(ptr, "custom attribute %q must be at most %d characters", k, maxCustomText)
		}
		if m[1] == "Url" && !strings.HasPrefix(s, "https://") && !strings.HasPrefix(s, "http://") {
			return badRequest(ptr, "custom attribute %q must be a URI", k)
		}
	}
	return nil
}

func validTime(s string) bool {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02"} {
		if _, err := time.Parse(layout, s); err == nil {
			return true
		}
	}
	return false
}

// idShape is a Kustomer id: 24 hex digits.
var idShape = regexp.MustCompile(`^[0-9a-f]{24}$`)

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
