package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"time"

	"github.com/crmflow/crmflow/shared/routes"
)

// helloName is the reference Lambda's name in the table.
const helloName = "hello-world"

// binary is one function built twice the way ./scripts/build builds it: for
// Lambda (linux/arm64, whose size is what deploys) and for this machine
// (the one whose cold start can be timed here).
type binary struct {
	name    string
	pkg     string
	arm64   string
	host    string
	size    int64
	event   []byte
	initRun []initRun
}

func buildAll(dir string) ([]*binary, error) {
	var bins []*binary
	for _, fn := range routes.AllFunctions {
		bins = append(bins, &binary{name: fn, pkg: "./functions/" + fn, event: eventFor(fn)})
	}
	bins = append(bins, &binary{name: helloName, pkg: "./scripts/benchcmd/hello", event: []byte(`{}`)})
	for _, b := range bins {
		b.arm64 = filepath.Join(dir, "linux-arm64", b.name, "bootstrap")
		b.host = filepath.Join(dir, runtime.GOOS+"-"+runtime.GOARCH, b.name, "bootstrap")
		if err := build(b.pkg, b.arm64, "linux", "arm64"); err != nil {
			return nil, err
		}
		if err := build(b.pkg, b.host, runtime.GOOS, runtime.GOARCH); err != nil {
			return nil, err
		}
		fi, err := os.Stat(b.arm64)
		if err != nil {
			return nil, err
		}
		b.size = fi.Size()
	}
	return bins, nil
}

// build is scripts/build's command line.
func build(pkg, out, goos, goarch string) error {
	cmd := exec.Command("go", "build", "-tags", "lambda.norpc", "-trimpath", "-ldflags=-s -w", "-o", out, pkg)
	cmd.Env = append(os.Environ(), "GOOS="+goos, "GOARCH="+goarch, "CGO_ENABLED=0")
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("build %s for %s/%s: %w", pkg, goos, goarch, err)
	}
	return nil
}

// eventFor is a first invocation each function answers without touching
// AWS or a CRM, so the time measured is the cold start plus the handler's
// own path: an API request without an authorizer context (401), an
// authorizer request without a key, an empty SQS batch.
func eventFor(fn string) []byte {
	var ev any
	switch {
	case fn == routes.Authorizer:
		ev = map[string]any{"version": "2.0", "type": "REQUEST", "routeKey": "POST /v1/workflows/search",
			"rawPath": "/v1/workflows/search", "headers": map[string]string{}, "requestContext": map[string]any{"requestId": "bench"}}
	case slices.Contains(routes.QueueFunctions, fn):
		ev = map[string]any{"Records": []any{}}
	default:
		r := firstRoute(fn)
		ev = map[string]any{"version": "2.0", "routeKey": r.Key(), "rawPath": r.Path, "body": "{}",
			"headers": map[string]string{"content-type": "application/json"},
			"requestContext": map[string]any{"requestId": "bench", "routeKey": r.Key(),
				"http": map[string]any{"method": r.Method, "path": r.Path}}}
	}
	b, _ := json.Marshal(ev)
	return b
}

func firstRoute(fn string) routes.Route {
	for _, r := range routes.All {
		if r.Function == fn {
			return r
		}
	}
	return routes.Route{Method: "GET", Path: "/", Function: fn}
}

// functionEnv is what the stack gives every function, pointed at loopback.
func functionEnv(name, awsEndpoint, home string) []string {
	return []string{
		"PATH=" + os.Getenv("PATH"), "HOME=" + home, "TZ=UTC",
		"AWS_REGION=us-east-1", "AWS_DEFAULT_REGION=us-east-1",
		"AWS_ACCESS_KEY_ID=testing", "AWS_SECRET_ACCESS_KEY=testing",
		"AWS_LAMBDA_FUNCTION_NAME=crmflow-bench-" + name, "AWS_LAMBDA_FUNCTION_MEMORY_SIZE=256",
		"AWS_LAMBDA_FUNCTION_VERSION=$LATEST", "_HANDLER=bootstrap",
		routes.EnvTable + "=crmflow-bench", routes.EnvStage + "=bench",
		routes.EnvSecretPrefix + "=crmflow/bench/",
		routes.EnvTimelineQueue + "=" + awsEndpoint + "/000000000000/timeline",
		routes.EnvMemorializeQueue + "=" + awsEndpoint + "/000000000000/memorialize",
		routes.EnvAWSEndpoint + "=" + awsEndpoint,
	}
}

// coldStarts times runs cold starts of every binary, round robin so that a
// burst of load on a shared machine hits them all alike.
func coldStarts(bins []*binary, runs int, awsEndpoint, home string) error {
	for range runs {
		for _, b := range bins {
			r, err := coldStart(b.host, functionEnv(b.name, awsEndpoint, home), b.event)
			if err != nil {
				return fmt.Errorf("%s: %w", b.name, err)
			}
			b.initRun = append(b.initRun, r)
		}
	}
	return nil
}

func (b *binary) served() stat {
	var vs []float64
	for _, r := range b.initRun {
		vs = append(vs, float64(r.toServed)/float64(time.Millisecond))
	}
	return statOf(vs)
}

func (b *binary) toNext() stat {
	var vs []float64
	for _, r := range b.initRun {
		vs = append(vs, float64(r.toNext)/float64(time.Millisecond))
	}
	return statOf(vs)
}
