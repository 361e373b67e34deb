package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// Job statuses GET /v1/jobs takes.
var jobStatuses = []string{"queued", "running", "succeeded", "failed", "deadlettered"}

// maxPageSize is the API's largest page (jobs.MaxListLimit).
const maxPageSize = 200

// jobRow is what the tables show of a job.
type jobRow struct {
	JobID, Action, Status, ConfigurationID, ContactID, LastError, Updated string
	Attempts                                                              int
	CRMRecordIDs                                                          []struct{ Entity, ID string }
}

func (j jobRow) records() string {
	var rs []string
	for _, r := range j.CRMRecordIDs {
		rs = append(rs, r.Entity+"/"+r.ID)
	}
	return orDash(strings.Join(rs, ", "))
}

func jobsGet(ctx context.Context, r *runner, c *command, args []string) error {
	fs := r.flagSet(c.name, "A post-call job: status (queued, running, succeeded, failed, deadlettered), attempts,\n"+
		"last error and the CRM records it wrote. Studio key.")
	pos, err := r.parse(c, fs, args, 1, 1, "a <jobId>")
	if err != nil {
		return err
	}
	return r.call(ctx, c, "GET", pathOf("v1", "jobs", pos[0]), nil, nil, func(resp *Response) error {
		return printFields(r.env.Stdout, resp.Body)
	})
}

func jobsRetry(ctx context.Context, r *runner, c *command, args []string) error {
	fs := r.flagSet(c.name, "Queues a failed or dead-lettered job again after its cause is fixed (admin or studio key).\n"+
		"A succeeded job answers 409: it is never written twice.")
	pos, err := r.parse(c, fs, args, 1, 1, "a <jobId>")
	if err != nil {
		return err
	}
	return r.call(ctx, c, "POST", pathOf("v1", "jobs", pos[0], "retry"), nil, nil, func(resp *Response) error {
		var j jobRow
		if err := decode(resp, &j); err != nil {
			return err
		}
		_, err := fmt.Fprintf(r.env.Stdout, "job %s is %s again (attempts so far: %d)\n", j.JobID, j.Status, j.Attempts)
		return err
	})
}

func jobsList(ctx context.Context, r *runner, c *command, args []string) error {
	fs := r.flagSet(c.name, "Lists a tenant's jobs of one status, the most recently changed first (admin or studio key).\n"+
		"It follows the API's nextCursor through every page (a progress line on stderr past the\n"+
		"first page) unless --max stops it; --json prints one {\"jobs\": […]} of every page read,\n"+
		"with the API's nextCursor when --max stopped before the end.")
	status := fs.String("status", "", "queued, running, succeeded, failed or deadlettered (required)")
	maxJobs := fs.Int("max", 0, "stop after this many jobs (0: all)")
	pageSize := fs.Int("page-size", maxPageSize, "jobs per API call, 1-200")
	cursor := fs.String("cursor", "", "start from this nextCursor of an earlier listing")
	if _, err := r.parse(c, fs, args, 0, 0, ""); err != nil {
		return err
	}
	switch {
	case *status == "":
		return usagef(c.name, "jobs list needs --status %s", strings.Join(jobStatuses, "|"))
	case !slices.Contains(jobStatuses, *status):
		return usagef(c.name, "--status %q: must be one of %s", *status, strings.Join(jobStatuses, ", "))
	case *maxJobs < 0:
		return usagef(c.name, "--max must be 0 (all) or more")
	case *pageSize < 1 || *pageSize > maxPageSize:
		return usagef(c.name, "--page-size must be from 1 to %d", maxPageSize)
	}
	cl, err := r.api(c.name)
	if err != nil {
		return err
	}
	p := &progress{w: r.env.Stderr, terminal: r.env.Terminal}
	jobs, next, err := listJobs(ctx, cl, *status, *cursor, *pageSize, *maxJobs, func(pages, n int) {
		p.update("jobs list: %d %s job(s), %d page(s)…", n, *status, pages)
	})
	p.done()
	if err != nil {
		r.jsonError(err)
		return err
	}
	if r.g.json {
		out := struct {
			Jobs       []json.RawMessage `json:"jobs"`
			NextCursor string            `json:"nextCursor,omitempty"`
		}{jobs, next}
		raw, err := json.Marshal(out)
		if err != nil {
			return err
		}
		return printJSON(r.env.Stdout, raw)
	}
	tb := newTable(r.env.Stdout, "JOB ID", "ACTION", "STATUS", "ATTEMPTS", "CONFIGURATION", "CONTACT", "UPDATED", "CRM RECORDS", "LAST ERROR")
	for _, raw := range jobs {
		var j jobRow
		if err := json.Unmarshal(raw, &j); err != nil {
			return fmt.Errorf("the API's answer does not read as expected: %w", err)
		}
		tb.row(j.JobID, j.Action, j.Status, strconv.Itoa(j.Attempts), j.ConfigurationID, j.ContactID, j.Updated, j.records(), orDash(j.LastError))
	}
	if err := tb.flush(); err != nil {
		return err
	}
	if len(jobs) == 0 {
		fmt.Fprintf(r.env.Stderr, "no %s jobs\n", *status)
	}
	if next != "" && *maxJobs > 0 {
		fmt.Fprintf(r.env.Stderr, "stopped at --max %d; more with --cursor %s\n", *maxJobs, next)
	}
	return nil
}

// listJobs reads pages of GET /v1/jobs until the last page or max jobs,
// reporting after each page past the first. It returns the jobs as the API
// wrote them and the cursor of what is left ("" when nothing is).
func listJobs(ctx context.Context, cl *Client, status, cursor string, pageSize, max int, progressed func(pages, jobs int)) ([]json.RawMessage, string, error) {
	var all []json.RawMessage
	for pages := 1; ; pages++ {
		size := pageSize
		if max > 0 {
			size = min(size, max-len(all))
		}
		q := url.Values{"status": {status}, "limit": {strconv.Itoa(size)}}
		if cursor != "" {
			q.Set("cursor", cursor)
		}
		resp, err := cl.Do(ctx, "GET", pathOf("v1", "jobs"), q, nil)
		if err != nil {
			return all, cursor, err
		}
		var page struct {
			Jobs       []json.RawMessage `json:"jobs"`
			NextCursor string            `json:"nextCursor"`
		}
		if err := json.Unmarshal(resp.Body, &page); err != nil {
			return all, cursor, fmt.Errorf("GET /v1/jobs: the answer does not read as a page of jobs: %w", err)
		}
		all = append(all, page.Jobs...)
		cursor = page.NextCursor
		if cursor != "" && (max == 0 || len(all) < max) {
			progressed(pages, len(all))
		}
		// A page that brings nothing new cannot be followed forever.
		if cursor == "" || (max > 0 && len(all) >= max) || len(page.Jobs) == 0 {
			return all, cursor, nil
		}
	}
}
