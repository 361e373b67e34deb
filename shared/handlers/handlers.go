// Package handlers binds each function's routes to its use cases: it reads
// path parameters and bodies, calls shared/workflow or shared/admin, and picks
// the success status. Lambdas (functions/*) and the local gateway serve the
// same Routes.
package handlers

import (
	"github.com/crmflow/crmflow/shared/store"
)

var (
	platformOnly = []store.Role{store.RolePlatform}
	keyManagers  = []store.Role{store.RolePlatform, store.RoleAdmin}
	adminOnly    = []store.Role{store.RoleAdmin}
	studioOnly   = []store.Role{store.RoleStudio}
	cardReaders  = []store.Role{store.RoleStudio, store.RoleAgent}
	agentOnly    = []store.Role{store.RoleAgent}
	// jobOperators (list and retry jobs): an operator with the admin key, or the Studio integration
	// that queued the job.
	jobOperators = []store.Role{store.RoleAdmin, store.RoleStudio}
)
