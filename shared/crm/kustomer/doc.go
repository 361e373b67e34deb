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
// kobject.{klassName} for KObjects (custom objects): the singular resource
// types Kustomer answers with ("type": "customer", "kobject.order") and
// names its metadata resources by. Every action also takes the plural
// collection names (customers, companies, conversations, messages,
// notes), any case of the standard names, and a KObject by its bare Klass
// name (call_note → kobject.call_note) unless the name is a standard
// object or another /v1 resource (users, klasses, metadata…); one function,
// canonicalEntity, decides. Fields are attribute
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
// # Search round trips
//
// A single-match search with its open conversations costs two calls (the
// search, then one page of GET /v1/customers/{id}/conversations), and the
// connector is no crm.RelatedSearcher: Kustomer's search takes no include
// or expand of related records (its body has searchHash, queryContext,
// includeDeleted, timeZone, and, or, not, sort, aggs, fields; page and pageSize
// in the query), "Get customer by ID" and the lookups take no query
// parameters, and the API publishes no batch or composite endpoint (the
// only include parameters are attachments on message lists and holidays
// on schedules) — OpenAPI, LarisLab/kustomer-client openapi.json commit
// 1d997b7. A conversation search (queryContext conversation, criteria on
// the customer's phone) would not return the customer, nor a customer
// without conversations. The search's results lag the records by an
// unpublished delay (a separate index: "limited to objects that have an
// updatedAt more recent than in the past 2 years", older ones in the Archive
// Search API); the sandbox models it with Options.IndexLag, 0 by default.
//
// # Writes and FindWrite
//
// Create is POST to the collection (/v1/customers, /v1/conversations,
// /v1/klasses/{name}…), answered 201 {"data": resource}; a note given its
// conversation goes to POST /v1/conversations/{id}/notes (POST /v1/notes
// takes no conversation). Update is PATCH (Kustomer's partial update) for
// customers, conversations, messages and notes, PUT for companies (their
// one documented update); KObjects, which Kustomer updates with PUT only,
// are read first and put back whole with the changes.
//
// The timeline is a message, the record Kustomer keeps of a call or chat
// (creating one records it, nothing is sent): POST
// /v1/conversations/{id}/messages into the first linked conversation, else
// POST /v1/customers/{id}/messages for the first linked customer, which
// opens a conversation for it. app "crmflow"; channel from the media type
// (voice, chat, email, sms; social as chat); direction in/out with status
// received/sent; subject; preview with the notes, agent, disposition,
// duration and contact id; sentAt the start; the same details typed in
// meta; and the write key in externalId. Memorializations in create mode
// make one record of the entity related to the links (a conversation or
// KObject for the first linked customer, a message as above, a note in the
// first linked conversation, which it needs, a customer or a company), each
// with the write key in externalId. Update mode patches every linked record
// of the entity.
//
// # Exactly once
//
// FindWrite never uses the search (POST /v1/customers/search reads a search
// index that trails the records; see Search round trips). Every object type
// a mapping may target takes externalId in its create body (OpenAPI
// "Create customer", "Create company", "Create conversation", "Create
// message…", "Create note within conversation", "Create KObject"), and
// FindWrite reads the write back by a consistent read, taking a record only
// when its externalId is the key:
//
//	message (timeline too)  GET /v1/messages/externalid={key}
//	customer                GET /v1/customers/externalId={key}
//	conversation            GET /v1/conversations/externalId={key}
//	kobject.{klass}         GET /v1/klasses/{klass}/externalId={key}
//	company                 GET /v1/companies?externalId={key} ("Get companies": "filter this list by … the unique external company ID"; no lookup path exists)
//	note                    GET /v1/conversations/{id}/notes of the first linked conversation, paged (at most 50 pages; more is an error, not "not written")
//
// Kustomer publishes no note lookup by externalId, so a note is found only
// where the write put it: in the first linked conversation. A note's
// conversation therefore comes from the links alone: a create-mode
// mapping targeting a note's conversation is refused at save time (400,
// fields[i].target) and such a field at write time; FindWrite of a note
// without links (nil) is refused rather than answered "not written". In
// create mode, externalId is crmflow's on every object (mapping refused).
// Kustomer also refuses a second customer with the same externalId
// (crm-wire-facts.md 6.3), a further guard.
//
// # Record URLs
//
// {app}/app/customers/{customerId} for a customer,
// …/app/customers/{customerId}/event/{conversationId} for a conversation
// (and for a message or note, its conversation), the customer's page for a
// KObject; companies have no URL (""). Kustomer's API publishes no org
// endpoint, so {app} comes from the configuration and no call is made:
// appUrl when set (https://{org}.kustomerapp.com or, for the regional
// pods, https://{org}.prodN.kustomerapp.com — Driver().AppHostAllowed);
// else https://{org}.kustomerapp.com from a per-org API host
// {org}.api.kustomerapp.com; else a plain-http loopback baseUrl itself (the
// local run). On the shared hosts (api.kustomerapp.com,
// api.prod2.kustomerapp.com) and {org}.api.prodN.kustomerapp.com without
// appUrl, records have no URL and every action still succeeds.
//
// # Mappings and metadata
//
// MappingCheck refuses, at save time, an entity that is no Kustomer
// object, a mode other than create or update, a target that is not an
// attribute of the object's create and update bodies (attributes.go: the
// reference's request schemas, which refuse any other attribute), a dotted
// path into anything but custom, meta or data, and in create mode
// externalId (it carries the write key) and a note's conversation (see
// Exactly once); a search mapping of anything but customers, or
// with fields customer search has no attribute for. Describe lists the
// documented standard attributes and the org's custom attributes
// (GET /v1/metadata/{resource}); a KObject's Klass is found in
// GET /v1/klasses.
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
//
// # Endpoints
//
// Every call, below the baseUrl, with Authorization: Bearer {API key}.
// Source "OpenAPI" is Kustomer's API reference "Core Resources"
// (developer.kustomer.com/kustomer-api-docs/reference; OpenAPI 3.0 file as
// captured in LarisLab/kustomer-client openapi.json, commit 1d997b7);
// "SDK" is the same reference's other categories as generated into
// LarisLab/kustomer-client src/api/sdk.gen.ts and types.gen.ts (commit
// b6690fe).
//
//	POST  /v1/customers/search?page=&pageSize=        SearchByPhone, SearchByEmail, Search — OpenAPI "Create customer search" (customer_phone, customer_email, queryContext, sort)
//	GET   /v1/customers/{id}                          Get — OpenAPI "Get customer by ID"
//	POST  /v1/customers                               Create — OpenAPI "Create customer"
//	PATCH /v1/customers/{id}                          Update, update-mode memorialization — OpenAPI "Update customer attributes"
//	GET   /v1/customers/{id}/conversations            RelatedOpen — OpenAPI "Get conversations by customer"
//	POST  /v1/customers/{id}/messages                 AddActivity, message memorialization — OpenAPI "Create message by customer ID"
//	GET   /v1/companies/{id}, POST /v1/companies      Get, Create — OpenAPI "Get company by ID", "Create company"
//	PUT   /v1/companies/{id}                          Update — OpenAPI "Update company attributes" (no PATCH is documented)
//	GET   /v1/customers/externalId={key}              FindWrite of a customer — OpenAPI "Get customer by external ID"
//	GET   /v1/companies?externalId={key}&page=&pageSize=  FindWrite of a company — OpenAPI "Get companies" (query externalId: "Unique external ID of the company")
//	GET   /v1/conversations/{id}, POST /v1/conversations  Get, Create, memorialization — OpenAPI
//	PATCH /v1/conversations/{id}                      Update — OpenAPI "Update conversation attributes"
//	GET   /v1/conversations/externalId={key}          FindWrite of a conversation — OpenAPI "Get conversation by external ID"
//	POST  /v1/conversations/{id}/messages             AddActivity into a conversation — OpenAPI "Create message from conversation"
//	POST  /v1/conversations/{id}/notes                note Create and memorialization — OpenAPI "Create note within conversation"
//	GET   /v1/conversations/{id}/notes?page=&pageSize=  FindWrite of a note — SDK "Get notes by conversation"
//	GET   /v1/messages/{id}, POST /v1/messages, PATCH /v1/messages/{id}  Get, Create, Update — OpenAPI
//	GET   /v1/messages/externalid={key}               FindWrite of a message — OpenAPI "Get a Message by External ID" (path as published: externalid=:externalId)
//	GET   /v1/notes/{id}, POST /v1/notes, PATCH /v1/notes/{id}  Get, Create without a conversation, Update — OpenAPI
//	GET   /v1/klasses/{name}/{id}, POST /v1/klasses/{name}, PUT /v1/klasses/{name}/{id}  KObjects — OpenAPI "Get KObject (custom object) by ID", "Create KObject", "Update KObject (custom object) by ID"
//	GET   /v1/klasses/{name}/externalId={key}         FindWrite of a KObject — OpenAPI "Get KObject by external ID"; crm-wire-facts.md turn 2
//	GET   /v1/{collection}?page=1&pageSize=1          Sample (customers, companies, conversations, messages, notes, klasses/{name}) — OpenAPI "Get customers", "Get KObjects"…
//	GET   /v1/users/current                           Ping — SDK "Get current user"; crm-wire-facts.md turn 2
//	GET   /v1/klasses?page=&pageSize=                 Describe of a KObject (its Klass) — OpenAPI "Get Klasses"
//	GET   /v1/metadata/{resource}                     Describe, custom attributes (company, conversation, customer, message, kobject.*) — SDK "Get custom attribute metadata"
//
// Unconfirmed: the 401 and 404 bodies (the reference's examples are
// placeholders); the body of a 429; whether PUT /v1/companies/{id} merges
// (its summary says "attributes", the driver sends only the changes); the
// agent app's host for the regional pods (taken as {org}.prodN.kustomerapp.com
// only when appUrl says so); the record deep links /app/customers/{id}
// (…/event/{conversationId}); the metadata "type" names other than number;
// whether Kustomer matches the lower-case externalid= of the message lookup
// and the externalId= of the others case-insensitively; the answer of
// "Get notes by conversation" and "Get note by ID" lists externalId (the
// reference's examples show body and stamps only; the create bodies take
// externalId and search has note_external_id); the company list's
// attribute name (its example spells "extenalId", the create body
// externalId: FindWrite takes externalId, and a page without the key that
// looks unfiltered, more than one record or a next page, is an error, not
// "not written"); the order of a conversation's
// notes (all pages are read); how long search trails the records (no
// figure is published).
package kustomer
