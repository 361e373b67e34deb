package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/crmflow/crmflow/shared/crm"
	sfsandbox "github.com/crmflow/crmflow/shared/sandbox/salesforce"
	sbtable "github.com/crmflow/crmflow/shared/sandbox/sandboxes"
)

// The peer: the Amazon Connect Salesforce Lambda's sfInvokeAPI phoneLookup
// (github.com/amazon-connect/amazon-connect-salesforce-lambda, Apache-2.0,
// Python). Its code is never part of this repository: -peer-salesforce
// names a checkout, and peerHarness imports sfInvokeAPI from it and calls
// lambda_handler in process, against the same Salesforce sandbox at the
// same latency. Its Secrets Manager client is replaced by an in-memory one
// holding a session token of the sandbox (the real function reads the
// secret on every invocation: not counted here, in the peer's favour);
// phoneLookup is one POST parameterizedSearch, without related records.
const peerHarness = `
import json, os, sys, time
sys.path[:0] = [p for p in os.environ["PEER_PATH"].split(os.pathsep) if p]
import boto3
class Secrets:
    def __init__(self, s): self.s = s
    def get_secret_value(self, SecretId): return {"SecretString": self.s}
    def put_secret_value(self, SecretId, SecretString): self.s = SecretString
secrets = Secrets(os.environ["PEER_SECRET"])
boto3.session.Session.client = lambda self, *a, **kw: secrets
import sfInvokeAPI
event = {"Details": {"Parameters": {"sf_operation": "phoneLookup", "sf_phone": os.environ["PEER_PHONE"], "sf_fields": "Id, Name, Phone"}}}
def once():
    t = time.perf_counter()
    r = sfInvokeAPI.lambda_handler(json.loads(json.dumps(event)), None)
    d = (time.perf_counter() - t) * 1000
    if r.get("sf_count") != 1:
        sys.exit("phoneLookup found %s records, want 1" % r.get("sf_count"))
    return d
once()
print(json.dumps([once() for _ in range(int(os.environ["PEER_RUNS"]))]))
`

// peerModules are what sfInvokeAPI imports besides the standard library.
var peerModules = []string{"requests", "boto3", "phonenumbers"}

// peerComparison runs the peer at each latency, or says why it cannot.
func peerComparison(dir string, n int) []cmpResult {
	var out []cmpResult
	fnDir, paths, skip := peerSetup(dir)
	for _, lat := range cmpLatencies {
		r := cmpResult{typ: crm.Salesforce, latency: lat, peer: true, peerSkip: skip}
		if skip == "" {
			r.gateway, r.raw, r.err = runPeer(fnDir, paths, lat, n)
			if r.err != nil {
				r.peerSkip = r.err.Error()
			}
		}
		out = append(out, r)
	}
	return out
}

// peerSetup finds sfInvokeAPI.py in dir (the checkout or its
// sam-app/lambda_functions) and checks Python and the modules it needs; a
// lambda_layers.zip beside it (the repository's layer) is unpacked and used.
func peerSetup(dir string) (fnDir string, paths []string, skip string) {
	for _, d := range []string{dir, filepath.Join(dir, "sam-app", "lambda_functions")} {
		if _, err := os.Stat(filepath.Join(d, "sfInvokeAPI.py")); err == nil {
			fnDir = d
		}
	}
	if fnDir == "" {
		return "", nil, "no sfInvokeAPI.py in " + dir + " (give a checkout of amazon-connect/amazon-connect-salesforce-lambda)"
	}
	py, err := exec.LookPath("python3")
	if err != nil {
		return "", nil, "python3 is not on the PATH"
	}
	paths = []string{fnDir}
	if zip := filepath.Join(fnDir, "lambda_layers.zip"); fileExists(zip) {
		if layer, err := os.MkdirTemp("", "crmflow-peer-layer-"); err == nil {
			if exec.Command(py, "-m", "zipfile", "-e", zip, layer).Run() == nil {
				paths = append(paths, filepath.Join(layer, "python"), layer)
			}
		}
	}
	check := "import importlib.util, os, sys\nsys.path[:0] = os.environ['PEER_PATH'].split(os.pathsep)\n" +
		"print(' '.join(m for m in sys.argv[1:] if importlib.util.find_spec(m) is None))"
	cmd := exec.Command(py, append([]string{"-c", check}, peerModules...)...)
	cmd.Env = append(os.Environ(), "PEER_PATH="+strings.Join(paths, string(os.PathListSeparator)))
	missing, err := cmd.Output()
	if err != nil {
		return "", nil, "python3 cannot run: " + err.Error()
	}
	if m := strings.TrimSpace(string(missing)); m != "" {
		return "", nil, "python3 lacks " + m + " (pip install " + m + ", or the repository's lambda_layers.zip)"
	}
	return fnDir, paths, ""
}

func fileExists(p string) bool { _, err := os.Stat(p); return err == nil }

// runPeer times n phoneLookups (in the Python process) and n raw calls of
// the same parameterizedSearch from Go, against one sandbox at lat.
func runPeer(fnDir string, paths []string, lat time.Duration, n int) (peer, raw []time.Duration, err error) {
	sb := sfsandbox.New(sfsandbox.Options{ClientID: sbtable.DemoClientID, ClientSecret: sbtable.DemoClientSecret})
	srv := httptest.NewServer(sb.Handler())
	defer srv.Close()
	resp, err := http.PostForm(srv.URL+"/services/oauth2/token", url.Values{"grant_type": {"client_credentials"}, "client_id": {sbtable.DemoClientID}, "client_secret": {sbtable.DemoClientSecret}})
	if err != nil {
		return nil, nil, err
	}
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	err = json.NewDecoder(resp.Body).Decode(&tok)
	resp.Body.Close()
	if err != nil {
		return nil, nil, err
	}
	sb.SetLatency(lat)
	secret, _ := json.Marshal(map[string]string{"Password": "", "AccessToken": "", "ConsumerKey": sbtable.DemoClientID, "ConsumerSecret": sbtable.DemoClientSecret, "AuthToken": tok.AccessToken})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "python3", "-c", peerHarness)
	cmd.Dir = fnDir
	cmd.Env = append(os.Environ(), "PEER_PATH="+strings.Join(paths, string(os.PathListSeparator)), "PEER_SECRET="+string(secret),
		"PEER_PHONE=+14155550100", "PEER_RUNS="+strconv.Itoa(n), "SF_HOST="+srv.URL, "SF_VERSION=v62.0", "SF_USERNAME=bench@example.com",
		"SF_PRODUCTION=false", "SF_ADAPTER_NAMESPACE=-", "SF_CREDENTIALS_SECRETS_MANAGER_ARN=arn:aws:secretsmanager:us-east-1:000000000000:secret:bench",
		"AWS_DEFAULT_REGION=us-east-1", "AWS_REGION=us-east-1", "LOGGING_LEVEL=ERROR")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	outb, err := cmd.Output()
	if err != nil {
		return nil, nil, fmt.Errorf("the peer failed: %v: %s", err, lastLine(stderr.String()))
	}
	var ms []float64
	if err := json.Unmarshal(outb, &ms); err != nil {
		return nil, nil, fmt.Errorf("the peer printed no timings: %s", lastLine(string(outb)))
	}
	for _, m := range ms {
		peer = append(peer, time.Duration(m*1e6))
	}
	body := `{"q":"4155550100","sobjects":[{"name":"Contact"}],"fields":["Id","Name","Phone"]}`
	for range n {
		t := time.Now()
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/services/data/v62.0/parameterizedSearch", strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return nil, nil, err
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		raw = append(raw, time.Since(t))
	}
	return peer, raw, nil
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}
