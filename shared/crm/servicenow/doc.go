// Package servicenow is the crm.Connector for ServiceNow through the Table
// API (/api/now/{version}/table/{table}, v2 by default).
//
// # Auth
//
// Basic (auth.username, credentials.password): one fixed Authorization
// header; a 401 is Unauthenticated and is not retried. OAuth client
// credentials (auth.clientId, credentials.clientSecret): a form POST of
// grant_type=client_credentials, client_id and client_secret to
// {baseUrl}/oauth_token.do (the endpoint refuses JSON; auth.tokenUrl may
// name another path on the same instance). The instance must allow the
// grant (glide.oauth.inbound.client.credential.grant_type.enabled and an
// OAuth application user on the registry entry). Tokens are cached through
// crmhttp.TokenCache until expires_in runs out; a 401 from the Table API
// drops the refused token, fetches one new token and retries once. The
// password grant is never used (SPEC §4.4). Production hosts are
// {instance}.service-now.com; the token endpoint is on the same host.
//
// # Names and ids
//
// Entities are table names (sys_user, customer_contact, csm_consumer,
// incident, interaction, sn_customerservice_case, task, core_company, u_…
// custom tables and x_{vendor}_{app}_… scoped ones), the one spelling the
// Table API takes in /api/now/table/{tableName}. Table names hold only
// lowercase ASCII letters, digits and underscores ("Create a table", snd
// platform-administration/table-administration-and-data-management/
// t_CreateATable.md), so every action takes a table name in any letter
// case (Incident, SYS_USER) and uses the lowercase name in paths, queries,
// records and URLs, through one function (canonicalEntity). A table label
// is no API spelling and names no single table (the documentation labels
// sn_customerservice_case, sn_hcls_case and sn_sprb_mgmt_case "Case",
// sys_user and imp_user "User"; an instance may relabel any table): the
// labels and plurals of the standard tables (User, Contact, Case, Company,
// Account, users, incidents…) are refused naming the table to use, and so is
// anything that cannot be a table name, before any call. Fields are column
// names, optionally dot-walked through references (caller_id.email) in reads
// and filters, never in writes, lowercase as the dictionary makes them
// (r_DictionaryEntryForm.md). Ids are sys_ids (32 lowercase hex characters)
// and are checked before they go into a path or a query; path segments are
// escaped as well. Records carry their row's sys_class_name as entity,
// since a sys_user query also answers customer_contact rows. Display names
// are "number short_description" for tickets and name for people.
//
// Record URLs are the classic UI form of a record framed by nav_to.do,
// {app}/nav_to.do?uri={table}.do%3Fsys_id%3D{sys_id} ("Examples of
// navigating by URL", snd platform-user-interface/
// r_NavigatingByURLExamples.md: nav_to.do?uri=<table name>.do?sys_id=<sys_id>,
// the inner URL escaped), where {app} is the configuration's appUrl (scheme
// and host; the admin layer allows only the baseUrl host, there being no
// AppHostAllowed) or else the instance itself, whose host serves the agent
// UI. Building one makes no call and never fails an action: a reference
// that is no table and sys_id has no URL.
//
// # Unknown columns
//
// The Table API does not refuse a column the table lacks. In a request
// body it is dropped and the write succeeds; in sysparm_fields "invalid
// fields are ignored" (c_TableAPI.md); in sysparm_query "by default, if
// part of a query is invalid, such as an invalid field name, the instance
// ignores the invalid part. It then returns rows using only the valid
// portion of the query", unless glide.invalid_query.returns_no_rows is
// true (c_TableAPI.md, sysparm_query). The driver refuses what cannot be a
// column name before any call, and guards the rest: phone and email
// searches read the searched columns back and keep only rows that hold the
// key; a custom search reads its filter's columns back and refuses (naming
// filter) when an answered row lacks one, the sign that the instance
// dropped that condition; write keys are only queried on task tables,
// which have correlation_id. A mistyped column in a create or update body
// cannot be seen before the write and is dropped by the instance: the
// configuration test (Describe against sys_dictionary) is where a mapping's
// columns are checked.
//
// # Query safety
//
// Values go into sysparm_query, the encoded query language, which has no
// quoting: "^" separates terms (^ AND, ^OR, ^NQ, ^ORDERBY…) and a value
// simply runs to the next separator. The platform's own escape for a caret
// in a value is to double it (GlideStringUtil.escapeQueryTermSeparator
// "replaces query term separators "^" with their escape sequence "^^"";
// confirmed in ServiceNow's server API declarations and in scripts that
// use it), so the driver doubles every caret. What the escape leaves
// ambiguous is refused with InvalidArgument: a value ending in a caret
// (its doubled caret meets the next separator) and control characters such
// as line breaks. Other characters need nothing: operators are read right
// after the column name, so a value cannot change them, except that a
// range value starting with "=", "<", ">", "!" or "@" is refused ("<" then
// "=5" would read as "<=5"). The IN operator separates its values with
// commas and has no escape for one, so an "in" value holding a comma is
// refused. The whole sysparm_query is then URL-encoded as one parameter.
//
// # Portable filter
//
// eq = (empty value: ISEMPTY), ne != (empty: ISNOTEMPTY), contains LIKE,
// startsWith STARTSWITH, gt > gte >= lt < lte <=, in IN (comma list). An
// encoded query has no parentheses: ^OR binds only its neighbours, so a
// query is an OR (^NQ) of ANDs (^) of ORs (^OR). all/any of any depth are
// brought to that shape (any of conditions is one ^OR clause, any of
// larger parts becomes ^NQ queries, all multiplies them out), bounded to 16
// queries and 128 conditions; beyond that the filter is refused as too
// complex. contains and startsWith need a non-empty value. Whether LIKE
// treats % or _ in a value as wildcards is not documented (the sandbox
// treats them literally).
//
// # Searches
//
// Every read sends sysparm_fields, sysparm_limit, sysparm_offset,
// sysparm_exclude_reference_link=true and sysparm_display_value=false, and
// orders by sys_id so that pages are stable. Pages hold up to 100 rows; the
// Link header's rel="next" URL is followed verbatim, only on the
// configuration's own instance and below /api/now/, until the limit.
//
// Phone: sys_user (phone, mobile_phone, home_phone) and customer_contact
// (phone, mobile_phone), or the mapping's tables and columns, one IN of
// every form of the number per column: phone columns are free text, so the
// driver adds the formats agents type to phone.Variants (see phoneForms).
// Email: the email column of the same tables. Text comparisons on an
// instance are case-insensitive. Results are merged by sys_id. RelatedOpen:
// incidents with caller_id = the user, or for a customer_contact the cases
// (sn_customerservice_case) with contact = the contact, active=true, newest
// sys_updated_on first.
//
// Every search is a Table API condition (=, IN, LIKE, STARTSWITH…), never
// a text search (123TEXTQUERY321, IR_AND_QUERY and the other Zing
// operators, described only by third parties: snprotips.com "Powerful
// Scripted Text Search in ServiceNow", 2017): it filters the table's rows
// as FindWrite does (see Exactly once), so the sandbox has no search index
// to lag.
//
// # Search round trips
//
// A single-match phone or email search with its open tickets takes one
// call per searched table (sys_user and customer_contact by default, one
// per mapped table otherwise) and one RelatedOpen call: 3 by default, 2
// with one mapped table (TestSingleMatchSearchCalls). The driver is no
// crm.RelatedSearcher, because no call of the published API gives the same
// answer as those two steps in every case:
//   - the Table API reads one table per call and has no expansion of a
//     related list (c_TableAPI.md: sysparm_fields dot-walks a reference of
//     the row read, from the row to what it names, never back). An
//     incident read with a dot-walked condition on the caller
//     (caller_id.phoneIN…^active=true) answers the open incidents with the
//     caller's columns, but misses a person with no open incident, a CSM
//     contact (whose tickets are cases, a second table) and a second person
//     with the number: it cannot stand in for the person search.
//   - the Batch API (POST /api/now/v1/batch, snd api-reference/rest-apis/
//     batch-api.md) sends several requests in one call, but each is
//     written before any answer: the ticket read cannot take the match's
//     sys_id. A batch of the person reads and dot-walked ticket reads would
//     need a second call whenever the ticket answer could hold other
//     callers' tickets (rows the instance matched and the driver's key check
//     drops fill its limit), and the batch endpoint is not in the sandbox
//     nor confirmed by a recorded answer (a ServiceNow community thread,
//     "Batch API doesn't work", 2023, reports it answers only as v1).
//     Left for a later round.
//
// # Writes and FindWrite
//
// Create is POST (201 {"result":{…}}), Update is PATCH (a missing row
// answers 404). The timeline writes a work note (PATCH work_notes, a private
// journal entry the platform keeps in sys_journal_field) on the first linked
// record of a task table (incident, case, interaction…); with no such link
// it creates an interaction: type phone (voice) or chat (chat, sms, social;
// email for email — the base choices confirmed are phone and chat),
// state closed_complete, short_description, the note as work_notes,
// opened_for the linked user or contact (and contact for a CSM contact).
//
// The write key is kept in task.correlation_id, the column integrations use
// to tie a task to the external system that created it (correlation_display
// names that system: crmflow), as crmflow:{kind}:{key} — a digest of the key
// when it is long or unusual, since the column holds 100 characters. The
// work note ends with "[marker]" as well. correlation_id is only queried on
// known task tables (taskTables): a default instance drops a condition on
// an unknown column and would answer every row; answers are checked against
// the marker as well. The interaction table extending task (and so having
// correlation_id) is not spelled out in the sources found; its parent,
// work_notes and assignment columns point that way.
//
// # Exactly once
//
// FindWrite reads only through Table API conditions (sysparm_query, "an
// encoded query string used to filter the results" of GET
// /now/table/{tableName}, c_TableAPI.md), a filtered read of the table's
// rows: no source describes any delay before a written row answers one,
// and the driver relies on there being none (our reading of the reference,
// not a quoted guarantee). No FindWrite read goes through a text search:
// Zing's text index ("Zing text indexing and search engine", snd
// platform-administration/search-administration/) is built apart from the
// rows ("you may notice … incomplete search results during index
// generation", configure-single-table-for-indexing.md; a record a search
// misses is re-indexed by regenerate-text-index-one-record.md); how soon a
// new row is indexed is not documented.
// Per place a write can be:
//
//   - timeline, work note: AddActivity writes on the first linked task
//     record, so with the links known (WriteLookup.Links non-nil) FindWrite
//     reads that one record's journal entries, sys_journal_field
//     element_id={sys_id}^element=work_notes^valueLIKE[marker], and checks
//     the entry holds the marker and names that record.
//   - timeline, interaction (no task record linked): interaction
//     correlation_id={marker}.
//   - links unknown (nil): the interaction, then any work note holding the
//     marker (sys_journal_field element=work_notes^valueLIKE[marker]).
//   - memorialization, create mode, into a task table: {table}
//     correlation_id={marker}.
//   - memorialization into any other table (sys_user, customer_contact,
//     custom u_ and x_ tables): no column to key it in — correlation_id is
//     task's, and a per-table custom column would need the admin to add it
//     to every such table — so MappingCheck refuses a create-mode mapping
//     into a table that is no known task table (400 on entity, saying why
//     and naming the tables to use, or mode update). A custom table
//     extending task is not told from another without a call and is refused
//     too. A create already mapped there before the check existed is still
//     written, unkeyed, and FindWrite answers not found without a call.
//
// Reading sys_journal_field needs read access to it on the instance.
//
// Memorialization relates the new record to the links: caller_id for
// incidents, contact for cases, opened_for/contact/parent for interactions,
// parent for other task tables; other tables get no relation.
//
// # Errors
//
// The body is {"error":{"message","detail"},"status":"failure"}; the
// message and detail are kept (ServiceNow has no error codes). 401 is
// Unauthenticated, 403 PermissionDenied except a data policy refusal
// ("Data Policy Exception: … mandatory", InvalidArgument), 404 NotFound
// ("No Record found"), 400 InvalidArgument (invalid table, bad
// parameters), 429 ResourceExhausted with Retry-After (or
// X-RateLimit-Reset), 5xx Unavailable; both retryable.
//
// # Inspector
//
// Ping reads one sys_id of sys_user (GET …/table/sys_user?sysparm_limit=1,
// the call a real integration makes to validate credentials). Sample reads
// one row of a table. Describe walks the table's hierarchy in sys_db_object
// (the row named table, then super_class up to a root whose super_class is
// empty) and reads the sys_dictionary rows of all of them (name IN the
// chain, element not empty: the collection row of a table has none), with
// column_label as label and internal_type as type; "a filtered list of
// dictionary entries for the Incident table and the Task table, which it
// extends" (c_DataDictionaryTables.md). A table the instance lacks is
// NotFound. Reading sys_db_object and sys_dictionary needs read access to
// them on the instance.
//
// # Endpoints
//
// Every call, below {baseUrl}/api/now/{version}/table/ (v2 by default),
// with Authorization: Basic or Bearer (snd = github ServiceNow/ServiceNowDocs
// markdown/; REAL = JupiterOne/graph-servicenow HAR recordings, see
// testdata/real/SOURCES.md):
//
//	POST  {baseUrl}/oauth_token.do                    token (client credentials) — snd platform-security/authentication/client-credentials.md; api-reference/rest-api-explorer/r_RESTOAuthExample.md
//	GET   sys_user?sysparm_limit=1                    Ping — snd api-reference/rest-apis/c_TableAPI.md (GET /now/table/{tableName}); REAL validateInvocation*.har
//	GET   {table}?sysparm_query=…&sysparm_fields=…    searches, Sample, RelatedOpen, FindWrite: {task table}?sysparm_query=correlation_id=…, sys_journal_field?sysparm_query=element_id=…^element=work_notes^valueLIKE… (its columns name, element, element_id, value: rbw/aiosnow aiosnow/models/table/declared/journal.py) — c_TableAPI.md (sysparm_query, sysparm_fields, sysparm_limit, sysparm_offset, Link, X-Total-Count); REAL step-users, step-incidents
//	GET   {table}/{sys_id}                            Get, the hierarchy walk — c_TableAPI.md (GET /now/table/{tableName}/{sys_id}); REAL sys_db_object/{sys_id}
//	POST  {table}                                     Create, create-mode memorialization, interaction — c_TableAPI.md (POST /now/table/{tableName}, 201, Location)
//	PATCH {table}/{sys_id}                            Update, update-mode memorialization, work notes — c_TableAPI.md (PATCH /now/table/{tableName}/{sys_id}; its example writes the comments journal field)
//	GET   sys_db_object?sysparm_query=name={table}    Describe: the table and its super_class — c_DataDictionaryTables.md (Tables [sys_db_object]); REAL validateInvocationPassesWithBadCMDBClasses.har
//	GET   sys_dictionary?sysparm_query=nameIN…        Describe: the columns — c_DataDictionaryTables.md (Dictionary Entries [sys_dictionary]); c_GlideRecordAPI.md (name, element, internal_type)
//
// Unconfirmed (no recorded or published answer found): the 404 "No Record
// found" and 400 "Invalid table" bodies (quoted by code repositories), a
// sys_dictionary answer, the client-credentials token answer, the
// interaction table's type choices beyond phone and chat, the 80-character
// limit of a table name, whether a dot-walked column through an empty
// reference is answered as "" (the filter check assumes so), and how an
// instance treats an encoded query with an unknown operator (the sandbox
// answers no rows).
package servicenow
