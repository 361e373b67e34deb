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
// Entities are table logical names (contact, incident, new_callnote). URLs
// use entity set names: contact→contacts, account→accounts, lead→leads,
// incident→incidents, opportunity→opportunities, phonecall→phonecalls,
// task→tasks, systemuser→systemusers; any other table gets the English
// plural Dataverse gives new tables: "y" after a consonant → "ies", a
// trailing s, x, ch or sh → "es", otherwise "s" (new_callnote→new_callnotes).
// A table whose set name differs from that rule cannot be addressed. The
// primary key is {logicalname}id, except activityid for activity tables
// (phonecall, task, email, appointment, letter, fax…). Display names come
// from fullname (contact, lead, systemuser), ticketnumber and title
// (incident), subject (activities), {prefix}_name (prefixed tables) or name.
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
// write. A phone call counts as written only once completed: an open one
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
package dynamics
