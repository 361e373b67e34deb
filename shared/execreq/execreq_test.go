package execreq

import (
	"testing"

	"github.com/crmflow/crmflow/shared/apperr"
)

func TestCheckIDsNamesTheFirstBadField(t *testing.T) {
	ok := Request{ConfigurationID: "c1", WorkflowID: "w1", ContactID: "k1"}
	if err := ok.CheckIDs(); err != nil {
		t.Fatal(err)
	}
	for field, r := range map[string]Request{
		"configurationId":      {WorkflowID: "w1", ContactID: "k1"},
		"workflowId":           {ConfigurationID: "c1", WorkflowID: "w 1", ContactID: "k1"},
		"contactId":            {ConfigurationID: "c1", WorkflowID: "w1"},
		"dataMappingId":        {ConfigurationID: "c1", WorkflowID: "w1", ContactID: "k1", DataMappingID: "m/1"},
		"dynamicDataMappingId": {ConfigurationID: "c1", WorkflowID: "w1", ContactID: "k1", DynamicDataMappingID: "é"},
		"interactionId":        {ConfigurationID: "c1", WorkflowID: "w1", ContactID: "k1", InteractionID: "a?b"},
	} {
		e, isApp := apperr.As(r.CheckIDs())
		if !isApp || e.Field != field || e.Kind != apperr.Invalid {
			t.Errorf("%s: %v", field, e)
		}
	}
}
