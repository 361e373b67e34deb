package kustomer

import (
	"net/url"
	"strings"

	"github.com/crmflow/crmflow/shared/crm/crmhttp"
	"github.com/crmflow/crmflow/shared/lazyre"
)

// appHost matches the agent app's hosts: {org}.kustomerapp.com and the
// regional {org}.prodN.kustomerapp.com. The API hosts (api.…, {org}.api.…)
// are not app hosts.
var appHost = lazyre.New(`^([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)\.(?:prod[0-9]{1,2}\.)?kustomerapp\.com$`)

func appHostAllowed(host string) bool {
	m := appHost.FindStringSubmatch(strings.ToLower(host))
	return m != nil && m[1] != "api" && !strings.HasPrefix(m[1], "prod")
}

// appBase is where record URLs point, scheme://host with no path, or ""
// when the configuration leaves it unknown. Kustomer's API does not
// publish the org's app address (there is no /v1/orgs endpoint), so it
// comes from the configuration: appUrl when set; else the per-org API host
// {org}.api.kustomerapp.com names the app https://{org}.kustomerapp.com;
// else a plain-http loopback baseUrl (the local run) is the app itself.
// The shared and regional API hosts (api.kustomerapp.com,
// api.prod2.kustomerapp.com, {org}.api.prod2.kustomerapp.com) name no app
// host the driver can derive with a documented rule: records then have no
// URL.
func appBase(appURL, origin string) string {
	if appURL != "" {
		o, ok := crmhttp.Origin(appURL)
		if !ok {
			return ""
		}
		return o
	}
	u, err := url.Parse(origin)
	if err != nil {
		return ""
	}
	host := u.Hostname()
	if u.Scheme == "http" && crmhttp.IsLoopback(host) {
		return origin
	}
	if m := apiHost.FindStringSubmatch(host); m != nil && u.Scheme == "https" && m[1] != "" && m[2] == "" {
		return "https://" + m[1] + ".kustomerapp.com"
	}
	return ""
}
