package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/crmflow/crmflow/shared/crm/drivers"
)

// TestLocalRun starts ./scripts/dev's server as a user does (-demo), then
// drives it over HTTP: a search on every CRM sandbox, and for Salesforce the
// whole post-call path — pin, timeline and memorialization jobs through the
// moto queues and the local event source, until the CRM holds the writes.
func TestLocalRun(t *testing.T) {
	if _, err := exec.LookPath("moto_server"); err != nil {
		t.Skip(`moto_server not found: pip install "moto[server]"`)
	}
	srv := startDev(t)
	base, studio, agent, admin := srv.base, srv.studio, srv.agent, srv.admin
	c := client{t: t, base: base}

	for _, typ := range drivers.Registry().Types() {
		var res struct {
			MatchCount int `json:"matchCount"`
			Records    []struct {
				Entity, ID, Display string
				Match               *struct {
					Field, Kind string
					Score       float64
				} `json:"match"`
			} `json:"records"`
			BestMatch *struct{ Entity, ID string } `json:"bestMatch"`
		}
		c.call(studio, "POST", "/v1/workflows/search", map[string]any{"configurationId": string(typ) + "-demo", "workflowId": "search_phone",
			"contactId": "lr-" + string(typ), "workflowInput": map[string]any{"phoneNumber": "+1 (415) 555-0100"}}, 200, &res)
		if res.MatchCount != 1 || !strings.Contains(res.Records[0].Display, "Jane") {
			t.Errorf("%s: search found %+v", typ, res)
			continue
		}
		// The match is explained by the field the CRM returned, and the
		// only match is the best one.
		r := res.Records[0]
		if m := r.Match; m == nil || m.Field == "" || m.Score < 0.8 || !slices.Contains([]string{"exact", "national", "digits"}, m.Kind) {
			t.Errorf("%s: match %+v, want the phone field that matched", typ, m)
		}
		if b := res.BestMatch; b == nil || b.Entity != r.Entity || b.ID != r.ID {
			t.Errorf("%s: bestMatch %+v, want the single match", typ, b)
		}
	}

	// Post-call on Salesforce: pin Jane, then a timeline and a memorialization job.
	var card struct {
		Related []struct{ Entity, ID string } `json:"related"`
	}
	c.call(agent, "GET", "/v1/contacts/lr-salesforce/card", nil, 200, &card)
	c.call(agent, "PUT", "/v1/contacts/lr-salesforce/pins/Contact/"+card.Related[0].ID, nil, 200, nil)
	c.call(admin, "PUT", "/v1/configurations/salesforce-demo/data-mappings/call-summary", map[string]any{
		"entity": "Task", "mode": "create", "fields": []map[string]any{
			{"target": "Subject", "template": "Call with {{customerName}} ({{dispositionName}})"},
			{"target": "Description", "source": "dispositionNotes"},
			{"target": "CallDurationInSeconds", "source": "callDurationInSeconds"},
		}}, 200, nil)
	contact := map[string]any{"contactId": "lr-salesforce", "mediaType": "voice", "direction": "inbound", "ani": "+14155550100",
		"customerName": "Jane Doe", "startTime": "2026-11-23T10:00:00Z", "endTime": "2026-11-23T10:04:05Z",
		"callDurationInSeconds": 245, "dispositionName": "Resolved", "dispositionNotes": "Replaced the toner."}
	for _, tc := range []struct{ route, field, id string }{
		{"timeline", "workflowId", "timeline_activity"},
		{"datamemorialization", "dataMappingId", "call-summary"},
	} {
		body := map[string]any{"configurationId": "salesforce-demo", tc.field: tc.id, "contactId": "lr-salesforce", "cxoneContact": contact}
		var q, again struct {
			Jobs []struct{ JobID, Status string } `json:"jobs"`
		}
		c.call(studio, "POST", "/v1/workflows/"+tc.route, body, 202, &q)
		c.call(studio, "POST", "/v1/workflows/"+tc.route, body, 202, &again)
		if len(q.Jobs) != 1 || len(again.Jobs) != 1 || again.Jobs[0].JobID != q.Jobs[0].JobID {
			t.Fatalf("%s: same request, different jobs: %+v %+v", tc.route, q, again)
		}
		deadline := time.Now().Add(20 * time.Second)
		for {
			var job struct {
				Status       string                        `json:"status"`
				CRMRecordIDs []struct{ Entity, ID string } `json:"crmRecordIds"`
				LastError    string                        `json:"lastError"`
			}
			c.call(studio, "GET", "/v1/jobs/"+q.Jobs[0].JobID, nil, 200, &job)
			if job.Status == "succeeded" && len(job.CRMRecordIDs) == 1 && job.CRMRecordIDs[0].Entity == "Task" {
				break
			}
			if job.Status == "failed" || job.Status == "deadlettered" || time.Now().After(deadline) {
				t.Fatalf("%s job: %+v", tc.route, job)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
}

// devServer is ./scripts/dev's server running for a test, with the demo
// tenant's keys from its banner.
type devServer struct{ base, studio, agent, admin string }

// startDev starts the server as a user does (-demo) and stops it when the
// test ends.
func startDev(t *testing.T) devServer {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, options{addr: "127.0.0.1:0", demo: true, platformKey: "cfk_localrunlocalrunlocalrun", out: pw})
		pw.Close()
	}()
	banner := map[string]string{}
	lines := bufio.NewScanner(pr)
	kv := regexp.MustCompile(`^\s*(export )?([A-Za-z_ ]+?)(?::\s+|=)(\S+)`)
	for lines.Scan() {
		l := lines.Text()
		if m := kv.FindStringSubmatch(l); m != nil {
			banner[strings.TrimSpace(m[2])] = m[3]
		}
		if strings.HasPrefix(l, "ready:") {
			break
		}
	}
	go func() { _, _ = io.Copy(io.Discard, pr) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("run: %v", err)
			}
		case <-time.After(30 * time.Second):
			t.Error("run did not stop after cancel")
		}
	})
	srv := devServer{base: banner["gateway"], studio: banner["STUDIO_KEY"], agent: banner["AGENT_KEY"], admin: banner["ADMIN_KEY"]}
	if srv.base == "" || srv.studio == "" || srv.agent == "" || srv.admin == "" {
		t.Fatalf("banner incomplete: %v", banner)
	}
	return srv
}

type client struct {
	t    *testing.T
	base string
}

func (c client) call(key, method, path string, in any, status int, out any) {
	c.t.Helper()
	var body io.Reader
	if in != nil {
		b, _ := json.Marshal(in)
		body = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, c.base+path, body)
	req.Header.Set("Authorization", "Bearer "+key)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != status {
		c.t.Fatalf("%s %s: %d %s", method, path, resp.StatusCode, raw)
	}
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			c.t.Fatalf("%s %s: %v: %s", method, path, err, raw)
		}
	}
}
