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
// until the limit. HubSpot's search index trails writes by a few seconds
// (the search guide: newly created or updated objects "may take a few
// moments to appear" in search results), which is why nothing that must be
// consistent (FindWrite) searches.
//
// # Search round trips
//
// A phone search that finds one person, with her open tickets, costs one
// search per object type (contacts and companies: 2), the ticket
// associations (1) and one batch read of the tickets (1): 4 calls, plus
// the account details and the ticket pipelines once per connector (6 cold;
// TestSingleMatchPhoneSearchCalls). One round trip is impossible: the
// search answer (CollectionResponseWithTotalSimplePublicObject of
// SimplePublicObject: id, properties, stamps) carries no associations and
// the search request (PublicObjectSearchRequest) has no member asking for
// them, and the batch read's input (BatchReadInputSimplePublicObjectId)
// has none either (spec:CRM/Objects/…/v3/objects.json). The association
// read and the ticket read cannot merge: GET …/{id}?associations=tickets
// gives ids only, as the v4 list does. A ticket search filtered on
// associations.{type} would save one call, but it reads the search index,
// so a ticket opened or closed in the last seconds would be missing or
// shown open, unlike RelatedOpen's consistent reads; the driver keeps the
// consistent path and is no crm.RelatedSearcher (it would save nothing).
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
// in create mode works the same way for every object that can hold the key
// (association types between contacts, companies, deals, tickets and calls
// are known) and gives calls an hs_timestamp when the mapping sets none;
// update mode patches every linked record of the entity, any object.
//
// # Exactly once
//
// Every record the driver creates for a job (the timeline's call, a
// create-mode memorialization's record) carries the job's key in
// crmflow_key, a custom string property with hasUniqueValue true
// (PropertyCreate in spec:CRM/Properties/…/properties.json: "Whether or
// not the property's value must be unique. Once set, this can't be
// changed"). FindWrite reads the record by that value, GET
// /crm/v3/objects/{type}/{key}?idProperty=crmflow_key (the objects spec's
// idProperty: "The name of a property whose values are unique for this
// object type"; 404 is not found): a read, not a search, so it is
// consistent and finds a write made a moment before whatever the search
// index's lag. Per object type: calls (timeline, and memorializations
// into calls), contacts, companies, deals, tickets and custom objects all
// use that read. The unique value also makes a second record with the
// key impossible: when a create is refused (a duplicate value; HubSpot
// does not document that answer, so AlreadyExists and InvalidArgument
// both qualify) and the read by key finds a record, that record is the
// write, made by an earlier attempt whose answer was lost. The key is
// matched exactly (a key differing in case is another write) and sent
// path-escaped.
//
// Objects that cannot have unique-value properties cannot hold the key.
// HubSpot documents unique properties for companies, deals, tickets and
// custom objects, and for contacts since September 2023 (developer
// changelog "Unique Properties support for newly created Contact
// properties": "Historically, HubSpot has provided unique property
// support for Companies, Deals, Tickets, and Custom Objects"; at most 10
// per object). Calls are taken on this driver's brief: no source says
// calls may or may not have one (UNCONFIRMED; a configuration test shows
// HubSpot's answer). Notes, tasks, meetings, emails, products and every
// other object are refused for create-mode memorialization, at save time
// (MappingCheck) and at write time (WriteRecord), so FindWrite has nothing
// to find there (found false, no call).
//
// The property is made by the configuration test (`configs test`, POST
// /v1/configurations/{id}/test), which calls SetUpWriteKeys with the
// create-mode mappings' entities: for calls and each entity's object it
// reads GET /crm/v3/properties/{type}/crmflow_key and, on a 404, reads the
// property groups (GET /crm/v3/properties/{type}/groups) and creates the
// property (POST /crm/v3/properties/{type}) in the object's information
// group. It is idempotent and reports what it made; a crmflow_key that
// exists without unique values is an error (it cannot be made unique:
// archive it). Creating properties needs the private app's
// crm.schemas.{object}.write scope for each object (crm.schemas.contacts.write,
// crm.schemas.companies.write, crm.schemas.deals.write,
// crm.schemas.tickets.write, crm.schemas.custom.write: the POST's security
// list in spec:CRM/Properties/…/v3/properties.json). That list names no
// scope for calls (UNCONFIRMED which scope a call property needs). Until
// the test has run, writes fail with HubSpot's PROPERTY_DOESNT_EXIST.
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
// SetUpWriteKeys (crm.WriteKeySetter) makes the key property; see
// "Exactly once".
//
// # Saved mappings
//
// Driver().MappingCheck refuses what no account can take: an entity that
// is no HubSpot object, a mode other than create or update, a target that
// is no flat property name or that HubSpot computes (hs_object_id,
// lastmodifieddate, hs_lastmodifieddate), a create-mode mapping into an
// object that cannot have a unique-value property (notes, tasks, meetings,
// emails, products…: crmflow could not find its write again, see
// "Exactly once"; update mode stays open), crmflow_key as a target of a
// create-mode mapping (crmflow writes the key there), and search or
// display fields that are no property names. Custom properties
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
//	POST  /crm/v3/objects/{type}/search                  searches (never FindWrite) — spec:CRM/Objects/Rollouts/424/v3/objects.json; /docs/api/crm/search
//	GET   /crm/v3/objects/{type}/{id}?properties=        Get — spec:CRM/Objects/Rollouts/424/v3/objects.json
//	GET   /crm/v3/objects/{type}/{key}?idProperty=crmflow_key&properties=crmflow_key   FindWrite, lost-answer recovery — spec:CRM/Objects/…/objects.json (idProperty); changelog "Updating objects by custom field" (hasUniqueValue, idProperty)
//	GET   /crm/v3/properties/{type}/crmflow_key          SetUpWriteKeys — spec:CRM/Properties/Rollouts/145899/v3/properties.json
//	GET   /crm/v3/properties/{type}/groups               SetUpWriteKeys (the group to create in) — spec:CRM/Properties/…/properties.json
//	POST  /crm/v3/properties/{type}                      SetUpWriteKeys (PropertyCreate with hasUniqueValue) — spec:CRM/Properties/…/properties.json; /docs/api/crm/properties
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
// the 403 MISSING_SCOPES message; whether calls may have unique-value
// properties and which scope creating one needs; HubSpot's answer to a
// duplicate unique value (no source found: the sandbox answers 409
// CONFLICT like a duplicate contact email); whether a key holding "/"
// (sent as %2F) reads back by idProperty.
package hubspot
