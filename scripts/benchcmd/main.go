// Command benchcmd is the Go half of ./scripts/bench: it reads the output of
// the shared/perf benchmarks (go test -bench -count N), builds every function
// and a hello-world Lambda the way ./scripts/build does, times their cold
// starts against a local stand-in for the Lambda Runtime API, and prints one
// Markdown table: each figure is the median of the runs, beside the
// reference measured in the same run and the target it answers to.
package main

import (
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"runtime"
	"strings"
	"time"
)

func main() {
	benchFile := flag.String("bench", "", "go test -bench output of ./shared/perf")
	runs := flag.Int("runs", 15, "cold starts per function")
	dir := flag.String("dir", "", "directory for the built binaries (default: a temporary one)")
	out := flag.String("o", "", "also write the table to this file")
	searches := flag.Int("searches", 200, "warm searches per CRM, latency and path in the search comparison (0 skips it)")
	crms := flag.String("crms", "", "comma-separated CRM types for the search comparison (default: all seven)")
	peer := flag.String("peer-salesforce", "", "a checkout of amazon-connect/amazon-connect-salesforce-lambda: adds its phoneLookup as a row (skipped without it)")
	searchOnly := flag.Bool("search-only", false, "run the search comparison only (no -bench file, no builds)")
	flag.Parse()
	log.SetFlags(0)
	log.SetPrefix("benchcmd: ")
	if *searchOnly {
		w, closeOut := output(*out)
		defer closeOut()
		fmt.Fprintf(w, "Machine: %s. Run: %s.\n", machine(), time.Now().UTC().Format("2006-01-02 15:04 MST"))
		writeSearchTable(w, comparison(*searches, *crms, *peer), *searches)
		return
	}

	s, err := readBench(*benchFile)
	if err != nil {
		log.Fatal(err)
	}
	work := *dir
	if work == "" {
		if work, err = os.MkdirTemp("", "crmflow-bench-"); err != nil {
			log.Fatal(err)
		}
		defer os.RemoveAll(work)
	}
	fmt.Fprintln(os.Stderr, "building the functions and the hello-world Lambda (linux/arm64 and "+runtime.GOOS+"/"+runtime.GOARCH+") …")
	bins, err := buildAll(work)
	if err != nil {
		log.Fatal(err)
	}

	stub := &awsStub{}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	go func() { _ = (&http.Server{Handler: stub, ReadHeaderTimeout: 5 * time.Second}).Serve(l) }()
	home, err := os.MkdirTemp("", "crmflow-bench-home-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(home)
	fmt.Fprintf(os.Stderr, "timing %d cold starts of each of %d binaries …\n", *runs, len(bins))
	if err := coldStarts(bins, *runs, "http://"+l.Addr().String(), home); err != nil {
		log.Fatal(err)
	}

	var cmp []cmpResult
	if *searches > 0 {
		cmp = comparison(*searches, *crms, *peer)
	}
	w, closeOut := output(*out)
	defer closeOut()
	fmt.Fprintf(w, "Machine: %s. Run: %s.\n\n", machine(), time.Now().UTC().Format("2006-01-02 15:04 MST"))
	writeTable(w, s, bins, stub.calls.Load())
	if *searches > 0 {
		writeSearchTable(w, cmp, *searches)
	}
}

// comparison runs the search comparison and, given a checkout, the peer.
func comparison(n int, crms, peerDir string) []cmpResult {
	fmt.Fprintf(os.Stderr, "search comparison: %d warm searches per CRM, latency and path …\n", n)
	rs := searchComparison(n, crms)
	if peerDir == "" {
		fmt.Fprintln(os.Stderr, "no -peer-salesforce directory: the Amazon Connect Salesforce Lambda row is skipped")
		return rs
	}
	peer := peerComparison(peerDir, n)
	if peer[0].peerSkip != "" {
		fmt.Fprintln(os.Stderr, "the Amazon Connect Salesforce Lambda row is skipped: "+peer[0].peerSkip)
	}
	return append(rs, peer...)
}

// output is stdout, and the file too when one is named.
func output(path string) (io.Writer, func()) {
	if path == "" {
		return os.Stdout, func() {}
	}
	f, err := os.Create(path)
	if err != nil {
		log.Fatal(err)
	}
	return io.MultiWriter(os.Stdout, f), func() { f.Close() }
}

// machine describes where the numbers come from: they only compare within a run.
func machine() string {
	cpu := "unknown CPU"
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				cpu = strings.TrimSpace(v)
				break
			}
		}
	}
	load := "n/a"
	if b, err := os.ReadFile("/proc/loadavg"); err == nil {
		if f := strings.Fields(string(b)); len(f) >= 3 {
			load = strings.Join(f[:3], " ")
		}
	}
	return fmt.Sprintf("%s/%s, %s, %d cores, %s, load average at the end %s", runtime.GOOS, runtime.GOARCH, cpu, runtime.NumCPU(), runtime.Version(), load)
}
