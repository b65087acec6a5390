#ifndef ASSAY_SANDBOX_SPAWN_H
#define ASSAY_SANDBOX_SPAWN_H

#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/// One resource limit to apply in the child before exec (resource is an RLIMIT_* constant).
typedef struct {
  int resource;
  unsigned long long value;
} assay_rlimit;

/// Everything the child does between fork and exec, in this order: default signal dispositions and an empty mask,
/// a new session (so a new process group whose id is the child's pid), stdio redirection, optionally a new network
/// namespace (needs root or a user namespace), optionally new mount and IPC namespaces with empty private tmpfs
/// folders over /tmp, /var/tmp, /dev/shm and /run/lock, with the `keep` folders under them bound back (needs
/// root), supplementary groups dropped and gid/uid
/// changed (when >= 0), rlimits, chdir, execve. Every step is a plain system call (safe after fork in a threaded
/// process).
typedef struct {
  const char *path;
  char *const *argv;
  char *const *envp;
  const char *cwd;
  int stdin_fd;
  int stdout_fd;
  int stderr_fd;
  const assay_rlimit *limits;
  int limit_count;
  int uid;
  int gid;
  int unshare_net;
  int private_temp;
  /// Folders under the private temporary folders that stay visible (bind-mounted back): the sandbox's own.
  const char *const *keep;
  int keep_count;
} assay_spawn_request;

/// Starts the child. Returns 0 and sets *pid on success; on failure returns an errno value and sets *stage to the
/// step that failed (1 fork, 2 setsid, 3 dup2, 4 unshare, 5 setgroups/setgid/setuid, 6 setrlimit, 7 chdir, 8 execve,
/// 9 mounting the private temporary folders).
int assay_spawn(const assay_spawn_request *request, pid_t *pid, int *stage);

/// pipe2(fds, O_CLOEXEC): both ends close on exec, so concurrent samples never inherit each other's pipes.
int assay_pipe_cloexec(int fds[2]);

/// The RLIMIT_* numbers, which Swift imports as an enum type on glibc.
enum {
  ASSAY_RLIMIT_CPU = 0,
  ASSAY_RLIMIT_FSIZE = 1,
  ASSAY_RLIMIT_CORE = 4,
  ASSAY_RLIMIT_NPROC = 6,
  ASSAY_RLIMIT_NOFILE = 7,
  ASSAY_RLIMIT_AS = 9,
};

/// SIGKILLs every process of `uid` (needs root): a child that becomes `uid` calls kill(-1, SIGKILL), which the
/// kernel applies to all of the user's processes in one pass (a fork in progress is cancelled). Returns 0, or an
/// errno value when the child could not become `uid`. The caller checks /proc for survivors and calls again.
int assay_kill_uid(int uid);

/// A pollable descriptor for a child process (pidfd_open), or -1 where the kernel lacks it.
int assay_pidfd_open(pid_t pid);

#ifdef __cplusplus
}
#endif

#endif
