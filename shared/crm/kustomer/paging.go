package kustomer

import (
	"net/url"
	"strings"
)

// nextPage turns a links.next of a paged answer into the query of the next
// request to samePath. Kustomer's links are relative (/v1/…); anything else
// (another host, another API) ends the paging rather than being followed.
func nextPage(link string, samePath string) (url.Values, bool) {
	if link == "" {
		return nil, false
	}
	u, err := url.Parse(link)
	if err != nil || u.IsAbs() || u.Host != "" || u.Path != samePath || !strings.HasPrefix(u.Path, "/v1/") {
		return nil, false
	}
	return u.Query(), true
}
