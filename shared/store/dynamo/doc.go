// Package dynamo is the DynamoDB adapter of store.Store: one table, string
// keys pk and sk, on-demand billing, TTL on the number attribute ttl.
//
// Items (t = tenant id, c = configuration id):
//
//	pk                      sk                   holds
//	T#{t}                   TENANT               store.Tenant
//	KEY#{hash}              KEY                  store.APIKey (the authorizer's one GetItem)
//	T#{t}                   KEYID#{id}           store.APIKey (finds the hash to delete)
//	T#{t}                   CONF#{c}             store.Configuration
//	T#{t}                   WF#{c}#{id}          store.Workflow
//	T#{t}                   DM#{c}#{id}          store.DataMapping
//	T#{t}                   DDM#{c}#{id}         store.DynamicDataMapping
//	T#{t}#CARD#{contact}    META                 configurationId          (ttl)
//	T#{t}#CARD#{contact}    CUR#{entity}#{id}    record, pinned, order    (ttl)
//	T#{t}#CARD#{contact}    REL#{entity}#{id}    record, order            (ttl)
//	T#{t}#CARD#{contact}    JOB#{jobId}          store.JobSummary, order  (ttl)
//	T#{t}#JOB#{id}          JOB                  store.Job                (ttl)
//
// The tenant is part of every key, so another tenant's ids are simply not
// found. A configuration's workflows and mappings share its partition and
// sort-key prefixes, so ListWorkflows is one Query and DeleteConfiguration a
// Query plus batched deletes.
//
// A card is one partition with an item per record, so a search adds its
// results with a single BatchWriteItem and no read; GetCard is one Query.
// A record with both a CUR and a REL item is current: a related write never
// demotes it. Each card item carries its own ttl (store.CardTTL after it was
// written) and GetCard drops expired ones itself, since DynamoDB deletes them
// only eventually. Records are ordered by the time of their last write, then
// by their position in that WriteCard call (attributes written and seq).
//
// Key hashes are unique through a transaction that creates KEY#{hash} and
// KEYID#{id} only if both are absent. Configurations carry a version that is
// bumped with a conditional write, so concurrent edits never lose an increment.
package dynamo
