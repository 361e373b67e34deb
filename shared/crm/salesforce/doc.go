// Package salesforce is the crm.Connector for Salesforce through the REST
// API (/services/data/{version}/, v62.0 by default): OAuth 2.0 client
// credentials or JWT bearer sessions, SOSL for phone searches, SOQL for
// everything else, and Tasks (keyed by CallObject) for the timeline.
//
// Doc hosts are shortened: dev.sf = developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/,
// objref = developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/.
//
// # Auth
//
// Client credentials (grant_type=client_credentials on the org's own
// /services/oauth2/token) or JWT bearer (RS256 assertion, iss = consumer
// key, sub = username, aud = the login host, on login.salesforce.com or
// test.salesforce.com or the configured tokenUrl). The session's
// instance_url must be the configuration's own host. A 401
// (INVALID_SESSION_ID) drops the token and retries once. Production
// baseUrl hosts are My Domain hosts, {name}.my.salesforce.com (sandboxes
// {name}--{sandbox}.sandbox.my.salesforce.com and other partitioned
// domains alike).
//
// # Names and ids
//
// Object names are case-insensitive in REST URIs and SOQL ("other parts of
// URIs aren't case-sensitive, such as object and field names", dev.sf
// resources_list.htm), so entities.go maps any case of a standard object
// the driver knows (Account, Asset, Campaign, CampaignMember, Case,
// CaseComment, Contact, ContentVersion, Contract, EmailMessage,
// Entitlement, Event, Individual, Lead, LiveChatTranscript, Note,
// Opportunity, OpportunityLineItem, Order, Product2, Quote,
// ServiceAppointment, Task, User, VoiceCall, WorkOrder) to Salesforce's
// own spelling (contact, CONTACT → Contact). Other standard-shaped names
// (ContactPointPhone) pass as given: the Object Reference lists hundreds
// and only the org knows which it has. Custom and derived objects are
// [ns__]Name__suffix with the suffixes __c, __mdt, __e, __x, __b, __Share,
// __History, __Feed, __ChangeEvent; the canonical form is the name as given
// with the suffix as Salesforce spells it (invoice__C → invoice__c; the
// org's own case of the name is only in its describe, so two spellings of
// one custom object stay two spellings in cards). Plurals of standard
// objects (contacts, cases) and names of any other shape are the driver's
// own refusal naming "entity", before any call. Ids are 15 or 18 letters
// and digits, checked before they go into a path or a query.
//
// # Record URLs
//
// A record URL is the Lightning Experience record page,
// {app}/lightning/r/{sObject}/{id}/view (the Record Page type's URL format,
// developer.salesforce.com/docs/atlas.en-us.lightning.meta/lightning/components_navigation_page_definitions.htm;
// "Here's What You Need To Know About The New URL Format For Lightning",
// developer.salesforce.com/blogs/2018/01). {app} is appUrl when the
// configuration names one (AppHostAllowed: {name}.lightning.force.com or
// {name}.my.salesforce.com), else derived from a My Domain baseUrl by
// Salesforce's host rule ({name}.my.salesforce.com →
// {name}.lightning.force.com; help.salesforce.com "My Domain URL Formats",
// domain_name_url_formats.htm), else a loopback baseUrl itself (local
// mode); otherwise records have no URL and nothing fails.
//
// # Query safety
//
// SOQL string literals escape backslash, both quotes and \n \r \t \f; LIKE
// patterns also escape % and _. SOSL terms are quoted phrases with every
// reserved character (? & | ! { } [ ] ( ) ^ ~ * : \ " ' + -) escaped.
// Field and object names are checked segment by segment
// (^[A-Za-z][A-Za-z0-9_]*$, no SOQL keyword).
//
// # Search with open cases in one round trip (crm.RelatedSearcher)
//
// A phone search is one composite request (allOrNone false): the SOSL
// search (referenceId search), then the open cases of its first hit,
// SELECT … FROM Case WHERE (ContactId = '@{search.searchRecords[0].Id}' OR
// AccountId = '@{search.searchRecords[0].Id}') AND IsClosed = false ORDER
// BY LastModifiedDate DESC LIMIT 5. The record type is unknown when the
// request is written; an id is a contact's or an account's (its key
// prefix), so the OR lists exactly the cases RelatedOpen lists, and none
// for a lead. With no hit the reference cannot be resolved: Salesforce
// fails that subrequest alone (400 PROCESSING_HALTED) and the driver does
// not look at it. When the single match is not SOSL's first hit (a
// mapping's search fields dropped the hits before it) its cases are read
// by a second call. An email search puts each entity's SOQL query, and
// the open cases of its first record where the entity has cases, in one
// composite request (at most 5 queries, else the calls one by one). A
// failed open-cases subrequest leaves the match standing (RelatedErr).
// Calls per single-match phone search: 1 (the composite). SOSL lags (see
// "Exactly once"): a search may miss a record written minutes ago; nothing
// that must be exact reads it.
// A SOQL child-relationship subquery (SELECT …, (SELECT … FROM Cases WHERE
// IsClosed = false …) FROM Contact) is not used: SOSL cannot carry it
// (RETURNING takes fields, not subqueries), and a phone search needs SOSL's
// phone normalization.
// Unconfirmed: the exact message of an unresolvable reference (the sandbox
// says "Invalid reference specified. No value for … found in …"), and the
// error code and text for more than 5 queries or 25 subrequests.
//
// # Exactly once (FindWrite)
//
// Every create carries the job's write key in a field FindWrite reads back
// by a consistent read, never by SOSL: Salesforce indexes new and changed
// records for search asynchronously, "about 15 minutes or more" after the
// write (Large Data Volumes guide, developer.salesforce.com/docs/platform/
// salesforce-large-data-volumes-bp/guide/ldv-deployments-concepts-search-architecture.html),
// while SOQL and the sObject resources read the database.
//
//   - Task (timeline writes, create-mode memorialization into Task):
//     CallObject = key; SOQL SELECT Id FROM Task WHERE CallObject = '…'
//     LIMIT 2. CallObject is a standard string(255) with Create, Filter,
//     Group, Nillable, Sort, Update and no idLookup / External ID property
//     (objref sforce_api_objects_task.htm), so the External ID resource
//     cannot read it.
//   - Every other keyed object (standard objects with custom fields, custom
//     objects): crmflow_key__c = key, read by GET
//     sobjects/{sObject}/crmflow_key__c/{key} (sObject Rows by External ID,
//     dev.sf resources_sobject_upsert_get.htm,
//     using_resources_retrieve_with_externalid.htm): 200 the record, 404
//     NOT_FOUND none, 404 "Provided external ID field does not exist or is
//     not accessible: …" a missing field (an error naming the setup, never
//     "not written"), 300 several ("the response body contains the list of
//     matching records", errorcodes.htm): all are returned as found. A key
//     with other characters than letters, digits, _ and - is read by SOQL
//     on crmflow_key__c instead (the resource misreads a value ending in a
//     format extension such as .inc, resources_sobject_upsert_get.htm). Job
//     keys are job_ + base32, so the resource is the path taken.
//   - Objects whose records cannot carry a key (platform events __e: a
//     create publishes, nothing is stored; external objects __x; big
//     objects __b; sharing objects __Share; CaseComment and Note, which
//     take no custom fields): MappingCheck refuses create-mode mappings
//     into them; FindWrite answers not found for a mapping saved before.
//
// Setup (once per org, by an admin; like Oracle's crmflow_key custom
// field): on each object a create-mode mapping writes into (not Task), a
// custom field "crmflow key", API name crmflow_key__c, Text(255), External
// ID, Unique with "ABC" and "abc" distinct (case-sensitive), visible and
// editable for the integration user. Unique makes Salesforce itself refuse
// a second record with the key (400 DUPLICATE_VALUE, AlreadyExists).
// A write into an object without it fails with the org's INVALID_FIELD,
// reworded to say what to make. Making the field is left to the admin, by
// choice (the connector offers no crm.WriteKeySetter): a Tooling/Metadata
// API CustomField create plus the field-level security grant it needs are
// more than a configuration test should do unasked.
// Unconfirmed: the exact shape of the 300 body (the driver reads record
// URLs, or records with Id or attributes.url); that activity custom fields
// (Event) may be External IDs; that CaseComment and Note take no custom
// fields (Setup offers none; no reference page says so).
//
// # Configuration test (crm.Inspector)
//
// Ping reads Resources by Version (GET /services/data/{version}/): it
// needs a session and nothing else, touches no record. The Versions list
// (/services/data/) answers without a session and Limits needs the "View
// Setup and Configuration" permission, so neither is used. Sample is SOQL
// LIMIT 1. Describe reads sobjects/{sObject}/describe: fields[].name,
// label and type (SOAP API's fieldType names: string, phone, email,
// reference, picklist…).
//
// # Saved mappings
//
// Driver().MappingCheck refuses what no org can take: a name no object can
// have; writes to custom metadata types (__mdt, deployed with the Metadata
// API), history, feed and change-event objects; platform events (__e) in
// update mode (they are published, never updated); a mode other than create
// or update; a target that is no field API name or is a relationship path
// (Account.Name); system fields (Id, CreatedDate, CreatedById,
// LastModifiedDate, LastModifiedById, SystemModstamp, IsDeleted,
// LastActivityDate, LastViewedDate, LastReferencedDate; objref
// system_fields.htm) and the read-only standard fields the driver knows
// (Contact/Lead/User Name, Case CaseNumber/IsClosed/ClosedDate, WorkOrder
// WorkOrderNumber/IsClosed, Opportunity IsClosed/IsWon, Task IsClosed);
// create-mode writes into objects that cannot carry the write key ("Exactly
// once"); the key fields themselves as targets (Task CallObject,
// crmflow_key__c); searches on events; search and display fields that are
// no field names.
// Custom fields pass; a configuration test checks them against describe.
//
// # Errors
//
// Salesforce answers errors as an array [{"message","errorCode","fields"}]
// (dev.sf errorcodes.htm). The first errorCode is kept as CRMCode, the
// messages joined as Message (the org's own words: "No such column 'x' on
// sobject of type Contact", "Required fields are missing: [LastName]").
// 400 is InvalidArgument, 401 Unauthenticated, 403 PermissionDenied, 404
// NotFound; REQUEST_LIMIT_EXCEEDED (403) is ResourceExhausted with no
// Retry-After (Salesforce sends none); UNABLE_TO_LOCK_ROW and
// SERVER_UNAVAILABLE are Unavailable; DUPLICATE_VALUE and
// DUPLICATES_DETECTED AlreadyExists; other 5xx Unavailable. The driver's
// own refusals (entity, id, field names, filter, links, mode, key) are
// crm.Refusal errors naming the argument, made before any call.
//
// # Endpoints
//
// Every call the driver makes, with Authorization: Bearer {access_token}
// on the session's instance_url (the configuration's host):
//
//	POST  /services/oauth2/token                        sessions — help.salesforce.com remoteaccess_oauth_client_credentials_flow.htm, remoteaccess_oauth_jwt_flow.htm; REAL JupiterOne/graph-salesforce HAR (token errors)
//	GET   /services/data/{v}/                            Ping — dev.sf resources_discoveryresource.htm, dome_discoveryresource.htm
//	GET   /services/data/{v}/query?q={SOQL}              email and custom searches, RelatedOpen, FindWrite (Task by CallObject; crmflow_key__c for keys unfit for a path), Sample — dev.sf resources_query.htm, dome_query.htm; restforce spec/fixtures/sobject/query_*.json
//	GET   {nextRecordsUrl} (/services/data/{v}/query/{locator})  next query page — dev.sf dome_query.htm ("Retrieving the Remaining SOQL Query Results"); restforce query_paginated_*.json
//	GET   /services/data/{v}/search/?q={SOSL}            phone search — dev.sf resources_search.htm, dome_search.htm
//	POST  /services/data/{v}/composite                   phone and email search with the single match's open cases in one round trip (one API call) — dev.sf resources_composite_composite.htm, requests_composite.htm, resources_composite_subrequest_result.htm
//	GET   /services/data/{v}/sobjects/{sObject}/{id}?fields=…  Get — dev.sf resources_sobject_retrieve.htm, dome_get_field_values.htm; restforce sobject_find_*.json
//	GET   /services/data/{v}/sobjects/{sObject}/crmflow_key__c/{key}  FindWrite for objects other than Task (200 / 404 / 300) — dev.sf resources_sobject_upsert_get.htm, using_resources_retrieve_with_externalid.htm, errorcodes.htm (300); restforce sobject_find_error_response.json (404 text)
//	POST  /services/data/{v}/sobjects/{sObject}          Create, Task (timeline), create-mode memorialization (with CallObject or crmflow_key__c) — dev.sf dome_sobject_create.htm (201 {"id","errors","success"})
//	PATCH /services/data/{v}/sobjects/{sObject}/{id}     Update, update-mode memorialization — dev.sf dome_update_fields.htm (204)
//	GET   /services/data/{v}/sobjects/{sObject}/describe Describe — dev.sf dome_sobject_describe.htm, resources_sobject_describe.htm; restforce sobject_describe_*.json
//
// Task fields (WhoId, WhatId, Subject, Status, TaskSubtype, CallType,
// CallDurationInSeconds, CallObject, CallDisposition, ActivityDate,
// Description): objref sforce_api_objects_task.htm.
//
// Unconfirmed: the full CallType picklist (Inbound, Outbound, Internal as
// the Task reference shows them); the 500 UNKNOWN_EXCEPTION message text;
// that {name}.my.salesforce.com/lightning/r/… sends the browser on to the
// Lightning host (observed behaviour, not a documented rule; the derived
// default is the documented Lightning host); standard read-only fields are
// from the Object Reference pages of the objects named, not a recording.
package salesforce
