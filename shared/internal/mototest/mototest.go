// Package mototest gives integration tests a moto_server endpoint: the one
// scripts/test started (CRMFLOW_MOTO_ENDPOINT), or else one moto_server per
// test binary, started on first use on a free loopback port and stopped when
// the binary ends. Tests never reach real AWS: awsclient refuses any endpoint
// that is not loopback.
package mototest

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/crmflow/crmflow/shared/awsclient"
	"github.com/crmflow/crmflow/shared/motocmd"
)

// EnvEndpoint names the variable scripts/test sets to the moto_server it started.
const EnvEndpoint = "CRMFLOW_MOTO_ENDPOINT"

// startTimeout bounds how long a fresh moto_server may take to answer.
const startTimeout = 30 * time.Second

var (
	once     sync.Once
	endpoint string
	startErr error
	skipMsg  string
	proc     *exec.Cmd
	exited   = make(chan error, 1)
	stderr   lockedBuffer
)

// Endpoint returns the URL of a running moto_server. It skips the test when
// none is configured and moto_server is not installed, and fails it when
// moto_server does not start.
func Endpoint(t testing.TB) string {
	t.Helper()
	if e := os.Getenv(EnvEndpoint); e != "" {
		return e
	}
	once.Do(start)
	if skipMsg != "" {
		t.Skip(skipMsg)
	}
	if startErr != nil {
		t.Fatalf("mototest: %v", startErr)
	}
	return endpoint
}

// Config returns an AWS configuration whose clients talk to Endpoint(t).
func Config(t testing.TB) aws.Config {
	t.Helper()
	cfg, err := awsclient.LoadEndpoint(context.Background(), Endpoint(t))
	if err != nil {
		t.Fatalf("mototest: load AWS config: %v", err)
	}
	return cfg
}

// Main runs the tests of a package and then stops the moto_server this
// binary started, if any. Use it from TestMain: func TestMain(m *testing.M) { mototest.Main(m) }.
func Main(m *testing.M) {
	code := m.Run()
	Stop()
	os.Exit(code)
}

// Stop kills the moto_server this binary started (its whole process group).
// It is safe to call when none was started. On Linux the server also dies
// with the test binary should Main never run (a panic or a timeout).
func Stop() {
	if proc == nil || proc.Process == nil {
		return
	}
	_ = syscall.Kill(-proc.Process.Pid, syscall.SIGKILL)
	// Reap it, so no zombie outlives the binary.
	select {
	case <-exited:
	case <-time.After(5 * time.Second):
	}
}

var nameSeq atomic.Int64

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9_-]+`)

// UniqueName returns a DynamoDB-table- and SQS-queue-safe name unique to this
// test, this binary and this call, so tests sharing one moto_server never
// meet each other's resources. It leaves room for a "-dlq" suffix.
func UniqueName(t testing.TB) string {
	base := unsafeName.ReplaceAllString(t.Name(), "-")
	if len(base) > 40 {
		base = base[len(base)-40:]
	}
	return fmt.Sprintf("%s-%d-%d", base, os.Getpid(), nameSeq.Add(1))
}

func start() {
	port, err := freePort()
	if err != nil {
		startErr = err
		return
	}
	cmd, err := motocmd.Command("127.0.0.1", port)
	if err != nil {
		skipMsg = err.Error() + " (or set " + EnvEndpoint + ")"
		return
	}
	endpoint = "http://127.0.0.1:" + strconv.Itoa(port)
	cmd.Stdout = &stderr
	cmd.Stderr = &stderr
	cmd.SysProcAttr = sysProcAttr()
	started := make(chan error, 1)
	go runLocked(cmd, started, exited)
	if err := <-started; err != nil {
		startErr = fmt.Errorf("start moto: %w", err)
		return
	}
	proc = cmd
	if err := waitReady(endpoint, exited); err != nil {
		Stop()
		startErr = fmt.Errorf("moto_server on %s: %w\n%s", endpoint, err, stderr.String())
	}
}

// runLocked starts cmd from a goroutine locked to its OS thread and waits for
// it there: the parent-death signal (Linux) fires when the starting thread
// exits, so that thread must live as long as the server.
func runLocked(cmd *exec.Cmd, started, exited chan<- error) {
	lockThread()
	if err := cmd.Start(); err != nil {
		started <- err
		return
	}
	started <- nil
	exited <- cmd.Wait()
}

func waitReady(url string, exited chan error) error {
	client := &http.Client{Timeout: time.Second}
	deadline := time.Now().Add(startTimeout)
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for time.Now().Before(deadline) {
		resp, err := client.Get(url + "/moto-api/")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case err := <-exited:
			exited <- err // Stop reads it
			return fmt.Errorf("exited before answering: %v", err)
		case <-tick.C:
		}
	}
	return fmt.Errorf("no answer within %s", startTimeout)
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("find a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// lockedBuffer collects the server's output for a failure message.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.buf.Len() > 64<<10 { // keep memory bounded; the start of the log says why it failed
		return len(p), nil
	}
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
