package kustomer

// attr is a standard attribute and its JSON Schema type ("date-time" for
// string date-times).
type attr struct{ name, typ string }

// standardAttributes are the attributes Kustomer's create and update
// bodies take per object: the union of the request schemas of POST and
// PATCH (PUT for companies, POST /v1/conversations/{id}/notes for notes,
// POST /v1/klasses/{name} for KObjects) in Kustomer's OpenAPI "Core
// Resources" (developer.kustomer.com/kustomer-api-docs; captured in
// LarisLab/kustomer-client openapi.json). Each schema has
// "additionalProperties": false: Kustomer refuses any other attribute.
// Generated from that file; keep it in step by hand.
var standardAttributes = map[string][]attr{
	entCustomer:     {{"avatarUrl", "string"}, {"birthdayAt", "date-time"}, {"company", "string"}, {"createdAt", "date-time"}, {"custom", "object"}, {"defaultLang", "string"}, {"emails", "array"}, {"externalId", "string"}, {"externalIds", "array"}, {"facebookIds", "array"}, {"gender", "string"}, {"importedAt", "date-time"}, {"instagramIds", "array"}, {"lastActivityAt", "date-time"}, {"lastCustomerActivityAt", "date-time"}, {"lastSeenAt", "date-time"}, {"locale", "string"}, {"locations", "array"}, {"name", "string"}, {"phones", "array"}, {"rev", "number"}, {"sentiment", "object"}, {"sharedEmails", "array"}, {"sharedExternalIds", "array"}, {"sharedPhones", "array"}, {"sharedSocials", "array"}, {"signedUpAt", "date-time"}, {"socials", "array"}, {"tags", "array"}, {"timeZone", "string"}, {"urls", "array"}, {"username", "string"}, {"whatsapps", "array"}},
	entCompany:      {{"avatarUrl", "string"}, {"createdAt", "date-time"}, {"custom", "object"}, {"defaultLang", "string"}, {"deleted", "boolean"}, {"domains", "array"}, {"emails", "array"}, {"employeeCount", "number"}, {"externalId", "string"}, {"importedAt", "date-time"}, {"locations", "array"}, {"name", "string"}, {"phones", "array"}, {"rev", "number"}, {"socials", "array"}, {"tags", "array"}, {"urls", "array"}, {"whatsapps", "array"}},
	entConversation: {{"assignedTeams", "array"}, {"assignedUsers", "array"}, {"createdAt", "date-time"}, {"custom", "object"}, {"customer", "string"}, {"defaultLang", "string"}, {"deleted", "boolean"}, {"direction", "string"}, {"ended", "boolean"}, {"endedAt", "date-time"}, {"endedBy", "string"}, {"endedByType", "string"}, {"endedReason", "string"}, {"externalId", "string"}, {"id", "string"}, {"importedAt", "date-time"}, {"locked", "boolean"}, {"name", "string"}, {"priority", "integer"}, {"queue", "object"}, {"replyChannel", "string"}, {"rev", "number"}, {"satisfaction", "number"}, {"satisfactionLevel", "object"}, {"sentiment", "object"}, {"snooze", "object"}, {"status", "string"}, {"subStatus", "string"}, {"suggestedShortcuts", "array"}, {"suggestedTags", "array"}, {"tags", "array"}},
	entMessage:      {{"app", "string"}, {"attachments", "array"}, {"auto", "boolean"}, {"channel", "string"}, {"conversation", "string"}, {"createdAt", "date-time"}, {"createdBy", "string"}, {"custom", "object"}, {"customer", "string"}, {"direction", "string"}, {"error", "object"}, {"errorAt", "date-time"}, {"externalId", "string"}, {"id", "string"}, {"importedAt", "date-time"}, {"kbArticles", "array"}, {"lang", "string"}, {"location", "object"}, {"meta", "object"}, {"modifiedAt", "date-time"}, {"modifiedBy", "string"}, {"preview", "string"}, {"queue", "object"}, {"reference", "object"}, {"related", "string"}, {"sentAt", "date-time"}, {"sentiment", "object"}, {"shortcuts", "array"}, {"size", "number"}, {"source", "string"}, {"status", "string"}, {"subject", "string"}, {"updatedAt", "date-time"}},
	entNote:         {{"attachments", "array"}, {"body", "string"}, {"conversation", "string"}, {"createdAt", "date-time"}, {"createdBy", "string"}, {"deleted", "boolean"}, {"externalId", "string"}, {"id", "string"}, {"importedAt", "date-time"}, {"lang", "string"}, {"modifiedAt", "date-time"}, {"modifiedBy", "string"}, {"updatedAt", "date-time"}, {"userMentions", "array"}},
	kobjectPrefix:   {{"company", "string"}, {"createdAt", "date-time"}, {"custom", "object"}, {"customer", "string"}, {"data", "object"}, {"description", "string"}, {"externalId", "string"}, {"icon", "string"}, {"images", "array"}, {"importedAt", "date-time"}, {"tags", "array"}, {"title", "string"}},
}

// readOnlyAttributes are standard attributes Kustomer answers with but no
// body takes (response schemas of the same reference), listed by Describe.
var readOnlyAttributes = map[string][]attr{
	entCustomer:     {{"id", "string"}, {"displayName", "string"}, {"updatedAt", "date-time"}, {"modifiedAt", "date-time"}},
	entCompany:      {{"id", "string"}, {"updatedAt", "date-time"}, {"modifiedAt", "date-time"}},
	entConversation: {{"channels", "array"}, {"messageCount", "number"}, {"noteCount", "number"}, {"updatedAt", "date-time"}, {"modifiedAt", "date-time"}},
	entMessage:      {{"updatedAt", "date-time"}},
	entNote:         {},
	kobjectPrefix:   {{"id", "string"}, {"updatedAt", "date-time"}, {"rev", "number"}},
}

// attributesOf are o's standard attributes as a create or update takes them.
func attributesOf(o object) []attr {
	if o.isKObject() {
		return standardAttributes[kobjectPrefix]
	}
	return standardAttributes[o.entity]
}
