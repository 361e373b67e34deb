// Package hubspot is the crm.Connector for HubSpot: CRM v3 objects
// (/crm/v3/objects/{type}: create, read, update, batch read, search) and v4
// associations, on https://api.hubapi.com.
//
// # Auth
//
// A static bearer token (auth.type bearer_token, credentials.token): a
// private app access token or an account service key. HubSpot's OAuth
// grants for the CRM APIs are authorization code and refresh token, which
// need a user's consent; its client-credentials grant only serves the
// webhooks journal API. So the driver offers bearer_token alone, has no
// token endpoint, and a 401 (INVALID_AUTHENTICATION, EXPIRED_AUTHENTICATION)
// is Unauthenticated at once, not retried. The production host is exactly
// api.hubapi.com.
//
// # Names
//
// Entities take every documented spelling of an object (entities.go):
// HubSpot's object paths take the plural name, the singular name or the
// object type id alike (contacts, contact, 0-1; v4 association examples
// use the singular). The canonical form — in paths, records and cards —
// is the plural name for HubSpot's objects (contacts, companies, deals,
// tickets, calls, notes, tasks, meetings, emails, communications,
// postal_mail, products, line_items, quotes, feedback_submissions,
// invoices, leads), whatever the case given; other type ids stay as given
// (0-410 courses, 2-9001 custom objects), and so do custom object names
// (p12345_cars, or the short p_cars). The type ids are those of the table
// in "Using the object APIs". Anything else is the driver's own refusal
// naming "entity" (crm.Refusal), before any call. Fields are flat property
// names (firstname, hs_pipeline_stage); a dotted name is refused, except
// HubSpot's associations.{object} pseudo-property in filters. Record ids
// are HubSpot's numeric ids, checked before they go into a path (a
// refusal naming "id"); names are path-escaped.
//
// # Query safety
//
// Searches are JSON bodies (POST /crm/v3/objects/{type}/search): every value
// is a JSON string in a "value" or "values" member, so JSON encoding alone
// keeps it one value and nothing needs escaping. The one operator with a
// syntax inside its value is CONTAINS_TOKEN, where * is a wildcard with no
// escape: a contains value holding * is refused.
//
// # Portable filter
//
// HubSpot's filterGroups are an OR of groups whose filters are AND-ed, so
// the filter is rewritten into that normal form (AND distributed over OR).
// HubSpot allows at most 5 groups, 6 filters in a group and 18 filters in
// all (its search guide; more is a VALIDATION_ERROR); a filter that needs
// more is refused with InvalidArgument before anything is sent. eq ne gt
// gte lt lte map to EQ NEQ GT GTE LT LTE. contains maps to CONTAINS_TOKEN,
// which matches whole words (tokens) of the value, ignoring case: "printer"
// finds "Printer on fire", "print" does not. startsWith is refused: the
// nearest HubSpot operator, CONTAINS_TOKEN with a trailing *, matches the
// start of any word, not of the value. in maps to IN when every value is in
// lowercase (HubSpot compares string properties in lowercase and
// enumerations as written, and the driver does not know which a property
// is); otherwise each value becomes an EQ in a group of its own. Numbers go
// as plain decimal text, booleans as true/false.
//
// # Searches
//
// Phone: contacts' phone and mobilephone and companies' phone (or the
// mapping's search fields), one IN filter per property with every form of
// the number — HubSpot keeps numbers as typed — in one filter group each;
// groups beyond HubSpot's limits go into further requests. Email: EQ on
// contacts' email (EQ ignores case). Pages of up to 200 are asked for with
// "limit" and followed through paging.next.after, sent back in the body,
// until the limit. HubSpot's search index trails writes by a few seconds.
//
// RelatedOpen lists the tickets associated with the record (GET
// /crm/v4/objects/{type}/{id}/associations/tickets, paged), reads the 200
// newest of them with a batch read (a 207 answer's OBJECT_NOT_FOUND ids are
// left out: deleted tickets), and keeps the open ones: a ticket is open
// unless its stage is CLOSED in the ticket pipelines' metadata.ticketState
// (GET /crm/v3/pipelines/tickets, cached ten minutes). That covers every
// pipeline, not just the default one (stages 1–3 open, 4 closed). Most
// recently modified first.
//
// # Writes and FindWrite
//
// Create is POST /crm/v3/objects/{type} {"properties":{…}} (201), Update
// PATCH …/{id} (200; 404 for a missing record, never a create). Property
// values are sent as HubSpot's strings: numbers in plain decimal, booleans
// true/false, null as "" (which clears), a list as the ;-separated value
// of a multiple-checkbox property.
//
// The timeline is a call engagement (POST /crm/v3/objects/calls, one
// request): hs_timestamp (start), hs_call_title, hs_call_body (notes plus
// agent, channel and contact id, as HTML lines), hs_call_direction
// INBOUND/OUTBOUND, hs_call_duration in milliseconds, hs_call_status
// COMPLETED, the customer's number as hs_call_from_number (inbound) or
// hs_call_to_number (outbound), hs_call_disposition when the disposition is
// one of HubSpot's default call outcomes (Connected, Busy, No answer, Left
// live message, Left voicemail, Wrong number) or an outcome id, and
// hs_call_recording_url for an https recording. Links are associated in the
// same request with HubSpot-defined types (call→contact 194, →company 182,
// →deal 206, →ticket 220); links to objects without a known type (custom
// objects) get the v4 default association after the create. Memorialization
// in create mode works the same way for any object (types between contacts,
// companies, deals, tickets, calls, notes, tasks, meetings and emails are
// known) and gives engagements an hs_timestamp when the mapping sets none;
// update mode patches every linked record of the entity.
//
// The write key goes into hs_call_external_id, the call property HubSpot
// documents for an external system's id of a call. FindWrite searches calls
// with EQ on it and keeps an exact match (EQ ignores case). That covers the
// timeline and memorializations into calls; other objects have no property
// that could hold a key, so FindWrite answers found=false for them and the
// idempotency ledger alone guards those writes. Because the search index
// trails writes by seconds, a call written moments before can be missed;
// post-call retries come later than that.
//
// # Record URLs
//
// {app}/contacts/{portalId}/record/{objectTypeId}/{id}. The app is appUrl
// when the configuration names one (AppHostAllowed: app.hubspot.com and
// the data center hosts app-eu1.hubspot.com…), the baseUrl itself for a
// loopback http baseUrl (local mode), else the account's uiDomain. The
// portal (hub) id comes only from GET /account-info/v3/details, read once
// per connector after the first answer of a search, read or create
// (single flight). Decoration never fails an action: when the details
// cannot be read (a token without their scope, an outage) records carry
// no URL, and a refused read is tried again after two minutes; a custom
// object named by its name (no type id) has no URL either. RecordURL
// makes no call: it is "" until the portal is known.
//
// # Configuration test (crm.Inspector)
//
// Ping reads the account details (GET /account-info/v3/details: one
// authenticated call that needs no CRM object scope). Sample reads the
// first record of GET /crm/v3/objects/{objectType}?limit=1. Describe reads
// GET /crm/v3/properties/{objectType}: each property's name (as the driver
// takes it), label and type (string, number, datetime, enumeration…).
//
// # Saved mappings
//
// Driver().MappingCheck refuses what no account can take: an entity that
// is no HubSpot object, a mode other than create or update, a target that
// is no flat property name or that HubSpot computes (hs_object_id,
// lastmodifieddate, hs_lastmodifieddate), hs_call_external_id in a
// create-mode mapping into calls (crmflow writes the key there), and
// search or display fields that are no property names. Custom properties
// and custom objects pass; a configuration test checks them.
//
// # Errors
//
// The body is {"status":"error","message","correlationId","category"}
// (the v3 error schema adds subCategory, context, links, errors[]). The
// CRM's code is the category (or errorType) and its message is HubSpot's
// message, else the errors[].message joined: the caller and the job record
// see HubSpot's own words. The category decides: INVALID_AUTHENTICATION and EXPIRED_AUTHENTICATION are
// Unauthenticated, MISSING_SCOPES PermissionDenied, OBJECT_NOT_FOUND
// NotFound, VALIDATION_ERROR InvalidArgument, CONFLICT AlreadyExists; else
// the status (5xx Unavailable and retryable, with Retry-After when sent).
// A 429 ({"errorType":"RATE_LIMIT","policyName":…}) is ResourceExhausted:
// the DAILY policy is not retryable (it lasts until midnight in the
// account's time zone); the burst policies (TEN_SECONDLY_ROLLING, SECONDLY)
// are, after Retry-After when HubSpot sends one and else after one second —
// the windows roll, so capacity frees continuously. The driver's own
// refusals (entity, id, property name, filter, link, mode, key) are
// crm.Refusal errors naming the argument, made before any call.
//
// # Endpoints
//
// Every call, on https://api.hubapi.com with Authorization: Bearer. Specs:
// HubSpot/HubSpot-public-api-spec-collection, PublicApiSpecs/… (below as
// spec:…); guides on developers.hubspot.com/docs:
//
//	GET   /account-info/v3/details                       portal id and uiDomain for record URLs; Ping — spec:Account/Account Info/Rollouts/144923/v3/accountInfo.json; /docs/api/settings/account-information-api
//	POST  /crm/v3/objects/{type}/search                  searches, FindWrite — spec:CRM/Objects/Rollouts/424/v3/objects.json; /docs/api/crm/search
//	GET   /crm/v3/objects/{type}/{id}?properties=        Get — spec:CRM/Objects/Rollouts/424/v3/objects.json
//	GET   /crm/v3/objects/{type}?limit=1&archived=false  Sample — spec:CRM/Objects/Rollouts/424/v3/objects.json; REAL JupiterOne/graph-hubspot 442ad48 recordings
//	POST  /crm/v3/objects/{type}                         Create, timeline call, create-mode memorialization — spec:CRM/Objects/…/objects.json; /docs/api/crm/calls
//	PATCH /crm/v3/objects/{type}/{id}                    Update, update-mode memorialization — spec:CRM/Objects/…/objects.json
//	POST  /crm/v3/objects/tickets/batch/read             RelatedOpen — spec:CRM/Objects/…/objects.json (batch/read)
//	GET   /crm/v4/objects/{type}/{id}/associations/tickets   RelatedOpen — spec:CRM/Associations/Rollouts/130902/v4/associations.json
//	PUT   /crm/v4/objects/{type}/{id}/associations/default/{toType}/{toId}   links without a known type — spec:CRM/Associations/Rollouts/130902/v4/associations.json
//	GET   /crm/v3/pipelines/tickets                      closed ticket stages — spec:CRM/Pipelines/Rollouts/145896/v3/pipelines.json
//	GET   /crm/v3/properties/{type}?archived=false       Describe — spec:CRM/Properties/Rollouts/145899/v3/properties.json
//
// Unconfirmed: the record page route /contacts/{portalId}/record/{typeId}/{id}
// (widely used, not in the reference); whether the account details need a
// scope a private app may lack (the spec lists "oauth"); whether object
// paths take names in other letter cases; the exact search filter limits;
// the 403 MISSING_SCOPES message.
package hubspot
