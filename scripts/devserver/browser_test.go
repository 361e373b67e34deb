package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// chromium finds a Chromium binary: Debian's chromium package, or the
// one CRMFLOW_CHROMIUM names.
func chromium() string {
	if p := os.Getenv("CRMFLOW_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "headless-shell"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// TestAgentPageInBrowser drives the agent's card page in headless Chromium
// against ./scripts/dev's server, as an agent would: open the card of a
// contact the search found Jane Doe for, see her and her open case, pin
// her, see her move to current, and follow a timeline job until it
// succeeds. Each step leaves a screenshot in the test's temp dir (and in
// CRMFLOW_SCREENSHOTS when set).
func TestAgentPageInBrowser(t *testing.T) {
	bin := chromium()
	if bin == "" {
		t.Skip("Chromium not found: apt-get install -y chromium (./scripts/test does so when run as root), or set CRMFLOW_CHROMIUM")
	}
	if _, err := exec.LookPath("moto_server"); err != nil {
		t.Skip(`moto_server not found: pip install "moto[server]"`)
	}
	srv := startDev(t)
	c := client{t: t, base: srv.base}
	const contact = "browser-salesforce"
	var found struct {
		MatchCount int `json:"matchCount"`
	}
	c.call(srv.studio, "POST", "/v1/workflows/search", map[string]any{"configurationId": "salesforce-demo", "workflowId": "search_phone",
		"contactId": contact, "workflowInput": map[string]any{"phoneNumber": "+1 (415) 555-0100"}}, 200, &found)
	if found.MatchCount != 1 {
		t.Fatalf("search found %d", found.MatchCount)
	}

	shots := t.TempDir()
	keep := os.Getenv("CRMFLOW_SCREENSHOTS")
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(bin), chromedp.NoSandbox,
		chromedp.WindowSize(1100, 900), chromedp.Flag("disable-dev-shm-usage", true))
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancel()
	// The first Run starts the browser; it lives as long as this context.
	bctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	if err := chromedp.Do(bctx); err != nil {
		t.Fatalf("start %s: %v", bin, err)
	}
	bctx, cancel = context.WithTimeout(bctx, 90*time.Second)
	defer cancel()
	step := 0
	shot := func(name string) {
		t.Helper()
		png, err := chromedp.Run(bctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatalf("screenshot %s: %v", name, err)
		}
		step++
		file := fmt.Sprintf("%02d-%s.png", step, name)
		for _, dir := range []string{shots, keep} {
			if dir == "" {
				continue
			}
			if err := os.WriteFile(filepath.Join(dir, file), png, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		t.Logf("screenshot %s", file)
	}
	do := func(what string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(bctx, steps...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	text := func(sel string) string {
		t.Helper()
		v, err := chromedp.Run(bctx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("text of %s: %v", sel, err)
		}
		return v
	}
	eval := func(expr string) string {
		t.Helper()
		v, err := chromedp.Run(bctx, chromedp.Evaluate[string](expr))
		if err != nil {
			t.Fatalf("%s: %v", expr, err)
		}
		return v
	}

	jane := `#related li.record[data-entity="Contact"]`
	do("load the page and open the card",
		chromedp.Navigate(srv.base+"/agent?contactId="+contact),
		chromedp.WaitVisible(chromedp.CSS(`#key`)),
		chromedp.SendKeys(chromedp.CSS(`#key`), srv.agent),
		chromedp.Click(chromedp.CSS(`#open button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(jane)),
	)
	shot("card")
	if name, cases := text(jane+` .record-name`), text(jane+` .open-cases`); name != "Jane Doe" || !strings.Contains(cases, "Printer on fire") {
		t.Fatalf("card shows %q with open cases %q", name, cases)
	}
	if target := eval(`(document.querySelector('a.open') || {}).target || ''`); target != "_blank" {
		t.Errorf("the record link opens in %q, want a new tab", target)
	}
	if stored := eval(`sessionStorage.getItem("crmflow.agentKey") + "|" + localStorage.length`); stored != srv.agent+"|0" {
		t.Errorf("storage: %q", stored)
	}

	do("pin Jane",
		chromedp.Click(chromedp.CSS(jane+` button.pin`)),
		chromedp.WaitVisible(chromedp.CSS(`#current li.record.pinned[data-entity="Contact"]`)),
	)
	shot("pinned")
	if current := text(`#current li.record.pinned .record-name`); current != "Jane Doe" {
		t.Fatalf("current shows %q", current)
	}

	var q struct {
		Jobs []struct{ JobID string } `json:"jobs"`
	}
	c.call(srv.studio, "POST", "/v1/workflows/timeline", map[string]any{"configurationId": "salesforce-demo", "workflowId": "timeline_activity",
		"contactId": contact, "cxoneContact": map[string]any{"mediaType": "voice", "direction": "inbound", "ani": "+14155550100",
			"startTime": "2026-11-23T10:00:00Z", "endTime": "2026-11-23T10:04:05Z", "dispositionName": "Resolved"}}, 202, &q)
	if len(q.Jobs) != 1 {
		t.Fatalf("timeline queued %+v", q)
	}
	job := fmt.Sprintf(`#jobs tr[data-job=%q]`, q.Jobs[0].JobID)
	do("the page follows the job until it succeeds",
		chromedp.WaitVisible(chromedp.CSS(job+` [data-status="succeeded"]`)),
		chromedp.WaitVisible(chromedp.CSS(`body[data-settled="1"]`)),
	)
	shot("job-succeeded")
}
