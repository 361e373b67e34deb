package oracle

import (
	"net/url"
	"strings"
)

// resourcePath is the REST path of a resource or one of its records, below
// the API root: contacts, contacts/12.
func resourcePath(entity, id string) string {
	p := url.PathEscape(entity)
	if id != "" {
		p += "/" + url.PathEscape(id)
	}
	return p
}

// queryParam encodes a ROQL text as the query parameter of queryResults,
// with spaces as %20 rather than +.
func queryParam(roql string) string {
	return "query=" + strings.ReplaceAll(url.QueryEscape(roql), "+", "%20")
}
