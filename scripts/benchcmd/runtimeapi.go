package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// runtimeAPI is a local stand-in for the Lambda Runtime API: it hands out
// one invocation on GET /2018-06-01/runtime/invocation/next, notes when the
// function answers it (…/response or …/error), and holds every later
// /next open, as Lambda does between invocations.
type runtimeAPI struct {
	event    []byte
	served   chan time.Time
	initErr  chan string
	handed   atomic.Bool
	once     sync.Once
	firstAsk chan time.Time
}

func newRuntimeAPI(event []byte) *runtimeAPI {
	return &runtimeAPI{event: event, served: make(chan time.Time, 1), initErr: make(chan string, 1), firstAsk: make(chan time.Time, 1)}
}

const requestID = "8f507cfc-0000-4000-8000-000000000001"

func (a *runtimeAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.Method == http.MethodGet && r.URL.Path == "/2018-06-01/runtime/invocation/next":
		if a.handed.Swap(true) {
			<-r.Context().Done() // the process is killed while it waits
			return
		}
		a.firstAsk <- time.Now()
		h := w.Header()
		h.Set("Lambda-Runtime-Aws-Request-Id", requestID)
		h.Set("Lambda-Runtime-Deadline-Ms", fmt.Sprint(time.Now().Add(30*time.Second).UnixMilli()))
		h.Set("Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:us-east-1:000000000000:function:bench")
		h.Set("Lambda-Runtime-Trace-Id", "Root=1-00000000-000000000000000000000000;Parent=0000000000000000;Sampled=0")
		h.Set("Content-Type", "application/json")
		_, _ = w.Write(a.event)
	case r.Method == http.MethodPost && strings.HasPrefix(r.URL.Path, "/2018-06-01/runtime/invocation/"+requestID+"/"):
		_, _ = io.Copy(io.Discard, r.Body)
		now := time.Now()
		w.WriteHeader(http.StatusAccepted)
		a.once.Do(func() { a.served <- now })
	case r.Method == http.MethodPost && r.URL.Path == "/2018-06-01/runtime/init/error":
		b, _ := io.ReadAll(r.Body)
		w.WriteHeader(http.StatusAccepted)
		select {
		case a.initErr <- string(b):
		default:
		}
	default:
		http.NotFound(w, r)
	}
}

// awsStub is the loopback "AWS endpoint" the functions are pointed at. The
// cold start makes no AWS call, and neither do the events sent, so it only
// counts requests: a non-zero count would show that init or the first
// invocation went to DynamoDB, SQS or Secrets Manager.
type awsStub struct{ calls atomic.Int64 }

func (s *awsStub) ServeHTTP(w http.ResponseWriter, _ *http.Request) {
	s.calls.Add(1)
	http.Error(w, `{"__type":"ServiceUnavailable"}`, http.StatusServiceUnavailable)
}

// initRun is one cold start.
type initRun struct {
	toNext   time.Duration // process start → first GET /next (the Lambda init phase)
	toServed time.Duration // process start → the first invocation's answer
}

// coldStart starts bin with env against a fresh Runtime API stand-in and
// returns how long it took to ask for and to answer its first invocation.
func coldStart(bin string, env []string, event []byte) (initRun, error) {
	api := newRuntimeAPI(event)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return initRun{}, err
	}
	srv := &http.Server{Handler: api, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(l) }()
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
		_ = srv.Close()
	}()

	cmd := exec.Command(bin)
	cmd.Env = append(env, "AWS_LAMBDA_RUNTIME_API="+l.Addr().String())
	cmd.Stdout, cmd.Stderr = io.Discard, io.Discard
	var stderr strings.Builder
	if os.Getenv("BENCH_DEBUG") != "" {
		cmd.Stderr = &stderr
	}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return initRun{}, err
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	defer func() {
		_ = cmd.Process.Kill()
		<-exited
	}()
	var run initRun
	timeout := time.After(30 * time.Second)
	for {
		select {
		case t := <-api.firstAsk:
			run.toNext = t.Sub(start)
		case t := <-api.served:
			run.toServed = t.Sub(start)
			if run.toNext == 0 {
				return run, errors.New("answered before asking")
			}
			return run, nil
		case msg := <-api.initErr:
			return run, fmt.Errorf("init error: %s", msg)
		case err := <-exited:
			exited <- err
			return run, fmt.Errorf("exited before answering: %v %s", err, stderr.String())
		case <-timeout:
			return run, errors.New("no answer within 30 s")
		}
	}
}
