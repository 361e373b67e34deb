// Package zendesk is the crm.Connector for Zendesk Support through its REST
// API (https://{subdomain}.zendesk.com/api/v2).
//
// # Auth
//
// api_token (auth.email, credentials.apiToken): Basic base64("{email}/token:{token}"),
// fixed, a 401 is final. bearer_token (credentials.token): an OAuth access
// token, fixed. oauth2_client_credentials (auth.clientId,
// credentials.clientSecret, optional auth.scope, default "read write"): a
// JSON POST to {baseUrl}/oauth/tokens, cached through crmhttp.TokenCache
// (Zendesk tokens do not expire unless expires_in says so); a 401 drops the
// token and retries once. Hosts are {subdomain}.zendesk.com.
//
// # Names
//
// Entities are user, ticket and organization — the Search API's type:
// values and the JSON roots of their bodies — and zen:custom_object:{key}
// for a custom object, the spelling Zendesk gives a lookup field's target
// (relationship_target_type zen:user, zen:ticket, zen:custom_object:car).
// Every action also takes the plural path names (users, tickets,
// organizations), the zen: names, any case of the standard names, and a
// custom object as custom_object:{key} or by its bare key (call_note)
// unless the key is a standard name or another /api/v2 resource (groups,
// ticket_fields, search…); keys keep their case. One function,
// canonicalEntity, decides; the canonical form goes into paths, records
// and cards. Standard ids are positive integers, custom object record ids
// letters and digits (ULIDs), checked before they enter a path. Fields
// are attribute paths: user_fields.job_title, organization_fields.tier,
// comment.body, custom_fields.{id} (or custom_field_{id}) for ticket
// custom fields, which become Zendesk's [{"id","value"}] list on writes;
// on custom object records name, external_id and custom_object_fields.{key}
// (a bare key is a custom field too).
//
// # Search and query safety
//
// Everything goes through GET /api/v2/search (offset paging, 100 per page,
// next_page followed only on the account, at most 1000 results). Values
// are always in double quotes; the syntax has no escape inside a phrase, so
// quote() turns ", \, * and control characters into spaces (the index
// splits on punctuation anyway). Zendesk has no OR: a portable filter is
// brought to an OR of ANDs, one search each (at most 8), merged by id.
// Zendesk matches words, not values, so every result is checked against
// the portable filter (matches), and conditions the syntax cannot state
// exactly are left to that check only (a dropped term widens, never
// narrows, what the index answers). Phone: type:user phone:*{national
// digits}, results kept when their digits are a form of the number. Email:
// email:"{address}", kept when equal. RelatedOpen: type:ticket
// requester:{id} status<solved, newest update first. Custom object records
// are not in the Search API: a search of one is refused (400).
//
// Search is eventually consistent in Zendesk ("it can take up to a few
// minutes for new tickets, users, and other resources to be indexed",
// Search API reference); reads by id, the external_id look-ups and the
// ticket audit list are database reads, consistent at once.
//
// # Search with related tickets: two calls
//
// A phone or email search that matches one user also brings that user's
// open tickets (RelatedOpen), a second sequential request; the connector
// is no crm.RelatedSearcher, because no single Zendesk request gives the
// same records. Side-loads (include=) add the records a result refers to
// — tickets(users) the tickets' requesters, users' organizations,
// identities, groups, roles, abilities — never the records that refer to
// a result, and a user's open_ticket_count is a count of tickets assigned
// to them, not requested (developer.zendesk.com "Side-loading related
// records"; OAS ListSearchResults takes query, sort_by, sort_order only).
// One query cannot ask for users and their tickets either: terms are
// ANDed and type: picks one resource (no OR); a ticket's requester: takes
// a name, an email or an id, not a phone (Zendesk Support search
// reference). So a single match costs 2 CRM calls, several or none 1.
//
// # Timeline, memorialization, FindWrite
//
// The timeline is a private comment: on the first linked ticket (tagged
// crmflow_tl_{digest}; the tag and the comment are one update, so one
// audit) or on a new ticket requested by the linked user with external_id
// crmflow:timeline:{key}. Memorialization creates users, tickets,
// organizations or custom object records with external_id
// crmflow:datamemorialization:{key}, related to the links (requester_id,
// organization_id; a custom object record relates through lookup fields
// the mapping names), or updates linked records (PUT, PATCH for custom
// object records); a create-mode mapping may not write external_id
// (MappingCheck refuses it: the key lives there).
//
// FindWrite never searches for a created record: it reads external_id
// through GET /api/v2/tickets?external_id=, /users/show_many?external_ids=,
// /organizations/show_many?external_ids= and
// /custom_objects/{key}/records?filter[external_ids]= (database reads). A
// comment on an existing ticket is found by its tag in the ticket's audits
// (GET /api/v2/tickets/{id}/audits: a Create or Change event of tags
// holding it), the ticket named by crm.WriteLookup.Links (the job consumer
// always passes the links the write was given). Only a lookup whose links
// are unknown (nil) falls back to the tag through search, which lags.
//
// # Record URLs
//
// {app}/agent/tickets/{id}, /agent/users/{id}, /agent/organizations/{id},
// where {app} is the configuration's appUrl (Driver().AppHostAllowed: an
// account host), else the baseUrl when it is https://{subdomain}.zendesk.com
// (the agent workspace lives on the account's host) or a loopback address
// in local mode. Behind any other host (a proxy) records have no URL, and
// custom object records never do: Zendesk publishes no agent address for
// one. Building a URL makes no call and never fails an action.
//
// # Mappings and metadata
//
// MappingCheck refuses, at save time, an entity that is no Zendesk object,
// a mode other than create or update, a target that is no attribute path,
// a read-only attribute (id, url, created_at, updated_at; a ticket's
// description — its first comment, written through comment.body — and
// other read-only ticket and user attributes of the JSON format tables; a
// custom object record's custom_object_key and authors), a dotted path
// into anything but comment.*, custom_fields.{numeric id}, voice_comment.*
// on tickets, user_fields.{key} on users, organization_fields.{key} on
// organizations and custom_object_fields.{key} on custom object records;
// and a search mapping of a custom object or with fields the search syntax
// has no keyword for. Describe reads the field lists (titles as labels)
// beside each resource's standard attributes; Ping reads the current user.
//
// # Errors
//
// {"error","description","details"} bodies keep the error code and
// Zendesk's human message: the description and every detail's
// description ("Record validation errors: Phone 5551234567 is not properly
// formatted"), a detail being a list or one object; {"errors":[{"code",
// "title","detail"}]} bodies keep the first error. Driver refusals are
// crm.Refusal naming their field (400). 401 Unauthenticated, 403
// PermissionDenied, 404 NotFound, 400/422 InvalidArgument (422
// DuplicateValue AlreadyExists), 409 Unavailable (write collision, retry),
// 429 ResourceExhausted with Retry-After (text/plain body), 5xx Unavailable
// with Retry-After.
//
// # Endpoints
//
// Every call, below the baseUrl. "Ref" is Zendesk's Support API reference
// (developer.zendesk.com/api-reference/ticketing/…, custom-data/…); "OAS"
// is Zendesk's OpenAPI file as split per API in api-evangelist/zendesk
// openapi/_original/ (commit aaa5480); "wire" is ../shared/crm-wire-facts.md §4.
//
//	GET   /api/v2/search.json?query=&per_page=&sort_by=&sort_order=   SearchByPhone, SearchByEmail, Search, RelatedOpen, FindWrite of a comment without links (lagging) — Ref "List Search Results"; wire §4.2; OAS ListSearchResults
//	GET   /api/v2/{users|tickets|organizations}/{id}.json           Get — Ref/OAS ShowUser, ShowTicket, ShowOrganization
//	POST  /api/v2/{users|tickets|organizations}.json                Create, memorialization, AddActivity's new ticket — Ref/OAS CreateUser, CreateTicket, CreateOrganization; wire §4.3
//	PUT   /api/v2/{users|tickets|organizations}/{id}.json           Update, update-mode memorialization, AddActivity's comment — Ref/OAS UpdateUser, UpdateTicket (comment, additional_tags), UpdateOrganization
//	GET   /api/v2/tickets.json?external_id=                         FindWrite — OAS ListTickets (external_id parameter)
//	GET   /api/v2/users/show_many.json?external_ids=                FindWrite — OAS ShowManyUsers ("up to 100 user ids or external ids")
//	GET   /api/v2/organizations/show_many.json?external_ids=        FindWrite — OAS ShowManyOrganizations (Admins and Agents; organizations/search by external_id is Admins only)
//	GET   /api/v2/tickets/{id}/audits.json?per_page=                FindWrite of a comment on a linked ticket — Ref Ticket Audits "List Audits for a Ticket"; OAS ListAuditsForTicket (offset pagination, 100 a page); events per the Ticket Audit events reference (Create, Change: field_name, value, previous_value)
//	GET   /api/v2/{users|tickets|organizations}.json?page[size]=1   Sample — OAS ListUsers, ListTickets, ListOrganizations (cursor pagination, page[size])
//	POST  /api/v2/custom_objects/{key}/records                      custom record Create, memorialization — Ref custom_object_records "Create Custom Object Record"; OAS CreateCustomObjectRecord
//	GET   /api/v2/custom_objects/{key}/records/{id}                 Get — Ref "Show Custom Object Record"; OAS ShowCustomObjectRecord
//	PATCH /api/v2/custom_objects/{key}/records/{id}                 Update, update-mode memorialization — Ref "Update Custom Object Record"; OAS UpdateCustomObjectRecord
//	GET   /api/v2/custom_objects/{key}/records?filter[external_ids]=  FindWrite — Ref "List Custom Object Records"; OAS ListCustomObjectRecords
//	GET   /api/v2/custom_objects/{key}/records?page[size]=1          Sample — the same (cursor pagination only)
//	GET   /api/v2/users/me.json                                     Ping — Ref "Show Self"; OAS ShowCurrentUser
//	GET   /api/v2/ticket_fields.json                                Describe(ticket) — Ref "List Ticket Fields" (system and custom fields); OAS ListTicketFields
//	GET   /api/v2/user_fields.json                                  Describe(user) — Ref "List User Fields"; OAS ListUserFields
//	GET   /api/v2/organization_fields.json                          Describe(organization) — Ref "List Organization Fields"; OAS ListOrganizationFields
//	GET   /api/v2/custom_objects/{key}/fields?include_standard_fields=true  Describe(custom object) — Ref custom_object_fields "List Custom Object Fields"; OAS ListCustomObjectFields
//	POST  /oauth/tokens                                             client credentials — Ref "Grant Type Tokens"; wire §4.1 (the client_credentials grant itself is unconfirmed)
//
// Unconfirmed: the client_credentials grant (wire §9); the character rules
// of a custom object key (taken as a letter, then letters, digits and _);
// what Zendesk answers for an unknown key in custom_object_fields (the
// Support API ignores unknown attributes; the sandbox ignores them too) and
// the body of a custom object record's validation error (the sandbox
// answers the classic RecordInvalid body); an agent workspace address of a
// custom object record (none published, so none is built); the answer of
// GET /api/v2/users/me to credentials it does not take (401 as for every
// endpoint; an anonymous user with a null id is refused by Ping too); the
// shape of a tags Change event's value (a list of tags in the sandbox; a
// space-separated text is read too) and the order of the audit list
// (oldest first in the sandbox; the lookup reads every page, at most
// 5,000 audits); whether show_many compares external ids
// case-insensitively as organizations/search does (the driver compares
// the markers exactly).
package zendesk
