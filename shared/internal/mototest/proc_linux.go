package mototest

import (
	"runtime"
	"syscall"
)

// sysProcAttr puts the server in its own process group (Stop kills the group)
// and has the kernel kill it when the test binary dies.
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}

func lockThread() { runtime.LockOSThread() }
