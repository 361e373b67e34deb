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
// Entities are REST resource names: contacts, incidents, organizations,
// tasks, and custom objects as Package.Object (CO.CallNote); the same
// names work in ROQL's FROM. Fields are camelCase field paths (name.first,
// emails.address, statusWithType.status.lookupName); in writes a dotted
// path builds the nested JSON ({"organization.id": 7} →
// {"organization":{"id":7}}), and ids given as digit strings become
// numbers. Ids are positive integers and are checked before they go into a
// path or a query. Records carry the resource name as entity; display
// names are the site's lookupName, for incidents followed by the subject.
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
// # Writes and FindWrite
//
// Create is POST (201, Location and the full resource), Update is PATCH
// (200, empty body; a missing record is 404). The timeline writes an
// incident thread (entryType 1, Note): appended with PATCH to the first
// linked incident, or else as the first thread of a new call-log incident
// (subject, the linked contact as primaryContact, organization, channel
// Phone for voice, status 2 Solved so it does not show as open work).
//
// The write key is kept as "[crmflow:{kind}:{key}]" — a digest of the key
// when it is long or holds other characters — at the end of the thread
// text and of the subject of a call-log incident; create-mode
// memorialization into incidents and tasks puts it at the end of the
// subject or name (Connect has no standard external-reference field, and
// a custom field would need setting up on every site). FindWrite finds a
// timeline write by subject LIKE '%[marker]' on incidents, else by
// threads.text LIKE '%[marker]%' (a site that refuses that query answers
// not found), and a memorialization by its key field; answers are checked
// against the marker. Memorialization into other resources cannot be found
// again (found is false). Memorialization relates the new record to the
// links: primaryContact and organization for incidents, contact, incident
// and organization for tasks, contact and incident for custom objects.
//
// # Errors
//
// The body is RFC 7807-like: {"type",".../exceptions/OSC-CREST-nnnnn",
// "title","status","detail","instance","o:errorCode"}; the code is kept as
// CRMCode and "title: detail" as the message. 400 is InvalidArgument (a
// failed write OSC-CREST-00006, a bad query OSC-CREST-00007), 401
// Unauthenticated, 403 PermissionDenied, 404 NotFound. Throttling is 503
// with OSC-CREST-00035 (not 429): ResourceExhausted, retryable after
// osvc-crest-next-request-after milliseconds (else Retry-After); other 5xx
// are Unavailable and retryable.
package oracle
