package hubspot

import "net/url"

// objectPath is /crm/v3/objects/{type}[/{id}], the entity and id already checked.
func objectPath(o object, id string) string {
	p := "/crm/v3/objects/" + url.PathEscape(o.entity)
	if id != "" {
		p += "/" + id
	}
	return p
}
