package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/crmflow/crmflow/shared/sandbox/demo"
)

// seedDemo creates a tenant, its keys and a configuration per sandbox through
// the public API (so the demo also proves the API works), then prints curl
// commands a user can paste.
func seedDemo(ctx context.Context, out io.Writer, base, platformKey string, sbs []*sandbox) error {
	c := apiClient{base: base, hc: &http.Client{Timeout: 30 * time.Second}}
	var tenant struct {
		TenantID string `json:"tenantId"`
	}
	if err := c.call(ctx, platformKey, "POST", "/v1/tenants", map[string]string{"name": "Acme (demo)"}, &tenant); err != nil {
		return err
	}
	keys := map[string]string{}
	for _, role := range []string{"admin", "studio", "agent"} {
		var k struct {
			Key string `json:"key"`
		}
		if err := c.call(ctx, platformKey, "POST", "/v1/tenants/"+tenant.TenantID+"/keys", map[string]string{"role": role}, &k); err != nil {
			return err
		}
		keys[role] = k.Key
	}
	fmt.Fprintf(out, "\ndemo tenant %s — paste these into a shell:\n\n", tenant.TenantID)
	fmt.Fprintf(out, "export CRMFLOW=%s\nexport ADMIN_KEY=%s\nexport STUDIO_KEY=%s\nexport AGENT_KEY=%s\n\n", base, keys["admin"], keys["studio"], keys["agent"])
	for _, s := range sbs {
		id := string(s.crm) + "-demo"
		if err := c.call(ctx, keys["admin"], "PUT", "/v1/configurations/"+id, s.config(s.url), nil); err != nil {
			return fmt.Errorf("configure %s: %w", s.crm, err)
		}
		var wfs struct {
			Workflows []struct {
				WorkflowID string `json:"workflowId"`
				Kind       string `json:"kind"`
			} `json:"workflows"`
		}
		if err := c.call(ctx, keys["admin"], "GET", "/v1/configurations/"+id+"/workflows", nil, &wfs); err != nil {
			return err
		}
		for _, w := range wfs.Workflows {
			if w.Kind != "phone" {
				continue
			}
			fmt.Fprintf(out, "# %s: search for the caller's number\n", s.crm)
			fmt.Fprintf(out, "curl -s -X POST $CRMFLOW/v1/workflows/search -H \"Authorization: Bearer $STUDIO_KEY\" -d '{\"configurationId\":\"%s\",\"workflowId\":\"%s\",\"contactId\":\"demo-%s\",\"workflowInput\":{\"phoneNumber\":\"%s\"}}'\n\n",
				id, w.WorkflowID, s.crm, demo.JaneANI)
		}
	}
	fmt.Fprintf(out, "# the agent's customer card after a search\ncurl -s $CRMFLOW/v1/contacts/demo-salesforce/card -H \"Authorization: Bearer $AGENT_KEY\"\n\n")
	fmt.Fprintf(out, "# after the call: pin the caller, log the call on the CRM's timeline, follow the job\n")
	fmt.Fprintf(out, "JANE=$(curl -s $CRMFLOW/v1/contacts/demo-salesforce/card -H \"Authorization: Bearer $AGENT_KEY\" | jq -r '.related[0].id')\n")
	fmt.Fprintf(out, "curl -s -X PUT $CRMFLOW/v1/contacts/demo-salesforce/pins/Contact/$JANE -H \"Authorization: Bearer $AGENT_KEY\" > /dev/null\n")
	fmt.Fprintf(out, "JOB=$(curl -s -X POST $CRMFLOW/v1/workflows/timeline -H \"Authorization: Bearer $STUDIO_KEY\" -d '{\"configurationId\":\"salesforce-demo\",\"workflowId\":\"timeline_activity\",\"contactId\":\"demo-salesforce\",\"cxoneContact\":{\"mediaType\":\"voice\",\"direction\":\"inbound\",\"ani\":\"%s\",\"startTime\":\"2026-11-23T10:00:00Z\",\"endTime\":\"2026-11-23T10:04:05Z\",\"dispositionName\":\"Resolved\"}}' | jq -r '.jobs[0].jobId')\n", demo.JaneANI)
	fmt.Fprintf(out, "curl -s $CRMFLOW/v1/jobs/$JOB -H \"Authorization: Bearer $STUDIO_KEY\"\n\n")
	return nil
}

type apiClient struct {
	base string
	hc   *http.Client
}

func (c apiClient) call(ctx context.Context, key, method, path string, in, out any) error {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return err
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, body)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+key)
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode >= 300 {
		return fmt.Errorf("%s %s: %d %s", method, path, resp.StatusCode, b)
	}
	if out != nil {
		return json.Unmarshal(b, out)
	}
	return nil
}
