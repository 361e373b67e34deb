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
// Entities are table names (sys_user, customer_contact, incident,
// interaction, u_… and x_… custom tables) and fields are column names,
// optionally dot-walked through references (caller_id.email) in reads and
// filters, never in writes. Both must be lowercase, as the platform makes
// them; that also keeps them apart from the uppercase keyword operators of
// an encoded query. Ids are sys_ids (32 lowercase hex characters) and are
// checked before they go into a path or a query; path segments are escaped
// as well. Records carry their row's sys_class_name as entity, since a
// sys_user query also answers customer_contact rows. Display names are
// "number short_description" for tickets and name for people.
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
// when it is long or unusual, since the column holds 100 characters. The work note ends with
// "[marker]" as well. FindWrite finds a timeline write as an interaction by
// correlation_id, else as a work note by a LIKE on sys_journal_field.value
// (which needs read access to sys_journal_field), and a create-mode
// memorialization by correlation_id on task tables. correlation_id is only
// queried on known task tables: a default instance drops a condition on an
// unknown column and would answer every row; answers are checked against
// the marker as well. Memorialization into other tables (sys_user, custom
// u_ tables) cannot be found again, so FindWrite reports not found there.
// The interaction table extending task (and so having correlation_id) is
// not spelled out in the sources found; its parent, work_notes and
// assignment columns point that way.
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
package servicenow
