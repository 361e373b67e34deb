package crmhttp

import (
	"net/http"
	"net/url"
	"strings"
)

// Origin checks that a configuration's baseURL is a bare http(s) address
// (no credentials, path, query or fragment; a lone "/" is fine) and returns
// it as scheme://host with the host lower-cased.
func Origin(baseURL string) (string, bool) {
	base, err := url.Parse(baseURL)
	if err != nil || (base.Scheme != "https" && base.Scheme != "http") || base.Host == "" || base.User != nil ||
		(base.Path != "" && base.Path != "/") || base.RawQuery != "" || base.Fragment != "" {
		return "", false
	}
	return base.Scheme + "://" + strings.ToLower(base.Host), true
}

// ConnectorClient is the client a connector keeps: a copy of hc (NewClient
// when nil) that shares its transport but refuses redirects to other hosts.
func ConnectorClient(hc *http.Client) *http.Client {
	if hc == nil {
		hc = NewClient()
	}
	client := *hc
	client.CheckRedirect = SameHostRedirects
	return &client
}

// VisibleASCII reports whether t is 1 to max visible ASCII characters, so
// that a token or key can neither be empty nor break the header it goes in.
func VisibleASCII(t string, max int) bool {
	if t == "" || len(t) > max {
		return false
	}
	for i := 0; i < len(t); i++ {
		if t[i] <= ' ' || t[i] > '~' {
			return false
		}
	}
	return true
}
