// Package perf holds the benchmarks behind ./scripts/bench: the numbers a
// contact center feels (the IVR's wait on a search, the CRM API quota a
// post-call job burns, the token requests a warm Lambda makes) measured next
// to a reference taken in the same run. It is test-only: every benchmark
// lives in a _test.go file, and scripts/benchcmd turns their output into
// the table in docs/performance.md. Nothing here asserts on time.
package perf
