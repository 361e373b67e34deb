// Package oracle is the crm.Connector for Oracle B2C Service (formerly
// Service Cloud / RightNow) through Connect REST
// (/services/rest/connect/{version}/, v1.4 by default) — the API NICE
// CXone's "Oracle Service Cloud" integration uses.
//
// # Auth
//
// Basic auth with a staff account (auth.username, credentials.password):
// one fixed Authorization header, no token endpoint, so a 401 is
// Unauthenticated and not retried. Every request carries
// OSvC-CREST-Application-Context (auth.applicationContext, "crmflow" by
// default, at most 40 printable characters), which v1.4 requires (400
// without it). Production hosts are {site}.custhelp.com (also
// {site}.{region}.custhelp.com and rightnowdemo.com demo sites).
//
// # Names and ids
//
// Entities take every documented spelling of an object (entities.go): the
// Common Object Model's object name (Contact, Incident, Organization,
// Task, Opportunity, ServiceProduct…) or its REST resource name (contacts,
// incidents, organizations, tasks, opportunities, serviceProducts…), in
// any letter case, and custom objects as Package.Object (CO.CallNote). The
// canonical form — in paths, queries, records and cards — is the REST
// resource name (Oracle: resource collections are the object names,
// plural and camelCase); a custom object keeps the spelling it is given.
// Anything else is the driver's own refusal naming "entity", before any
// call. ROQL's FROM takes the same resource names. Fields are camelCase
// field paths (name.first, emails.address,
// statusWithType.status.lookupName); in writes a dotted path builds the
// nested JSON ({"organization.id": 7} → {"organization":{"id":7}}), and ids
// given as digit strings become numbers. Ids are positive integers and are
// checked before they go into a path or a query. Records carry the
// canonical resource name as entity; display names are the site's
// lookupName, for incidents followed by the subject.
//
// # Record URLs
//
// A record URL opens the Agent Browser UI, which a site serves at
// /AgentWeb/ on its interfaces: on appUrl when the configuration names
// one (any {site}.custhelp.com interface: AppHostAllowed), else on the
// site itself when baseUrl is a site interface, or on the loopback server
// of local mode; otherwise (a proxy host) records have no URL and nothing
// fails. The route after /AgentWeb/ (#/{resource}/{id}) is the driver's
// own: Oracle publishes no record deep link for the Browser UI, so on a
// real site the URL opens the UI without the record if it does not know
// the route.
//
// # Query safety
//
// Every read is a ROQL tabular query on queryResults (?query=, spaces
// sent as %20). Values are single-quoted with a quote doubled inside,
// confirmed by Oracle's own Customer Portal tests, where
//
//	SELECT * FROM Contact WHERE LookupName LIKE '%''%'
//
// finds O'Calloway while the backslash form fails as an "unrecognized
// token": a backslash is not an escape and is sent as it is. Double quotes
// make identifiers in ROQL and are never used for values. queryResults
// accepts several
// statements separated by ";", so a value holding ";" is refused, as are
// control characters and invalid UTF-8. LIKE has % and _ as wildcards
// and no documented escape: contains and startsWith refuse values holding
// them. Field paths are checked segment by segment
// (^[A-Za-z_][A-Za-z0-9_]*$, no ROQL keyword) and resource names against
// the two shapes above.
//
// # Portable filter
//
// eq = (empty value: IS NULL, as the site stores empty text as NULL), ne
// != (empty: IS NOT NULL), contains LIKE '%v%', startsWith LIKE 'v%', gt >
// gte >= lt < lte <=, in IN (…); numbers as numbers, booleans as 1 and 0;
// all/any as parenthesized AND/OR of any depth.
//
// # Searches
//
// Every search is a ROQL query on queryResults, which reads the
// operational database (c_osvc_roql_tabular_queries.html; the replication
// and report databases, copies, only when asked for): no search index,
// so nothing a search finds lags behind writes, and the sandbox has no
// index lag to set (sandbox.Index is for CRMs whose search API lags).
// Queries select id, lookupName, updatedTime (and subject for incidents)
// plus the shown fields, ORDER BY id, and page with LIMIT/OFFSET. Selecting
// list fields (emails, phones) gives a row per entry, so LIMIT counts rows:
// rows are merged by id, keeping each column's first value, until the limit
// of records is reached or a page comes back short (100 rows a page, at
// most 20 pages). Phone: contacts where phones.rawNumber (the digits the
// site keeps of every number) is IN the digit forms of phone.Variants, or
// phones.number (as typed) IN the variants. Email: emails.address = the
// address (comparisons ignore case). Get is a ROQL query on id too, so
// list fields can be read; no row is NotFound. RelatedOpen: incidents
// with primaryContact.parentContact.id (or organization.id) = the record
// whose statusWithType.statusType.id is not 2 (Solved), newest
// updatedTime first.
//
// # Search with open incidents in one round trip (crm.RelatedSearcher)
//
// queryResults runs the semicolon-separated statements of its query
// parameter and answers one item per statement
// (op-services-rest-connect-v1.4-queryresults-get.html). The statements
// cannot pass values to each other, and ROQL has no subquery to select by
// another statement's result, so the second statement does not use the
// first's answer: it selects the open incidents (statusWithType.statusType.id
// != 2, updatedTime DESC, id DESC) whose primaryContact.parentContact
// matches the search's own condition through the relationship path
// (primaryContact.parentContact.phones.rawNumber IN (…), …emails.address =
// '…'). When the search finds one contact, those are exactly that contact's
// incidents: what RelatedOpen lists. Only a search of contacts alone (the
// default) is joined so; a mapping with other resources makes the two
// calls. Pages after the first, when either statement has more rows, are
// read as before. Unconfirmed on a real site: a list field (phones, emails)
// reached through a relationship in WHERE; the sandbox evaluates it as the
// one-hop primaryContact.parentContact.id condition RelatedOpen uses.
//
// # Writes and FindWrite
//
// Create is POST (201, Location and the full resource), Update is PATCH
// (200, empty body; a missing record is 404). The timeline writes an
// incident thread (entryType 1, Note): appended with PATCH to the first
// linked incident, or else as the first thread of a new call-log incident
// (subject, the linked contact as primaryContact, organization, channel
// Phone for voice, status 2 Solved so it does not show as open work).
//
// The write key is kept as "crmflow:{kind}:{key}" (a digest of the key
// when it is long or holds other characters) in a key field, never in
// visible text of a subject or a name: customFields.c.crmflow_key on the
// standard objects that take custom fields (incidents, contacts,
// organizations, tasks, opportunities, answers, staff accounts, sales
// products: cx.rightnow.com Answer 155), the attribute crmflow_key on a
// custom object. FindWrite reads it with ROQL equality on that field
// (SELECT id, customFields.c.crmflow_key FROM incidents WHERE
// customFields.c.crmflow_key = '…'), checking the answer exactly since
// the site compares text ignoring case. queryResults runs on the
// operational database unless told to use the replication or report
// database (c_osvc_roql_tabular_queries.html), which the driver never asks
// for: the read is consistent, a write is found as soon as the site has
// answered it, with no search index to lag (the sandbox has none either).
// The thread of a timeline write on a linked incident ends with
// "[marker]" as well: such a write is found with threads.text LIKE
// '%[marker]%' (a database read too, but no indexed one; a site that
// refuses the query answers not found). Call-log incidents and
// create-mode memorialization carry the key field.
//
// Setup (once per site, by an admin; Connect REST cannot create fields):
// a text custom field crmflow_key (Custom Fields editor, column
// crmflow_key, 64 characters or more, indexed; Answer 155: custom fields
// can be indexed, and should be only when searched; visibility: off
// agent workspaces, Answer 11007) on incidents and on each standard
// resource a memorialization mapping creates into, and an indexed text
// attribute crmflow_key on each custom object one creates into (Object
// Designer). Without it the site refuses the write ("Invalid property
// specified"), and the job's error names the field to add.
//
// Mappings that create into a resource without custom fields (assets,
// purchased products, service products, categories, dispositions) are
// refused when saved: their writes could not be found again after a
// crash. The key field itself cannot be a mapping target. Memorialization
// relates the new record to the links: primaryContact and organization for
// incidents, contact, incident and organization for tasks, contact and
// incident for custom objects.
//
// Unconfirmed on a real site: the exact detail a site answers for a
// missing custom field (the driver looks for "Invalid property" and the
// field's name); whether an indexed custom field serves an equality
// condition from the index (Oracle documents indexing custom fields for
// searching, not the plan of a ROQL query); that a list field reached
// with a LIKE (threads.text) is accepted on large sites. Records written
// before this key field (marker at the end of the subject or name) are
// not looked for.
//
// # Configuration test (crm.Inspector)
//
// Ping reads the site's resource list (GET the API root, one
// authenticated call touching no record). Sample reads the record with the
// lowest id through ROQL. Describe reads GET metadata-catalog/{resource}
// as application/schema+json and lists its properties as the driver's
// field paths (name.first, emails.address, customFields.c.x), labelled
// from each property's label (else title). Oracle documents the catalog
// list and that a description says which fields are read-only or
// writable; no description body is published within reach, so Describe
// reads either a record schema (properties at the top) or a collection
// schema (the record under definitions.singularResource).
//
// # Saved mappings
//
// Driver().MappingCheck refuses what no site can take: an entity that is
// no Oracle object, a mode other than create or update, a create into a
// resource that cannot hold the write key (see above), the key field as a
// target, a target that is
// no field path, a standard read-only field (id, lookupName, createdTime,
// updatedTime everywhere; an incident's referenceNumber and
// statusWithType.statusType; a contact's phones.rawNumber) or a path into
// a list field (emails.address, threads.text: the REST binding takes the
// whole list); and search or display fields that are no field paths.
// Custom fields and custom objects pass; a configuration test checks them.
//
// # Errors
//
// The body is RFC 7807-like: {"type",".../exceptions/OSC-CREST-nnnnn",
// "title","status","detail","instance","o:errorCode"}; the code is kept as
// CRMCode and "title: detail" as the message (the site's own words, for
// the caller and the job record). 400 is InvalidArgument (a failed write
// OSC-CREST-00006, a bad query OSC-CREST-00007, an unknown property
// OSC-CREST-00013 "Unrecognized resource: Invalid property specified: x",
// as a real site answers it), 401 Unauthenticated, 403 PermissionDenied,
// 404 NotFound. Throttling is 503 with OSC-CREST-00035 (not 429):
// ResourceExhausted, retryable after osvc-crest-next-request-after
// milliseconds (else Retry-After); other 5xx are Unavailable and retryable.
// The driver's own refusals (bad entity, id, field path, filter, link,
// mode) are crm.Refusal errors naming the argument, made before any call.
//
// # Endpoints
//
// Every call, below /services/rest/connect/{version}/ (v1.4), with
// Authorization: Basic and OSvC-CREST-Application-Context
// (c_osvc_authentication_and_authorization.html, c_osvc_custom_headers.html;
// doc hosts: docs.oracle.com/en/cloud/saas/b2c-service/cxsvc/):
//
//	GET   /                                  Ping — c_osvc_vid_accessing_resources.html ("the base URL … all the resource collections"); REAL osvc_ruby spec/fixtures/connect/get/*.yml
//	GET   queryResults?query={ROQL}[; {ROQL}]  searches (with the open incidents as a second statement), Get, Sample, RelatedOpen, FindWrite (equality on customFields.c.crmflow_key, on the operational database) — op-services-rest-connect-v1.4-queryresults-get.html, c_osvc_roql_tabular_queries.html; REAL osvc_ruby spec/fixtures/serviceproduct/find/*.yml, where/*.yml
//	POST  {resource}                         Create, create-mode memorialization, call-log incident (with customFields.c.crmflow_key) — cx.rightnow.com Answer 10785; c_osvc_send_on_save.html (incident with threads); c_osvc_manage_custom_objects.html (customFields.c holds legacy custom fields); REAL osvc_ruby spec/fixtures/connect/post_or_patch/*201*.yml
//	PATCH {resource}/{id}                    Update, update-mode memorialization, thread appended to an incident — op-services-rest-connect-v1.4-incidents-id-patch; Answer 8394; REAL osvc_ruby post_or_patch/*patch*200*.yml (as POST + X-HTTP-Method-Override)
//	GET   metadata-catalog/{resource}        Describe (Accept: application/schema+json) — c_osvc_access_metadata.html
//
// Unconfirmed: the exact body of a metadata-catalog resource description;
// the answer to a property the site lacks inside customFields;
// the 401 and 404 bodies; the title text of the throttling answer; a
// Browser UI record deep link.
package oracle
