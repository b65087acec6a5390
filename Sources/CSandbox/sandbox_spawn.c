#define _GNU_SOURCE
#include "sandbox_spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static void report_and_exit(int fd, int stage) {
  int message[2] = {stage, errno};
  ssize_t ignored = write(fd, message, sizeof message);
  (void)ignored;
  _exit(127);
}

int assay_spawn(const assay_spawn_request *request, pid_t *pid, int *stage) {
  int status_pipe[2];
  if (pipe2(status_pipe, O_CLOEXEC) != 0) {
    *stage = 1;
    return errno;
  }
  pid_t child = fork();
  if (child < 0) {
    int saved = errno;
    close(status_pipe[0]);
    close(status_pipe[1]);
    *stage = 1;
    return saved;
  }
  if (child == 0) {
    int fd = status_pipe[1];
    // Threads of the parent block signals and libraries ignore SIGPIPE: neither may leak into the sample.
    for (int signal_number = 1; signal_number < NSIG; signal_number++) {
      if (signal_number != SIGKILL && signal_number != SIGSTOP) signal(signal_number, SIG_DFL);
    }
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    if (setsid() < 0) report_and_exit(fd, 2);
    if (dup2(request->stdin_fd, 0) < 0 || dup2(request->stdout_fd, 1) < 0 || dup2(request->stderr_fd, 2) < 0) {
      report_and_exit(fd, 3);
    }
    // Nothing else the harness has open (or inherited) reaches the sample: mark every other descriptor
    // close-on-exec (the status pipe must stay open until execve).
#ifdef SYS_close_range
    if (syscall(SYS_close_range, 3, ~0U, 4 /* CLOSE_RANGE_CLOEXEC */) != 0)
#endif
    {
      for (int other = 3; other < 4096; other++) fcntl(other, F_SETFD, FD_CLOEXEC);
    }
    if (request->unshare_net && unshare(CLONE_NEWNET) != 0) report_and_exit(fd, 4);
    if (request->gid >= 0) {
      if (setgroups(0, NULL) != 0 || setgid((gid_t)request->gid) != 0) report_and_exit(fd, 5);
    }
    if (request->uid >= 0 && setuid((uid_t)request->uid) != 0) report_and_exit(fd, 5);
    for (int index = 0; index < request->limit_count; index++) {
      struct rlimit limit = {(rlim_t)request->limits[index].value, (rlim_t)request->limits[index].value};
      if (setrlimit(request->limits[index].resource, &limit) != 0) report_and_exit(fd, 6);
    }
    if (request->cwd && chdir(request->cwd) != 0) report_and_exit(fd, 7);
    execve(request->path, request->argv, request->envp);
    report_and_exit(fd, 8);
  }
  close(status_pipe[1]);
  int message[2] = {0, 0};
  ssize_t got;
  do {
    got = read(status_pipe[0], message, sizeof message);
  } while (got < 0 && errno == EINTR);
  close(status_pipe[0]);
  if (got == (ssize_t)sizeof message) {
    int status;
    while (waitpid(child, &status, 0) < 0 && errno == EINTR) {
    }
    *stage = message[0];
    return message[1] ? message[1] : EINVAL;
  }
  *pid = child;
  *stage = 0;
  return 0;
}

int assay_pipe_cloexec(int fds[2]) { return pipe2(fds, O_CLOEXEC); }

_Static_assert(ASSAY_RLIMIT_CPU == RLIMIT_CPU && ASSAY_RLIMIT_FSIZE == RLIMIT_FSIZE && ASSAY_RLIMIT_CORE == RLIMIT_CORE
                   && ASSAY_RLIMIT_NPROC == RLIMIT_NPROC && ASSAY_RLIMIT_NOFILE == RLIMIT_NOFILE && ASSAY_RLIMIT_AS == RLIMIT_AS,
               "RLIMIT numbers differ on this platform");

int assay_pidfd_open(pid_t pid) {
#ifdef SYS_pidfd_open
  return (int)syscall(SYS_pidfd_open, pid, 0);
#else
  (void)pid;
  errno = ENOSYS;
  return -1;
#endif
}
