package kustomer

import (
	"context"
	"net/url"
	"strings"

	"github.com/crmflow/crmflow/shared/crm/crmhttp"
)

// eachPage sends call page by page, starting from the query q, and hands
// each answer to visit, until visit says stop, a page is empty, no usable
// links.next follows (see nextPage) or maxPages pages have been read. The
// call's Query is set from q on the first page and from links.next after;
// everything else in call (Op, Method, Path, Body) is sent as given on
// every page. more is true when maxPages pages were read and the last one
// still pointed to another: the caller decides whether that is an error.
func (c *connector) eachPage(ctx context.Context, call crmhttp.Call, q url.Values, maxPages int, visit func(page list) (stop bool)) (more bool, err error) {
	for range maxPages {
		var page list
		call.Query = q.Encode()
		if _, err := c.api.Do(ctx, call, &page); err != nil {
			return false, err
		}
		if visit(page) {
			return false, nil
		}
		next, ok := nextPage(page.Links.Next, call.Path)
		if !ok || len(page.Data) == 0 {
			return false, nil
		}
		q = next
	}
	return true, nil
}

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
