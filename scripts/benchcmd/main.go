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
	flag.Parse()
	log.SetFlags(0)
	log.SetPrefix("benchcmd: ")

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

	w := io.Writer(os.Stdout)
	var f *os.File
	if *out != "" {
		if f, err = os.Create(*out); err != nil {
			log.Fatal(err)
		}
		defer f.Close()
		w = io.MultiWriter(os.Stdout, f)
	}
	fmt.Fprintf(w, "Machine: %s. Run: %s.\n\n", machine(), time.Now().UTC().Format("2006-01-02 15:04 MST"))
	writeTable(w, s, bins, stub.calls.Load())
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
