// Package dynamics is the crm.Connector for Microsoft Dynamics 365 /
// Dataverse through the Web API (OData 4.0, /api/data/v9.x).
//
// # Auth
//
// Microsoft Entra ID client credentials: a form POST of client_id,
// client_secret, grant_type=client_credentials and scope to auth.tokenUrl
// (https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token; the tenant
// is part of the URL, so the token URL is required). The scope is
// auth.scope, or "{baseUrl}/.default". Tokens are cached per connector
// through crmhttp.TokenCache until expires_in runs out (less the cache's
// margin); a 401 from the Web API drops the refused token, fetches one new
// token and retries once. Entra refusals (AADSTS codes) are Unauthenticated
// with Entra's error as CRMCode and the first line of error_description as
// the message. Production hosts are {org}.crm.dynamics.com and the regional
// {org}.crm{N}.dynamics.com; the token host is login.microsoftonline.com.
//
// # Names
//
// One function (canonicalEntity, entities.go) takes every spelling of a
// table, in every action: a standard table's logical name (contact,
// incident, phonecall, annotation…), its entity set name (contacts,
// incidents, phonecalls, annotations…) or its schema name (Contact,
// Incident, PhoneCall…), in any case; a custom table by its logical or
// schema name with the publisher prefix (new_callnote, new_CallNote);
// any other system table by logical name. The canonical form is the
// logical name, as before: results, cards and record URLs (etn=) carry it.
// Paths use the entity set name: a standard table's own, else the plural
// Dataverse gives new tables by default ("y" after a consonant → "ies", a
// trailing s, x, ch or sh → "es", otherwise "s": new_callnote →
// new_callnotes, cr755_sauditrecords → cr755_sauditrecordses, as real
// answers show). A custom table's entity set name is not taken as a
// spelling (new_status may be a table or the set of new_statu), and a
// custom table whose EntitySetName was renamed cannot be addressed; the
// configuration test (Describe) reads EntitySetName and says so. Web API
// resources that are no table (EntityDefinitions, WhoAmI…) are refused. The
// primary key is {logicalname}id, except activityid for activity tables
// (phonecall, task, email, appointment, letter, fax…). Display names come
// from fullname (contact, lead, systemuser), ticketnumber and title
// (incident), subject (activities), {prefix}_name (prefixed tables) or name.
//
// # Record URLs and appUrl
//
// A record opens in the model-driven app at
// {app}/main.aspx?etn={logical}&id={guid}&pagetype=entityrecord ("Open
// apps, forms, views, dialogs, and reports with a URL"). {app} is the
// configuration's appUrl (an environment host, AppHostAllowed), else the
// baseUrl when it is an environment host ({org}.crm[N].dynamics.com) or
// loopback (local mode); otherwise records have no URL. Building one makes
// no call and never fails an action.
//
// # Refusals
//
// What the driver refuses before any call is a crm.Refusal naming the
// argument: entity, id, fields.{key}, fields[i], filter,
// entities[i].entity, entities[i].displayFields[j], links[i].entity,
// links[i].id, person.id, mode, key. Dataverse's own refusals keep its
// status, error code and message (e.g. 400 0x80048d19 "… Invalid property
// 'x' was found in entity 'Microsoft.Dynamics.CRM.contact' …"). Mappings
// are checked when saved (mapping.go): the table name, the mode, targets
// that are no column or navigation property, dotted paths, read-only
// columns (createdon, modifiedon, versionnumber, fullname, ticketnumber…),
// lookups' _x_value read form, the primary key, statecode on create.
//
// Lookups: portable field names cannot carry "@", so a lookup is set by its
// navigation property with the related record's address as the value
// ("customerid_contact": "/contacts(guid)"), or with a bare id for the
// standard navigation properties (customerid_contact, parentcustomerid_account,
// primarycontactid, parentaccountid, parentcontactid,
// regardingobjectid_{table}_{activity}). The driver sends these as
// "nav@odata.bind"; such keys given directly pass through.
//
// # Query safety
//
// Values go into $filter as OData literals: strings in single quotes with
// every single quote doubled — the only escape OData string literals have —
// and then the whole query option value is URL-encoded (spaces as %20, so a
// "+" in a phone number stays a plus). contains and startswith are SQL LIKE
// in Dataverse, so their values additionally get %, _ and [ bracketed ([%],
// [_], [[]) to match literally. Field names are checked with crm.ValidField
// and Dataverse's own column shape; a dotted field (parentcustomerid_account.name)
// becomes a navigation path (parentcustomerid_account/name). Ids are checked
// to be GUIDs before they go into a URL or a filter, which is why they need
// no escaping there. Values that are not valid UTF-8 are refused.
//
// # Portable filter
//
// eq ne gt ge lt le map to the OData operators, contains and startsWith to
// the contains() and startswith() functions, all/any to and/or with
// parentheses. in becomes an or-chain of eq (OData 4.0 has no in operator;
// Microsoft.Dynamics.CRM.In would need a second quoting scheme for its JSON
// array). A string that is an ISO date or date-time is written bare in
// range comparisons (Edm.DateTimeOffset columns refuse a quoted string), and
// a GUID compared with a key or lookup column (…id, _x_value) is written as
// an Edm.Guid literal. Every portable operator can be expressed.
//
// # Searches
//
// Phone: one request per table (contact, lead, account, or the mapping's
// entities), "$filter=telephone1 eq 'v1' or …" over every phone column
// (contact telephone1–3 and mobilephone, lead telephone1 and mobilephone,
// account telephone1–3, or the mapping's search fields) and every form of
// the number: Dataverse compares phone columns as plain text, so the driver
// adds common typed formats to phone.Variants (see phoneForms). Email:
// emailaddress1–3 of contacts and leads. String comparisons in Dataverse are
// case-insensitive. Pages are asked for with Prefer: odata.maxpagesize and
// followed through @odata.nextLink, used verbatim but only on the
// configuration's own host, until the limit is reached. RelatedOpen lists
// incidents with _customerid_value = the contact or account and statecode 0,
// newest modifiedon first.
//
// These are filtered table queries: Dataverse answers them from the
// database, not from a search index, so a new or changed row is found at
// once (the lagging index is Dataverse search, /api/search, which the
// driver does not use). The sandbox therefore has no index lag.
//
// # One round trip with the open cases (crm.RelatedSearcher, related.go)
//
// SearchByPhoneWithRelated and SearchByEmailWithRelated make the same
// queries with the person's open cases expanded: contact and account rows
// get $expand=incident_customer_contacts / incident_customer_accounts
// ($select=RelatedOpen's columns;$filter=statecode eq 0;$orderby=modifiedon
// desc;$top=n). These are the one-to-many relationships on incident's
// customerid (reference/entities/contact.md, account.md), so the expanded
// rows are the ones RelatedOpen reads by _customerid_value. A single-level
// $expand of a collection-valued navigation property takes $select,
// $filter, $orderby and $top, and its rows are not paged
// (webapi/query/join-tables.md); If-None-Match: null is sent because
// expanded collections may otherwise come from a cache. One table is one
// GET; several tables (the default contact, lead, account) are GET
// operations of one $batch, run in order, stopping at the first failure
// (execute-batch-operations-using-web-api.md). Each query asks for the
// search's limit and the rows are taken in table order, pages after the
// first followed as before, so the records equal the calls one by one: a
// single-match search costs one CRM request instead of 2–4 (one per table
// plus RelatedOpen). An environment without the incident table (Dataverse
// without Customer Service) refuses the $expand with a 400; the search is
// then made one call at a time and the connector stops expanding.
// Service protection limits still count each operation of a $batch
// (UNCONFIRMED for GET operations; api-limits.md does not say).
//
// # Writes and FindWrite
//
// Create posts and reads the new id from the OData-EntityId header of the
// 204. Update is a PATCH with If-Match: *, so that it never creates a row (a
// missing one answers 404, NotFound).
//
// The timeline is a phonecall: subject, description (notes plus agent,
// disposition, channel, contact id and recording), phonenumber,
// directioncode (false = incoming), actualdurationminutes (rounded up),
// actualstart/actualend, regardingobjectid_{table}_phonecall@odata.bind to
// the first linked non-person record (a case) or else the first link, and
// phonecall_activity_parties: the linked contacts, leads and accounts on the
// caller's side (From when inbound, To when outbound) and the application
// user from WhoAmI on the other. statecode is not valid on create, so the
// call is created and then completed (PATCH $1 statecode 1 and statuscode 4
// Received or 2 Made) in one $batch change set: one HTTP request, atomic, so
// that no open call is left behind. The create's id comes from its part's
// OData-EntityId; a failing part's status and error body are mapped as a
// lone request's would be (Retry-After of the batch answer too).
//
// The write key is kept in the record's primary key: create-mode writes
// (timeline and memorialization) set the key column to a name-based UUID
// (version 5) of the write kind, table and key. Dataverse documents that a
// create may set the primary key. FindWrite then reads the row by that id
// (found for any table, so Capabilities.FindWriteByKey is true), and a
// create repeated after a lost answer is refused with 0x80040237 (duplicate
// key) instead of writing twice; the driver treats that as the earlier
// write. The lookup is a retrieve by primary key
// (webapi/retrieve-entity-using-web-api.md), a database read: consistent
// right after the write, with no search index in between, for every
// table the driver writes (phone calls and every create-mode
// memorialization), so no mapping needs refusing for want of a key. A phone call counts as written only once completed: an open one
// (left by the two-request writes of earlier versions) is completed when
// AddActivity runs again. Memorialization relates the new
// record to the links: regardingobjectid for activities, customerid for
// incidents, parentcustomerid for contacts, parentaccountid/parentcontactid
// for opportunities and leads; other tables get no relation.
//
// # Errors
//
// The body is {"error":{"code":"0x…","message":"…"}}. 0x80072322,
// 0x80072321 and 0x80072326 (service protection limits, 429) are
// ResourceExhausted with the Retry-After Dataverse sends; 0x80040237 is
// AlreadyExists; 0x80040217 (no such row) and 0x8006088a (no such entity
// set) are NotFound; 0x80040220 is PermissionDenied; everything else follows
// the status (400 InvalidArgument, 403 PermissionDenied, 404 NotFound,
// 5xx Unavailable and retryable, with Retry-After when sent).
//
// # Endpoints
//
// Every call, below {baseUrl}/api/data/{version}/ (v9.2) with Authorization:
// Bearer, OData-MaxVersion: 4.0 and OData-Version: 4.0
// (webapi/compose-http-requests-handle-errors.md; doc paths below
// MicrosoftDocs/powerapps-docs powerapps-docs/developer/data-platform/):
//
//	POST  https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token   token — entra-docs identity-platform/v2-oauth2-client-creds-grant-flow.md
//	GET   WhoAmI                                  Ping, the agent side of a phone call's parties — webapi/reference/whoami.md, whoamiresponse.md
//	GET   {set}?$select=&$filter=&$orderby=       searches, RelatedOpen, Sample (Prefer: odata.maxpagesize, @odata.nextLink) — webapi/query/overview.md, filter-rows.md, page-results.md
//	GET   {set}?…&$expand=incident_customer_{contacts,accounts}($select=;$filter=;$orderby=;$top=)   a one-table search with open cases (If-None-Match: null) — webapi/query/join-tables.md, reference/entities/contact.md, account.md
//	POST  $batch (GET operations, no change set)  a search of several tables with open cases, one request — webapi/execute-batch-operations-using-web-api.md
//	GET   {set}({guid})?$select=                  Get, FindWrite — webapi/retrieve-entity-using-web-api.md
//	POST  {set}                                   Create, create-mode memorialization (204 + OData-EntityId; primary key set by the body) — webapi/create-entity-web-api.md
//	PATCH {set}({guid}) with If-Match: *          Update, update-mode memorialization, completing a phone call — webapi/update-delete-entities-using-web-api.md
//	POST  $batch (one change set, Content-ID $1)  the phone call: create, then complete — webapi/execute-batch-operations-using-web-api.md
//	GET   EntityDefinitions(LogicalName='{logical}')?$select=LogicalName,SchemaName,EntitySetName,DisplayName,PrimaryIdAttribute,PrimaryNameAttribute&$expand=Attributes($select=LogicalName,DisplayName,AttributeType)
//	                                              Describe — webapi/query-metadata-web-api.md, use-web-api-metadata.md
//
// Tables and columns: reference/entities/{contact,lead,account,incident,
// opportunity,phonecall,task}.md. Service protection limits (429,
// Retry-After, 0x80072322/0x80072321/0x80072326): api-limits.md. Record
// URLs: model-driven-apps/open-forms-views-dialogs-reports-url.md.
//
// Unconfirmed: the 401 body; the message text of 0x80040217; the
// concurrency code 0x80072326 (documented for the SDK only); the status and
// code Dataverse answers EntityDefinitions for a table that does not exist
// (the sandbox answers 404 0x80041102, the SDK's "not found in the
// MetadataCache" fault); regardingobjectid_contact_task as a navigation
// property name (it follows the documented pattern).
package dynamics
