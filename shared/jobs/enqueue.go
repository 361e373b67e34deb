package jobs

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/crmflow/crmflow/shared/apperr"
	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/cxone"
	"github.com/crmflow/crmflow/shared/execreq"
	"github.com/crmflow/crmflow/shared/ids"
	"github.com/crmflow/crmflow/shared/logx"
	"github.com/crmflow/crmflow/shared/store"
)

// JobRef is one job in the 202 answer of an enqueue.
type JobRef struct {
	JobID  string       `json:"jobId"`
	Action store.Action `json:"action"`
	Status string       `json:"status"`
}

// Enqueued is the 202 body of timeline and datamemorialization.
type Enqueued struct {
	Jobs []JobRef `json:"jobs"`
}

// maxRecords bounds how many linked records one job writes to.
const maxRecords = 25

// Enqueue runs POST /v1/workflows/{timeline|datamemorialization}: it checks
// the request, stores the job (PutJobIfAbsent on its deterministic id) and
// sends it to the action's queue. It returns only after the send succeeded,
// so a 202 means the job is durably queued. The same request again finds the
// same job: one still queued or running is sent again (harmless, the
// consumer is idempotent), one that is finished or dead-lettered is not.
// A memorialization naming configurationIds fans out (fanOut).
func (s *Service) Enqueue(ctx context.Context, tenantID string, action store.Action, req execreq.Request) (Enqueued, error) {
	if action != store.ActionTimeline && action != store.ActionDataMemorialization {
		return Enqueued{}, fmt.Errorf("enqueue: action %q has no queue", action)
	}
	if len(req.ConfigurationIDs) > 0 {
		return s.fanOut(ctx, tenantID, action, req)
	}
	ctx = logx.With(ctx, "configurationId", req.ConfigurationID, "workflowId", req.WorkflowID, "contactId", req.ContactID, "action", action)
	j, err := s.prepare(ctx, tenantID, action, req, nil)
	if err != nil {
		return Enqueued{}, err
	}
	ref, err := s.commit(ctx, j)
	if err != nil {
		return Enqueued{}, err
	}
	return Enqueued{Jobs: []JobRef{ref}}, nil
}

// MaxFanOut bounds how many configurations one memorialization names.
const MaxFanOut = 5

// fanOut runs a memorialization naming several configurations (the call
// goes to the CRM and to the helpdesk): one job per configuration, each with
// its own deterministic id, exactly once, and its own status on the card.
// Every job is checked before any is stored, so a request one configuration
// cannot take is a 400 naming configurationIds[i] and queues nothing. Each
// configuration's linked records are the card's pinned ones when the card
// belongs to it, none otherwise: a create mapping then writes without links,
// an update mapping is refused.
func (s *Service) fanOut(ctx context.Context, tenantID string, action store.Action, req execreq.Request) (Enqueued, error) {
	cfgIDs := req.ConfigurationIDs
	switch {
	case action != store.ActionDataMemorialization:
		return Enqueued{}, apperr.Field("configurationIds", "only a datamemorialization writes to several configurations; give configurationId")
	case len(cfgIDs) > MaxFanOut:
		return Enqueued{}, apperr.Field("configurationIds", "names more than %d configurations", MaxFanOut)
	case len(req.Records) > 0:
		return Enqueued{}, apperr.Field("records", "record ids belong to one CRM: with configurationIds, each configuration writes to the records pinned on the card for it")
	case req.ConfigurationID != "" && !slices.Contains(cfgIDs, req.ConfigurationID):
		return Enqueued{}, apperr.Field("configurationId", "is not one of configurationIds (give one or the other)")
	}
	for i, id := range cfgIDs {
		if !ids.Valid(id) {
			return Enqueued{}, apperr.Field(fmt.Sprintf("configurationIds[%d]", i), ids.Rule)
		}
		if slices.Index(cfgIDs, id) != i {
			return Enqueued{}, apperr.Field(fmt.Sprintf("configurationIds[%d]", i), "names %s twice", id)
		}
	}
	if err := execreq.RequireID("contactId", req.ContactID); err != nil {
		return Enqueued{}, err
	}
	card, err := s.o.Store.GetCard(ctx, tenantID, req.ContactID)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return Enqueued{}, fmt.Errorf("read card: %w", err)
	}
	jobs := make([]store.Job, 0, len(cfgIDs))
	for i, id := range cfgIDs {
		one := req
		one.ConfigurationID, one.ConfigurationIDs = id, nil
		linked := []crm.Ref{}
		if card.ConfigurationID == id {
			linked = append(linked, card.Linked()...)
		}
		cctx := logx.With(ctx, "configurationId", id, "workflowId", one.WorkflowID, "contactId", one.ContactID, "action", action)
		j, err := s.prepare(cctx, tenantID, action, one, linked)
		if err != nil {
			return Enqueued{}, fanOutField(err, i)
		}
		jobs = append(jobs, j)
	}
	out := Enqueued{Jobs: make([]JobRef, 0, len(jobs))}
	for _, j := range jobs {
		ref, err := s.commit(logx.With(ctx, "configurationId", j.ConfigurationID, "action", action), j)
		if err != nil {
			return Enqueued{}, err // the jobs stored so far are found again by the retry
		}
		out.Jobs = append(out.Jobs, ref)
	}
	return out, nil
}

// fanOutField puts a refusal of one configuration's job under the
// configuration it is about: configurationIds[i] (and its own field).
func fanOutField(err error, i int) error {
	ae, ok := apperr.As(err)
	if !ok {
		return err
	}
	out := *ae
	field := fmt.Sprintf("configurationIds[%d]", i)
	switch ae.Field {
	case "", "configurationId":
	default:
		out.Message = ae.Field + ": " + ae.Message
	}
	out.Field = field
	return &out
}

// prepare checks one job's request and builds the job it stores. linked,
// when not nil, are the records it writes to (a fan-out's), in place of
// the request's or the card's.
func (s *Service) prepare(ctx context.Context, tenantID string, action store.Action, req execreq.Request, linked []crm.Ref) (store.Job, error) {
	// A memorialization may name only its mapping: the workflow is the one
	// the mapping was created with.
	if action == store.ActionDataMemorialization && req.WorkflowID == "" && req.DataMappingID != "" {
		req.WorkflowID = store.MemorializeWorkflowID(req.DataMappingID)
	}
	if err := req.CheckIDs(); err != nil {
		return store.Job{}, err
	}
	w, err := s.o.Connections.Workflow(ctx, tenantID, req.ConfigurationID, req.WorkflowID)
	if err != nil {
		return store.Job{}, err
	}
	if w.Action != action {
		return store.Job{}, &apperr.Error{Kind: apperr.Unprocessable, Field: "workflowId",
			Message: "workflow action is " + string(w.Action) + ", this route runs " + string(action)}
	}
	var mapping store.DataMapping
	if action == store.ActionDataMemorialization {
		if mapping, err = s.mapping(ctx, tenantID, w, req.DataMappingID); err != nil {
			return store.Job{}, err
		}
	}
	contact, err := decodeContact(req.CxoneContact)
	if err != nil {
		return store.Job{}, err
	}
	if contact.ContactID == "" {
		contact.ContactID = req.ContactID
	}
	if contact.InteractionID == "" {
		contact.InteractionID = req.InteractionID
	}
	records := linked
	if records == nil {
		if records, err = s.records(ctx, tenantID, req); err != nil {
			return store.Job{}, err
		}
		if len(req.Records) > 0 {
			if err := s.canonicalRecords(ctx, tenantID, req.ConfigurationID, records); err != nil {
				return store.Job{}, err
			}
		}
	}
	if mapping.Mode == crm.ModeUpdate && !hasEntity(records, mapping.Entity) {
		return store.Job{}, apperr.Field("records", "mapping %s updates %s records and none is linked (pass one in records or pin one on the card)", mapping.ID, mapping.Entity)
	}

	body, err := json.Marshal(payload{CxoneContact: contact, Records: records, InteractionID: req.InteractionID})
	if err != nil {
		return store.Job{}, fmt.Errorf("enqueue: encode payload: %w", err)
	}
	key := w.ID
	if action == store.ActionDataMemorialization {
		key = mapping.ID
	}
	now := s.o.Now().UTC()
	return store.Job{
		TenantID: tenantID, ID: JobID(tenantID, req.ConfigurationID, req.ContactID, action, key),
		Action: action, Status: store.JobQueued, ConfigurationID: req.ConfigurationID, ContactID: req.ContactID,
		WorkflowID: w.ID, DataMappingID: mapping.ID, Payload: body, Created: now, Updated: now,
	}, nil
}

// commit stores a prepared job unless its id is taken and sends it to its
// queue; the same job again is sent again only while it is unfinished.
func (s *Service) commit(ctx context.Context, j store.Job) (JobRef, error) {
	ctx = logx.With(ctx, "jobId", j.ID)
	stored, err := s.o.Store.PutJobIfAbsent(ctx, j)
	switch {
	case errors.Is(err, store.ErrExists):
		if !bytes.Equal(stored.Payload, j.Payload) {
			// The same job id (contact, action, workflow or mapping) with
			// another body: answering the first job would silently drop
			// what changed.
			return JobRef{}, &apperr.Error{Kind: apperr.Conflict, Field: "jobId",
				Message: "job " + j.ID + " exists for this contact and workflow with another request body (cxoneContact or records); it is " + stored.Status}
		}
		if stored.Finished() || stored.Status == store.JobDeadlettered {
			slog.InfoContext(ctx, "job already done, not sent again", "status", stored.Status)
			return ref(stored), nil
		}
	case err != nil:
		return JobRef{}, fmt.Errorf("enqueue: store job: %w", err)
	}
	if err := s.send(ctx, stored); err != nil {
		return JobRef{}, err
	}
	slog.InfoContext(ctx, "job queued", "status", stored.Status)
	return ref(stored), nil
}

func ref(j store.Job) JobRef { return JobRef{JobID: j.ID, Action: j.Action, Status: j.Status} }

// send puts the job on its action's queue; a failure is a 503 the caller may
// retry (the job record is already there and the retry finds it).
func (s *Service) send(ctx context.Context, j store.Job) error {
	url := s.o.QueueURLs[j.Action]
	if url == "" {
		return fmt.Errorf("enqueue: no queue configured for %s", j.Action)
	}
	body, err := json.Marshal(message{TenantID: j.TenantID, JobID: j.ID})
	if err != nil {
		return err
	}
	if _, err := s.o.Queue.Send(ctx, url, string(body), 0); err != nil {
		slog.ErrorContext(ctx, "job not queued", "error", err.Error())
		return &apperr.Error{Kind: apperr.Unavailable, Message: "the job could not be queued; send the request again", Err: err}
	}
	return nil
}

// mapping picks the data mapping of a memorialization: the request's
// dataMappingId, else the workflow's.
func (s *Service) mapping(ctx context.Context, tenantID string, w store.Workflow, requested string) (store.DataMapping, error) {
	id := requested
	switch {
	case id == "" && w.DataMappingID == "":
		return store.DataMapping{}, apperr.Field("dataMappingId", "is required (workflow %s names no data mapping)", w.ID)
	case id == "":
		id = w.DataMappingID
	case w.DataMappingID != "" && w.DataMappingID != id:
		return store.DataMapping{}, apperr.Field("dataMappingId", "workflow %s memorializes data mapping %s", w.ID, w.DataMappingID)
	}
	m, err := s.o.Store.GetDataMapping(ctx, tenantID, w.ConfigurationID, id)
	if errors.Is(err, store.ErrNotFound) {
		return m, &apperr.Error{Kind: apperr.NotFound, Field: "dataMappingId", Message: "data mapping " + id + " not found"}
	}
	if err != nil {
		return m, fmt.Errorf("read data mapping: %w", err)
	}
	return m, nil
}

// decodeContact reads and checks cxoneContact, naming the bad field.
func decodeContact(raw json.RawMessage) (cxone.Contact, error) {
	var c cxone.Contact
	if len(bytes.TrimSpace(raw)) == 0 || string(raw) == "null" {
		return c, nil
	}
	if err := json.Unmarshal(raw, &c); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && te.Field != "" {
			return c, apperr.Field("cxoneContact."+te.Field, "must be %s", te.Type.String())
		}
		var pe *time.ParseError
		if errors.As(err, &pe) {
			return c, apperr.Field("cxoneContact", "times must be RFC 3339, e.g. 2026-01-15T09:30:00Z")
		}
		return c, apperr.Field("cxoneContact", "must be a JSON object of contact-center fields")
	}
	if err := c.Validate(); err != nil {
		var fe *cxone.FieldError
		if errors.As(err, &fe) {
			return c, apperr.Field("cxoneContact."+fe.Field, "%s", fe.Msg)
		}
		return c, apperr.Field("cxoneContact", "%v", err)
	}
	return c, nil
}

// records are the request's records, else the card's linked (pinned) ones.
func (s *Service) records(ctx context.Context, tenantID string, req execreq.Request) ([]crm.Ref, error) {
	if len(req.Records) > maxRecords {
		return nil, apperr.Field("records", "has more than %d records", maxRecords)
	}
	for i, r := range req.Records {
		if !crm.ValidEntityName(r.Entity) {
			return nil, apperr.Field(fmt.Sprintf("records[%d].entity", i), "must be an entity name of the CRM")
		}
		if !ids.Valid(r.ID) {
			return nil, apperr.Field(fmt.Sprintf("records[%d].id", i), ids.Rule)
		}
	}
	if len(req.Records) > 0 {
		return req.Records, nil
	}
	card, err := s.o.Store.GetCard(ctx, tenantID, req.ContactID)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, fmt.Errorf("read card: %w", err)
	}
	linked := card.Linked()
	if len(linked) == 0 {
		return nil, apperr.Field("records", "names no record and contact %s has no pinned record on its card to write to", req.ContactID)
	}
	return linked, nil
}

// canonicalRecords puts the entities of the records a request names into the
// CRM's canonical spelling (the card's records already are), so the job
// writes where the mapping says and a spelling the CRM does not take is a 400
// now rather than a failed job after the call.
func (s *Service) canonicalRecords(ctx context.Context, tenantID, configurationID string, records []crm.Ref) error {
	d, err := s.o.Connections.Driver(ctx, tenantID, configurationID)
	if err != nil {
		return err
	}
	for i := range records {
		canon, err := d.Canonical(records[i].Entity)
		if err != nil {
			return apperr.Refused(fmt.Sprintf("records[%d].entity", i), err)
		}
		records[i].Entity = canon
	}
	return nil
}

func hasEntity(refs []crm.Ref, entity string) bool {
	for _, r := range refs {
		if strings.EqualFold(r.Entity, entity) {
			return true
		}
	}
	return false
}
