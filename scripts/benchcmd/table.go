package main

import (
	"fmt"
	"io"
	"math"
	"strings"

	sbtable "github.com/crmflow/crmflow/shared/sandbox/sandboxes"
)

// row is one line of the table.
type row struct {
	measure, value, reference, ratio, target, holds string
}

func writeTable(w io.Writer, s samples, bins []*binary, awsCalls int64) {
	var rows []row
	add := func(r row) { rows = append(rows, r) }

	// Warm search.
	for _, lat := range []string{"0ms", "20ms"} {
		h := s.get("BenchmarkWarmSearch/crm="+lat+"/path=handler", "ns/op")
		r := s.get("BenchmarkWarmSearch/crm="+lat+"/path=raw", "ns/op")
		target, holds := "— (crmflow's own cost)", "—"
		if lat == "20ms" {
			target, holds = "≤ 1.05×", verdict(h.ok && r.ok, ratio(h, r) <= 1.05)
		}
		add(row{"Warm search, Salesforce answering in " + lat + ": handler vs driver alone (the search with open cases: 1 composite call each)",
			dur(h), dur(r), ratioText(h, r), target, holds})
	}
	handler := "BenchmarkWarmSearch/crm=20ms/path=handler"
	rd, wr, sec := s.get(handler, "dbreads/op"), s.get(handler, "dbwrites/op"), s.get(handler, "secretreads/op")
	add(row{"DynamoDB reads per warm search", num(rd), "—", "—", "1 (the card, for the contact's own records)", verdict(rd.ok, rd.median <= 1)})
	add(row{"DynamoDB writes per warm search", num(wr), "—", "—", "1 (the card write SPEC §3.1 requires)", verdict(wr.ok, wr.median <= 1)})
	add(row{"Secrets Manager reads per warm search", num(sec), "—", "—", "0", verdict(sec.ok, sec.median == 0)})

	// Tokens.
	for _, e := range sbtable.All {
		if e.TokenAt == "" {
			continue // a static credential: no token to ask for
		}
		c := string(e.CRM)
		t := s.get("BenchmarkTokenRequests/crm="+c, "token-requests/1000")
		add(row{"Token requests per 1,000 searches from a cold Lambda, 20 concurrent, " + c, num(t),
			"1 token lifetime (the run is shorter)", "—", "1", verdict(t.ok, t.median <= 1)})
	}

	// Post-call.
	b10 := s.get("BenchmarkPostCallBatch10/path=batch10", "ns/op")
	one := s.get("BenchmarkPostCallBatch10/path=one-crm-call", "ns/op")
	add(row{"Post-call batch of 10 timeline jobs, Salesforce at 100 ms, vs one CRM write", dur(b10), dur(one), ratioText(b10, one),
		"≤ 1.5×", verdict(b10.ok && one.ok, ratio(b10, one) <= 1.5)})
	for _, e := range sbtable.All {
		c := string(e.CRM)
		tl := s.get("BenchmarkPostCallJob/crm="+c+"/job=timeline", "crm-calls/job")
		dm := s.get("BenchmarkPostCallJob/crm="+c+"/job=datamemorialization", "crm-calls/job")
		add(row{"CRM API calls per post-call job, " + c + " (timeline / memorialization)", num(tl) + " / " + num(dm), "—", "—",
			"≤ 1.0", verdict(tl.ok && dm.ok, tl.median <= 1 && dm.median <= 1)})
	}

	// Binaries.
	var hello *binary
	for _, b := range bins {
		if b.name == helloName {
			hello = b
		}
	}
	for _, b := range bins {
		if b == hello {
			continue
		}
		add(row{"Binary size, linux/arm64: " + b.name, mb(b.size), mb(hello.size) + " (hello-world)",
			fmt.Sprintf("%.1f×", float64(b.size)/float64(hello.size)), "≤ 20 MiB", verdict(true, b.size <= 20<<20)})
	}
	hs := hello.served()
	for _, b := range bins {
		if b == hello {
			continue
		}
		st := b.served()
		add(row{"Cold start to first invocation served: " + b.name, ms(st), ms(hs) + " (hello-world)", ratioText(st, hs),
			"≤ 3×", verdict(st.ok && hs.ok, ratio(st, hs) <= 3)})
	}

	// Gateway.
	gw := s.get("BenchmarkGatewaySearch/path=gateway", "req/s")
	direct := s.get("BenchmarkGatewaySearch/path=crm-direct", "req/s")
	add(row{"Local gateway throughput, search, Salesforce sandbox at 0 ms (16 clients)", rps(gw), rps(direct) + " (the sandbox called directly)",
		ratioText(gw, direct), "— (this machine's figure)", "—"})

	fmt.Fprintln(w, "| Measure | crmflow | Reference, same run | Ratio | Target | Holds |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---|---|")
	for _, r := range rows {
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s |\n", r.measure, r.value, r.reference, r.ratio, r.target, r.holds)
	}
	n := 0
	for _, u := range s {
		for _, vs := range u {
			n = max(n, len(vs))
		}
	}
	fmt.Fprintf(w, "\nMedians of %d benchmark runs (go test -count) and %d cold starts per binary; ± is the largest distance of a run from its median.\n",
		n, len(hello.initRun))
	fmt.Fprintf(w, "Cold-start process start → first GET …/invocation/next (init alone), medians: %s.\n", initList(bins))
	fmt.Fprintf(w, "AWS requests made by all cold starts and first invocations: %d (the functions pointed at a counting loopback endpoint).\n", awsCalls)
}

func initList(bins []*binary) string {
	var parts []string
	for _, b := range bins {
		parts = append(parts, b.name+" "+ms(b.toNext()))
	}
	return strings.Join(parts, ", ")
}

func ratio(a, b stat) float64 {
	if !a.ok || !b.ok || b.median == 0 {
		return math.Inf(1)
	}
	return a.median / b.median
}

func ratioText(a, b stat) string {
	if !a.ok || !b.ok || b.median == 0 {
		return "n/a"
	}
	return fmt.Sprintf("%.2f×", a.median/b.median)
}

func verdict(measured, ok bool) string {
	switch {
	case !measured:
		return "not measured"
	case ok:
		return "yes"
	}
	return "**no**"
}

func spread(st stat) string {
	if st.n < 2 {
		return ""
	}
	return fmt.Sprintf(" ±%.0f%%", st.spread*100)
}

func dur(st stat) string {
	if !st.ok {
		return "n/a"
	}
	d := st.median / 1e6
	if d < 10 {
		return fmt.Sprintf("%.3f ms%s", d, spread(st))
	}
	return fmt.Sprintf("%.1f ms%s", d, spread(st))
}

func ms(st stat) string {
	if !st.ok {
		return "n/a"
	}
	return fmt.Sprintf("%.2f ms%s", st.median, spread(st))
}

func num(st stat) string {
	if !st.ok {
		return "n/a"
	}
	return strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%.2f", st.median), "0"), ".")
}

func rps(st stat) string {
	if !st.ok {
		return "n/a"
	}
	return fmt.Sprintf("%.0f req/s%s", st.median, spread(st))
}

func mb(n int64) string { return fmt.Sprintf("%.1f MB", float64(n)/(1<<20)) }
