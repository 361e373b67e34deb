package dynamics

import (
	"net/http"
	"strconv"
)

// odataHeaders are the Web API's fixed headers (Client.Header). A JSON body
// is declared with its charset, as the Web API samples send it.
func odataHeaders(h http.Header) {
	h.Set("OData-MaxVersion", "4.0")
	h.Set("OData-Version", "4.0")
	if h.Get("Content-Type") == "application/json" { // set by crmhttp for a body
		h.Set("Content-Type", "application/json; charset=utf-8")
	}
}

// callHeader is what one Web API request asks for beyond the fixed headers;
// its set is a Call.Header.
type callHeader struct {
	// contentType, when set, replaces the JSON one (a $batch's
	// multipart/mixed payload).
	contentType string
	// pageSize > 0 asks for pages of that many rows (Prefer: odata.maxpagesize).
	pageSize int
	// mustExist sends If-Match: * so that a PATCH never creates a row.
	mustExist bool
	// noCache sends If-None-Match: null: expanded collection-valued
	// navigation properties may otherwise come from a cache that does not
	// reflect recent changes (webapi/query/join-tables.md).
	noCache bool
}

func (o callHeader) set(h http.Header) {
	if o.contentType != "" {
		h.Set("Content-Type", o.contentType)
	}
	if o.pageSize > 0 {
		h.Set("Prefer", "odata.maxpagesize="+strconv.Itoa(o.pageSize))
	}
	if o.mustExist {
		h.Set("If-Match", "*")
	}
	if o.noCache {
		h.Set("If-None-Match", "null")
	}
}
