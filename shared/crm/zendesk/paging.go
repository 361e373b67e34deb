package zendesk

import (
	"net/url"
	"strings"
)

// onAccount checks that a next_page link stays on the configured account
// and below path before the driver follows it with credentials.
func (c *connector) onAccount(link, path string) bool {
	u, err := url.Parse(link)
	if err != nil || u.User != nil || u.Fragment != "" {
		return false
	}
	p := strings.TrimSuffix(u.Path, ".json")
	return u.Scheme+"://"+strings.ToLower(u.Host) == c.origin && p == "/api/v2/"+path
}
