package crmhttp

import (
	"net"
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

// OnOrigin checks that raw is an address on origin (as returned by Origin)
// without credentials, query or fragment, such as a token endpoint the
// configuration names, and returns it re-encoded.
func OnOrigin(raw, origin string) (string, bool) {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme+"://"+strings.ToLower(u.Host) != origin || u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return "", false
	}
	return u.String(), true
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

// IsLoopback reports whether host (no port) is localhost or a loopback
// address: the only hosts a configuration may name over plain http, in
// the local run.
func IsLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
