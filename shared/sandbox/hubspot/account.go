package hubspot

import (
	"net/http"
	"time"
)

type stage struct {
	id, label string
	closed    bool
}

type pipeline struct {
	id, label string
	stages    []stage
}

// ticketPipelines are the account's ticket pipelines: HubSpot's default
// support pipeline ("0", stages 1–3 open, 4 closed) and one custom pipeline.
var ticketPipelines = []pipeline{
	{id: "0", label: "Support Pipeline", stages: []stage{{"1", "New", false}, {"2", "Waiting on contact", false},
		{"3", "Waiting on us", false}, {"4", "Closed", true}}},
	{id: "93512", label: "Escalations", stages: []stage{{"93513", "Escalated", false}, {"93514", "Resolved", true}}},
}

var dealPipelines = []pipeline{{id: "default", label: "Sales Pipeline", stages: func() []stage {
	out := make([]stage, len(dealStages))
	for i, id := range dealStages {
		out[i] = stage{id: id, label: id, closed: id == "closedwon" || id == "closedlost"}
	}
	return out
}()}}

// pipelinesCreated is the fixed creation stamp of the pipelines.
var pipelinesCreated = time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC).Format(stampLayout)

func (s *Server) handleAccount(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{
		"portalId": s.opts.PortalID, "accountType": "STANDARD", "timeZone": "US/Eastern", "companyCurrency": "USD",
		"additionalCurrencies": []string{}, "utcOffset": "-05:00", "utcOffsetMilliseconds": -18000000,
		"uiDomain": "app.hubspot.com", "dataHostingLocation": "na1",
	})
}

// handlePipelines lists the pipelines of tickets or deals with their
// stages; a ticket stage's metadata.ticketState says OPEN or CLOSED.
func (s *Server) handlePipelines(w http.ResponseWriter, r *http.Request) {
	var list []pipeline
	ticket := false
	switch r.PathValue("objectType") {
	case "tickets", "ticket", "0-5":
		list, ticket = ticketPipelines, true
	case "deals", "deal", "0-3":
		list = dealPipelines
	default:
		s.writeError(w, http.StatusBadRequest, catValidation, "Unable to infer object type from: "+r.PathValue("objectType"))
		return
	}
	results := make([]map[string]any, 0, len(list))
	for i, p := range list {
		stages := make([]map[string]any, 0, len(p.stages))
		for j, st := range p.stages {
			meta := map[string]any{"isClosed": boolText(st.closed)}
			if ticket {
				state := "OPEN"
				if st.closed {
					state = "CLOSED"
				}
				meta = map[string]any{"ticketState": state}
			}
			stages = append(stages, map[string]any{"id": st.id, "label": st.label, "displayOrder": j, "metadata": meta,
				"createdAt": pipelinesCreated, "updatedAt": pipelinesCreated, "archived": false})
		}
		results = append(results, map[string]any{"id": p.id, "label": p.label, "displayOrder": i, "stages": stages,
			"createdAt": pipelinesCreated, "updatedAt": pipelinesCreated, "archived": false})
	}
	writeJSON(w, http.StatusOK, map[string]any{"results": results})
}

func boolText(b bool) string {
	if b {
		return "true"
	}
	return "false"
}
