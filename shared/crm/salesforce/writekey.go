package salesforce

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"path"
	"strings"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmhttp"
	"github.com/crmflow/crmflow/shared/lazyre"
)

// keyFieldCustom is the custom field that holds the write key on every
// object but Task: Text(255), External ID, Unique (case-sensitive), made
// once per org and object by an admin (doc.go, "Exactly once").
const keyFieldCustom = "crmflow_key__c"

// missingExternalID starts Salesforce's 404 message for a field that is no
// External ID field of the object, or that the user cannot see (restforce
// spec/fixtures/sobject/sobject_find_error_response.json).
const missingExternalID = "Provided external ID field does not exist or is not accessible"

// keyField is the field of entity that holds the write key of a record
// created in it: Task.CallObject (the timeline's field, objref
// sforce_api_objects_task.htm), crmflow_key__c elsewhere, "" when no
// record of entity can hold one (keyProblem).
func keyField(entity string) string {
	if entity == "Task" {
		return "CallObject"
	}
	if keyProblem(entity) != "" {
		return ""
	}
	return keyFieldCustom
}

// keyProblem says why a record created in entity cannot carry a write key
// that a consistent read finds again, "" when it can. Without one, a
// create retried after a crash would write twice.
func keyProblem(entity string) string {
	switch objectSuffix(entity) {
	case suffixEvent:
		return entity + " is a platform event: a create publishes it to the event bus, no record is stored, so no read finds the write again"
	case suffixExternal:
		return entity + " is an external object: its records live in the external system, which sets their External ID, so crmflow cannot key them"
	case suffixBig:
		return entity + " is a big object: its records are read by their index fields only, which crmflow does not choose, so a write cannot be found by its key"
	case suffixShare:
		return entity + " is a sharing object: it takes no custom fields, so its records cannot carry a write key"
	}
	switch entity {
	case "CaseComment", "Note":
		return entity + " takes no custom fields, so its records cannot carry a write key"
	}
	return ""
}

// pathSafeKey is a key that goes into a URL path as it is: letters, digits,
// _ and - (job ids are job_ and base32). A dot is left out: the sObject
// Rows by External ID resource reads a value ending in a format extension
// (.inc, .json) as one and answers 404 (resources_sobject_upsert_get.htm).
var pathSafeKey = lazyre.New(`^[A-Za-z0-9_-]+$`)

// FindWrite finds an earlier write by its key, always by a consistent read
// (never SOSL, whose index lags): a Task (timeline writes, memorialization
// into Task) by SOQL on CallObject, which is no External ID field;
// a record of any other keyed object by the sObject Rows by External ID
// resource on crmflow_key__c (SOQL on it for a key that cannot go in a
// path). An object that cannot hold a key (keyProblem; MappingCheck
// refuses create-mode mappings into it) has nothing to find: found is false.
func (c *connector) FindWrite(ctx context.Context, l crm.WriteLookup) (crm.WriteResult, bool, error) {
	const op = "salesforce: find write"
	entity := "Task"
	switch l.Kind {
	case crm.WriteActivity:
	case crm.WriteMemorialization:
		var err error
		if entity, err = resolveEntity(op, l.Entity); err != nil {
			return crm.WriteResult{}, false, err
		}
	default:
		return crm.WriteResult{}, false, crm.Refusal(op, "kind", "unknown write kind %s", crm.QuoteName(string(l.Kind)))
	}
	if err := checkKey(op, l.Key); err != nil {
		return crm.WriteResult{}, false, err
	}
	kf := keyField(entity)
	if kf == "" {
		return crm.WriteResult{}, false, nil
	}
	var ids []string
	var err error
	if entity == "Task" || !pathSafeKey.MatchString(l.Key) {
		ids, err = c.findByQuery(ctx, op+" "+entity, entity, kf, l.Key)
	} else {
		ids, err = c.findByExternalID(ctx, op+" "+entity, entity, kf, l.Key)
	}
	if err != nil || len(ids) == 0 {
		return crm.WriteResult{}, false, err
	}
	res := crm.WriteResult{}
	for _, id := range ids {
		res.Records = append(res.Records, crm.Ref{Entity: entity, ID: id})
	}
	return res, true, nil
}

// findByQuery reads the records whose field holds key by SOQL, which reads
// the database (consistent, unlike SOSL).
func (c *connector) findByQuery(ctx context.Context, op, entity, field, key string) ([]string, error) {
	recs, err := c.query(ctx, op, "SELECT Id FROM "+entity+" WHERE "+field+" = "+quote(key)+" LIMIT 2", 2, nil)
	if err != nil {
		return nil, keySetupError(op, entity, field, err)
	}
	ids := make([]string, 0, len(recs))
	for _, r := range recs {
		ids = append(ids, r.ID)
	}
	return ids, nil
}

// findByExternalID reads GET sobjects/{entity}/{field}/{key} (sObject Rows
// by External ID, resources_sobject_upsert_get.htm): 200 is the record,
// 404 NOT_FOUND none, 300 several ("the response body contains the list of
// matching records", errorcodes.htm; the field is Unique, so only an org
// that left that out answers it).
func (c *connector) findByExternalID(ctx context.Context, op, entity, field, key string) ([]string, error) {
	p := c.sobjectPath(entity, "") + "/" + url.PathEscape(field) + "/" + url.PathEscape(key)
	r, err := c.api.Do(ctx, crmhttp.Call{Op: op, Method: http.MethodGet, Path: p, AnyStatus: true}, nil)
	if err != nil {
		return nil, err
	}
	switch {
	case r.OK():
		var rec struct {
			ID string `json:"Id"`
		}
		if json.Unmarshal(r.Body, &rec) != nil || !idShape.MatchString(rec.ID) {
			return nil, &crm.Error{Code: crm.Internal, Op: op, Status: r.Status, Message: "Salesforce answered the external id read without a record id"}
		}
		return []string{rec.ID}, nil
	case r.Status == http.StatusMultipleChoices:
		ids := matchIDs(r.Body)
		if len(ids) == 0 {
			return nil, &crm.Error{Code: crm.Internal, Op: op, Status: r.Status, Message: "Salesforce answered 300 (several records hold the key) without a list crmflow can read"}
		}
		return ids, nil
	}
	e := apiError(op, r.Status, r.Body)
	if r.Status == http.StatusNotFound && !strings.Contains(e.Message, missingExternalID) {
		return nil, nil
	}
	return nil, keySetupError(op, entity, field, e)
}

// matchIDs reads the ids out of a 300's list of matching records: record
// URLs (/services/data/v62.0/sobjects/Account/001…) or records with Id or
// attributes.url; the exact shape is not in the reference.
func matchIDs(body []byte) []string {
	var list []json.RawMessage
	if json.Unmarshal(body, &list) != nil {
		return nil
	}
	var ids []string
	add := func(s string) {
		if s = path.Base(s); idShape.MatchString(s) {
			ids = append(ids, s)
		}
	}
	for _, raw := range list {
		var s string
		if json.Unmarshal(raw, &s) == nil {
			add(s)
			continue
		}
		var rec struct {
			ID         string `json:"Id"`
			Attributes struct {
				URL string `json:"url"`
			} `json:"attributes"`
		}
		if json.Unmarshal(raw, &rec) == nil {
			if rec.ID != "" {
				add(rec.ID)
			} else {
				add(rec.Attributes.URL)
			}
		}
	}
	return ids
}

// keySetupError says what to do when the org lacks the key field (the
// one-time setup was not made for entity), else is err itself.
func keySetupError(op, entity, field string, err error) error {
	e, ok := err.(*crm.Error)
	if !ok || field != keyFieldCustom {
		return err
	}
	if strings.Contains(e.Message, missingExternalID) || (e.CRMCode == "INVALID_FIELD" && strings.Contains(e.Message, field)) {
		return &crm.Error{Code: crm.InvalidArgument, Op: op, Status: e.Status, CRMCode: e.CRMCode,
			Message: entity + " has no External ID field " + field + " that crmflow can read: create it once (Text(255), External ID, Unique, case-sensitive) and give the integration user access to it; Salesforce said: " + e.Message}
	}
	return err
}
