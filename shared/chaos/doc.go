// Package chaos holds the chaos test of the post-call path (SPEC §4.1–§4.2:
// exactly one CRM write per job, nothing lost). It has no code of its own:
// chaos_test.go runs N timeline and data memorialization jobs through the
// real path — jobs.Service enqueue, SQS queues with dead-letter queues and
// the DynamoDB ledger on moto_server, several eventsource Pollers per queue
// standing in for Lambda's event source mapping, one jobs.Service (its own
// lease owner, connector and token cache) per poller — into the Salesforce,
// ServiceNow, HubSpot and Kustomer sandboxes, while it injects faults:
//
//   - transient CRM failures on ~30 % of CRM API calls, each in its CRM's
//     wire format: rate limits (Salesforce 403 REQUEST_LIMIT_EXCEEDED,
//     ServiceNow 429, HubSpot 429 TEN_SECONDLY_ROLLING, Kustomer 429 with
//     x-ratelimit-reset), server errors, and timeouts (an answer delayed
//     past the configuration's timeoutMs);
//   - write-then-fail on ~1 % of CRM writes (sandbox.Fault.AfterWrite: the
//     CRM wrote, the answer was lost);
//   - token expiry mid-run (ExpireTokens on the OAuth sandboxes, Salesforce
//     and ServiceNow, every 1.5 s);
//   - consumer crashes between steps: after the claim and before the CRM
//     write, after the CRM write and before FinishJob, and after the batch
//     was recorded but before its messages were deleted. A crash kills the
//     whole invocation as a dying Lambda would: nothing after the crash
//     point happens in it (no visibility change, no further ledger write),
//     and the poller, like Lambda, fails the batch so no message is deleted;
//   - duplicate deliveries: ~10 % of requests are sent twice.
//
// Jobs are spread over stacks of stackJobs (200) jobs, each its own table,
// queues and consumers (4 timeline, 2 memorialization pollers): moto's
// TransactWriteItems deep-copies the whole table per call, which makes one
// table of 1,000 jobs quadratic. The 200-job run is one stack.
//
// Jobs that exhaust the queue's maxReceiveCount (5, as in the stack) land
// in the dead-letter queue; the test runs the redrive (shared/redrive
// Mover) every second, as an operator would after an outage, until every
// job is terminal. About 2 % of jobs link a record that does not exist, so
// the CRM refuses them for good: they must end failed with the CRM's reason
// and write nothing.
//
// Each configuration's circuit breaker (workflow.Options.Breaker) stays in
// the path with its cool-down scaled to 2 s, like every other timing of the
// run (lease 5 s, invocation timeout 4 s, CRM deadline 2 s, timeoutMs 1 s,
// queue visibility 5 s, backoff 1–2 s): under 30 % faults it opens now and
// then, and the jobs behind it back off.
//
// Pass: every job ends succeeded or (the deliberately permanent ones)
// failed with a reason; each succeeded job has exactly one record carrying
// its key in its CRM and names that record in crmRecordIds; each failed job
// has none; both queues and dead-letter queues drain; no panic other than
// the injected crashes.
//
// bugs_test.go pins down the two defects the run surfaced (a consumer dying
// on a message's last receive left its job "running"; the redrive could
// overwrite a live claim), as regression tests of their fixes.
//
// Run:
//
//	go test ./shared/chaos                              # 200 jobs (./scripts/test)
//	go test ./shared/chaos -chaos.jobs=1000 -v          # the full run, figures in the log
//	go test ./shared/chaos -chaos.seed=42 -v            # replay a seed's fault plan
//	go test ./shared/chaos -short                       # 40 jobs
//	go test ./shared/chaos -run 'CrashOnLast|RedriveKeeps' -v   # the regressions
//
// Other flags: -chaos.transient, -chaos.afterwrite, -chaos.crash,
// -chaos.duplicate (the rates above) and -chaos.timeout. The figures (jobs,
// faults by kind, crashes, retries, redrives, duration, CRM calls per job)
// are logged as "CHAOS SUMMARY"; -v shows them on a passing run.
//
// The seed fixes the sequence of fault decisions; which request or job
// each decision meets still depends on scheduling, as in production.
package chaos
