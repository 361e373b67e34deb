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
// # Entities, ids, fields
//
// user, ticket, organization (the Search API's type: values and the JSON
// roots); ids are positive integers, checked before they enter a path.
// Fields are attribute paths: user_fields.job_title, comment.body,
// custom_fields.{id} (or custom_field_{id}) for ticket custom fields, which
// become Zendesk's [{"id","value"}] list on writes.
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
// requester:{id} status<solved, newest update first.
//
// Search is eventually consistent in Zendesk (new records show up within
// minutes); reads by id and the external_id list endpoints are not.
//
// # Timeline, memorialization, FindWrite
//
// The timeline is a private comment: on the first linked ticket (tagged
// crmflow_tl_{digest}) or on a new ticket requested by the linked user with
// external_id crmflow:timeline:{key}. Memorialization creates users,
// tickets or organizations with external_id crmflow:datamemorialization:{key}
// (unless mapped), related to the links (requester_id, organization_id),
// or updates linked records. FindWrite reads external_id through
// GET /api/v2/tickets?external_id=, /users/search?external_id= and
// /organizations/search?external_id= (consistent), and comment tags through
// search (lagging: the idempotency ledger covers that window).
//
// # Errors
//
// {"error","description","details"} bodies keep the error code and
// description; validation details only by field and code (their text
// quotes values). 401 Unauthenticated, 403 PermissionDenied, 404 NotFound,
// 400/422 InvalidArgument (422 DuplicateValue AlreadyExists), 409
// Unavailable (write collision, retry), 429 ResourceExhausted with
// Retry-After (text/plain body), 5xx Unavailable with Retry-After.
package zendesk
