// Package kustomer is the crm.Connector for Kustomer's REST API (/v1) on
// https://api.kustomerapp.com, the regional pods (api.prod2… EU, api.prod4…
// India) and the per-organization hosts {org}.api.kustomerapp.com.
//
// # Auth
//
// A static API key (auth.type bearer_token, credentials.token): the JWT
// Kustomer issues for a machine user in Settings → Security → API Keys,
// sent as Authorization: Bearer. There is no token endpoint, so a 401 is
// Unauthenticated at once, not retried. A key of another pod is refused by
// Kustomer with a 401 whose message names both pods; it is passed on.
//
// # Names
//
// Entities are customer, company, conversation, message, note and
// kobject.{klassName} for KObjects (custom objects). Fields are attribute
// names as Kustomer's API spells them (name, emails, status, externalId),
// with dotted paths into objects (custom.tierStr), the relationship names
// customer, conversation and company (their ids), id, and for customers
// and companies two shorthands: email and phone read the first entry of
// emails and phones, and on create or update write a one-entry list.
// Record ids are Kustomer's 24-hex-digit ids, checked before they go into a
// path; lookup values are path-escaped.
//
// # Query safety
//
// Searches are JSON bodies (POST /v1/customers/search): every value is a
// JSON string, number or boolean inside {"attribute": {"operator": value}},
// so JSON encoding alone keeps it one value; nothing needs escaping.
// Attribute names come from a fixed table, custom.{name} (checked against
// ^[a-z][A-Za-z0-9]*$) or a raw search attribute checked against
// ^(customer|conversation|…)_[A-Za-z0-9_]+$.
//
// # Portable filter
//
// all and any become nested {"and": […]} and {"or": […]} criteria; eq ne
// contains gt gte lt lte map to equals, not_equals, contains, gt, gte, lt,
// lte; in becomes an or of equals; startsWith is refused (Kustomer search
// has no prefix operator). Fields map to search attributes per query
// context: for customers name→customer_name, email→customer_email,
// phone→customer_phone, externalId, tags, locale, createdAt, updatedAt…;
// for conversations name, status, priority, tags, direction, channels,
// customer→conversation_customer_id…; custom.{name} →
// {context}_custom_{name}. Custom searches list customers or conversations.
//
// # Searches
//
// Phone: equals on customer_phone for each form of the number that fits
// the pattern Kustomer's search schema gives it (^\+?[1-9]\d{1,14}$: E.164,
// country code and number, national number), OR-ed. Email: equals on
// customer_email. Results come most recently updated first
// (customer_updated_at desc), in pages of up to 100 (?page=&pageSize=),
// following links.next (a relative /v1/customers/search link; anything else
// ends the paging) until the limit. Kustomer's search reaches 100 pages.
//
// RelatedOpen lists the customer's conversations (GET
// /v1/customers/{id}/conversations, paged) that are not done — open or
// snoozed — most recently updated first.
//
// # Writes and FindWrite
//
// Create is POST to the collection (/v1/customers, /v1/conversations,
// /v1/klasses/{name}…), answered 201 {"data": resource}. Update is PATCH
// (Kustomer's partial update) for standard objects; KObjects, which
// Kustomer updates with PUT only, are read first and put back whole with
// the changes.
//
// The timeline is a message, the record Kustomer keeps of a call or chat
// (creating one records it, nothing is sent): POST
// /v1/conversations/{id}/messages into the first linked conversation, else
// POST /v1/customers/{id}/messages for the first linked customer, which
// opens a conversation for it. app "crmflow"; channel from the media type
// (voice, chat, email, sms; social as chat); direction in/out with status
// received/sent; subject; preview with the notes, agent, disposition,
// duration and contact id; sentAt the start; the same details typed in
// meta; and the write key in externalId. FindWrite is GET
// /v1/messages/externalId={key} (404: not written). Memorializations in
// create mode make one record of the entity related to the links (a
// conversation or KObject for the first linked customer, a message as
// above, a note in the first linked conversation); conversations, messages
// and KObjects carry the key in externalId and are found by Kustomer's
// externalId lookups. Customers' and companies' externalId is their id in
// another system and notes have no lookup, so those writes are not found by
// key: the idempotency ledger alone guards them. Update mode patches every
// linked record of the entity.
//
// # Record URLs
//
// https://{org}.kustomerapp.com/app/customers/{customerId} for a customer,
// …/app/customers/{customerId}/event/{conversationId} for a conversation
// (and for a message or note, its conversation), the customer's page for a
// KObject. The org is the per-org API host's label or, for the shared
// hosts, the name from GET /v1/orgs/current, read once per connector. For
// the regional pods the app host is guessed as {org}.prodN.kustomerapp.com.
// Companies have no URL ("").
//
// # Errors
//
// The body is JSON:API {"errors":[{"status","code","title","detail",
// "source"}]}; the first error's code and detail (with its source pointer
// or parameter) are kept. The status decides the portable code: 400
// InvalidArgument, 401 Unauthenticated, 402 and 403 PermissionDenied, 404
// NotFound, 409 AlreadyExists, 429 ResourceExhausted, 5xx Unavailable (504
// DeadlineExceeded), retryable with Retry-After when sent. A 429 (the
// org-wide per-minute limit, or 120 messages a minute per customer) is
// retryable after x-ratelimit-reset, UTC epoch seconds, less now — at least
// one second and at most the 60-second window.
package kustomer
