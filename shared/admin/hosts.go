package admin

import (
	"net/url"
	"strings"

	"github.com/crmflow/crmflow/shared/apperr"
	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmhttp"
)

// checkCRMURL validates a configuration's baseUrl or tokenUrl: https on a host
// that fits the CRM type (fits decides), or — in local mode only — plain http
// on a loopback address. No credentials, query or fragment; baseUrl has no path.
func checkCRMURL(field, raw string, fits func(host string) bool, local, allowPath bool) (*url.URL, error) {
	if raw == "" {
		return nil, apperr.Field(field, "is required")
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || u.Opaque != "" {
		return nil, apperr.Field(field, "must be an absolute URL such as https://acme.my.salesforce.com")
	}
	if u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return nil, apperr.Field(field, "must not carry credentials, a query or a fragment")
	}
	if !allowPath && u.Path != "" && u.Path != "/" {
		return nil, apperr.Field(field, "must be the instance address without a path")
	}
	host := strings.ToLower(u.Hostname())
	if local && crmhttp.IsLoopback(host) && (u.Scheme == "http" || u.Scheme == "https") {
		return u, nil
	}
	if u.Scheme != "https" {
		if local {
			return nil, apperr.Field(field, "must use https (plain http only on a loopback address)")
		}
		return nil, apperr.Field(field, "must use https")
	}
	if u.Port() != "" && u.Port() != "443" {
		return nil, apperr.Field(field, "must not name a port")
	}
	if fits == nil || !fits(host) {
		return nil, apperr.Field(field, "host %s does not fit this CRM type", host)
	}
	return u, nil
}

// tokenHostRule: a driver's own token host rule, or the baseUrl's host.
func tokenHostRule(d crm.Driver, base *url.URL) func(string) bool {
	if d.TokenHostAllowed != nil {
		return func(h string) bool { return d.TokenHostAllowed(h) || strings.EqualFold(h, base.Hostname()) }
	}
	return func(h string) bool { return strings.EqualFold(h, base.Hostname()) }
}

// appHostRule: appUrl may be on the baseUrl's host, or on a host the driver
// names as its agent app's (Kustomer's {org}.kustomerapp.com).
func appHostRule(d crm.Driver, base *url.URL) func(string) bool {
	return func(h string) bool {
		return strings.EqualFold(h, base.Hostname()) || (d.AppHostAllowed != nil && d.AppHostAllowed(h))
	}
}
