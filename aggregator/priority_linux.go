package aggregator

import "syscall"

// lowerThread sets the calling OS thread's nice value to 19. On Linux,
// setpriority with a thread id changes that thread alone. A failure (a
// container that forbids it) leaves the thread as it was.
func lowerThread() {
	_ = syscall.Setpriority(syscall.PRIO_PROCESS, syscall.Gettid(), 19)
}
