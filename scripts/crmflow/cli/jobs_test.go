package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
)

// pagedJobs serves GET /v1/jobs for n failed jobs as the API pages them:
// limit a page, nextCursor until the last. It counts the calls.
func pagedJobs(t *testing.T, api *fakeAPI, n int, calls *int) {
	api.mux.HandleFunc("GET /v1/jobs", func(w http.ResponseWriter, r *http.Request) {
		*calls++
		q := r.URL.Query()
		if q.Get("status") != "failed" {
			t.Errorf("status %q", q.Get("status"))
		}
		limit, _ := strconv.Atoi(q.Get("limit"))
		if limit < 1 || limit > 200 {
			t.Errorf("limit %q", q.Get("limit"))
		}
		start := 0
		if c := q.Get("cursor"); c != "" {
			start, _ = strconv.Atoi(strings.TrimPrefix(c, "c"))
		}
		var page struct {
			Jobs       []map[string]any `json:"jobs"`
			NextCursor string           `json:"nextCursor,omitempty"`
		}
		page.Jobs = []map[string]any{}
		for i := start; i < min(n, start+limit); i++ {
			page.Jobs = append(page.Jobs, map[string]any{"jobId": fmt.Sprintf("job_%04d", i), "action": "timeline", "status": "failed",
				"attempts": 1, "lastError": "salesforce: 400 REQUIRED_FIELD_MISSING", "crmRecordIds": []any{}, "configurationId": "sf-main", "contactId": "c1"})
		}
		if start+limit < n {
			page.NextCursor = "c" + strconv.Itoa(start+limit)
		}
		json.NewEncoder(w).Encode(page)
	})
}

func TestJobsListPages(t *testing.T) {
	api := newFakeAPI(t)
	calls := 0
	pagedJobs(t, api, 450, &calls)

	res := run(t, api.URL, nil, "jobs", "list", "--status", "failed")
	if res.code != 0 || calls != 3 {
		t.Fatalf("exit %d after %d calls: %s", res.code, calls, res.stderr)
	}
	if got := strings.Count(res.stdout, "job_0"); got != 450 || !strings.Contains(res.stdout, "job_0449") || !strings.Contains(res.stdout, "REQUIRED_FIELD_MISSING") {
		t.Errorf("table has %d jobs:\n%.500s", got, res.stdout)
	}
	// Not a terminal: one progress line per page read past the first.
	if want := "jobs list: 200 failed job(s), 1 page(s)…\njobs list: 400 failed job(s), 2 page(s)…\n"; res.stderr != want {
		t.Errorf("progress %q, want %q", res.stderr, want)
	}

	// --max stops early and says where to go on; --json holds the jobs read and the cursor.
	calls = 0
	res = run(t, api.URL, nil, "jobs", "list", "--status", "failed", "--max", "250", "--json")
	var out struct {
		Jobs       []struct{ JobID string }
		NextCursor string
	}
	if err := json.Unmarshal([]byte(res.stdout), &out); err != nil || res.code != 0 {
		t.Fatalf("exit %d, %v: %s", res.code, err, res.stdout)
	}
	if len(out.Jobs) != 250 || out.NextCursor != "c250" || calls != 2 || out.Jobs[249].JobID != "job_0249" {
		t.Errorf("--max 250: %d jobs, cursor %q, %d calls", len(out.Jobs), out.NextCursor, calls)
	}
	res = run(t, api.URL, nil, "jobs", "list", "--status", "failed", "--max", "10", "--cursor", "c440")
	if strings.Count(res.stdout, "job_0") != 10 || !strings.Contains(res.stdout, "job_0440") || res.stderr != "" {
		t.Errorf("--cursor c440 --max 10: %s / %s", res.stdout, res.stderr)
	}

	// One page: no progress line, only where to go on.
	res = run(t, api.URL, nil, "jobs", "list", "--status", "failed", "--max", "5")
	if res.stderr != "stopped at --max 5; more with --cursor c5\n" || strings.Count(res.stdout, "job_0") != 5 {
		t.Errorf("one page: stderr %q", res.stderr)
	}
}

func TestProgressOnATerminal(t *testing.T) {
	api := newFakeAPI(t)
	calls := 0
	pagedJobs(t, api, 5, &calls)
	var out, errOut bytes.Buffer
	code := Run(context.Background(), Env{Args: []string{"jobs", "list", "--status", "failed", "--page-size", "2"}, Terminal: true,
		Getenv: func(k string) string { return map[string]string{EnvURL: api.URL, EnvKey: testKey}[k] }, Stdout: &out, Stderr: &errOut})
	// Redrawn in place, cleared at the end.
	want := "\r\033[Kjobs list: 2 failed job(s), 1 page(s)…\r\033[Kjobs list: 4 failed job(s), 2 page(s)…\r\033[K"
	if code != 0 || errOut.String() != want || calls != 3 {
		t.Errorf("exit %d, %d calls, stderr %q, want %q", code, calls, errOut.String(), want)
	}
}

func TestJobsListStopsOnAnError(t *testing.T) {
	api := newFakeAPI(t)
	calls := 0
	api.mux.HandleFunc("GET /v1/jobs", func(w http.ResponseWriter, r *http.Request) {
		calls++
		if r.URL.Query().Get("cursor") != "" {
			w.WriteHeader(400)
			fmt.Fprint(w, `{"error":{"code":"INVALID_ARGUMENT","message":"is not a cursor this list handed out; start again without one","field":"cursor"},"requestId":"r"}`)
			return
		}
		fmt.Fprint(w, `{"jobs":[{"jobId":"job_1"}],"nextCursor":"x"}`)
	})
	res := run(t, api.URL, nil, "jobs", "list", "--status", "failed")
	if res.code != ExitError || calls != 2 || !strings.Contains(res.stderr, "field:       cursor") || res.stdout != "" {
		t.Errorf("exit %d after %d calls, stdout %q, stderr %q", res.code, calls, res.stdout, res.stderr)
	}
}
